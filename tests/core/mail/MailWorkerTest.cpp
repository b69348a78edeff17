#include <chrono>
#include <optional>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTcpServer>
#include <QThread>
#include <QUuid>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSmtp.h"
#include "mail/MailWorker.h"
#include "storage/OutboxRepository.h"

using namespace rd;
using namespace rd::test;
using namespace std::chrono_literals;

namespace {

SmtpProfile plainProfile()
{
    const QString address = qEnvironmentVariable("RESELLERDESK_TEST_SMTP_PLAIN");
    SmtpProfile profile;
    profile.host = address.section(QLatin1Char(':'), 0, -2);
    profile.port = address.section(QLatin1Char(':'), -1).toUShort();
    profile.security = SmtpProfile::Security::Plain;
    profile.senderAddress = QStringLiteral("support@northwind.example");
    profile.senderName = QStringLiteral("Northwind Support");
    profile.timeout = 10s;
    return profile;
}

// A loopback port nobody listens on: connections are refused.
SmtpProfile unreachableProfile()
{
    QTcpServer probe;
    EXPECT_TRUE(probe.listen(QHostAddress::LocalHost));
    SmtpProfile profile = plainProfile();
    profile.host = QStringLiteral("127.0.0.1");
    profile.port = probe.serverPort();
    profile.senderAddress = QStringLiteral("support@northwind.example");
    probe.close();
    return profile;
}

// Runs the test thread's event loop until `done` or the timeout.
template<typename Predicate> bool waitFor(Predicate done, std::chrono::milliseconds timeout)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeout.count())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(10);
    }
    return true;
}

class MailWorkerTest : public DatabaseTest
{
protected:
    qint64 queue(const QString &recipient)
    {
        const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(-1);
        OutboxRow row;
        row.createdAt = now;
        row.kind = OutboxKind::Invitation;
        row.recipient = recipient;
        row.subject = QStringLiteral("Invitation");
        row.body = QStringLiteral("Hello from the mail worker test");
        row.notBefore = now;
        Result<qint64> id = OutboxRepository(db()).insert(row);
        EXPECT_TRUE(id.has_value()) << id.error().toString().toStdString();
        return id.value_or(0);
    }

    OutboxRow read(qint64 id)
    {
        Result<OutboxRow> row = OutboxRepository(db()).find(id);
        EXPECT_TRUE(row.has_value()) << row.error().toString().toStdString();
        return row.value_or(OutboxRow {});
    }

    // A worker whose signals land in m_runs / m_problems, received in the
    // test's thread.
    std::unique_ptr<MailWorker> worker(
        const SmtpProfile &smtp, std::chrono::milliseconds idleInterval = 60s)
    {
        MailWorker::Config config;
        config.database = testDatabase().profile();
        config.smtp = smtp;
        config.idleInterval = idleInterval;
        return workerWith(config);
    }

    std::unique_ptr<MailWorker> workerWith(const MailWorker::Config &config)
    {
        auto created = std::make_unique<MailWorker>(config);
        QObject::connect(
            created.get(), &MailWorker::ran, &m_receiver, [this](const DispatchCounts &counts) {
                m_runs.append(counts);
                m_receivedInTestThread = m_receivedInTestThread.value_or(true)
                    && QThread::currentThread() == m_receiver.thread();
            });
        QObject::connect(created.get(), &MailWorker::problem, &m_receiver,
            [this](const QString &message) { m_problems.append(message); });
        return created;
    }

    int total(int DispatchCounts::*field) const
    {
        int sum = 0;
        for (const DispatchCounts &counts : m_runs)
            sum += counts.*field;
        return sum;
    }

    QObject m_receiver;
    QList<DispatchCounts> m_runs;
    QStringList m_problems;
    std::optional<bool> m_receivedInTestThread;
};

} // namespace

TEST_P(MailWorkerTest, DeliversQueuedRowsToTheSmtpServerOnceEach)
{
    RD_REQUIRE_SMTP();
    QList<qint64> ids;
    QStringList recipients;
    for (int i = 0; i < 3; ++i) {
        recipients.append(uniqueRecipient(QStringLiteral("worker")));
        ids.append(queue(recipients.last()));
    }

    auto mail = worker(plainProfile());
    mail->start();
    EXPECT_TRUE(mail->isRunning());
    ASSERT_TRUE(waitFor([&] { return total(&DispatchCounts::sent) == 3; }, 20s))
        << "sent " << total(&DispatchCounts::sent) << ", problems "
        << m_problems.join(QLatin1Char('\n')).toStdString();
    mail->stop();
    EXPECT_FALSE(mail->isRunning());

    for (int i = 0; i < ids.size(); ++i) {
        const OutboxRow row = read(ids.at(i));
        EXPECT_EQ(row.status, OutboxStatus::Sent) << i;
        EXPECT_EQ(row.attempts, 1) << i;
        EXPECT_FALSE(row.messageId.isEmpty()) << i;
        EXPECT_EQ(spooledFor(recipients.at(i)), 1) << "exactly once: " << i;
    }
    EXPECT_EQ(total(&DispatchCounts::retried) + total(&DispatchCounts::failed)
            + total(&DispatchCounts::unknown),
        0);
    EXPECT_TRUE(m_problems.isEmpty());
}

