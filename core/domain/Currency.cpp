#include "domain/Currency.h"

#include <array>

namespace rd {

namespace {

const QString Field = QStringLiteral("currency");

struct CurrencyInfo
{
    char16_t code[4];
    int minorDigits;
};

// Minor-unit digits from the ISO 4217 list; alphabetical.
constexpr std::array<CurrencyInfo, 42> Currencies = {{
    {u"AED", 2},
    {u"ARS", 2},
    {u"AUD", 2},
    {u"BGN", 2},
    {u"BHD", 3},
    {u"BRL", 2},
    {u"CAD", 2},
    {u"CHF", 2},
    {u"CLP", 0},
    {u"CNY", 2},
    {u"COP", 2},
    {u"CZK", 2},
    {u"DKK", 2},
    {u"EUR", 2},
    {u"GBP", 2},
    {u"HKD", 2},
    {u"HUF", 2},
    {u"IDR", 2},
    {u"ILS", 2},
    {u"INR", 2},
    {u"ISK", 0},
    {u"JOD", 3},
    {u"JPY", 0},
    {u"KRW", 0},
    {u"KWD", 3},
    {u"MXN", 2},
    {u"MYR", 2},
    {u"NOK", 2},
    {u"NZD", 2},
    {u"OMR", 3},
    {u"PHP", 2},
    {u"PLN", 2},
    {u"RON", 2},
    {u"SAR", 2},
    {u"SEK", 2},
    {u"SGD", 2},
    {u"THB", 2},
    {u"TND", 3},
    {u"TRY", 2},
    {u"TWD", 2},
    {u"USD", 2},
    {u"ZAR", 2},
}};

bool isAsciiUpper(QChar c)
{
    return c.unicode() >= u'A' && c.unicode() <= u'Z';
}

} // namespace

Currency::Currency(QString code, int minorDigits)
    : m_code(std::move(code))
    , m_minorDigits(minorDigits)
{ }

Result<Currency> Currency::parse(const QString &code)
{
    const QString normalized = code.trimmed().toUpper();
    if (normalized.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Choose a currency, like EUR."), Field);

    bool isIsoCode = normalized.size() == 3;
    for (const QChar c : normalized)
        isIsoCode = isIsoCode && isAsciiUpper(c);
    if (!isIsoCode)
        return fail(ErrorCode::InvalidInput,
            tr("“%1” is not a currency code: use three letters, like EUR.").arg(code.trimmed()),
            Field);

    for (const CurrencyInfo &info : Currencies) {
        if (normalized == QStringView(info.code))
            return Currency(normalized, info.minorDigits);
    }
    return fail(
        ErrorCode::InvalidInput, tr("The currency “%1” is not supported.").arg(normalized), Field);
}

QStringList Currency::supportedCodes()
{
    QStringList codes;
    codes.reserve(static_cast<qsizetype>(Currencies.size()));
    for (const CurrencyInfo &info : Currencies)
        codes.append(QStringView(info.code).toString());
    return codes;
}

} // namespace rd
