#include <chrono>
#include <ctime>
#include <functional>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QList>
#include <QSqlQuery>
#include <QTimer>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "storage/ChangeNotifier.h"

using namespace rd;
using namespace rd::test;
using namespace std::chrono_literals;

namespace {

// Runs the event loop (the notifier needs it) until done() or the timeout.
bool waitUntil(const std::function<bool()> &done, std::chrono::milliseconds timeout)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() >= timeout.count())
            return false;
        QEventLoop loop;
        QTimer::singleShot(10ms, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

void runEventLoopFor(std::chrono::milliseconds duration)
{
    waitUntil([] { return false; }, duration);
}

// Records each `changed` signal and when it came.
struct ChangeSpy
{
    explicit ChangeSpy(ChangeNotifier &notifier)
    {
        clock.start();
        QObject::connect(&notifier, &ChangeNotifier::changed, &notifier, [this](ChangeAreas areas) {
            received.append(areas);
            at.append(clock.elapsed());
        });
    }
    QList<ChangeAreas> received;
    QList<qint64> at; // ms since the spy was made
    QElapsedTimer clock;
};

class ChangeNotifierTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (HasFatalFailure() || IsSkipped())
            return;
        Result<Catalogue> catalogue = seedCatalogue(db());
        ASSERT_TRUE(catalogue.has_value()) << catalogue.error().toString().toStdString();
        m_catalogue = *catalogue;
        Result<std::unique_ptr<Database>> second = testDatabase().open();
        ASSERT_TRUE(second.has_value()) << second.error().toString().toStdString();
        m_second = std::move(*second);
        m_notifier = std::make_unique<ChangeNotifier>(db());
        Status started = m_notifier->start();
        ASSERT_TRUE(started.has_value()) << started.error().toString().toStdString();
        // Let the seeding settle: nothing before the test's own writes counts.
        runEventLoopFor(50ms);
    }

    void TearDown() override
    {
        m_notifier.reset();
        m_second.reset();
        DatabaseTest::TearDown();
    }

    bool postgres() const { return GetParam() == Backend::PostgreSQL; }

    Catalogue m_catalogue;
    std::unique_ptr<Database> m_second; // "another desktop" on the same database
    std::unique_ptr<ChangeNotifier> m_notifier;
};

// What only PostgreSQL has: payloads, triggers, a server that can go away.
class ChangeNotifierPostgresTest : public ChangeNotifierTest
{ };

} // namespace

TEST_P(ChangeNotifierTest, ListensTheRightWayForTheDatabase)
{
    EXPECT_EQ(
        m_notifier->mode(), postgres() ? ChangeNotifier::Mode::Notify : ChangeNotifier::Mode::Poll);
}

TEST_P(ChangeNotifierTest, AWriteOnAnotherConnectionIsReportedWithinASecond)
{
    ChangeSpy spy(*m_notifier);
    Result<qint64> id = seedCustomer(*m_second, m_catalogue, QStringLiteral("Other Desk Ltd"));
    ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();

    ASSERT_TRUE(waitUntil([&] { return !spy.received.isEmpty(); }, 3s)) << "no change was reported";
    EXPECT_LE(spy.at.constFirst(), 1000) << "reported after " << spy.at.constFirst() << " ms";
    if (postgres()) {
        // The payload names the table: the customers area, not everything.
        EXPECT_TRUE(spy.received.constFirst().testFlag(ChangeArea::Customers));
        EXPECT_FALSE(spy.received.constFirst().testFlag(ChangeArea::Outbox));
        EXPECT_FALSE(spy.received.constFirst().testFlag(ChangeArea::Settings));
    } else {
        // SQLite only knows that something changed.
        EXPECT_EQ(spy.received.constFirst(), allChangeAreas());
    }
}

