#include "domain/PhoneNumber.h"

#include <ostream>
#include <vector>

#include <QString>

#include <gtest/gtest.h>

#include "domain/TextLimits.h"

using namespace rd;

// GoogleTest prints QStrings as text (found by argument-dependent lookup).
static void PrintTo(const QString &value, std::ostream *os)
{
    *os << '"' << value.toStdString() << '"';
}

namespace rd {
static void PrintTo(const PhoneNumber &phone, std::ostream *os)
{
    *os << phone.e164().toStdString();
}
} // namespace rd

namespace {

QString u8(const char *text)
{
    return QString::fromUtf8(text);
}

struct ValidCase
{
    const char *input;
    const char *region;
    const char *e164;
    const char *international;
};

struct InvalidCase
{
    const char *input;
    const char *region;
    const char *messagePart;
};

} // namespace

TEST(PhoneNumber, NormalisesToE164)
{
    const std::vector<ValidCase> cases = {
        {"+49 30 1234567", "US", "+49301234567", "+49 30 1234567"},
        {"(202) 555-0143", "US", "+12025550143", "+1 202-555-0143"},
        {"202.555.0143", "US", "+12025550143", "+1 202-555-0143"},
        {"030 1234567", "DE", "+49301234567", "+49 30 1234567"},
        {"030 1234567", "de", "+49301234567", "+49 30 1234567"},
        {"0049 30 1234567", "DE", "+49301234567", "+49 30 1234567"},
        {"+44 20 7946 0958", "DE", "+442079460958", "+44 20 7946 0958"},
        {"  +33 1 23 45 67 89  ", "FR", "+33123456789", "+33 1 23 45 67 89"},
        {"+1 202 555 0143", "", "+12025550143", "+1 202-555-0143"},
        {"+1 800 FLOWERS", "US", "+18003569377", "+1 800-356-9377"},
        {"＋４９ ３０ １２３４５６７", "US", "+49301234567", "+49 30 1234567"}, // full-width
    };
    for (const ValidCase &c : cases) {
        SCOPED_TRACE(std::string(c.input) + " [" + c.region + "]");
        const Result<PhoneNumber> phone = PhoneNumber::parse(u8(c.input), u8(c.region));
        ASSERT_TRUE(phone.has_value()) << phone.error().message().toStdString();
        EXPECT_EQ(phone->e164(), u8(c.e164));
        EXPECT_EQ(phone->international(), u8(c.international));
    }
}

TEST(PhoneNumber, DefaultRegionIsUS)
{
    const Result<PhoneNumber> phone = PhoneNumber::parse(QStringLiteral("(202) 555-0143"));
    ASSERT_TRUE(phone.has_value());
    EXPECT_EQ(phone->e164(), QStringLiteral("+12025550143"));
}

TEST(PhoneNumber, RefusesInvalidNumbersWithASpecificMessage)
{
    const std::vector<InvalidCase> cases = {
        {"", "US", "Enter a phone number"},
        {"   ", "US", "Enter a phone number"},
        {"garbage", "US", "“garbage” is not a phone number"},
        {"+", "US", "is not a phone number"},
        {"12", "US", "“12” is too short to be a phone number"},
        {"+12345", "US", "is too short to be a phone number"},
        {"+49 1", "US", "is too short to be a phone number"},
        {"+1 202 555 01432", "US", "is too long to be a phone number"},
        {"+4930123456789012345678", "US", "is too long to be a phone number"},
        {"2025550143", "", "Enter the number with its country code"},
        {"030 1234567", "", "Enter the number with its country code"},
        {"030 1234567", "XX", "Enter the number with its country code"},
        {"+999 1234567", "US", "does not start with a known country code"},
        {"555-0143", "US", "needs its area code"},
        {"+1 999 555 0143", "US", "is not a valid phone number"},
        {"+1 (202) 555-0143 ext. 12", "US", "without an extension (“12”)"},
    };
    for (const InvalidCase &c : cases) {
        SCOPED_TRACE(std::string(c.input) + " [" + c.region + "]");
        const Result<PhoneNumber> phone = PhoneNumber::parse(u8(c.input), u8(c.region));
        ASSERT_FALSE(phone.has_value()) << phone->e164().toStdString();
        EXPECT_EQ(phone.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(phone.error().field(), QStringLiteral("phone"));
        EXPECT_TRUE(phone.error().message().contains(u8(c.messagePart)))
            << phone.error().message().toStdString();
    }
}

TEST(PhoneNumber, InputIsAtMost40Characters)
{
    // The same valid number padded with spaces to exactly the limit and one over.
    QString atLimit = QStringLiteral("+49 30 1234567");
    atLimit.insert(3, QString(TextLimits::PhoneInput - atLimit.size(), QLatin1Char(' ')));
    ASSERT_EQ(atLimit.size(), TextLimits::PhoneInput);
    const Result<PhoneNumber> fits = PhoneNumber::parse(atLimit);
    ASSERT_TRUE(fits.has_value()) << fits.error().message().toStdString();
    EXPECT_EQ(fits->e164(), QStringLiteral("+49301234567"));

    QString overLimit = atLimit;
    overLimit.insert(3, QLatin1Char(' '));
    const Result<PhoneNumber> phone = PhoneNumber::parse(overLimit);
    ASSERT_FALSE(phone.has_value());
    EXPECT_EQ(phone.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(phone.error().field(), QStringLiteral("phone"));
    EXPECT_TRUE(phone.error().message().contains(QStringLiteral("at most 40 characters")))
        << phone.error().message().toStdString();
}

TEST(PhoneNumber, EqualityComparesE164)
{
    const Result<PhoneNumber> a
        = PhoneNumber::parse(QStringLiteral("(202) 555-0143"), QStringLiteral("US"));
    const Result<PhoneNumber> b
        = PhoneNumber::parse(QStringLiteral("+1 202 555 0143"), QStringLiteral("DE"));
    const Result<PhoneNumber> c
        = PhoneNumber::parse(QStringLiteral("+1 202 555 0144"), QStringLiteral("US"));
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(*a, *b);
    EXPECT_NE(*a, *c);
}
