#include "domain/EmailAddress.h"

#include <algorithm>
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

namespace {

QString u8(const char *text)
{
    return QString::fromUtf8(text);
}

QString repeated(const char *unit, qsizetype count)
{
    return u8(unit).repeated(count);
}

// A valid ASCII domain of exactly length characters, ending in ".com".
QString domainOfLength(qsizetype length)
{
    QString domain = QStringLiteral("com");
    while (domain.size() < length) {
        const qsizetype remaining = length - domain.size();
        qsizetype label = std::min<qsizetype>(TextLimits::DomainLabel, remaining - 1);
        if (remaining - 1 - label == 1) // never leave a gap of one character
            --label;
        domain.prepend(QString(label, QLatin1Char('d')) + QLatin1Char('.'));
    }
    return domain;
}

// Valid labels, each followed by a dot, exactly length characters in all.
QString labelsOfLength(qsizetype length)
{
    return domainOfLength(length + 3).chopped(3);
}

} // namespace

namespace rd {
static void PrintTo(const EmailAddress &email, std::ostream *os)
{
    *os << email.typed().toStdString() << " (key " << email.key().toStdString() << ')';
}
} // namespace rd

namespace {

struct ValidCase
{
    const char *input;
    const char *typed;
    const char *localPart;
    const char *domain;
    const char *asciiDomain;
    const char *key;
};

struct InvalidCase
{
    const char *input;
    const char *messagePart;
};

struct KeyCase
{
    const char *a;
    const char *b;
    bool sameKey;
};

} // namespace

TEST(EmailAddress, ParsesValidAddresses)
{
    const std::vector<ValidCase> cases = {
        {"joe@example.com", "joe@example.com", "joe", "example.com", "example.com",
            "joe@example.com"},
        {"  Joe@Example.COM \t", "Joe@Example.COM", "Joe", "Example.COM", "example.com",
            "joe@example.com"},
        {"first.last@sub.example.co.uk", "first.last@sub.example.co.uk", "first.last",
            "sub.example.co.uk", "sub.example.co.uk", "first.last@sub.example.co.uk"},
        {"joe+consumer@x.com", "joe+consumer@x.com", "joe+consumer", "x.com", "x.com",
            "joe+consumer@x.com"},
        {"a!#$%&'*+/=?^_`{|}~-z@example.com", "a!#$%&'*+/=?^_`{|}~-z@example.com",
            "a!#$%&'*+/=?^_`{|}~-z", "example.com", "example.com",
            "a!#$%&'*+/=?^_`{|}~-z@example.com"},
        {"user@sub-domain.example.com", "user@sub-domain.example.com", "user",
            "sub-domain.example.com", "sub-domain.example.com", "user@sub-domain.example.com"},
        {"user@123.example.com", "user@123.example.com", "user", "123.example.com",
            "123.example.com", "user@123.example.com"},
        // Internationalised domains are checked and keyed in punycode.
        {"jürgen@bücher.de", "jürgen@bücher.de", "jürgen", "bücher.de", "xn--bcher-kva.de",
            "jürgen@xn--bcher-kva.de"},
        {"JÜRGEN@BÜCHER.DE", "JÜRGEN@BÜCHER.DE", "JÜRGEN", "BÜCHER.DE", "xn--bcher-kva.de",
            "jürgen@xn--bcher-kva.de"},
        {"user@例え.jp", "user@例え.jp", "user", "例え.jp", "xn--r8jz45g.jp",
            "user@xn--r8jz45g.jp"},
        {"用户@例子.广告", "用户@例子.广告", "用户", "例子.广告", "xn--fsqu00a.xn--4rr70v",
            "用户@xn--fsqu00a.xn--4rr70v"},
        {"ΔΟΚΙΜΉ@παράδειγμα.δοκιμή", "ΔΟΚΙΜΉ@παράδειγμα.δοκιμή", "ΔΟΚΙΜΉ", "παράδειγμα.δοκιμή",
            "xn--hxajbheg2az3al.xn--jxalpdlp", "δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp"},
        {"jürgen@xn--bcher-kva.de", "jürgen@xn--bcher-kva.de", "jürgen", "xn--bcher-kva.de",
            "xn--bcher-kva.de", "jürgen@xn--bcher-kva.de"},
        // A decomposed "é" (e + combining acute) keys like the composed one.
        {"e\xcc\x81@x.com", "e\xcc\x81@x.com", "e\xcc\x81", "x.com", "x.com", "é@x.com"},
    };
    for (const ValidCase &c : cases) {
        SCOPED_TRACE(c.input);
        const Result<EmailAddress> email = EmailAddress::parse(u8(c.input));
        ASSERT_TRUE(email.has_value()) << email.error().message().toStdString();
        EXPECT_EQ(email->typed(), u8(c.typed));
        EXPECT_EQ(email->localPart(), u8(c.localPart));
        EXPECT_EQ(email->domain(), u8(c.domain));
        EXPECT_EQ(email->asciiDomain(), u8(c.asciiDomain));
        EXPECT_EQ(email->key(), u8(c.key));
    }
}

