// `resellerdesk dispatch` as an administrator runs it on a server without a
// display: the built program, started with QProcess against an SQLite
// database this test prepares through the services.
#include <chrono>
#include <optional>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSmtp.h"
#include "TestWorld.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/SettingsService.h"
#include "services/UserService.h"
#include "storage/OutboxRepository.h"

using namespace rd;
using namespace rd::test;
using namespace std::chrono_literals;

namespace {

struct Spooled
{
    QString authUser;
    QString mode;
};

QList<Spooled> spooledMessagesFor(const QString &recipient)
{
    QList<Spooled> found;
    const QDir spool(qEnvironmentVariable("RESELLERDESK_TEST_SMTP_SPOOL"));
    for (const QString &name : spool.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        QFile file(spool.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
        for (const QJsonValue &rcpt : record.value(QLatin1String("rcpt_tos")).toArray()) {
            if (rcpt.toString() == recipient) {
                found.append({record.value(QLatin1String("auth_user")).toString(),
                    record.value(QLatin1String("mode")).toString()});
            }
        }
    }
    return found;
}

// host and port of a "host:port" variable.
std::pair<QString, int> serverOf(const char *variable)
{
    const QString address = qEnvironmentVariable(variable);
    return {
        address.section(QLatin1Char(':'), 0, -2), address.section(QLatin1Char(':'), -1).toInt()};
}

struct Finished
{
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QString out;
    QString err;
};

class DispatchCommandTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        Result<std::unique_ptr<TestDatabase>> created = TestDatabase::create(Backend::SQLite);
        ASSERT_TRUE(created.has_value()) << created.error().toString().toStdString();
        m_testDatabase = std::move(*created);
        Result<std::unique_ptr<Database>> opened = m_testDatabase->open();
        ASSERT_TRUE(opened.has_value()) << opened.error().toString().toStdString();
        m_db = std::move(*opened);
        Result<TestWorld> world = TestWorld::create(*m_db);
        ASSERT_TRUE(world.has_value()) << world.error().toString().toStdString();
        m_world = std::move(*world);
        m_access = std::make_unique<AccessControl>(*m_db);
        ASSERT_TRUE(m_files.isValid());
    }

    const QString &databasePath() const { return m_testDatabase->profile().filePath(); }

    // An invitation queued by UserService, to a recipient of its own (the
    // spool is shared by parallel tests).
    std::pair<qint64, QString> queueInvitation()
    {
        const QString email = QStringLiteral("dispatch-%1@client.example")
                                  .arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
        UserService users(*m_db, m_clock, *m_access);
        NewUser input;
        input.email = email;
        input.displayName = QStringLiteral("Jürgen Dispatch");
        input.role = Role::Support;
        Result<AddedUser> added = users.addUser(*m_world.admin, input);
        EXPECT_TRUE(added.has_value()) << added.error().toString().toStdString();
        EXPECT_NE(added.value_or(AddedUser {}).invitationId, 0);
        return {added.value_or(AddedUser {}).invitationId, email};
    }

    OutboxRow outboxRow(qint64 id)
    {
        Result<OutboxRow> row = OutboxRepository(*m_db).find(id);
        EXPECT_TRUE(row.has_value()) << row.error().toString().toStdString();
        return row.value_or(OutboxRow {});
    }

    // Saves the SMTP settings as the administrator would in the desktop.
    void saveSmtp(const SmtpSettings &smtp)
    {
        SettingsService settings(*m_db, m_clock, *m_access);
        Result<SettingsService::Versioned> current = settings.settings(*m_world.admin);
        ASSERT_TRUE(current.has_value()) << current.error().toString().toStdString();
        DomainSettings changed = current->settings;
        changed.smtp = smtp;
        Result<qint64> saved = settings.save(*m_world.admin, changed, current->version);
        ASSERT_TRUE(saved.has_value()) << saved.error().toString().toStdString();
        Result<DomainSettings> reread = settings.current();
        ASSERT_TRUE(reread.has_value());
        ASSERT_EQ(reread->smtp, smtp) << "the settings are stored";
    }

