#include "domain/DomainName.h"

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
static void PrintTo(const DomainName &domain, std::ostream *os)
{
    *os << domain.ascii().toStdString();
}
} // namespace rd

namespace {

QString u8(const char *text)
{
    return QString::fromUtf8(text);
}

// Labels of 63, 63, 63 and the rest, exactly length characters in all.
QString domainOfLength(qsizetype length)
{
    const QString label(TextLimits::DomainLabel, QLatin1Char('a'));
    QString domain = label + QLatin1Char('.') + label + QLatin1Char('.') + label + QLatin1Char('.');
    domain += QString(length - domain.size(), QLatin1Char('b'));
    return domain;
}

struct NormalisationCase
{
    const char *input;
    const char *ascii;
    const char *display;
};

struct InvalidCase
{
    const char *input;
    const char *messagePart;
};

void expectInvalid(const Result<DomainName> &domain, const QString &messagePart)
{
    ASSERT_FALSE(domain.has_value()) << domain->ascii().toStdString();
    EXPECT_EQ(domain.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(domain.error().field(), QStringLiteral("domain"));
    EXPECT_TRUE(domain.error().message().contains(messagePart))
        << domain.error().message().toStdString();
}

} // namespace

TEST(DomainName, NormalisesWebsitesToTheBareDomain)
{
    const std::vector<NormalisationCase> cases = {
        {"example.com", "example.com", "example.com"},
        {"https://www.Example.com/x", "example.com", "example.com"},
        {"  EXAMPLE.COM  ", "example.com", "example.com"},
        {"Example.COM.", "example.com", "example.com"},
        {"www.example.com", "example.com", "example.com"},
        {"WWW.Example.com", "example.com", "example.com"},
        {"http://user:secret@www.example.com:8080/path/page?q=1#top", "example.com", "example.com"},
        {"example.com/path", "example.com", "example.com"},
        {"example.com:443", "example.com", "example.com"},
        {"example.com?query", "example.com", "example.com"},
        {"example.com#fragment", "example.com", "example.com"},
        {"example.com\\path", "example.com", "example.com"},
        {"//example.com/x", "example.com", "example.com"},
        {"ftp://files.example.org", "files.example.org", "files.example.org"},
        {"https://www.example.com.:8443/", "example.com", "example.com"},
        // "www." goes only while two labels remain, and only as a whole label.
        {"www.com", "www.com", "www.com"},
        {"https://www.com/", "www.com", "www.com"},
        {"www.example.co.uk", "example.co.uk", "example.co.uk"},
        {"wwwexample.com", "wwwexample.com", "wwwexample.com"},
        {"www2.example.com", "www2.example.com", "www2.example.com"},
        {"shop.example.com", "shop.example.com", "shop.example.com"},
        {"www.www.example.com", "www.example.com", "www.example.com"},
        {"sub-domain.example.com", "sub-domain.example.com", "sub-domain.example.com"},
        {"123.example.com", "123.example.com", "123.example.com"},
        // Internationalised names: stored in punycode, shown in Unicode.
        {"bücher.de", "xn--bcher-kva.de", "bücher.de"},
        {"BÜCHER.DE", "xn--bcher-kva.de", "bücher.de"},
        {"https://www.Bücher.de/über-uns", "xn--bcher-kva.de", "bücher.de"},
        {"xn--bcher-kva.de", "xn--bcher-kva.de", "bücher.de"},
        {"XN--BCHER-KVA.DE", "xn--bcher-kva.de", "bücher.de"},
        {"bücher。de", "xn--bcher-kva.de", "bücher.de"},
        {"例え.jp", "xn--r8jz45g.jp", "例え.jp"},
        {"例子.广告", "xn--fsqu00a.xn--4rr70v", "例子.广告"},
        {"bücher.xyz", "xn--bcher-kva.xyz", "bücher.xyz"}, // not on Qt's IDN list
        {"ＥＸＡＭＰＬＥ.com", "example.com", "example.com"},
    };
    for (const NormalisationCase &c : cases) {
        SCOPED_TRACE(c.input);
        const Result<DomainName> domain = DomainName::parse(u8(c.input));
        ASSERT_TRUE(domain.has_value()) << domain.error().message().toStdString();
        EXPECT_EQ(domain->ascii(), u8(c.ascii));
        EXPECT_EQ(domain->display(), u8(c.display));
    }
}

TEST(DomainName, RefusesInvalidDomainsWithASpecificMessage)
{
    const std::vector<InvalidCase> cases = {
        {"", "Enter a domain"}, {"   ", "Enter a domain"},
        {"https://", "“https://” does not contain a domain"},
        {"http:///path", "does not contain a domain"},
        {"localhost", "“localhost” is not a valid domain: it needs at least one dot"},
        {"https://localhost:8080/", "it needs at least one dot"},
        {"com.", "it needs at least one dot"}, {"1.2.3.4", "“1.2.3.4” is an IP address"},
        {"http://192.168.0.1/admin", "“192.168.0.1” is an IP address"},
        {"[::1]", "is an IP address"}, {"http://[2001:db8::1]:80/", "is an IP address"},
        {"example.123", "the last part cannot be digits only"},
        {"exa_mple.com", "“exa_mple.com” is not a valid domain: it cannot contain “_”"},
        {"exa!mple.com", "it cannot contain “!”"}, {"example.com:abc", "it cannot contain “:”"},
        {"exa mple.com", "it cannot contain spaces"},
        {"-example.com", "a part between dots cannot start or end with a hyphen"},
        {"example-.com", "a part between dots cannot start or end with a hyphen"},
        {"example.-com", "a part between dots cannot start or end with a hyphen"},
        {"bücher-.de", "a part between dots cannot start or end with a hyphen"},
        {".example.com", "two dots in a row"}, {"example..com", "two dots in a row"},
        {"example.com..", "two dots in a row"},
        {"a＿b.com", "it cannot contain “_”"}, // full-width low line maps to '_'
    };
    for (const InvalidCase &c : cases) {
        SCOPED_TRACE(c.input);
        expectInvalid(DomainName::parse(u8(c.input)), u8(c.messagePart));
    }
}

TEST(DomainName, LabelsAreAtMost63Characters)
{
    const QString label63(TextLimits::DomainLabel, QLatin1Char('a'));
    const Result<DomainName> fits = DomainName::parse(label63 + QStringLiteral(".com"));
    ASSERT_TRUE(fits.has_value());
    EXPECT_EQ(fits->ascii(), label63 + QStringLiteral(".com"));

    expectInvalid(DomainName::parse(label63 + QStringLiteral("a.com")),
        QStringLiteral("each part between dots may be at most 63 characters"));
    expectInvalid(DomainName::parse(QStringLiteral("example.") + label63 + QLatin1Char('a')),
        QStringLiteral("each part between dots may be at most 63 characters"));
}

TEST(DomainName, LabelLengthIsMeasuredInPunycode)
{
    // 60 characters as typed; in punycode "xn--", the 30 a's, "-" and at
    // least one character per ü: more than 63.
    const QString label = u8("aü").repeated(30);
    ASSERT_LE(label.size(), TextLimits::DomainLabel);
    expectInvalid(
        DomainName::parse(label + QStringLiteral(".de")), QStringLiteral("is not a valid domain"));
}

TEST(DomainName, WholeNameIsAtMost253Characters)
{
    const QString fits = domainOfLength(TextLimits::Domain);
    ASSERT_EQ(fits.size(), 253);
    const Result<DomainName> domain = DomainName::parse(fits);
    ASSERT_TRUE(domain.has_value()) << domain.error().message().toStdString();
    EXPECT_EQ(domain->ascii().size(), TextLimits::Domain);

    // A trailing dot is not counted.
    EXPECT_TRUE(DomainName::parse(fits + QLatin1Char('.')).has_value());

    expectInvalid(DomainName::parse(domainOfLength(TextLimits::Domain + 1)),
        QStringLiteral("a domain may be at most 253 characters"));
    expectInvalid(DomainName::parse(QString(5000, QLatin1Char('a')) + QStringLiteral(".com")),
        QStringLiteral("a domain may be at most 253 characters"));
}

TEST(DomainName, WholeLengthIsMeasuredInPunycode)
{
    // "bücher.de" is 9 characters as typed, 16 in punycode.
    const QString label(TextLimits::DomainLabel, QLatin1Char('a'));
    const QString prefix
        = label + QLatin1Char('.') + label + QLatin1Char('.') + label + QLatin1Char('.'); // 192
    const QString fits
        = prefix + QString(44, QLatin1Char('c')) + QLatin1Char('.') + u8("bücher.de");
    const Result<DomainName> domain = DomainName::parse(fits);
    ASSERT_TRUE(domain.has_value()) << domain.error().message().toStdString();
    EXPECT_EQ(domain->ascii().size(), 253);

    const QString tooLong
        = prefix + QString(45, QLatin1Char('c')) + QLatin1Char('.') + u8("bücher.de");
    ASSERT_LT(tooLong.size(), 253);
    expectInvalid(
        DomainName::parse(tooLong), QStringLiteral("a domain may be at most 253 characters"));
}

TEST(DomainName, StrictHostNamesKeepEverything)
{
    const Result<DomainName> www = DomainName::parseHostName(QStringLiteral("WWW.Example.com"));
    ASSERT_TRUE(www.has_value());
    EXPECT_EQ(www->ascii(), QStringLiteral("www.example.com"));

    expectInvalid(DomainName::parseHostName(QStringLiteral("example.com.")),
        QStringLiteral("two dots in a row"));
    expectInvalid(DomainName::parseHostName(QStringLiteral("https://example.com")),
        QStringLiteral("it cannot contain “:”"));
    expectInvalid(DomainName::parseHostName(QStringLiteral(" example.com")),
        QStringLiteral("it cannot contain spaces"));
    expectInvalid(DomainName::parseHostName(QString()), QStringLiteral("Enter a domain"));
}

TEST(DomainName, EqualityComparesTheAsciiForm)
{
    const Result<DomainName> a = DomainName::parse(QStringLiteral("https://www.example.com/"));
    const Result<DomainName> b = DomainName::parse(QStringLiteral("EXAMPLE.com."));
    const Result<DomainName> c = DomainName::parse(QStringLiteral("example.org"));
    const Result<DomainName> d = DomainName::parse(u8("bücher.de"));
    const Result<DomainName> e = DomainName::parse(QStringLiteral("xn--bcher-kva.de"));
    ASSERT_TRUE(a && b && c && d && e);
    EXPECT_EQ(*a, *b);
    EXPECT_NE(*a, *c);
    EXPECT_EQ(*d, *e);
}
