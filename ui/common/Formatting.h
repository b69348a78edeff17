#pragma once

#include <QDateTime>
#include <QLocale>
#include <QString>

namespace rd {

// How the windows show values, in the user's locale (QLocale()).

// "1,234.50 EUR" / "1.234,50 EUR": the amount in minor units of an ISO 4217
// currency with its code (a non-breaking space between).
QString moneyText(qint64 minorUnits, const QString &currencyCode, const QLocale &locale = {});

// "12.5%" from basis points (1 bp = 0.01 %).
QString percentText(int basisPoints, const QLocale &locale = {});

// Short local date and time; empty for an invalid time.
QString dateTimeText(const QDateTime &at, const QLocale &locale = {});

// Short local date; empty for an invalid time.
QString dateText(const QDateTime &at, const QLocale &locale = {});

} // namespace rd