TEST(EmailAddress, RefusesInvalidAddressesWithASpecificMessage)
{
    const std::vector<InvalidCase> cases = {
        {"", "Enter an email address"},
        {"   ", "Enter an email address"},
        {"joe", "needs an @ followed by a domain"},
        {"joe.example.com", "needs an @ followed by a domain"},
        {"joe@", "needs an @ followed by a domain"},
        {"@example.com", "needs a name before the @"},
        {"joe@@example.com", "only one @"},
        {"a@b@example.com", "only one @"},
        {"jo e@example.com", "cannot contain spaces"},
        {"joe@exa mple.com", "cannot contain spaces"},
        {"joe@example.com\u00a0x", "cannot contain spaces"},
        {"Joe <joe@example.com>", "cannot contain spaces"},
        {"\"joe\"@example.com", "The part before the @ cannot contain “\"”"},
        {"joe(work)@example.com", "The part before the @ cannot contain “(”"},
        {"jo,e@example.com", "The part before the @ cannot contain “,”"},
        {"jo\\e@example.com", "The part before the @ cannot contain “\\”"},
        {"joe😀@example.com", "The part before the @ cannot contain “😀”"},
        {".joe@x.com", "cannot start or end with a dot"},
        {"joe.@x.com", "cannot start or end with a dot"},
        {"j..oe@x.com", "two dots in a row"},
        {"joe@localhost", "“localhost” is not a valid domain: it needs at least one dot"},
        {"joe@example", "it needs at least one dot"},
        {"joe@-example.com", "cannot start or end with a hyphen"},
        {"joe@example-.com", "cannot start or end with a hyphen"},
        {"joe@exa_mple.com", "“exa_mple.com” is not a valid domain: it cannot contain “_”"},
        {"joe@exa+mple.com", "it cannot contain “+”"},
        {"joe@example..com", "two dots in a row"},
        {"joe@.example.com", "two dots in a row"},
        {"joe@example.com.", "two dots in a row"},
        {"joe@1.2.3.4", "is an IP address"},
        {"joe@[192.168.0.1]", "is an IP address"},
        {"joe@[IPv6:2001:db8::1]", "is an IP address"},
        {"joe@example.123", "the last part cannot be digits only"},
    };
    for (const InvalidCase &c : cases) {
        SCOPED_TRACE(c.input);
        const Result<EmailAddress> email = EmailAddress::parse(u8(c.input));
        ASSERT_FALSE(email.has_value()) << email->key().toStdString();
        EXPECT_EQ(email.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(email.error().field(), QStringLiteral("email"));
        EXPECT_TRUE(email.error().message().contains(u8(c.messagePart)))
            << email.error().message().toStdString();
    }
}

TEST(EmailAddress, LocalPartIsAtMost64Utf8Bytes)
{
    const QString domain = QStringLiteral("@example.com");

    EXPECT_TRUE(EmailAddress::parse(QString(64, QLatin1Char('a')) + domain).has_value());
    // 32 × "ü" is 64 UTF-8 bytes; one more ASCII letter makes 65.
    EXPECT_TRUE(EmailAddress::parse(repeated("ü", 32) + domain).has_value());

    for (const QString &local : {QString(65, QLatin1Char('a')),
             QString(repeated("ü", 32) + QLatin1Char('a')), repeated("例", 22)}) {
        SCOPED_TRACE(local.toStdString());
        const Result<EmailAddress> email = EmailAddress::parse(local + domain);
        ASSERT_FALSE(email.has_value());
        EXPECT_EQ(email.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(email.error().field(), QStringLiteral("email"));
        EXPECT_TRUE(email.error().message().contains(
            QStringLiteral("The part before the @ may be at most 64 characters")))
            << email.error().message().toStdString();
    }
}

TEST(EmailAddress, WholeAddressIsAtMost254Bytes)
{
    const QString local(TextLimits::EmailLocalPart, QLatin1Char('a'));
    const QString fits = local + QLatin1Char('@') + domainOfLength(254 - 65);
    ASSERT_EQ(fits.size(), TextLimits::Email);
    EXPECT_TRUE(EmailAddress::parse(fits).has_value());

    const QString tooLong = local + QLatin1Char('@') + domainOfLength(255 - 65);
    ASSERT_EQ(tooLong.size(), TextLimits::Email + 1);
    const Result<EmailAddress> email = EmailAddress::parse(tooLong);
    ASSERT_FALSE(email.has_value());
    EXPECT_EQ(email.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(email.error().field(), QStringLiteral("email"));
    EXPECT_TRUE(email.error().message().contains(QStringLiteral("at most 254 characters")))
        << email.error().message().toStdString();
}

TEST(EmailAddress, WholeLengthIsMeasuredWithThePunycodeDomain)
{
    // "bücher.de" is 10 UTF-8 bytes but 16 in punycode ("xn--bcher-kva.de").
    const QString local(TextLimits::EmailLocalPart, QLatin1Char('a'));
    ASSERT_EQ(labelsOfLength(173).size(), 173);

    const QString fits = local + QLatin1Char('@') + labelsOfLength(173) + u8("bücher.de");
    const Result<EmailAddress> fitting = EmailAddress::parse(fits); // 64 + 1 + 173 + 16 = 254
    ASSERT_TRUE(fitting.has_value()) << fitting.error().message().toStdString();
    EXPECT_EQ(fitting->key().size(), TextLimits::Email);

    const QString tooLong = local + QLatin1Char('@') + labelsOfLength(174) + u8("bücher.de");
    ASSERT_LE(tooLong.toUtf8().size(), TextLimits::Email); // 249 bytes as typed
    const Result<EmailAddress> email = EmailAddress::parse(tooLong);
    ASSERT_FALSE(email.has_value());
    EXPECT_EQ(email.error().field(), QStringLiteral("email"));
    EXPECT_TRUE(email.error().message().contains(QStringLiteral("at most 254 characters")))
        << email.error().message().toStdString();
}

TEST(EmailAddress, DomainLabelsAreAtMost63Characters)
{
    const QString label63(TextLimits::DomainLabel, QLatin1Char('x'));
    EXPECT_TRUE(
        EmailAddress::parse(QStringLiteral("joe@") + label63 + QStringLiteral(".com")).has_value());

    const Result<EmailAddress> email
        = EmailAddress::parse(QStringLiteral("joe@") + label63 + QStringLiteral("x.com"));
    ASSERT_FALSE(email.has_value());
    EXPECT_EQ(email.error().field(), QStringLiteral("email"));
    EXPECT_TRUE(email.error().message().contains(QStringLiteral("at most 63 characters")))
        << email.error().message().toStdString();
}

TEST(EmailAddress, KeysFollowRuleOne)
{
    const std::vector<KeyCase> cases = {
        {"Joe@Example.COM ", "joe@example.com", true},
        {"  JOE@EXAMPLE.COM", "joe@example.com", true},
        {"JÜRGEN@bücher.de", "jürgen@BÜCHER.de", true},
        {"jürgen@xn--bcher-kva.de", "jürgen@bücher.de", true},
        {"ΣΑΣ@example.gr", "σας@example.gr", true}, // final sigma folds to σ
        {"e\xcc\x81@x.com", "É@x.com", true},
        {"joe+consumer@x.com", "joe@x.com", false},
        {"joe+a@x.com", "joe+b@x.com", false},
        {"j.oe@x.com", "joe@x.com", false},
        {"joe@x.com", "joe@x.org", false},
        {"joe@mail.x.com", "joe@x.com", false},
        {"jürgen@bücher.de", "jurgen@bucher.de", false},
    };
    for (const KeyCase &c : cases) {
        SCOPED_TRACE(std::string(c.a) + " vs " + c.b);
        const Result<EmailAddress> a = EmailAddress::parse(u8(c.a));
        const Result<EmailAddress> b = EmailAddress::parse(u8(c.b));
        ASSERT_TRUE(a.has_value());
        ASSERT_TRUE(b.has_value());
        EXPECT_EQ(a->key() == b->key(), c.sameKey)
            << a->key().toStdString() << " / " << b->key().toStdString();
        EXPECT_EQ(*a == *b, c.sameKey);
        EXPECT_EQ(*a != *b, !c.sameKey);
    }
}

TEST(EmailAddress, KeepsTheAddressAsTyped)
{
    const Result<EmailAddress> email
        = EmailAddress::parse(QStringLiteral(" Joe.Smith@Example.COM "));
    ASSERT_TRUE(email.has_value());
    EXPECT_EQ(email->typed(), QStringLiteral("Joe.Smith@Example.COM"));
    EXPECT_EQ(email->key(), QStringLiteral("joe.smith@example.com"));
}

TEST(EmailAddress, SuggestsAPlusAlias)
{
    const Result<EmailAddress> taken = EmailAddress::parse(QStringLiteral("Joe@Example.com"));
    ASSERT_TRUE(taken.has_value());

    const QString suggestion = EmailAddress::suggestAlias(*taken, QStringLiteral("acme"));
    EXPECT_EQ(suggestion, QStringLiteral("Joe+acme@Example.com"));

    const Result<EmailAddress> alias = EmailAddress::parse(suggestion);
    ASSERT_TRUE(alias.has_value());
    EXPECT_NE(alias->key(), taken->key());
    EXPECT_EQ(alias->key(), QStringLiteral("joe+acme@example.com"));
}

TEST(EmailAddress, IsACopyableValue)
{
    const Result<EmailAddress> parsed = EmailAddress::parse(QStringLiteral("joe@example.com"));
    ASSERT_TRUE(parsed.has_value());
    EmailAddress copy = *parsed;
    EXPECT_EQ(copy, *parsed);
    const Result<EmailAddress> other = EmailAddress::parse(QStringLiteral("ann@example.com"));
    ASSERT_TRUE(other.has_value());
    copy = *other;
    EXPECT_EQ(copy.typed(), QStringLiteral("ann@example.com"));
}
