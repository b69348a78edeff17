#include "domain/Money.h"

#include <algorithm>
#include <cstdlib>

#include <QtNumeric>

namespace rd {

namespace {

const QString AmountField = QStringLiteral("amount");
const QString CurrencyField = QStringLiteral("currency");

bool isAsciiDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

qint64 powerOfTen(int exponent)
{
    qint64 result = 1;
    for (int i = 0; i < exponent; ++i)
        result *= 10;
    return result;
}

bool inRange(qint64 minorUnits)
{
    return minorUnits >= -Money::MaxMinorUnits && minorUnits <= Money::MaxMinorUnits;
}

} // namespace

Money::Money(qint64 minorUnits, Currency currency)
    : m_minorUnits(minorUnits)
    , m_currency(std::move(currency))
{
    Q_ASSERT(inRange(minorUnits));
}

Result<Money> Money::fromMinorUnits(qint64 minorUnits, const Currency &currency)
{
    if (!inRange(minorUnits))
        return fail(ErrorCode::InvalidInput, tr("The amount is too large."), AmountField,
            QStringLiteral("%1 minor units").arg(minorUnits));
    return Money(minorUnits, currency);
}

// Locale-aware input ("1.234,56" in German) is the UI's job: QLocale knows
// the user's separators, the core does not. The UI hands over this
// locale-independent form, as do imports and the database.
Result<Money> Money::parse(const QString &decimalText, const Currency &currency)
{
    const QString text = decimalText.trimmed();
    if (text.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Enter an amount, like 1234.56."), AmountField);

    const auto notAnAmount = [&text] {
        return fail(ErrorCode::InvalidInput,
            tr("“%1” is not an amount: use digits and a '.' before the decimals, like "
               "1234.56.")
                .arg(text),
            AmountField);
    };
    const auto tooLarge = [&text] {
        return fail(
            ErrorCode::InvalidInput, tr("The amount “%1” is too large.").arg(text), AmountField);
    };

    const bool negative = text.startsWith(QLatin1Char('-'));
    const QStringView digits = QStringView(text).sliced(negative ? 1 : 0);
    const qsizetype point = digits.indexOf(QLatin1Char('.'));
    const QStringView integerPart = point < 0 ? digits : digits.first(point);
    const QStringView fractionPart = point < 0 ? QStringView() : digits.sliced(point + 1);

    if (integerPart.isEmpty() || (point >= 0 && fractionPart.isEmpty()))
        return notAnAmount();
    for (const QChar c : integerPart) {
        if (!isAsciiDigit(c))
            return notAnAmount();
    }
    for (const QChar c : fractionPart) {
        if (!isAsciiDigit(c))
            return notAnAmount();
    }

    const int minorDigits = currency.minorDigits();
    if (fractionPart.size() > minorDigits) {
        if (minorDigits == 0)
            return fail(ErrorCode::InvalidInput,
                tr("%1 amounts have no decimal places.").arg(currency.code()), AmountField);
        return fail(ErrorCode::InvalidInput,
            tr("%1 amounts have at most %n decimal places.", nullptr, minorDigits)
                .arg(currency.code()),
            AmountField);
    }

    // Accumulate all digits, then scale up to the currency's minor unit,
    // stopping as soon as the value leaves the supported range.
    qint64 value = 0;
    const auto appendDigit = [&value](int digit) {
        value = value * 10 + digit;
        return value <= MaxMinorUnits;
    };
    for (const QChar c : integerPart) {
        if (!appendDigit(c.unicode() - u'0'))
            return tooLarge();
    }
    for (const QChar c : fractionPart) {
        if (!appendDigit(c.unicode() - u'0'))
            return tooLarge();
    }
    for (qsizetype i = fractionPart.size(); i < minorDigits; ++i) {
        if (!appendDigit(0))
            return tooLarge();
    }
    return Money(negative ? -value : value, currency);
}

QString Money::toDecimalString() const
{
    const int minorDigits = m_currency.minorDigits();
    const QString sign = m_minorUnits < 0 ? QStringLiteral("-") : QString();
    const quint64 magnitude = static_cast<quint64>(std::llabs(m_minorUnits));
    if (minorDigits == 0)
        return sign + QString::number(magnitude);
    const auto scale = static_cast<quint64>(powerOfTen(minorDigits));
    return sign + QString::number(magnitude / scale) + QLatin1Char('.')
        + QStringLiteral("%1").arg(magnitude % scale, minorDigits, 10, QLatin1Char('0'));
}

Result<Money> Money::plus(const Money &other) const
{
    if (m_currency != other.m_currency)
        return fail(ErrorCode::InvalidInput,
            tr("Cannot add an amount in %1 to one in %2.")
                .arg(other.m_currency.code(), m_currency.code()),
            CurrencyField);
    const qint64 sum = m_minorUnits + other.m_minorUnits; // both within ±10^15: no overflow
    if (!inRange(sum))
        return fail(ErrorCode::InvalidInput, tr("The total is too large."), AmountField);
    return Money(sum, m_currency);
}

Result<Money> Money::minus(const Money &other) const
{
    if (m_currency != other.m_currency)
        return fail(ErrorCode::InvalidInput,
            tr("Cannot subtract an amount in %1 from one in %2.")
                .arg(other.m_currency.code(), m_currency.code()),
            CurrencyField);
    const qint64 difference = m_minorUnits - other.m_minorUnits;
    if (!inRange(difference))
        return fail(ErrorCode::InvalidInput, tr("The result is too large."), AmountField);
    return Money(difference, m_currency);
}

Result<Money> Money::times(qint64 quantity) const
{
    qint64 product = 0;
    if (qMulOverflow(m_minorUnits, quantity, &product) || !inRange(product))
        return fail(ErrorCode::InvalidInput, tr("The total is too large."), AmountField,
            QStringLiteral("%1 × %2").arg(toDecimalString()).arg(quantity));
    return Money(product, m_currency);
}

Money Money::basisPoints(int bp) const
{
    Q_ASSERT(bp >= -MaxBasisPoints && bp <= MaxBasisPoints);
    bp = std::clamp(bp, -MaxBasisPoints, MaxBasisPoints); // release builds: no overflow
    // this × bp / 10000 split as (q × 10000 + r) × bp / 10000 = q × bp + r × bp / 10000,
    // so no intermediate exceeds the operands. q × bp is a whole number with
    // the same sign as the fraction r × bp / 10000, so rounding the fraction
    // half away from zero rounds the whole result that way.
    constexpr qint64 Scale = 10'000;
    const qint64 quotient = m_minorUnits / Scale;
    const qint64 remainder = m_minorUnits % Scale;
    const qint64 fraction = remainder * bp;
    const qint64 rounded
        = fraction >= 0 ? (fraction + Scale / 2) / Scale : -((-fraction + Scale / 2) / Scale);
    return Money(quotient * bp + rounded, m_currency);
}

} // namespace rd
