#include "domain/Currency.h"

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
static void PrintTo(const Currency &currency, std::ostream *os)
{
    *os << currency.code().toStdString();
}
} // namespace rd

namespace {

struct MinorDigitsCase
{
    const char *code;
    int minorDigits;
};

} // namespace

TEST(Currency, KnowsTheMinorUnitOfEachSupportedCurrency)
{
    const std::vector<MinorDigitsCase> cases = {
        {"EUR", 2},
        {"USD", 2},
        {"GBP", 2},
        {"CHF", 2},
        {"SEK", 2},
        {"NOK", 2},
        {"DKK", 2},
        {"PLN", 2},
        {"CZK", 2},
        {"CAD", 2},
        {"AUD", 2},
        {"NZD", 2},
        {"JPY", 0},
        {"KRW", 0},
        {"KWD", 3},
        {"BHD", 3},
        {"INR", 2},
        {"BRL", 2},
        {"ZAR", 2},
        {"MXN", 2},
        {"SGD", 2},
        {"HKD", 2},
        {"CNY", 2},
        {"ISK", 0},
        {"CLP", 0},
        {"OMR", 3},
        {"JOD", 3},
        {"TND", 3},
    };
    for (const MinorDigitsCase &c : cases) {
        SCOPED_TRACE(c.code);
        const Result<Currency> currency = Currency::parse(QString::fromLatin1(c.code));
        ASSERT_TRUE(currency.has_value()) << currency.error().message().toStdString();
        EXPECT_EQ(currency->code(), QString::fromLatin1(c.code));
        EXPECT_EQ(currency->minorDigits(), c.minorDigits);
    }
}

TEST(Currency, TrimsAndUpperCasesTheCode)
{
    for (const QString &input :
        {QStringLiteral("eur"), QStringLiteral(" Eur "), QStringLiteral("\tEUR\n")}) {
        SCOPED_TRACE(input.toStdString());
        const Result<Currency> currency = Currency::parse(input);
        ASSERT_TRUE(currency.has_value());
        EXPECT_EQ(currency->code(), QStringLiteral("EUR"));
    }
}

TEST(Currency, RefusesInvalidAndUnknownCodes)
{
    const std::vector<std::pair<QString, QString>> cases = {
        {QString(), QStringLiteral("Choose a currency")},
        {QStringLiteral("  "), QStringLiteral("Choose a currency")},
        {QStringLiteral("EU"), QStringLiteral("“EU” is not a currency code")},
        {QStringLiteral("EURO"), QStringLiteral("“EURO” is not a currency code")},
        {QStringLiteral("E1R"), QStringLiteral("is not a currency code")},
        {QStringLiteral("E R"), QStringLiteral("is not a currency code")},
        {QStringLiteral("€"), QStringLiteral("is not a currency code")},
        {QString::fromUtf8("ÉUR"), QStringLiteral("is not a currency code")},
        {QStringLiteral("XYZ"), QStringLiteral("The currency “XYZ” is not supported")},
        {QStringLiteral("abc"), QStringLiteral("The currency “ABC” is not supported")},
    };
    for (const auto &[input, messagePart] : cases) {
        SCOPED_TRACE(input.toStdString());
        const Result<Currency> currency = Currency::parse(input);
        ASSERT_FALSE(currency.has_value());
        EXPECT_EQ(currency.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(currency.error().field(), QStringLiteral("currency"));
        EXPECT_TRUE(currency.error().message().contains(messagePart))
            << currency.error().message().toStdString();
    }
}

TEST(Currency, ListsEverySupportedCodeOnceInOrder)
{
    const QStringList codes = Currency::supportedCodes();
    ASSERT_FALSE(codes.isEmpty());
    EXPECT_TRUE(codes.contains(QStringLiteral("EUR")));
    EXPECT_TRUE(codes.contains(QStringLiteral("JPY")));
    for (qsizetype i = 1; i < codes.size(); ++i)
        EXPECT_LT(codes[i - 1], codes[i]);
    for (const QString &code : codes) {
        SCOPED_TRACE(code.toStdString());
        EXPECT_EQ(code.size(), 3);
        const Result<Currency> currency = Currency::parse(code);
        ASSERT_TRUE(currency.has_value());
        EXPECT_EQ(currency->code(), code);
    }
}

TEST(Currency, EqualityComparesTheCode)
{
    const Result<Currency> a = Currency::parse(QStringLiteral("eur"));
    const Result<Currency> b = Currency::parse(QStringLiteral("EUR"));
    const Result<Currency> c = Currency::parse(QStringLiteral("USD"));
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(*a, *b);
    EXPECT_NE(*a, *c);
}
