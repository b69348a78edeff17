#include <QHash>

#include <gtest/gtest.h>

#include "mail/SmtpSettings.h"

using namespace rd;

namespace {

using Security = SmtpProfile::Security;

// Settings that deliver: every rule satisfied.
SmtpSettings delivering()
{
    SmtpSettings s;
    s.enabled = true;
    s.host = QStringLiteral("smtp.example.com");
    s.port = 587;
    s.security = Security::StartTls;
    s.userName = QStringLiteral("desk@example.com");
    s.senderAddress = QStringLiteral("support@northwind.example");
    s.senderName = QStringLiteral("Jürgen Müller – Northwind Support");
    return s;
}

std::string describe(const Status &status)
{
    return status ? std::string("accepted") : status.error().toString().toStdString();
}

// The field() a refusal names, or "" when accepted.
QString refusedField(const SmtpSettings &s)
{
    const Status valid = s.validate();
    if (valid)
        return {};
    EXPECT_EQ(valid.error().code(), ErrorCode::InvalidInput);
    EXPECT_FALSE(valid.error().message().isEmpty());
    return valid.error().field();
}

} // namespace

TEST(SmtpSettingsTest, DefaultsAreDisabledStartTlsOn587AndValid)
{
    const SmtpSettings s;
    EXPECT_FALSE(s.enabled);
    EXPECT_EQ(s.port, 587);
    EXPECT_EQ(s.security, Security::StartTls);
    EXPECT_FALSE(s.allowCredentialsWithoutTls);
    EXPECT_TRUE(s.validate().has_value()) << describe(s.validate());
    EXPECT_TRUE(delivering().validate().has_value()) << describe(delivering().validate());
}

TEST(SmtpSettingsTest, DeliveringNeedsAHostAndASender)
{
    SmtpSettings s = delivering();
    s.host.clear();
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_host"));
    s.enabled = false;
    EXPECT_EQ(refusedField(s), QString()) << "disabled: a missing host is fine";

    s = delivering();
    s.senderAddress.clear();
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_sender_address"));
    s.enabled = false;
    EXPECT_EQ(refusedField(s), QString());
}

TEST(SmtpSettingsTest, TheHostIsANameALocalNameOrAnAddress)
{
    for (const char *host : {"smtp.example.com", "mail.bücher.de", "xn--bcher-kva.de", "localhost",
             "mailhub", "127.0.0.1", "192.168.10.25", "::1", "2001:db8::25"}) {
        SCOPED_TRACE(host);
        SmtpSettings s = delivering();
        s.host = QString::fromUtf8(host);
        EXPECT_EQ(refusedField(s), QString());
    }
    for (const char *host : {"smtp example.com", " smtp.example.com", "smtp.example.com ",
             "smtp.example.com.", "http://smtp.example.com", "smtp.example.com:587", "-mail",
             "mail_hub", "a..b", "999.1.1.1", "[::1]", "smtp.exa\nmple.com"}) {
        SCOPED_TRACE(host);
        SmtpSettings s = delivering();
        s.host = QString::fromUtf8(host);
        EXPECT_EQ(refusedField(s), QStringLiteral("smtp_host"));
        s.enabled = false;
        EXPECT_EQ(refusedField(s), QStringLiteral("smtp_host")) << "checked when filled in";
    }
    SmtpSettings tooLong = delivering();
    tooLong.host
        = QString(QStringLiteral("a123456789")).repeated(6).append(QLatin1Char('.')).repeated(5)
        + QStringLiteral("com"); // 5 labels of 60: 308 characters, a DNS name has at most 253
    EXPECT_EQ(refusedField(tooLong), QStringLiteral("smtp_host"));
}

TEST(SmtpSettingsTest, ThePortIsBetween1And65535)
{
    for (int port : {1, 25, 465, 587, 2525, 65535}) {
        SmtpSettings s = delivering();
        s.port = port;
        EXPECT_EQ(refusedField(s), QString()) << port;
    }
    for (int port : {0, -1, 65536, 100000}) {
        SmtpSettings s = delivering();
        s.port = port;
        EXPECT_EQ(refusedField(s), QStringLiteral("smtp_port")) << port;
        s.enabled = false;
        EXPECT_EQ(refusedField(s), QStringLiteral("smtp_port")) << port;
    }
}