TEST_P(ChangeNotifierTest, ABurstOfWritesIsReportedOnceOrAlmostOnce)
{
    ChangeSpy spy(*m_notifier);
    for (int i = 0; i < 100; ++i) {
        Result<qint64> id = seedCustomer(*m_second, m_catalogue, QStringLiteral("Burst %1").arg(i));
        ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
        // The desktop keeps running its event loop while the other one writes.
        QCoreApplication::processEvents();
    }
    ASSERT_TRUE(waitUntil([&] { return !spy.received.isEmpty(); }, 3s));
    runEventLoopFor(1200ms); // anything still to come comes now
    EXPECT_LE(spy.received.size(), 2) << "100 writes gave " << spy.received.size() << " signals";
}

TEST_P(ChangeNotifierTest, OwnWritesAreNotReported)
{
    ChangeSpy spy(*m_notifier);
    Result<qint64> id = seedCustomer(db(), m_catalogue, QStringLiteral("My Own Write"));
    ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
    runEventLoopFor(1200ms);
    EXPECT_TRUE(spy.received.isEmpty()) << "the view refreshes itself after its own write";

    // A worker connection of this same desktop is another connection.
    Result<qint64> other = seedCustomer(*m_second, m_catalogue, QStringLiteral("Worker Write"));
    ASSERT_TRUE(other.has_value());
    EXPECT_TRUE(waitUntil([&] { return !spy.received.isEmpty(); }, 3s));
}

TEST_P(ChangeNotifierPostgresTest, OwnWritesCanBeReportedOnPostgres)
{
    m_notifier->setReportOwnChanges(true);
    ChangeSpy spy(*m_notifier);
    ASSERT_TRUE(seedCustomer(db(), m_catalogue, QStringLiteral("Reported Own")).has_value());
    EXPECT_TRUE(waitUntil([&] { return !spy.received.isEmpty(); }, 3s));
}

TEST_P(ChangeNotifierTest, AStoppedNotifierIsSilent)
{
    ChangeSpy spy(*m_notifier);
    m_notifier->stop();
    EXPECT_FALSE(m_notifier->isActive());
    ASSERT_TRUE(seedCustomer(*m_second, m_catalogue, QStringLiteral("Unheard")).has_value());
    runEventLoopFor(1000ms);
    EXPECT_TRUE(spy.received.isEmpty());
    // And it can start again.
    ASSERT_TRUE(m_notifier->start().has_value());
    ASSERT_TRUE(seedCustomer(*m_second, m_catalogue, QStringLiteral("Heard")).has_value());
    EXPECT_TRUE(waitUntil([&] { return !spy.received.isEmpty(); }, 3s));
}

TEST_P(ChangeNotifierPostgresTest, OneStatementSendsOneNotificationAndAnEmptyUpdateNone)
{
    for (int i = 0; i < 20; ++i)
        ASSERT_TRUE(seedCustomer(db(), m_catalogue, QStringLiteral("Row %1").arg(i)).has_value());

    // The raw notifications the driver receives, before any debouncing.
    QStringList payloads;
    QObject::connect(db().connection().driver(), &QSqlDriver::notification, m_notifier.get(),
        [&](const QString &, QSqlDriver::NotificationSource source, const QVariant &payload) {
            if (source == QSqlDriver::OtherSource)
                payloads.append(payload.toString());
        });
    runEventLoopFor(100ms);
    payloads.clear();

    // Twenty rows, one statement, one notification.
    ASSERT_TRUE(testDatabase()
                    .execRaw(QStringLiteral("UPDATE customers SET version = version + 1"))
                    .has_value());
    ASSERT_TRUE(waitUntil([&] { return !payloads.isEmpty(); }, 3s));
    runEventLoopFor(300ms);
    EXPECT_EQ(payloads, QStringList {QStringLiteral("customers")});

    // An UPDATE that matches nothing (a lost optimistic update, an idle lease
    // query) tells nobody.
    payloads.clear();
    ASSERT_TRUE(testDatabase()
                    .execRaw(QStringLiteral("UPDATE outbox SET attempts = attempts + 1 "
                                            "WHERE id < 0"))
                    .has_value());
    runEventLoopFor(500ms);
    EXPECT_TRUE(payloads.isEmpty()) << payloads.join(QLatin1Char(',')).toStdString();
}

