#include <optional>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QUuid>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSmtp.h"
#include "mail/SmtpTransport.h"
#include "services/Clock.h"

using namespace rd;
using namespace rd::test;

namespace {

// One message as scripts/lib/smtp_server.py spooled it.
struct Spooled
{
    QString mode;
    QString authUser;
    QString mailFrom;
    QStringList rcptTos;
    QStringList mailOptions;
    QByteArray data;

    QByteArray headers() const { return data.left(data.indexOf("\r\n\r\n") + 2); }
    QByteArray body() const { return data.mid(data.indexOf("\r\n\r\n") + 4); }
    // One header's value with folding undone.
    QByteArray header(const QByteArray &name) const
    {
        const QByteArray unfolded = QByteArray(headers()).replace("\r\n ", " ");
        for (const QByteArray &line : unfolded.split('\n')) {
            if (line.startsWith(QByteArray(name + ": ")))
                return line.mid(name.size() + 2).trimmed();
        }
        return {};
    }
};

QString env(const char *name)
{
    return qEnvironmentVariable(name);
}

SmtpProfile profileFor(const char *addressVariable, SmtpProfile::Security security)
{
    const QString address = env(addressVariable);
    SmtpProfile profile;
    profile.host = address.section(QLatin1Char(':'), 0, -2);
    profile.port = address.section(QLatin1Char(':'), -1).toUShort();
    profile.security = security;
    profile.senderAddress = QStringLiteral("support@northwind.example");
    profile.senderName = QStringLiteral("Jürgen Müller – Northwind Support");
    profile.messageIdSeed = QStringLiteral("smtp-transport-test");
    profile.timeout = std::chrono::seconds(10);
    return profile;
}

SmtpProfile plainProfile()
{
    return profileFor("RESELLERDESK_TEST_SMTP_PLAIN", SmtpProfile::Security::Plain);
}

SmtpProfile authenticated(SmtpProfile profile)
{
    profile.userName = env("RESELLERDESK_TEST_SMTP_USER");
    profile.password = env("RESELLERDESK_TEST_SMTP_PASSWORD");
    profile.caFile = env("RESELLERDESK_TEST_SMTP_CA");
    return profile;
}

SmtpProfile startTlsProfile()
{
    return authenticated(profileFor("RESELLERDESK_TEST_SMTP_TLS", SmtpProfile::Security::StartTls));
}

SmtpProfile implicitTlsProfile()
{
    return authenticated(
        profileFor("RESELLERDESK_TEST_SMTP_IMPLICIT", SmtpProfile::Security::ImplicitTls));
}

// Each test mails its own recipient: the spool is shared by parallel tests.
OutgoingMail mailTo(const QString &subject, const QString &body)
{
    static qint64 nextId = 1;
    OutgoingMail mail;
    mail.outboxId = nextId++;
    mail.recipient = QStringLiteral("rcpt-%1@client.example")
                         .arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
    mail.subject = subject;
    mail.body = body;
    return mail;
}

QList<Spooled> spooledFor(const QString &recipient)
{
    QList<Spooled> found;
    const QDir spool(env("RESELLERDESK_TEST_SMTP_SPOOL"));
    for (const QString &name : spool.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        QFile file(spool.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
        QStringList rcptTos;
        for (const QJsonValue &rcpt : record.value(QLatin1String("rcpt_tos")).toArray())
            rcptTos.append(rcpt.toString());
        if (!rcptTos.contains(recipient))
            continue;
        Spooled message;
        message.mode = record.value(QLatin1String("mode")).toString();
        message.authUser = record.value(QLatin1String("auth_user")).toString();
        message.mailFrom = record.value(QLatin1String("mail_from")).toString();
        message.rcptTos = rcptTos;
        for (const QJsonValue &option : record.value(QLatin1String("mail_options")).toArray())
            message.mailOptions.append(option.toString());
        message.data = QByteArray::fromBase64(
            record.value(QLatin1String("data_base64")).toString().toLatin1());
        found.append(message);
    }
    return found;
}

// The text of a header made of RFC 2047 B encoded-words (plus, for an
// address header, the <address> after them).
QString decodedWords(const QByteArray &value)
{
    static const QRegularExpression word(QStringLiteral(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)"));
    QByteArray octets;
    auto matches = word.globalMatch(QString::fromLatin1(value));
    while (matches.hasNext())
        octets += QByteArray::fromBase64(matches.next().captured(1).toLatin1());
    return QString::fromUtf8(octets);
}

const QDateTime SentAt = QDateTime(QDate(2024, 3, 5), QTime(14, 7, 9), Qt::UTC);

class SmtpTransportTest : public ::testing::Test
{
protected:
    void SetUp() override { RD_REQUIRE_SMTP(); }

    DeliveryReceipt send(const SmtpProfile &profile, const OutgoingMail &mail)
    {
        SmtpTransport transport(profile, m_clock);
        return transport.send(mail);
    }

    ManualClock m_clock {SentAt};
};

TEST_F(SmtpTransportTest, PlainDeliveryKeepsNonAsciiNameSubjectAndBody)
{
    const QString subject
        = QStringLiteral("Willkommen bei Northwind – Ihre Zugangsdaten für Jürgen");
    const QString body = QStringLiteral("Hallo Jürgen,\n\nIhr Konto ist bereit. Grüße, 北风\n");
    const OutgoingMail mail = mailTo(subject, body);

    const DeliveryReceipt receipt = send(plainProfile(), mail);

    ASSERT_EQ(receipt.outcome, DeliveryOutcome::Sent) << receipt.detail.toStdString();
    const QList<Spooled> spooled = spooledFor(mail.recipient);
    ASSERT_EQ(spooled.size(), 1);
    const Spooled &message = spooled.first();
    EXPECT_EQ(message.mode, QStringLiteral("plain"));
    EXPECT_EQ(message.mailFrom, QStringLiteral("support@northwind.example"));
    EXPECT_EQ(message.rcptTos, QStringList {mail.recipient});
    EXPECT_TRUE(message.mailOptions.contains(QStringLiteral("BODY=8BITMIME")));

    EXPECT_EQ(decodedWords(message.header("Subject")), subject);
    EXPECT_TRUE(message.header("Subject").startsWith("=?UTF-8?B?"));
    EXPECT_EQ(
        decodedWords(message.header("From")), QStringLiteral("Jürgen Müller – Northwind Support"));
    EXPECT_TRUE(message.header("From").endsWith("<support@northwind.example>"));
    EXPECT_EQ(message.header("To"), mail.recipient.toLatin1());
    EXPECT_EQ(message.header("Message-ID"), receipt.messageId.toLatin1());
    EXPECT_TRUE(receipt.messageId.startsWith(QLatin1String("<outbox-")));
    EXPECT_EQ(message.header("Date"), QByteArray("Tue, 05 Mar 2024 14:07:09 +0000"));
    EXPECT_EQ(message.header("Content-Type"), QByteArray("text/plain; charset=UTF-8"));
    EXPECT_EQ(message.header("Content-Transfer-Encoding"), QByteArray("8bit"));
    EXPECT_EQ(QString::fromUtf8(message.body()),
        QString(body).replace(QLatin1String("\n"), QLatin1String("\r\n")));
}

TEST_F(SmtpTransportTest, DotStuffedLinesArriveIntact)
{
    const QString body = QStringLiteral(".first line starts with a dot\n..two dots\n.\nend .\n.");
    const OutgoingMail mail = mailTo(QStringLiteral("Dots"), body);

    const DeliveryReceipt receipt = send(plainProfile(), mail);

    ASSERT_EQ(receipt.outcome, DeliveryOutcome::Sent) << receipt.detail.toStdString();
    const QList<Spooled> spooled = spooledFor(mail.recipient);
    ASSERT_EQ(spooled.size(), 1);
    EXPECT_EQ(spooled.first().body(),
        QByteArray(".first line starts with a dot\r\n..two dots\r\n.\r\nend .\r\n.\r\n"));
}

TEST_F(SmtpTransportTest, StartTlsWithAuthDelivers)
{
    const OutgoingMail mail = mailTo(QStringLiteral("Über TLS"), QStringLiteral("Geheim: 4711\n"));

    const DeliveryReceipt receipt = send(startTlsProfile(), mail);

    ASSERT_EQ(receipt.outcome, DeliveryOutcome::Sent) << receipt.detail.toStdString();
    const QList<Spooled> spooled = spooledFor(mail.recipient);
    ASSERT_EQ(spooled.size(), 1);
    EXPECT_EQ(spooled.first().mode, QStringLiteral("starttls"));
    EXPECT_EQ(spooled.first().authUser, env("RESELLERDESK_TEST_SMTP_USER"));
    EXPECT_EQ(spooled.first().body(), QByteArray("Geheim: 4711\r\n"));
}

TEST_F(SmtpTransportTest, ImplicitTlsWithAuthLoginDelivers)
{
    // This server offers AUTH LOGIN only.
    const OutgoingMail mail
        = mailTo(QStringLiteral("Implicit"), QStringLiteral("Port 465 style\n"));

    const DeliveryReceipt receipt = send(implicitTlsProfile(), mail);

    ASSERT_EQ(receipt.outcome, DeliveryOutcome::Sent) << receipt.detail.toStdString();
    const QList<Spooled> spooled = spooledFor(mail.recipient);
    ASSERT_EQ(spooled.size(), 1);
    EXPECT_EQ(spooled.first().mode, QStringLiteral("implicit"));
    EXPECT_EQ(spooled.first().authUser, env("RESELLERDESK_TEST_SMTP_USER"));
}

TEST_F(SmtpTransportTest, WrongPasswordIsRefusedWithoutLeakingIt)
{
    for (SmtpProfile profile : {startTlsProfile(), implicitTlsProfile()}) {
        profile.password = QStringLiteral("wrong-Secret-%1").arg(profile.port);
        const OutgoingMail mail = mailTo(QStringLiteral("Nope"), QStringLiteral("x\n"));

        const DeliveryReceipt receipt = send(profile, mail);

        // aiosmtpd answers 535: permanent, as the server says.
        EXPECT_EQ(receipt.outcome, DeliveryOutcome::PermanentFailure)
            << receipt.detail.toStdString();
        EXPECT_TRUE(receipt.detail.contains(QLatin1String("535"))) << receipt.detail.toStdString();
        EXPECT_FALSE(receipt.detail.contains(profile.password));
        EXPECT_FALSE(receipt.detail.contains(QString::fromLatin1(
            QByteArray('\0' + profile.userName.toUtf8() + '\0' + profile.password.toUtf8())
                .toBase64())));
        EXPECT_TRUE(spooledFor(mail.recipient).isEmpty());
    }
}

TEST_F(SmtpTransportTest, UntrustedCertificateIsAnErrorAndNothingIsSent)
{
    for (SmtpProfile profile : {startTlsProfile(), implicitTlsProfile()}) {
        profile.caFile.clear();
        const OutgoingMail mail = mailTo(QStringLiteral("Untrusted"), QStringLiteral("x\n"));

        const DeliveryReceipt receipt = send(profile, mail);

        EXPECT_EQ(receipt.outcome, DeliveryOutcome::TemporaryFailure)
            << receipt.detail.toStdString();
        EXPECT_TRUE(receipt.detail.contains(QLatin1String("certificate"), Qt::CaseInsensitive))
            << receipt.detail.toStdString();
        EXPECT_FALSE(receipt.detail.contains(profile.password));
        EXPECT_TRUE(spooledFor(mail.recipient).isEmpty());
    }
}

TEST_F(SmtpTransportTest, UnreadableCaFileIsAnError)
{
    SmtpProfile profile = startTlsProfile();
    profile.caFile = QStringLiteral("/nonexistent/ca.pem");
    const OutgoingMail mail = mailTo(QStringLiteral("No CA"), QStringLiteral("x\n"));

    const DeliveryReceipt receipt = send(profile, mail);

    EXPECT_EQ(receipt.outcome, DeliveryOutcome::TemporaryFailure);
    EXPECT_TRUE(receipt.detail.contains(profile.caFile)) << receipt.detail.toStdString();
    EXPECT_TRUE(spooledFor(mail.recipient).isEmpty());
}

TEST_F(SmtpTransportTest, StartTlsRequiredButNotOfferedIsAnError)
{
    // The plain server does not offer STARTTLS.
    SmtpProfile profile = plainProfile();
    profile.security = SmtpProfile::Security::StartTls;
    const OutgoingMail mail = mailTo(QStringLiteral("Downgrade"), QStringLiteral("x\n"));

    const DeliveryReceipt receipt = send(profile, mail);

    EXPECT_EQ(receipt.outcome, DeliveryOutcome::TemporaryFailure);
    EXPECT_TRUE(receipt.detail.contains(QLatin1String("STARTTLS"))) << receipt.detail.toStdString();
    EXPECT_TRUE(spooledFor(mail.recipient).isEmpty());
}

TEST_F(SmtpTransportTest, CredentialsAreNotSentUnencryptedUnlessAllowed)
{
    SmtpProfile profile = plainProfile();
    profile.userName = env("RESELLERDESK_TEST_SMTP_USER");
    profile.password = env("RESELLERDESK_TEST_SMTP_PASSWORD");
    const OutgoingMail mail = mailTo(QStringLiteral("Clear text"), QStringLiteral("x\n"));

    const DeliveryReceipt receipt = send(profile, mail);

    EXPECT_EQ(receipt.outcome, DeliveryOutcome::TemporaryFailure);
    EXPECT_FALSE(receipt.detail.contains(profile.password));
    EXPECT_TRUE(spooledFor(mail.recipient).isEmpty());
}

TEST_F(SmtpTransportTest, ConnectionRefusedIsTemporary)
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        ASSERT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    SmtpProfile profile = plainProfile();
    profile.port = closedPort;

    const DeliveryReceipt receipt
        = send(profile, mailTo(QStringLiteral("Down"), QStringLiteral("x\n")));

    EXPECT_EQ(receipt.outcome, DeliveryOutcome::TemporaryFailure);
    EXPECT_TRUE(receipt.detail.contains(QString::number(closedPort)))
        << receipt.detail.toStdString();
}

TEST_F(SmtpTransportTest, InvalidRecipientIsPermanent)
{
    OutgoingMail mail = mailTo(QStringLiteral("Bad"), QStringLiteral("x\n"));
    mail.recipient = QStringLiteral("jürgen@client.example"); // non-ASCII local part

    const DeliveryReceipt receipt = send(plainProfile(), mail);

    EXPECT_EQ(receipt.outcome, DeliveryOutcome::PermanentFailure);
    EXPECT_TRUE(spooledFor(mail.recipient).isEmpty());
}

} // namespace