    static SmtpSettings smtpSettings(const QString &host, int port, SmtpProfile::Security security)
    {
        SmtpSettings smtp;
        smtp.enabled = true;
        smtp.host = host;
        smtp.port = port;
        smtp.security = security;
        smtp.senderAddress = QStringLiteral("support@northwind.example");
        smtp.senderName = QStringLiteral("Northwind Support");
        return smtp;
    }

    static SmtpSettings plainServer()
    {
        const auto [host, port] = serverOf("RESELLERDESK_TEST_SMTP_PLAIN");
        return smtpSettings(host, port, SmtpProfile::Security::Plain);
    }

    static SmtpSettings authenticatingServer()
    {
        const auto [host, port] = serverOf("RESELLERDESK_TEST_SMTP_TLS");
        SmtpSettings smtp = smtpSettings(host, port, SmtpProfile::Security::StartTls);
        smtp.userName = qEnvironmentVariable("RESELLERDESK_TEST_SMTP_USER");
        smtp.caFile = qEnvironmentVariable("RESELLERDESK_TEST_SMTP_CA");
        return smtp;
    }

    // A loopback port nobody listens on.
    static SmtpSettings refusingServer()
    {
        QTcpServer probe;
        EXPECT_TRUE(probe.listen(QHostAddress::LocalHost));
        const int port = probe.serverPort();
        probe.close();
        return smtpSettings(QStringLiteral("127.0.0.1"), port, SmtpProfile::Security::Plain);
    }

    QString passwordFile(QFile::Permissions permissions, const QByteArray &content)
    {
        const QString path = m_files.filePath(
            QStringLiteral("smtp-password-%1").arg(QUuid::createUuid().toString(QUuid::Id128)));
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        EXPECT_TRUE(file.setPermissions(permissions));
        return path;
    }

