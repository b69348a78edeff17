#pragma once

#include <QCoreApplication>
#include <QString>

#include "domain/Currency.h"
#include "domain/Error.h"

namespace rd {

// An amount of money as an integer number of minor units (cents) in one
// currency: never floating point. Amounts are limited to ±MaxMinorUnits, far
// beyond any price or commission and exact in every database and in a double.
class Money final
{
    Q_DECLARE_TR_FUNCTIONS(Money)

public:
    static constexpr qint64 MaxMinorUnits = 1'000'000'000'000'000; // 10^15
    // basisPoints() takes rates up to ±10,000 bp (±100 %), so its result is
    // never larger than the amount it is taken of.
    static constexpr int MaxBasisPoints = 10'000;

    // For values that are known to be in range (|minorUnits| <= MaxMinorUnits),
    // e.g. constants; use fromMinorUnits() for anything read from outside.
    Money(qint64 minorUnits, Currency currency);

    // Checks the range, e.g. for amounts read back from the database.
    static Result<Money> fromMinorUnits(qint64 minorUnits, const Currency &currency);

    // "1234", "1234.5", "-3.10": ASCII digits, an optional leading '-', and '.'
    // as the decimal separator with at most currency.minorDigits() digits
    // after it. No thousands separators, no exponent.
    static Result<Money> parse(const QString &decimalText, const Currency &currency);

    qint64 minorUnits() const noexcept { return m_minorUnits; }
    const Currency &currency() const noexcept { return m_currency; }

    // "1234.50", "-0.05", "1234" (JPY): parse() reads it back. Not for
    // display, which is the UI's job (QLocale::toCurrencyString).
    QString toDecimalString() const;

    bool isNegative() const noexcept { return m_minorUnits < 0; }
    bool isZero() const noexcept { return m_minorUnits == 0; }

    // Errors for different currencies and for results beyond MaxMinorUnits.
    Result<Money> plus(const Money &other) const;
    Result<Money> minus(const Money &other) const;
    Result<Money> times(qint64 quantity) const;

    // This amount × bp / 10000, rounded half away from zero: a commission of
    // bp basis points (1 bp = 0.01 %). Requires |bp| <= MaxBasisPoints.
    Money basisPoints(int bp) const;

    // Equal amounts in the same currency.
    friend bool operator==(const Money &a, const Money &b)
    {
        return a.m_minorUnits == b.m_minorUnits && a.m_currency == b.m_currency;
    }

private:
    qint64 m_minorUnits;
    Currency m_currency;
};

} // namespace rd