TEST(SmtpSettingsTest, TheSenderIsAValidAddress)
{
    for (const char *address :
        {"support@northwind.example", "jürgen@bücher.de", "first.last+mail@sub.example.co.uk"}) {
        SmtpSettings s = delivering();
        s.senderAddress = QString::fromUtf8(address);
        EXPECT_EQ(refusedField(s), QString()) << address;
    }
    for (const char *address : {"not an address", "support@", "@example.com", "support@example",
             " support@example.com", "support@example.com\r\nBcc: x@y.example"}) {
        SCOPED_TRACE(address);
        SmtpSettings s = delivering();
        s.senderAddress = QString::fromUtf8(address);
        EXPECT_EQ(refusedField(s), QStringLiteral("smtp_sender_address"));
        s.enabled = false;
        EXPECT_EQ(refusedField(s), QStringLiteral("smtp_sender_address"));
    }
}

TEST(SmtpSettingsTest, CredentialsOverPlainTextOnlyWhenExplicitlyAllowed)
{
    SmtpSettings s = delivering();
    s.security = Security::Plain;
    s.port = 25;
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_allow_plain_auth"));
    s.enabled = false;
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_allow_plain_auth"));
    s.enabled = true;
    s.allowCredentialsWithoutTls = true;
    EXPECT_EQ(refusedField(s), QString());

    s.allowCredentialsWithoutTls = false;
    s.userName.clear();
    EXPECT_EQ(refusedField(s), QString()) << "plain without AUTH is fine";

    for (Security secure : {Security::StartTls, Security::ImplicitTls}) {
        SmtpSettings tls = delivering();
        tls.security = secure;
        EXPECT_EQ(refusedField(tls), QString());
    }
}

TEST(SmtpSettingsTest, NamesCannotCarryLineBreaks)
{
    SmtpSettings s = delivering();
    s.senderName = QStringLiteral("Support\r\nBcc: everyone@example.com");
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_sender_name"));
    s.senderName = QStringLiteral("Support\n");
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_sender_name"));
    s.senderName = QString(201, QLatin1Char('x'));
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_sender_name"));
    s.senderName = QString(200, QChar(0x00e9));
    EXPECT_EQ(refusedField(s), QString());
    s.senderName.clear();
    EXPECT_EQ(refusedField(s), QString()) << "a sender name is optional";

    s.userName = QStringLiteral("desk\r\n@example.com");
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_user"));
}

TEST(SmtpSettingsTest, TheCaFileIsAPathOnTheDeliveringMachine)
{
    SmtpSettings s = delivering();
    // Not checked for existence here: it names a file on the machine that delivers.
    s.caFile = QStringLiteral("/etc/ssl/company/does-not-exist-here.pem");
    EXPECT_EQ(refusedField(s), QString());
    s.caFile = QStringLiteral("C:\\Company\\ca.pem");
    EXPECT_EQ(refusedField(s), QString());
    s.caFile = QStringLiteral("   ");
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_ca_file"));
    s.caFile = QStringLiteral("/tmp/ca\n.pem");
    EXPECT_EQ(refusedField(s), QStringLiteral("smtp_ca_file"));
}

TEST(SmtpSettingsTest, StoresEveryKeyAsTextAndReadsItBack)
{
    SmtpSettings s = delivering();
    s.security = Security::ImplicitTls;
    s.port = 465;
    s.allowCredentialsWithoutTls = true;
    s.caFile = QStringLiteral("/etc/ssl/company/ca.pem");

    const QHash<QString, QString> stored = s.toStored();
    const QHash<QString, QString> expected {
        {QStringLiteral("smtp_enabled"), QStringLiteral("true")},
        {QStringLiteral("smtp_host"), QStringLiteral("smtp.example.com")},
        {QStringLiteral("smtp_port"), QStringLiteral("465")},
        {QStringLiteral("smtp_security"), QStringLiteral("implicit_tls")},
        {QStringLiteral("smtp_user"), QStringLiteral("desk@example.com")},
        {QStringLiteral("smtp_allow_plain_auth"), QStringLiteral("true")},
        {QStringLiteral("smtp_sender_address"), QStringLiteral("support@northwind.example")},
        {QStringLiteral("smtp_sender_name"), QStringLiteral("Jürgen Müller – Northwind Support")},
        {QStringLiteral("smtp_ca_file"), QStringLiteral("/etc/ssl/company/ca.pem")},
    };
    EXPECT_EQ(stored, expected);
    EXPECT_EQ(SmtpSettings::fromStored(stored), s);
    EXPECT_EQ(SmtpSettings::fromStored(SmtpSettings {}.toStored()), SmtpSettings {});
    EXPECT_EQ(SmtpSettings::fromStored({}), SmtpSettings {});
    for (auto it = stored.cbegin(); it != stored.cend(); ++it)
        EXPECT_FALSE(it.key().contains(QLatin1String("password"))) << "no password is stored";
}