    // The program without a display (a platform that needs one: creating a
    // QGuiApplication would abort) and without a keychain (no session bus),
    // so the test never touches a real keychain.
    static QProcess *program(QProcess &process, const QStringList &arguments)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"})
            environment.remove(QString::fromLatin1(name));
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        process.setProcessEnvironment(environment);
        process.setProgram(QStringLiteral(RESELLERDESK_APP_BINARY));
        process.setArguments(arguments);
        return &process;
    }

    static Finished run(const QStringList &arguments)
    {
        QProcess process;
        program(process, arguments)->start();
        EXPECT_TRUE(process.waitForStarted(10'000));
        EXPECT_TRUE(process.waitForFinished(60'000)) << "still running";
        Finished result;
        result.exitCode = process.exitCode();
        result.exitStatus = process.exitStatus();
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    QStringList once() const
    {
        return {QStringLiteral("dispatch"), QStringLiteral("--once"), QStringLiteral("--database"),
            databasePath()};
    }

    SystemClock m_clock;
    std::unique_ptr<TestDatabase> m_testDatabase;
    std::unique_ptr<Database> m_db;
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    QTemporaryDir m_files;
};

} // namespace

TEST_F(DispatchCommandTest, OnceDeliversEachQueuedMessageExactlyOnce)
{
    RD_REQUIRE_SMTP();
    ASSERT_NO_FATAL_FAILURE(saveSmtp(plainServer()));
    QList<std::pair<qint64, QString>> queued;
    for (int i = 0; i < 3; ++i)
        queued.append(queueInvitation());

    const Finished first = run(once());
    EXPECT_EQ(first.exitStatus, QProcess::NormalExit);
    EXPECT_EQ(first.exitCode, 0) << first.err.toStdString();
    EXPECT_TRUE(first.out.contains(QStringLiteral("3 sent"))) << first.out.toStdString();
    EXPECT_EQ(first.out.count(QLatin1Char('\n')), 1) << "a one-line summary";
    for (const auto &[id, recipient] : queued) {
        EXPECT_EQ(outboxRow(id).status, OutboxStatus::Sent) << recipient.toStdString();
        const QList<Spooled> spooled = spooledMessagesFor(recipient);
        ASSERT_EQ(spooled.size(), 1) << recipient.toStdString();
        EXPECT_EQ(spooled.first().mode, QStringLiteral("plain"));
    }

    const Finished again = run(once());
    EXPECT_EQ(again.exitCode, 0) << again.err.toStdString();
    EXPECT_TRUE(again.out.contains(QStringLiteral("0 sent"))) << again.out.toStdString();
    for (const auto &[id, recipient] : queued)
        EXPECT_EQ(spooledMessagesFor(recipient).size(), 1)
            << "exactly once: " << recipient.toStdString();
}

TEST_F(DispatchCommandTest, AuthenticatesWithThePasswordFile)
{
    RD_REQUIRE_SMTP();
    ASSERT_NO_FATAL_FAILURE(saveSmtp(authenticatingServer()));
    const auto [id, recipient] = queueInvitation();
    const QByteArray secret = qEnvironmentVariable("RESELLERDESK_TEST_SMTP_PASSWORD").toUtf8();
    const QString file = passwordFile(QFile::ReadOwner | QFile::WriteOwner, secret + "\n");

    const Finished done = run(once() << QStringLiteral("--smtp-password-file") << file);
    EXPECT_EQ(done.exitCode, 0) << done.err.toStdString();
    EXPECT_TRUE(done.out.contains(QStringLiteral("1 sent"))) << done.out.toStdString();
    EXPECT_EQ(outboxRow(id).status, OutboxStatus::Sent);
    const QList<Spooled> spooled = spooledMessagesFor(recipient);
    ASSERT_EQ(spooled.size(), 1);
    EXPECT_EQ(spooled.first().authUser, qEnvironmentVariable("RESELLERDESK_TEST_SMTP_USER"));
    EXPECT_FALSE(done.out.contains(QString::fromUtf8(secret)));
    EXPECT_FALSE(done.err.contains(QString::fromUtf8(secret))) << "never prints the secret";
}

TEST_F(DispatchCommandTest, RefusesAPasswordFileOthersCanRead)
{
    SmtpSettings smtp = refusingServer();
    smtp.security = SmtpProfile::Security::StartTls;
    smtp.userName = QStringLiteral("mailer");
    ASSERT_NO_FATAL_FAILURE(saveSmtp(smtp));
    const auto [id, recipient] = queueInvitation();
    const QString file = passwordFile(
        QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther, "s3cret\n");

    const Finished refused = run(once() << QStringLiteral("--smtp-password-file") << file);
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_TRUE(refused.err.contains(file)) << refused.err.toStdString();
    EXPECT_TRUE(refused.err.contains(QStringLiteral("chmod 600"))) << refused.err.toStdString();
    EXPECT_FALSE(refused.err.contains(QStringLiteral("s3cret")));
    const OutboxRow row = outboxRow(id);
    EXPECT_EQ(row.status, OutboxStatus::Pending);
    EXPECT_EQ(row.attempts, 0) << "nothing was tried";
}

TEST_F(DispatchCommandTest, WithoutAnyPasswordItSaysWhyAndExitsWithOne)
{
    SmtpSettings smtp = refusingServer();
    smtp.security = SmtpProfile::Security::StartTls;
    smtp.userName = QStringLiteral("mailer");
    ASSERT_NO_FATAL_FAILURE(saveSmtp(smtp));

    const Finished refused = run(once());
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_TRUE(refused.err.contains(QStringLiteral("needs the password of “mailer”")))
        << refused.err.toStdString();
    EXPECT_TRUE(refused.err.contains(QStringLiteral("--smtp-password-file")))
        << refused.err.toStdString();
}

TEST_F(DispatchCommandTest, DisabledSmtpIsRefusedWithAMessage)
{
    SmtpSettings smtp = refusingServer();
    smtp.enabled = false;
    ASSERT_NO_FATAL_FAILURE(saveSmtp(smtp));
    const auto [id, recipient] = queueInvitation();

    const Finished refused = run(once());
    EXPECT_EQ(refused.exitStatus, QProcess::NormalExit);
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_TRUE(refused.err.contains(QStringLiteral("Email delivery is turned off")))
        << refused.err.toStdString();
    EXPECT_EQ(outboxRow(id).status, OutboxStatus::Pending);
}

TEST_F(DispatchCommandTest, AMissingDatabaseIsRefusedNotCreated)
{
    const QString missing = m_files.filePath(QStringLiteral("missing.sqlite"));
    const Finished refused = run({QStringLiteral("dispatch"), QStringLiteral("--once"),
        QStringLiteral("--database"), missing});
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_TRUE(refused.err.contains(QStringLiteral("There is no database")))
        << refused.err.toStdString();
    EXPECT_FALSE(QFile::exists(missing));
}

TEST_F(DispatchCommandTest, RunsOnDeliveringNewMailAndStopsOnSigterm)
{
    RD_REQUIRE_SMTP();
    ASSERT_NO_FATAL_FAILURE(saveSmtp(plainServer()));
    QProcess process;
    program(process,
        {QStringLiteral("dispatch"), QStringLiteral("--database"), databasePath(),
            QStringLiteral("--interval"), QStringLiteral("1")})
        ->start();
    ASSERT_TRUE(process.waitForStarted(10'000));

    // Queued while it runs: found at the next look, a second later.
    const auto [id, recipient] = queueInvitation();
    QElapsedTimer timer;
    timer.start();
    while (spooledMessagesFor(recipient).isEmpty() && timer.elapsed() < 20'000
        && process.state() == QProcess::Running)
        QThread::msleep(100);
    ASSERT_EQ(spooledMessagesFor(recipient).size(), 1)
        << QString::fromUtf8(process.readAllStandardError()).toStdString();
    EXPECT_EQ(process.state(), QProcess::Running) << "it keeps running";

    timer.restart();
    process.terminate(); // SIGTERM
    ASSERT_TRUE(process.waitForFinished(10'000));
    EXPECT_LT(timer.elapsed(), 5'000);
    EXPECT_EQ(process.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(process.exitCode(), 0)
        << QString::fromUtf8(process.readAllStandardError()).toStdString();
    EXPECT_TRUE(
        QString::fromUtf8(process.readAllStandardOutput()).contains(QStringLiteral("1 sent")));
    EXPECT_EQ(outboxRow(id).status, OutboxStatus::Sent);
    EXPECT_EQ(spooledMessagesFor(recipient).size(), 1);
}

TEST_F(DispatchCommandTest, SigtermWhileIdleExitsPromptlyWithZero)
{
    ASSERT_NO_FATAL_FAILURE(saveSmtp(refusingServer()));
    QProcess process;
    program(process,
        {QStringLiteral("dispatch"), QStringLiteral("--database"), databasePath(),
            QStringLiteral("--interval"), QStringLiteral("600")})
        ->start();
    ASSERT_TRUE(process.waitForStarted(10'000));
    // Started once it announces itself.
    QElapsedTimer timer;
    timer.start();
    QByteArray err;
    while (!err.contains("Delivering") && timer.elapsed() < 20'000
        && process.state() == QProcess::Running) {
        process.waitForReadyRead(100);
        err += process.readAllStandardError();
    }
    ASSERT_TRUE(err.contains("Delivering")) << err.toStdString();
    QThread::msleep(300);

    timer.restart();
    process.terminate();
    ASSERT_TRUE(process.waitForFinished(10'000));
    EXPECT_LT(timer.elapsed(), 2'000);
    EXPECT_EQ(process.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(process.exitCode(), 0);
}

TEST_F(DispatchCommandTest, HelpMentionsDispatch)
{
    const Finished help = run({QStringLiteral("--help")});
    EXPECT_EQ(help.exitCode, 0);
    for (const char *expected : {"dispatch", "--once", "--smtp-password-file", "--interval"})
        EXPECT_TRUE(help.out.contains(QLatin1String(expected))) << expected;
}
