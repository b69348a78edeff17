#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringView>

#include "domain/Error.h"

// Maximum lengths of every text field a user can type (DESIGN §2 rule 2), in
// characters (Unicode code points, which is what PostgreSQL's varchar(n)
// counts). Email and domain limits are protocol limits and are measured by
// EmailAddress and DomainName in bytes of their ASCII/UTF-8 forms instead.
namespace rd::TextLimits {

inline constexpr qsizetype CompanyName = 200;
inline constexpr qsizetype ContactName = 200;
inline constexpr qsizetype ResellerName = 200;
inline constexpr qsizetype PlanName = 100;
inline constexpr qsizetype PriceListName = 100;
inline constexpr qsizetype Email = 254;         // RFC 5321 path limit, UTF-8 bytes
inline constexpr qsizetype EmailLocalPart = 64; // RFC 5321, UTF-8 bytes
inline constexpr qsizetype Domain = 253;        // ASCII (punycode) form
inline constexpr qsizetype DomainLabel = 63;    // ASCII (punycode) form
inline constexpr qsizetype PhoneInput = 40;
inline constexpr qsizetype Reason = 1000;
inline constexpr qsizetype UserName = 200;
inline constexpr qsizetype Note = 2000;
inline constexpr qsizetype SettingValue = 4000;

// The number of characters (code points) in value: a surrogate pair counts once.
inline qsizetype characterCount(QStringView value) noexcept
{
    qsizetype count = 0;
    for (const QChar c : value) {
        if (!c.isLowSurrogate())
            ++count;
    }
    return count;
}

// Refuses a value longer than max characters, naming the field by its label
// (already translated, e.g. tr("Company name")).
inline Status checkLength(
    const QString &value, qsizetype max, const QString &field, const QString &label)
{
    if (characterCount(value) <= max)
        return {};
    // A plain variable as the count: lupdate skips calls with a cast inside.
    const int limit = static_cast<int>(max);
    return fail(ErrorCode::InvalidInput,
        QCoreApplication::translate(
            "rd::TextLimits", "%1 may be at most %n characters.", nullptr, limit)
            .arg(label),
        field);
}

} // namespace rd::TextLimits
