#include "domain/Money.h"

#include <limits>
#include <ostream>
#include <vector>

#include <QString>

#include <gtest/gtest.h>

using namespace rd;

// GoogleTest prints QStrings as text (found by argument-dependent lookup).
static void PrintTo(const QString &value, std::ostream *os)
{
    *os << '"' << value.toStdString() << '"';
}

namespace rd {
static void PrintTo(const Money &money, std::ostream *os)
{
    *os << money.toDecimalString().toStdString() << ' ' << money.currency().code().toStdString();
}
} // namespace rd

namespace {

Currency currency(const char *code)
{
    const Result<Currency> parsed = Currency::parse(QString::fromLatin1(code));
    EXPECT_TRUE(parsed.has_value()) << code;
    return *parsed;
}

Money money(qint64 minorUnits, const char *code = "EUR")
{
    return Money(minorUnits, currency(code));
}

struct ParseCase
{
    const char *text;
    const char *currency;
    qint64 minorUnits;
    const char *decimal;
};

struct InvalidCase
{
    const char *text;
    const char *currency;
    const char *messagePart;
};

struct BasisPointsCase
{
    qint64 minorUnits;
    int basisPoints;
    qint64 expected;
};

void expectInvalid(const Result<Money> &result, const QString &field, const QString &messagePart)
{
    ASSERT_FALSE(result.has_value()) << result->toDecimalString().toStdString();
    EXPECT_EQ(result.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(result.error().field(), field);
    EXPECT_TRUE(result.error().message().contains(messagePart))
        << result.error().message().toStdString();
}

} // namespace

TEST(Money, ParsesDecimalTextIntoMinorUnits)
{
    const std::vector<ParseCase> cases = {
        {"1234", "EUR", 123400, "1234.00"},
        {"1234.5", "EUR", 123450, "1234.50"},
        {"1234.56", "EUR", 123456, "1234.56"},
        {"-3.10", "EUR", -310, "-3.10"},
        {"-0.05", "EUR", -5, "-0.05"},
        {"0.05", "EUR", 5, "0.05"},
        {"0", "EUR", 0, "0.00"},
        {"-0", "EUR", 0, "0.00"},
        {"-0.00", "EUR", 0, "0.00"},
        {"007.5", "EUR", 750, "7.50"},
        {"  42.00  ", "USD", 4200, "42.00"},
        {"1234", "JPY", 1234, "1234"},
        {"-1234", "JPY", -1234, "-1234"},
        {"1.234", "KWD", 1234, "1.234"},
        {"1.2", "KWD", 1200, "1.200"},
        {"10000000000000.00", "EUR", Money::MaxMinorUnits, "10000000000000.00"},
        {"-10000000000000", "EUR", -Money::MaxMinorUnits, "-10000000000000.00"},
        {"1000000000000000", "JPY", Money::MaxMinorUnits, "1000000000000000"},
        {"1000000000000.000", "BHD", Money::MaxMinorUnits, "1000000000000.000"},
    };
    for (const ParseCase &c : cases) {
        SCOPED_TRACE(std::string(c.text) + " " + c.currency);
        const Result<Money> parsed
            = Money::parse(QString::fromLatin1(c.text), currency(c.currency));
        ASSERT_TRUE(parsed.has_value()) << parsed.error().message().toStdString();
        EXPECT_EQ(parsed->minorUnits(), c.minorUnits);
        EXPECT_EQ(parsed->currency(), currency(c.currency));
        EXPECT_EQ(parsed->toDecimalString(), QString::fromLatin1(c.decimal));
    }
}

TEST(Money, RefusesWhatIsNotAPlainDecimalAmount)
{
    const std::vector<InvalidCase> cases = {
        {"", "EUR", "Enter an amount"},
        {"   ", "EUR", "Enter an amount"},
        {"abc", "EUR", "“abc” is not an amount"},
        {"12a", "EUR", "is not an amount"},
        {"1e3", "EUR", "is not an amount"},
        {"1,50", "EUR", "is not an amount"},
        {"1,234.50", "EUR", "is not an amount"},
        {"1 234", "EUR", "is not an amount"},
        {"+5", "EUR", "is not an amount"},
        {"--5", "EUR", "is not an amount"},
        {"-", "EUR", "is not an amount"},
        {".5", "EUR", "is not an amount"},
        {"5.", "EUR", "is not an amount"},
        {"1.2.3", "EUR", "is not an amount"},
        {"€5", "EUR", "is not an amount"},
        {"٣", "EUR", "is not an amount"}, // Arabic-Indic digit: not ASCII
        {"1.234", "EUR", "EUR amounts have at most 2 decimal places"},
        {"0.001", "USD", "USD amounts have at most 2 decimal places"},
        {"1.5", "JPY", "JPY amounts have no decimal places"},
        {"1.0", "JPY", "JPY amounts have no decimal places"},
        {"1.2345", "KWD", "KWD amounts have at most 3 decimal places"},
        {"10000000000000.01", "EUR", "is too large"},
        {"-10000000000000.01", "EUR", "is too large"},
        {"1000000000000001", "JPY", "is too large"},
        {"99999999999999999999999999", "EUR", "is too large"},
    };
    for (const InvalidCase &c : cases) {
        SCOPED_TRACE(std::string(c.text) + " " + c.currency);
        expectInvalid(Money::parse(QString::fromUtf8(c.text), currency(c.currency)),
            QStringLiteral("amount"), QString::fromUtf8(c.messagePart));
    }
}

TEST(Money, FormatsMinorUnitsAsDecimalText)
{
    EXPECT_EQ(money(123450).toDecimalString(), QStringLiteral("1234.50"));
    EXPECT_EQ(money(-5).toDecimalString(), QStringLiteral("-0.05"));
    EXPECT_EQ(money(-100).toDecimalString(), QStringLiteral("-1.00"));
    EXPECT_EQ(money(7).toDecimalString(), QStringLiteral("0.07"));
    EXPECT_EQ(money(1234, "JPY").toDecimalString(), QStringLiteral("1234"));
    EXPECT_EQ(money(-1, "KWD").toDecimalString(), QStringLiteral("-0.001"));
    EXPECT_EQ(money(0).toDecimalString(), QStringLiteral("0.00"));
}

TEST(Money, DecimalTextRoundTrips)
{
    for (const qint64 minorUnits : {qint64(0), qint64(1), qint64(-1), qint64(99), qint64(-100),
             qint64(123456789), Money::MaxMinorUnits, -Money::MaxMinorUnits}) {
        for (const char *code : {"EUR", "JPY", "KWD"}) {
            SCOPED_TRACE(std::to_string(minorUnits) + " " + code);
            const Money original = money(minorUnits, code);
            const Result<Money> parsed
                = Money::parse(original.toDecimalString(), original.currency());
            ASSERT_TRUE(parsed.has_value());
            EXPECT_EQ(*parsed, original);
        }
    }
}

TEST(Money, SignPredicates)
{
    EXPECT_TRUE(money(-1).isNegative());
    EXPECT_FALSE(money(-1).isZero());
    EXPECT_FALSE(money(0).isNegative());
    EXPECT_TRUE(money(0).isZero());
    EXPECT_FALSE(money(1).isNegative());
    EXPECT_FALSE(money(1).isZero());
}

TEST(Money, EqualityNeedsTheSameCurrency)
{
    EXPECT_EQ(money(100), money(100));
    EXPECT_NE(money(100), money(101));
    EXPECT_NE(money(100, "EUR"), money(100, "USD"));
}

TEST(Money, FromMinorUnitsChecksTheRange)
{
    ASSERT_TRUE(Money::fromMinorUnits(Money::MaxMinorUnits, currency("EUR")).has_value());
    ASSERT_TRUE(Money::fromMinorUnits(-Money::MaxMinorUnits, currency("EUR")).has_value());
    expectInvalid(Money::fromMinorUnits(Money::MaxMinorUnits + 1, currency("EUR")),
        QStringLiteral("amount"), QStringLiteral("too large"));
    expectInvalid(Money::fromMinorUnits(std::numeric_limits<qint64>::min(), currency("EUR")),
        QStringLiteral("amount"), QStringLiteral("too large"));
}

TEST(Money, AddsAndSubtractsInOneCurrency)
{
    const Result<Money> sum = money(1050).plus(money(-75));
    ASSERT_TRUE(sum.has_value());
    EXPECT_EQ(*sum, money(975));

    const Result<Money> difference = money(1050).minus(money(2000));
    ASSERT_TRUE(difference.has_value());
    EXPECT_EQ(*difference, money(-950));

    const Result<Money> atLimit = money(Money::MaxMinorUnits - 1).plus(money(1));
    ASSERT_TRUE(atLimit.has_value());
    EXPECT_EQ(atLimit->minorUnits(), Money::MaxMinorUnits);
}

TEST(Money, RefusesArithmeticAcrossCurrencies)
{
    expectInvalid(money(100, "EUR").plus(money(100, "USD")), QStringLiteral("currency"),
        QStringLiteral("Cannot add an amount in USD to one in EUR"));
    expectInvalid(money(100, "EUR").minus(money(100, "USD")), QStringLiteral("currency"),
        QStringLiteral("Cannot subtract an amount in USD from one in EUR"));
}

TEST(Money, RefusesResultsBeyondTheLimit)
{
    expectInvalid(money(Money::MaxMinorUnits).plus(money(1)), QStringLiteral("amount"),
        QStringLiteral("too large"));
    expectInvalid(money(-Money::MaxMinorUnits).minus(money(1)), QStringLiteral("amount"),
        QStringLiteral("too large"));
    expectInvalid(money(Money::MaxMinorUnits).times(2), QStringLiteral("amount"),
        QStringLiteral("too large"));
    expectInvalid(money(-2).times(Money::MaxMinorUnits), QStringLiteral("amount"),
        QStringLiteral("too large"));
    // The 64-bit product itself overflows here.
    expectInvalid(money(3).times(std::numeric_limits<qint64>::max() / 2), QStringLiteral("amount"),
        QStringLiteral("too large"));
}

TEST(Money, MultipliesByAQuantity)
{
    const std::vector<std::pair<qint64, qint64>> cases
        = {{0, 0}, {1, 1999}, {3, 5997}, {-2, -3998}};
    for (const auto &[quantity, expected] : cases) {
        SCOPED_TRACE(quantity);
        const Result<Money> product = money(1999).times(quantity);
        ASSERT_TRUE(product.has_value());
        EXPECT_EQ(*product, money(expected));
    }
    const Result<Money> atLimit = money(Money::MaxMinorUnits / 4).times(4);
    ASSERT_TRUE(atLimit.has_value());
    EXPECT_EQ(atLimit->minorUnits(), Money::MaxMinorUnits);
}

TEST(Money, BasisPointsRoundHalfAwayFromZero)
{
    const std::vector<BasisPointsCase> cases = {
        {10000, 1500, 1500},   // 15 % of 100.00 = 15.00
        {10000, 10000, 10000}, // 100 %
        {10000, 0, 0},
        {12345, 1000, 1235},   // 1234.5 → 1235
        {-12345, 1000, -1235}, // −1234.5 → −1235
        {12344, 1000, 1234},   // 1234.4 → 1234
        {-12344, 1000, -1234},
        {12346, 1000, 1235}, // 1234.6 → 1235
        {-12346, 1000, -1235},
        {1, 5000, 1},   // 0.5 → 1
        {-1, 5000, -1}, // −0.5 → −1
        {1, 4999, 0},   // 0.4999 → 0
        {-1, 4999, 0},
        {3, 5000, 2}, // 1.5 → 2
        {-3, 5000, -2},
        {12345, -1000, -1235}, // negative rate
        {-12345, -1000, 1235},
        {199, 1, 0},  // 0.0199 → 0
        {5000, 1, 1}, // 0.5 → 1
        {-5000, 1, -1},
        {15000, 1, 2}, // 1.5 → 2
        {Money::MaxMinorUnits, 10000, Money::MaxMinorUnits},
        {Money::MaxMinorUnits, 9999, 999'900'000'000'000},
        {-Money::MaxMinorUnits, 1, -100'000'000'000},
        {Money::MaxMinorUnits - 1, 5000, 500'000'000'000'000}, // 499…999.5 → 500…000
        {-(Money::MaxMinorUnits - 1), 5000, -500'000'000'000'000},
    };
    for (const BasisPointsCase &c : cases) {
        SCOPED_TRACE(std::to_string(c.minorUnits) + " × " + std::to_string(c.basisPoints) + " bp");
        const Money result = money(c.minorUnits).basisPoints(c.basisPoints);
        EXPECT_EQ(result.minorUnits(), c.expected);
        EXPECT_EQ(result.currency(), currency("EUR"));
    }
}

TEST(Money, BasisPointsKeepTheCurrency)
{
    EXPECT_EQ(money(1000, "JPY").basisPoints(1250), money(125, "JPY"));
}