TEST(SmtpSettingsTest, UnreadableStoredValuesKeepTheirDefaults)
{
    const QHash<QString, QString> stored {
        {QStringLiteral("smtp_enabled"), QStringLiteral("yes")},
        {QStringLiteral("smtp_port"), QStringLiteral("five")},
        {QStringLiteral("smtp_security"), QStringLiteral("ssl")},
        {QStringLiteral("smtp_allow_plain_auth"), QStringLiteral("1")},
        {QStringLiteral("smtp_host"), QStringLiteral("mail.example.com")},
        {QStringLiteral("unrelated_key"), QStringLiteral("x")},
    };
    const SmtpSettings s = SmtpSettings::fromStored(stored);
    SmtpSettings expected;
    expected.host = QStringLiteral("mail.example.com");
    EXPECT_EQ(s, expected);

    SmtpSettings defaults = delivering();
    defaults.port = 2525;
    const SmtpSettings over
        = SmtpSettings::fromStored({{QStringLiteral("smtp_port"), QStringLiteral("x")},
                                       {QStringLiteral("smtp_sender_name"), QString()}},
            defaults);
    EXPECT_EQ(over.port, 2525) << "the given default, not 587";
    EXPECT_TRUE(over.senderName.isEmpty()) << "a stored empty text is a value";
    EXPECT_EQ(over.host, defaults.host);
}

TEST(SmtpSettingsTest, SecurityKeysRoundTrip)
{
    for (Security security : {Security::StartTls, Security::ImplicitTls, Security::Plain}) {
        EXPECT_EQ(SmtpSettings::securityFromKey(SmtpSettings::securityKey(security)), security);
    }
    EXPECT_EQ(SmtpSettings::securityKey(Security::StartTls), QStringLiteral("starttls"));
    EXPECT_EQ(SmtpSettings::securityKey(Security::ImplicitTls), QStringLiteral("implicit_tls"));
    EXPECT_EQ(SmtpSettings::securityKey(Security::Plain), QStringLiteral("plain"));
    EXPECT_FALSE(SmtpSettings::securityFromKey(QStringLiteral("STARTTLS")).has_value());
    EXPECT_FALSE(SmtpSettings::securityFromKey(QString()).has_value());
    EXPECT_EQ(SmtpSettings::defaultPort(Security::StartTls), 587);
    EXPECT_EQ(SmtpSettings::defaultPort(Security::ImplicitTls), 465);
    EXPECT_EQ(SmtpSettings::defaultPort(Security::Plain), 25);
}

TEST(SmtpSettingsTest, TheProfileCarriesEverythingAndThePasswordGiven)
{
    SmtpSettings s = delivering();
    s.caFile = QStringLiteral("/etc/ssl/company/ca.pem");
    const SmtpProfile profile = s.toProfile(QStringLiteral("from-the-keychain"));
    EXPECT_EQ(profile.host, s.host);
    EXPECT_EQ(profile.port, 587);
    EXPECT_EQ(profile.security, Security::StartTls);
    EXPECT_EQ(profile.userName, s.userName);
    EXPECT_EQ(profile.password, QStringLiteral("from-the-keychain"));
    EXPECT_EQ(profile.senderAddress, s.senderAddress);
    EXPECT_EQ(profile.senderName, s.senderName);
    EXPECT_EQ(profile.caFile, s.caFile);
}