TEST_P(MailWorkerTest, RanReachesAReceiverInTheTestsThread)
{
    // No SMTP server needed: a refused connection is a run that did
    // something too (a retry).
    queue(uniqueRecipient(QStringLiteral("worker")));
    auto mail = worker(unreachableProfile());
    mail->start();
    ASSERT_TRUE(waitFor([&] { return !m_runs.isEmpty(); }, 20s))
        << m_problems.join(QLatin1Char('\n')).toStdString();
    mail->stop();
    ASSERT_TRUE(m_receivedInTestThread.has_value());
    EXPECT_TRUE(*m_receivedInTestThread) << "queued to the receiver's thread";
}

TEST_P(MailWorkerTest, WakeDeliversANewRowWithoutWaitingForTheIdleInterval)
{
    RD_REQUIRE_SMTP();
    const QString first = uniqueRecipient(QStringLiteral("worker"));
    queue(first);
    auto mail = worker(plainProfile(), 10min);
    mail->start();
    ASSERT_TRUE(waitFor([&] { return total(&DispatchCounts::sent) == 1; }, 20s))
        << m_problems.join(QLatin1Char('\n')).toStdString();
    // Let it look once more, find nothing and go idle for ten minutes.
    QThread::msleep(500);

    const QString second = uniqueRecipient(QStringLiteral("worker"));
    const qint64 id = queue(second);
    QElapsedTimer timer;
    timer.start();
    mail->wake();
    ASSERT_TRUE(waitFor([&] { return total(&DispatchCounts::sent) == 2; }, 20s))
        << m_problems.join(QLatin1Char('\n')).toStdString();
    EXPECT_LT(timer.elapsed(), 20'000);
    EXPECT_EQ(read(id).status, OutboxStatus::Sent);
    EXPECT_EQ(spooledFor(second), 1);
    EXPECT_EQ(spooledFor(first), 1);
}

TEST_P(MailWorkerTest, StopWhileIdleReturnsPromptly)
{
    auto mail = worker(unreachableProfile(), 10min);
    mail->start();
    QThread::msleep(300); // nothing is due: it is waiting
    EXPECT_TRUE(mail->isRunning());

    QElapsedTimer timer;
    timer.start();
    mail->stop();
    EXPECT_LT(timer.elapsed(), 1'000);
    EXPECT_FALSE(mail->isRunning());
    mail->stop(); // twice is harmless
    EXPECT_TRUE(m_runs.isEmpty());
    EXPECT_TRUE(m_problems.isEmpty());
}

TEST_P(MailWorkerTest, AnUnreachableServerLeavesTheRowPendingForARetry)
{
    const qint64 id = queue(uniqueRecipient(QStringLiteral("worker")));
    auto mail = worker(unreachableProfile());
    mail->start();
    ASSERT_TRUE(waitFor([&] { return total(&DispatchCounts::retried) == 1; }, 20s))
        << m_problems.join(QLatin1Char('\n')).toStdString();
    mail->stop();

    const OutboxRow row = read(id);
    EXPECT_EQ(row.status, OutboxStatus::Pending);
    EXPECT_EQ(row.attempts, 1);
    EXPECT_FALSE(row.lastError.isEmpty());
    EXPECT_GT(row.nextAttemptAt, QDateTime::currentDateTimeUtc()) << "backed off";
    EXPECT_TRUE(row.leaseOwner.isEmpty()) << row.leaseOwner.toStdString();
    EXPECT_EQ(total(&DispatchCounts::sent), 0);
}

TEST_P(MailWorkerTest, AnUnopenableDatabaseIsAProblemAndStopStillWorks)
{
    const QString wrongPassword = QStringLiteral("not-the-password-%1")
                                      .arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
    MailWorker::Config config;
    config.database = GetParam() == Backend::SQLite
        ? ConnectionProfile::sqlite(QStringLiteral("/nonexistent-%1/outbox.sqlite")
                                        .arg(QUuid::createUuid().toString(QUuid::Id128)))
        : testDatabase().profile().withPassword(wrongPassword);
    config.smtp = unreachableProfile();
    config.idleInterval = 10min;
    auto mail = workerWith(config);
    mail->start();
    ASSERT_TRUE(waitFor([&] { return !m_problems.isEmpty(); }, 20s));
    EXPECT_FALSE(m_problems.first().isEmpty());
    EXPECT_FALSE(m_problems.first().contains(wrongPassword)) << "never the password";
    EXPECT_TRUE(mail->isRunning()) << "it keeps trying at the idle interval";

    QElapsedTimer timer;
    timer.start();
    mail.reset(); // the destructor stops and joins
    EXPECT_LT(timer.elapsed(), 1'000);
    EXPECT_TRUE(m_runs.isEmpty());
}

RD_INSTANTIATE_FOR_BACKENDS(MailWorkerTest);
