// Delivery faults against a real SMTP server: each test runs its own
// scripts/lib/smtp_server.py (plain mode, with its fault control port), so it
// can stop it, make it refuse, cut or stall, and read exactly what arrived.
#include <chrono>
#include <expected>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrl>
#include <QUuid>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "TestWorld.h"
#include "mail/Dispatcher.h"
#include "mail/SmtpTransport.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/OutboxService.h"
#include "storage/OutboxRepository.h"
#include "storage/WriteTransaction.h"

using namespace rd;
using namespace rd::test;
using namespace std::chrono_literals;

namespace {

// Debian's interpreter, which has python3-aiosmtpd (not a virtualenv's).
const QString Python = QStringLiteral("/usr/bin/python3");

// One message as the server spooled it.
struct Spooled
{
    QString recipient;
    QString messageId;
};

// A private smtp_server.py: plain SMTP on 127.0.0.1 plus the control port.
// Stopped (and killed if need be) when destroyed, so a failing test never
// leaves it behind; it also exits by itself if this process dies.
class FaultServer final
{
public:
    explicit FaultServer(const QString &dir)
        : m_dir(dir)
    {
        QDir().mkpath(spoolDir());
    }
    ~FaultServer() { stop(); }
    FaultServer(const FaultServer &) = delete;
    FaultServer &operator=(const FaultServer &) = delete;

