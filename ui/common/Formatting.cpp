#include "common/Formatting.h"

#include <cmath>

#include "domain/Currency.h"

namespace rd {

QString moneyText(qint64 minorUnits, const QString &currencyCode, const QLocale &locale)
{
    Result<Currency> currency = Currency::parse(currencyCode);
    if (!currency)
        return locale.toString(minorUnits) + QLatin1Char(' ') + currencyCode;
    // The amount and the ISO code, e.g. "1,234.50 EUR" or "1.234,50 EUR":
    // unambiguous between price lists in different currencies, and the
    // same layout in every language (QLocale's currency format glues a code
    // to the number in some locales).
    const int digits = currency->minorDigits();
    const double value = double(minorUnits) / std::pow(10.0, digits);
    return locale.toString(value, 'f', digits) + QChar(0x00A0) + currencyCode;
}

QString percentText(int basisPoints, const QLocale &locale)
{
    const int digits = basisPoints % 100 == 0 ? 0 : (basisPoints % 10 == 0 ? 1 : 2);
    return locale.toString(basisPoints / 100.0, 'f', digits) + locale.percent();
}

QString dateTimeText(const QDateTime &at, const QLocale &locale)
{
    return at.isValid() ? locale.toString(at.toLocalTime(), QLocale::ShortFormat) : QString();
}

QString dateText(const QDateTime &at, const QLocale &locale)
{
    return at.isValid() ? locale.toString(at.toLocalTime().date(), QLocale::ShortFormat)
                        : QString();
}

} // namespace rd