TEST_P(ChangeNotifierPostgresTest, TheMigrationInstallsStatementTriggers)
{
    QSqlQuery q(db().connection());
    // tgtype bit 0 set = FOR EACH ROW; statement triggers have it clear.
    ASSERT_TRUE(q.exec(
        QStringLiteral("SELECT c.relname, count(*), bool_or((t.tgtype & 1) = 1) FROM pg_trigger t "
                       "JOIN pg_class c ON c.oid = t.tgrelid "
                       "JOIN pg_proc p ON p.oid = t.tgfoid "
                       "WHERE p.proname LIKE 'resellerdesk_notify%' GROUP BY c.relname")));
    QHash<QString, int> triggers;
    while (q.next()) {
        triggers.insert(q.value(0).toString(), q.value(1).toInt());
        EXPECT_FALSE(q.value(2).toBool())
            << q.value(0).toString().toStdString() << " has a row trigger";
    }
    for (const char *table : {"customers", "customer_assignments", "resellers", "reseller_plans",
             "users", "memberships", "outbox", "impersonation_sessions", "settings", "plans",
             "price_lists", "price_list_items", "orders", "identification_usage"}) {
        EXPECT_EQ(triggers.value(QString::fromLatin1(table)), 3) << table;
    }
    EXPECT_EQ(triggers.value(QStringLiteral("audit_events")), 1);
}

TEST_P(ChangeNotifierPostgresTest, ALostConnectionIsReportedOnceAndDoesNotSpin)
{
    int stopped = 0;
    QObject::connect(
        m_notifier.get(), &ChangeNotifier::stopped, m_notifier.get(), [&](const QString &message) {
            ++stopped;
            EXPECT_FALSE(message.isEmpty());
        });
    // The server ends this desktop's session (a restart, a network cut).
    QSqlQuery pid(db().connection());
    ASSERT_TRUE(pid.exec(QStringLiteral("SELECT pg_backend_pid()")) && pid.next());
    const qint64 backend = pid.value(0).toLongLong();
    pid.finish();
    ASSERT_TRUE(testDatabase()
                    .execRaw(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(backend))
                    .has_value());

    ASSERT_TRUE(waitUntil([&] { return stopped > 0; }, 5s)) << "the loss went unnoticed";
    EXPECT_FALSE(m_notifier->isActive());
    // A second of event loop afterwards costs (almost) no CPU time.
    const std::clock_t before = std::clock();
    runEventLoopFor(1000ms);
    const double cpuMs = 1000.0 * double(std::clock() - before) / CLOCKS_PER_SEC;
    EXPECT_LT(cpuMs, 300.0) << "the event loop spins on the dead socket";
    EXPECT_EQ(stopped, 1);
}

TEST(ChangeNotifierAreas, TablesMapToTheirAreas)
{
    EXPECT_EQ(ChangeNotifier::areasOfTable(QStringLiteral("customers")),
        ChangeAreas(ChangeArea::Customers));
    EXPECT_EQ(ChangeNotifier::areasOfTable(QStringLiteral("customer_assignments")),
        ChangeAreas(ChangeArea::Customers));
    EXPECT_EQ(ChangeNotifier::areasOfTable(QStringLiteral("memberships")),
        ChangeAreas(ChangeArea::Users));
    EXPECT_EQ(ChangeNotifier::areasOfTable(QStringLiteral("audit_events")),
        ChangeAreas(ChangeArea::Audit));
    // A table of a newer schema: everything may have changed.
    EXPECT_EQ(ChangeNotifier::areasOfTable(QStringLiteral("something_new")), allChangeAreas());
}

RD_INSTANTIATE_FOR_BACKENDS(ChangeNotifierTest);
INSTANTIATE_TEST_SUITE_P(Backends, ChangeNotifierPostgresTest,
    ::testing::Values(Backend::PostgreSQL), BackendParamName());