    // Starts it on `port` (0: a free port the kernel picks); why not, if not.
    std::optional<std::string> start(quint16 port = 0)
    {
        stop();
        const QString ready = m_dir + QStringLiteral("/ready");
        QFile::remove(ready);
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->start(Python,
            {QStringLiteral(RESELLERDESK_SMTP_SERVER_SCRIPT), QStringLiteral("--modes"),
                QStringLiteral("plain"), QStringLiteral("--port"), QString::number(port),
                QStringLiteral("--spool"), spoolDir(), QStringLiteral("--ready"), ready,
                QStringLiteral("--control"), QStringLiteral("--exit-with-parent")});
        if (!m_process->waitForStarted(10'000))
            return "cannot run " + Python.toStdString() + ": "
                + m_process->errorString().toStdString();
        const QDeadlineTimer deadline(15s);
        while (!QFile::exists(ready)) {
            if (m_process->state() == QProcess::NotRunning || deadline.hasExpired()) {
                const std::string output = m_process->readAll().toStdString();
                stop();
                return "the test SMTP server did not start: " + output;
            }
            m_process->waitForFinished(50);
        }
        QFile file(ready);
        if (!file.open(QIODevice::ReadOnly))
            return "cannot read " + ready.toStdString();
        for (const QByteArray &line : file.readAll().split('\n')) {
            const QList<QByteArray> words = line.split(' ');
            if (words.size() != 2)
                continue;
            const quint16 listening = words.at(1).mid(words.at(1).lastIndexOf(':') + 1).toUShort();
            if (words.at(0) == "plain")
                m_port = listening;
            else if (words.at(0) == "control")
                m_controlPort = listening;
        }
        if (m_port == 0 || m_controlPort == 0 || (port != 0 && m_port != port))
            return "the test SMTP server's ready file is not as expected";
        return std::nullopt;
    }

    void stop()
    {
        if (!m_process)
            return;
        if (m_process->state() != QProcess::NotRunning) {
            m_process->terminate();
            if (!m_process->waitForFinished(5'000)) {
                m_process->kill();
                m_process->waitForFinished(5'000);
            }
        }
        m_process.reset();
        m_controlPort = 0;
    }

    // The port stays known after stop(), to start again on it.
    quint16 port() const { return m_port; }

    // Applies one fault request (see smtp_server.py) and returns the
    // server's counters, once the change is in effect.
    std::expected<QJsonObject, std::string> control(const QJsonObject &request) const
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_controlPort);
        if (!socket.waitForConnected(5'000))
            return std::unexpected("control port: " + socket.errorString().toStdString());
        socket.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
        QByteArray answer;
        while (!answer.contains('\n')) {
            if (!socket.waitForReadyRead(5'000))
                return std::unexpected("control port: no answer");
            answer += socket.readAll();
        }
        const QJsonObject reply = QJsonDocument::fromJson(answer).object();
        if (!reply.value(QLatin1String("ok")).toBool())
            return std::unexpected(reply.value(QLatin1String("error")).toString().toStdString());
        return reply.value(QLatin1String("stats")).toObject();
    }

    int stat(const char *name) const
    {
        const auto stats = control({});
        EXPECT_TRUE(stats.has_value()) << stats.error();
        return stats ? stats->value(QLatin1String(name)).toInt() : -1;
    }

    QList<Spooled> spool() const
    {
        QList<Spooled> found;
        const QDir dir(spoolDir());
        for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
            QFile file(dir.filePath(name));
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
            for (const QJsonValue &rcpt : record.value(QLatin1String("rcpt_tos")).toArray())
                found.append(
                    {rcpt.toString(), record.value(QLatin1String("message_id")).toString()});
        }
        return found;
    }

    // How many copies each recipient received.
    QHash<QString, int> copies() const
    {
        QHash<QString, int> counts;
        for (const Spooled &message : spool())
            ++counts[message.recipient];
        return counts;
    }

private:
    QString spoolDir() const { return m_dir + QStringLiteral("/spool"); }

    QString m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    quint16 m_controlPort = 0;
};

// Over a set of outbox rows, from the spool: sent (at least one copy
// arrived), duplicated (copies beyond the first) and lost (no copy arrived
// and the row does not say so either: only failed and unknown rows may lack
// a copy, since both are shown to an administrator).
struct Tally
{
    int sent = 0;
    int duplicated = 0;
    int lost = 0;
};

class MailFaultTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        ASSERT_TRUE(m_dir.isValid());
        m_server = std::make_unique<FaultServer>(m_dir.path());
        if (const auto why = m_server->start()) {
            if (inCi())
                FAIL() << *why;
            GTEST_SKIP() << *why;
        }
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << world.error().toString().toStdString();
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db());
        m_customers = std::make_unique<CustomerService>(db(), m_clock, *m_access);
        m_transport = std::make_unique<SmtpTransport>(profile(), m_clock);
    }

    void TearDown() override
    {
        // Before the database goes: a PostgreSQL database with a connected
        // sender cannot be dropped.
        if (m_sender) {
            m_sender->kill();
            m_sender->waitForFinished(5'000);
            m_sender.reset();
        }
        m_server.reset();
        DatabaseTest::TearDown();
    }

    SmtpProfile profile() const
    {
        SmtpProfile p;
        p.host = QStringLiteral("127.0.0.1");
        p.port = m_server->port();
        p.security = SmtpProfile::Security::Plain;
        p.senderAddress = QStringLiteral("support@northwind.example");
        p.senderName = QStringLiteral("Northwind Support");
        p.messageIdSeed = m_seed;
        p.timeout = 10s;
        return p;
    }

    static Dispatcher::Options options(const QString &owner, int batchSize = 10)
    {
        Dispatcher::Options o;
        o.leaseOwner = owner;
        o.batchSize = batchSize;
        return o;
    }

    // A customer added through the service, as the wizard does: the setup
    // email is queued in the same transaction.
    CreatedCustomer addCustomer(const QString &slug, const QString &domain = QStringLiteral("test"))
    {
        NewCustomer c;
        c.companyName = QStringLiteral("Company ") + slug;
        c.website = slug + QLatin1Char('.') + domain;
        c.contactName = QStringLiteral("Grace Hopper");
        c.contactEmail = QStringLiteral("grace@") + slug + QLatin1Char('.') + domain;
        c.resellerId = m_world.resellerA;
        c.planId = m_world.catalogue.planId;
        c.trial = false; // no trial reminder: only the setup email is queued
        Result<CreatedCustomer> created = m_customers->addCustomer(*m_world.admin, c);
        EXPECT_TRUE(created.has_value()) << created.error().toString().toStdString();
        EXPECT_NE(created.value_or(CreatedCustomer {}).setupEmailId, 0);
        return created.value_or(CreatedCustomer {});
    }

    OutboxRow read(qint64 id)
    {
        Result<OutboxRow> row = OutboxRepository(db()).find(id);
        EXPECT_TRUE(row.has_value()) << row.error().toString().toStdString();
        return row.value_or(OutboxRow {});
    }

    Tally tally(const QList<qint64> &ids)
    {
        const QHash<QString, int> copies = m_server->copies();
        Tally t;
        for (qint64 id : ids) {
            const OutboxRow row = read(id);
            const int n = copies.value(row.recipient);
            const bool shown
                = row.status == OutboxStatus::Failed || row.status == OutboxStatus::Unknown;
            t.sent += n > 0 ? 1 : 0;
            t.duplicated += n > 1 ? n - 1 : 0;
            t.lost += n == 0 && !shown ? 1 : 0;
        }
        return t;
    }

    OutboxService outbox() { return OutboxService(db(), m_clock, *m_access); }

    static DispatchCounts run(Dispatcher &dispatcher)
    {
        Result<DispatchCounts> counts = dispatcher.runOnce();
        EXPECT_TRUE(counts.has_value()) << counts.error().toString().toStdString();
        return counts.value_or(DispatchCounts {});
    }

    void applyFault(const QJsonObject &fault)
    {
        const auto applied = m_server->control(fault);
        ASSERT_TRUE(applied.has_value()) << applied.error();
    }

    void report(const char *scenario, const Tally &t, const std::string &extra = {}) const
    {
        std::cout << "[ counts   ] " << backendName(GetParam()) << " " << scenario << ": sent "
                  << t.sent << ", duplicated " << t.duplicated << ", lost " << t.lost
                  << (extra.empty() ? "" : " (" + extra + ")") << '\n';
    }

    // The database as a URL for the sender process (in its environment,
    // not its command line: it may hold a password).
    QString databaseUrl()
    {
        const ConnectionProfile &p = testDatabase().profile();
        if (p.dialect() == Dialect::SQLite)
            return p.filePath();
        QUrl url;
        url.setScheme(QStringLiteral("postgresql"));
        url.setUserName(p.userName());
        url.setPassword(p.password());
        url.setHost(p.host());
        url.setPort(p.port());
        url.setPath(QLatin1Char('/') + p.databaseName());
        return url.toString();
    }

    QTemporaryDir m_dir;
    std::unique_ptr<FaultServer> m_server;
    std::unique_ptr<QProcess> m_sender;
    ManualClock m_clock {testNow()};
    // Message-IDs differ from every other run's.
    QString m_seed = QUuid::createUuid().toString(QUuid::Id128);
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<CustomerService> m_customers;
    std::unique_ptr<SmtpTransport> m_transport;
};

} // namespace

TEST_P(MailFaultTest, ServerDownWhenTheCustomerIsCreatedThenBackDeliversExactlyOnce)
{
    const quint16 port = m_server->port();
    m_server->stop();

    const CreatedCustomer created = addCustomer(QStringLiteral("downtime"));
    ASSERT_NE(created.setupEmailId, 0);
    EXPECT_TRUE(m_customers->customer(*m_world.admin, created.customerId).has_value())
        << "the customer exists whatever the mail server does";
    Dispatcher dispatcher(db(), *m_transport, m_clock, options(QStringLiteral("desk-a")));

    // Down: connection refused is temporary, twice, with the back-off.
    DispatchCounts first = run(dispatcher);
    EXPECT_EQ(first.retried, 1);
    EXPECT_EQ(first.sent + first.failed + first.unknown, 0);
    OutboxRow row = read(created.setupEmailId);
    EXPECT_EQ(row.status, OutboxStatus::Pending);
    EXPECT_EQ(row.attempts, 1);
    EXPECT_TRUE(row.lastError.contains(QStringLiteral("Cannot connect")))
        << row.lastError.toStdString();
    EXPECT_EQ(row.nextAttemptAt, m_clock.now().addSecs(60));
    m_clock.advanceMs(30'000);
    EXPECT_EQ(run(dispatcher).claimed, 0) << "not before the back-off";
    m_clock.advanceMs(30'000);
    EXPECT_EQ(run(dispatcher).retried, 1);
    EXPECT_EQ(read(created.setupEmailId).status, OutboxStatus::Pending);

    // Back on the same port.
    const auto restarted = m_server->start(port);
    ASSERT_FALSE(restarted.has_value()) << *restarted;
    m_clock.advanceMs(120'000);
    EXPECT_EQ(run(dispatcher).sent, 1);
    row = read(created.setupEmailId);
    EXPECT_EQ(row.status, OutboxStatus::Sent);
    EXPECT_EQ(row.attempts, 3);
    EXPECT_TRUE(row.secret.isEmpty()) << "redacted once delivered";

    for (int i = 0; i < 3; ++i) {
        m_clock.advanceMs(3'600'000);
        EXPECT_EQ(run(dispatcher).claimed, 0);
    }
    const QList<Spooled> spool = m_server->spool();
    ASSERT_EQ(spool.size(), 1);
    EXPECT_EQ(spool.first().recipient, row.recipient);
    EXPECT_EQ(spool.first().messageId, row.messageId);
    const Tally t = tally({row.id});
    report("server down, then back", t, "attempts " + std::to_string(row.attempts));
    EXPECT_EQ(t.sent, 1);
    EXPECT_EQ(t.duplicated, 0);
    EXPECT_EQ(t.lost, 0);
}

TEST_P(MailFaultTest, TemporaryFailureThenSuccessDeliversOnceInTwoAttempts)
{
    applyFault(QJsonObject({{QStringLiteral("tempfail"), 1}}));
    const CreatedCustomer created = addCustomer(QStringLiteral("busy"));
    Dispatcher dispatcher(db(), *m_transport, m_clock, options(QStringLiteral("desk-a")));

    EXPECT_EQ(run(dispatcher).retried, 1);
    OutboxRow row = read(created.setupEmailId);
    EXPECT_EQ(row.status, OutboxStatus::Pending);
    EXPECT_TRUE(row.lastError.contains(QStringLiteral("451"))) << row.lastError.toStdString();
    EXPECT_TRUE(m_server->spool().isEmpty());

    m_clock.advanceMs(60'000);
    EXPECT_EQ(run(dispatcher).sent, 1);
    row = read(created.setupEmailId);
    EXPECT_EQ(row.status, OutboxStatus::Sent);
    EXPECT_EQ(row.attempts, 2);
    m_clock.advanceMs(86'400'000);
    EXPECT_EQ(run(dispatcher).claimed, 0);

    EXPECT_EQ(m_server->stat("tempfailed"), 1);
    const QList<Spooled> spool = m_server->spool();
    ASSERT_EQ(spool.size(), 1);
    EXPECT_EQ(spool.first().messageId, row.messageId);
    const Tally t = tally({row.id});
    report("451 then success", t, "attempts " + std::to_string(row.attempts));
    EXPECT_EQ(t.sent, 1);
    EXPECT_EQ(t.duplicated, 0);
    EXPECT_EQ(t.lost, 0);
}

TEST_P(MailFaultTest, PermanentFailureIsFailedWithTheServersReplyAndNeverDelivered)
{
    applyFault(QJsonObject({{QStringLiteral("permfail"), QStringLiteral("[@.]nowhere\\.test$")}}));
    const CreatedCustomer refused
        = addCustomer(QStringLiteral("mailbox"), QStringLiteral("nowhere.test"));
    Dispatcher dispatcher(db(), *m_transport, m_clock, options(QStringLiteral("desk-a")));

    EXPECT_EQ(run(dispatcher).failed, 1);
    const OutboxRow row = read(refused.setupEmailId);
    EXPECT_EQ(row.status, OutboxStatus::Failed);
    EXPECT_EQ(row.attempts, 1);
    EXPECT_TRUE(row.lastError.contains(QStringLiteral("RCPT TO"))) << row.lastError.toStdString();
    EXPECT_TRUE(row.lastError.contains(QStringLiteral("550 5.1.1 Mailbox unavailable")))
        << row.lastError.toStdString();
    for (int i = 0; i < 3; ++i) {
        m_clock.advanceMs(86'400'000);
        EXPECT_EQ(run(dispatcher).claimed, 0);
    }
    EXPECT_EQ(read(refused.setupEmailId).status, OutboxStatus::Failed);
    EXPECT_EQ(m_server->stat("permfailed"), 1) << "tried once, never again";
    // What the status-bar indicator and the Outbox view show.
    const Result<OutboxSummary> summary = outbox().summary(*m_world.admin);
    ASSERT_TRUE(summary.has_value()) << summary.error().toString().toStdString();
    EXPECT_EQ(summary->failed, 1);
    EXPECT_TRUE(summary->lastError.contains(QStringLiteral("550")))
        << summary->lastError.toStdString();
    const Tally t = tally({row.id});
    report("550", t, "failed 1, never delivered");
    EXPECT_EQ(t.sent, 0);
    EXPECT_EQ(t.lost, 0) << "failed, and shown as such";
    EXPECT_TRUE(m_server->spool().isEmpty());
}

TEST_P(MailFaultTest, ConnectionCutAfterDataIsUnknownWithOneCopyAndNeverResent)
{
    applyFault(QJsonObject({{QStringLiteral("cut_after_data"), 1}}));
    const CreatedCustomer created = addCustomer(QStringLiteral("cut"));
    Dispatcher dispatcher(db(), *m_transport, m_clock, options(QStringLiteral("desk-a")));

    EXPECT_EQ(run(dispatcher).unknown, 1);
    const OutboxRow row = read(created.setupEmailId);
    EXPECT_EQ(row.status, OutboxStatus::Unknown);
    EXPECT_TRUE(row.lastError.contains(QStringLiteral("may have been delivered")))
        << row.lastError.toStdString();
    const int connections = m_server->stat("connections");
    for (int i = 0; i < 5; ++i) {
        m_clock.advanceMs(3'600'000);
        EXPECT_EQ(run(dispatcher).claimed, 0);
    }
    // A second dispatcher (another desktop) does not resend it either.
    Dispatcher other(db(), *m_transport, m_clock, options(QStringLiteral("desk-b")));
    EXPECT_EQ(run(other).claimed, 0);

    EXPECT_EQ(read(created.setupEmailId).status, OutboxStatus::Unknown);
    EXPECT_EQ(m_server->stat("cut"), 1);
    EXPECT_EQ(m_server->stat("connections"), connections) << "no new delivery attempt";
    const Tally t = tally({row.id});
    report("cut after DATA", t, "status unknown");
    EXPECT_EQ(t.sent, 1) << "the server had it: exactly one copy";
    EXPECT_EQ(t.duplicated, 0);
    EXPECT_EQ(m_server->spool().size(), 1);
}

TEST_P(MailFaultTest, SenderKilledWhileSendingIsRecoveredAsUnknownNotLostNotDuplicated)
{
    const QString marker = m_dir.filePath(QStringLiteral("stalled"));
    applyFault(
        QJsonObject({{QStringLiteral("stall_data"), 1}, {QStringLiteral("stall_marker"), marker}}));
    // Oldest first and the sender claims one: the victim, not the bystander.
    const CreatedCustomer victim = addCustomer(QStringLiteral("victim"));
    const CreatedCustomer bystander = addCustomer(QStringLiteral("bystander"));

    m_sender = std::make_unique<QProcess>();
    m_sender->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("RESELLERDESK_CRASH_DB"), databaseUrl());
    m_sender->setProcessEnvironment(environment);
    m_sender->start(QStringLiteral(RESELLERDESK_CRASH_SENDER),
        {QStringLiteral("--port"), QString::number(m_server->port()), QStringLiteral("--now"),
            QString::number(m_clock.now().toMSecsSinceEpoch()), QStringLiteral("--owner"),
            QStringLiteral("crashed-desk"), QStringLiteral("--seed"), m_seed});
    ASSERT_TRUE(m_sender->waitForStarted(10'000)) << m_sender->errorString().toStdString();

    // The server has the whole message and stalls before its reply.
    const QDeadlineTimer deadline(30s);
    while (!QFile::exists(marker)) {
        ASSERT_EQ(m_sender->state(), QProcess::Running)
            << "the sender ended early: " << m_sender->readAll().toStdString();
        ASSERT_FALSE(deadline.hasExpired()) << "the server never got the DATA";
        m_sender->waitForFinished(50);
    }
    OutboxRow row = read(victim.setupEmailId);
    EXPECT_EQ(row.status, OutboxStatus::Sending);
    EXPECT_EQ(row.leaseOwner, QStringLiteral("crashed-desk"));
    EXPECT_EQ(read(bystander.setupEmailId).status, OutboxStatus::Pending);

    m_sender->kill(); // SIGKILL: no clean-up of any kind
    ASSERT_TRUE(m_sender->waitForFinished(10'000));
    EXPECT_EQ(m_sender->exitStatus(), QProcess::CrashExit);

    // The app restarts: a new dispatcher. The lease is still live (ten
    // minutes): the row is left alone, the other one goes out normally.
    Dispatcher restarted(db(), *m_transport, m_clock, options(QStringLiteral("desk-restarted")));
    m_clock.advanceMs(5 * 60'000);
    DispatchCounts live = run(restarted);
    EXPECT_EQ(live.recovered, 0) << "a live lease is never taken over";
    EXPECT_EQ(live.sent, 1);
    EXPECT_EQ(read(victim.setupEmailId).status, OutboxStatus::Sending);
    EXPECT_EQ(read(bystander.setupEmailId).status, OutboxStatus::Sent);

    // Past the lease: recovered as unknown, still there, not resent.
    m_clock.advanceMs(6 * 60'000);
    DispatchCounts expired = run(restarted);
    EXPECT_EQ(expired.recovered, 1);
    EXPECT_EQ(expired.claimed, 0);
    for (int i = 0; i < 3; ++i) {
        m_clock.advanceMs(3'600'000);
        EXPECT_EQ(run(restarted).claimed, 0);
    }
    row = read(victim.setupEmailId);
    EXPECT_EQ(row.status, OutboxStatus::Unknown);
    EXPECT_EQ(row.leaseOwner, QStringLiteral("crashed-desk")) << "shows who was sending";
    EXPECT_EQ(row.attempts, 1);

    const QHash<QString, int> copies = m_server->copies();
    EXPECT_LE(copies.value(row.recipient), 1) << "never duplicated";
    EXPECT_EQ(copies.value(read(bystander.setupEmailId).recipient), 1);
    EXPECT_EQ(m_server->stat("stalled"), 1);
    const Result<OutboxSummary> summary = outbox().summary(*m_world.admin);
    ASSERT_TRUE(summary.has_value()) << summary.error().toString().toStdString();
    EXPECT_EQ(summary->unknown, 1) << "visible to an administrator, who may resend it";
    EXPECT_EQ(summary->pending, 0);
    const Tally t = tally({victim.setupEmailId, bystander.setupEmailId});
    report("sender killed at DATA", t,
        "victim: " + std::to_string(copies.value(row.recipient))
            + " copy, status unknown; bystander sent");
    EXPECT_EQ(t.duplicated, 0);
    EXPECT_EQ(t.lost, 0);
}

TEST_P(MailFaultTest, TwoHundredCustomersThroughAFlappingServerAreEachDeliveredOnce)
{
    constexpr int Customers = 200;
    QList<qint64> ids;
    for (int i = 0; i < Customers; ++i) {
        const CreatedCustomer created = addCustomer(QStringLiteral("flap%1").arg(i));
        ASSERT_NE(created.setupEmailId, 0);
        ids.append(created.setupEmailId);
    }
    // Deterministic: the same seed gives the same faults in the same order.
    applyFault(QJsonObject({{QStringLiteral("flap"),
        QJsonObject({{QStringLiteral("probability"), 0.3}, {QStringLiteral("seed"), 20261123}})}}));
    Dispatcher dispatcher(db(), *m_transport, m_clock, options(QStringLiteral("desk-a"), 25));

    DispatchCounts total;
    int runs = 0;
    bool drained = false;
    for (; runs < 200 && !drained; ++runs) {
        const DispatchCounts counts = run(dispatcher);
        total.sent += counts.sent;
        total.retried += counts.retried;
        total.failed += counts.failed;
        total.unknown += counts.unknown;
        if (counts.claimed > 0)
            continue;
        drained = true;
        for (qint64 id : ids)
            drained = drained && read(id).status != OutboxStatus::Pending;
        m_clock.advanceMs(3'600'000); // past the longest back-off
    }
    ASSERT_TRUE(drained) << "still pending after " << runs << " runs";

    int sentRows = 0;
    for (qint64 id : ids) {
        const OutboxRow row = read(id);
        EXPECT_EQ(row.status, OutboxStatus::Sent) << id << ": " << row.lastError.toStdString();
        sentRows += row.status == OutboxStatus::Sent ? 1 : 0;
    }
    const Tally t = tally(ids);
    const auto stats = m_server->control({});
    ASSERT_TRUE(stats.has_value()) << stats.error();
    const auto stat = [&](const char *name) {
        return std::to_string(stats->value(QLatin1String(name)).toInt());
    };
    report("200 customers, flapping server", t,
        stat("connections") + " connections: " + stat("dropped") + " dropped, " + stat("busy")
            + " 421, " + stat("tempfailed") + " 451; " + std::to_string(total.retried)
            + " retries in " + std::to_string(runs) + " runs");
    EXPECT_GT(total.retried, 0) << "the server did flap";
    EXPECT_EQ(total.failed + total.unknown, 0);
    EXPECT_EQ(sentRows, Customers);
    EXPECT_EQ(t.sent, Customers);
    EXPECT_EQ(t.duplicated, 0);
    EXPECT_EQ(t.lost, 0);
    EXPECT_EQ(m_server->spool().size(), Customers);
}

TEST_P(MailFaultTest, TwoDispatchersDrainFiveHundredThroughTheServerEachExactlyOnce)
{
    constexpr int Messages = 500;
    QList<qint64> ids;
    {
        // One transaction: 500 single inserts on PostgreSQL are slow otherwise.
        Result<WriteTransaction> transaction = WriteTransaction::begin(db());
        ASSERT_TRUE(transaction.has_value());
        OutboxRepository outbox(db());
        for (int i = 0; i < Messages; ++i) {
            OutboxRow row;
            row.createdAt = testNow();
            row.kind = OutboxKind::Invitation;
            row.recipient = QStringLiteral("bulk%1@example.com").arg(i);
            row.subject = QStringLiteral("Invitation");
            row.body = QStringLiteral("Hello");
            row.notBefore = testNow();
            Result<qint64> id = outbox.insert(row);
            ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
            ids.append(*id);
        }
        ASSERT_TRUE(transaction->commit());
    }

    struct Worker
    {
        DispatchCounts total;
        int runs = 0;
        QString error;
    };
    const SmtpProfile smtp = profile();
    const auto drain = [&](const QString &owner, Worker &worker) {
        Result<std::unique_ptr<Database>> own = testDatabase().open();
        if (!own) {
            worker.error = own.error().toString();
            return;
        }
        const ManualClock clock(testNow());
        SmtpTransport transport(smtp, clock);
        Dispatcher dispatcher(**own, transport, clock, options(owner, 10));
        for (;;) {
            Result<DispatchCounts> counts = dispatcher.runOnce();
            if (!counts) {
                worker.error = counts.error().toString();
                return;
            }
            ++worker.runs;
            worker.total.claimed += counts->claimed;
            worker.total.sent += counts->sent;
            worker.total.retried += counts->retried;
            worker.total.unknown += counts->unknown;
            worker.total.lostLeases += counts->lostLeases;
            if (counts->claimed == 0)
                return;
        }
    };
    Worker a;
    Worker b;
    std::thread ta([&] { drain(QStringLiteral("desk-a"), a); });
    std::thread tb([&] { drain(QStringLiteral("desk-b"), b); });
    ta.join();
    tb.join();
    ASSERT_TRUE(a.error.isEmpty()) << a.error.toStdString();
    ASSERT_TRUE(b.error.isEmpty()) << b.error.toStdString();

    for (qint64 id : ids) {
        const OutboxRow row = read(id);
        EXPECT_EQ(row.status, OutboxStatus::Sent) << id << ": " << row.lastError.toStdString();
        EXPECT_EQ(row.attempts, 1) << id;
    }
    const Tally t = tally(ids);
    report("two dispatchers, 500 messages", t,
        "desk-a " + std::to_string(a.total.sent) + " in " + std::to_string(a.runs)
            + " runs, desk-b " + std::to_string(b.total.sent) + " in " + std::to_string(b.runs)
            + " runs");
    EXPECT_EQ(t.sent, Messages);
    EXPECT_EQ(t.duplicated, 0);
    EXPECT_EQ(t.lost, 0);
    EXPECT_EQ(m_server->spool().size(), Messages);
    EXPECT_EQ(a.total.sent + b.total.sent, Messages);
    EXPECT_EQ(a.total.retried + a.total.unknown + b.total.retried + b.total.unknown, 0);
    EXPECT_EQ(a.total.lostLeases + b.total.lostLeases, 0);
}

RD_INSTANTIATE_FOR_BACKENDS(MailFaultTest);
