#include "domain/PhoneNumber.h"

#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "domain/TextLimits.h"

namespace rd {

namespace {

using i18n::phonenumbers::PhoneNumberUtil;

const QString Field = QStringLiteral("phone");

// libphonenumber's code for "no default region".
const std::string UnknownRegion = "ZZ";

bool startsWithPlus(const QString &input)
{
    return input.startsWith(QLatin1Char('+')) || input.startsWith(QChar(0xFF0B)); // full-width +
}

} // namespace

PhoneNumber::PhoneNumber(QString e164, QString international)
    : m_e164(std::move(e164))
    , m_international(std::move(international))
{ }

Result<PhoneNumber> PhoneNumber::parse(const QString &input, const QString &defaultRegion)
{
    const QString typed = input.trimmed();
    if (typed.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Enter a phone number."), Field);
    if (TextLimits::characterCount(typed) > TextLimits::PhoneInput)
        return fail(ErrorCode::InvalidInput,
            tr("A phone number may be at most %n characters.", nullptr,
                static_cast<int>(TextLimits::PhoneInput)),
            Field);

    const QString region = defaultRegion.trimmed().toUpper();
    const std::string regionCode = region.isEmpty() ? UnknownRegion : region.toStdString();

    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    i18n::phonenumbers::PhoneNumber number;
    const PhoneNumberUtil::ErrorType parseError
        = util.Parse(typed.toStdString(), regionCode, &number);

    const auto unknownCountryCode = [&typed] {
        return fail(ErrorCode::InvalidInput,
            tr("“%1” does not start with a known country code.").arg(typed), Field);
    };
    const auto tooShort = [&typed] {
        return fail(ErrorCode::InvalidInput,
            tr("“%1” is too short to be a phone number.").arg(typed), Field);
    };
    const auto tooLong = [&typed] {
        return fail(ErrorCode::InvalidInput,
            tr("“%1” is too long to be a phone number.").arg(typed), Field);
    };

    switch (parseError) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
        break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        if (startsWithPlus(typed))
            return unknownCountryCode();
        return fail(ErrorCode::InvalidInput,
            tr("Enter the number with its country code, like +49 30 1234567."), Field,
            QStringLiteral("no default region for “%1”").arg(region));
    case PhoneNumberUtil::NOT_A_NUMBER:
        return fail(ErrorCode::InvalidInput, tr("“%1” is not a phone number.").arg(typed), Field);
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
        return tooShort();
    case PhoneNumberUtil::TOO_LONG_NSN:
        return tooLong();
    }
    if (parseError != PhoneNumberUtil::NO_PARSING_ERROR)
        return fail(ErrorCode::InvalidInput, tr("“%1” is not a phone number.").arg(typed), Field,
            QStringLiteral("libphonenumber error %1").arg(static_cast<int>(parseError)));

    if (number.has_extension())
        return fail(ErrorCode::InvalidInput,
            tr("Enter the phone number without an extension (“%1”).")
                .arg(QString::fromStdString(number.extension())),
            Field);

    if (!util.IsValidNumber(number)) {
        switch (util.IsPossibleNumberWithReason(number)) {
        case PhoneNumberUtil::TOO_SHORT:
            return tooShort();
        case PhoneNumberUtil::TOO_LONG:
            return tooLong();
        case PhoneNumberUtil::INVALID_COUNTRY_CODE:
            return unknownCountryCode();
        case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
            return fail(ErrorCode::InvalidInput, tr("“%1” needs its area code.").arg(typed), Field);
        default:
            return fail(ErrorCode::InvalidInput,
                tr("“%1” is not a valid phone number. Check the digits and the country "
                   "code.")
                    .arg(typed),
                Field);
        }
    }

    std::string e164;
    std::string international;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    util.Format(number, PhoneNumberUtil::INTERNATIONAL, &international);
    return PhoneNumber(QString::fromStdString(e164), QString::fromStdString(international));
}

} // namespace rd
