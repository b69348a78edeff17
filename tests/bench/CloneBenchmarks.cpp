#include "CloneBenchmarks.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include <unistd.h>

#include <QDateTime>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include "BenchDatabase.h"
#include "CloneNaiveBaseline.h"
#include "security/LocalAuthenticator.h"
#include "security/PasswordHasher.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/TransferService.h"
#include "storage/CatalogueRepository.h"
#include "storage/Database.h"
#include "storage/ResellerRepository.h"

namespace rd::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;

// The size of a bulk clone.
constexpr int CloneSize = 1000;

int g_cloneFailures = 0;

void skip(benchmark::State &state, const QString &why)
{
    ++g_cloneFailures;
    std::fprintf(stderr, "bench: error: %s\n", qPrintable(why));
    state.SkipWithError(why.toStdString().c_str());
}

Status check(bool ok, const QString &what, const QSqlError &error = {})
{
    if (ok)
        return {};
    return fail(ErrorCode::DatabaseError, what, {}, error.text());
}

// Per-iteration times as median_ms, p95_ms and max_ms (nearest rank), like
// the other benchmarks.
class Samples
{
public:
    void add(benchmark::State &state, double ms)
    {
        state.SetIterationTime(ms / 1000.0);
        m_ms.push_back(ms);
    }

    void report(benchmark::State &state)
    {
        if (m_ms.empty())
            return;
        std::sort(m_ms.begin(), m_ms.end());
        state.counters["median_ms"] = percentile(0.5);
        state.counters["p95_ms"] = percentile(0.95);
        state.counters["max_ms"] = m_ms.back();
    }

private:
    double percentile(double p) const
    {
        if (p == 0.5 && m_ms.size() % 2 == 0)
            return (m_ms[m_ms.size() / 2 - 1] + m_ms[m_ms.size() / 2]) / 2.0;
        const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(m_ms.size())));
        return m_ms[std::clamp<std::size_t>(rank, 1, m_ms.size()) - 1];
    }

    std::vector<double> m_ms;
};

// What both candidates clone: on SQLite in a copy of the cached file, on
// PostgreSQL in the cached database.
struct CloneFixture
{
    QTemporaryDir dir;
    QString copyPath; // SQLite: the copy, made before the first candidate runs
    qint64 sourceResellerId = 0;
    QList<qint64> plans; // what the source offers, offered by every target
    QList<qint64> customers;
    QString tag; // makes the targets' names unique across runs
    int targets = 0;
    bool ready = false;
};

// The database a candidate's run works in, open for that run only.
struct CloneConnection
{
    std::unique_ptr<Database> own; // SQLite: the copy
    std::unique_ptr<Session> ownAdmin;
    Database *db = nullptr;
    const Session *admin = nullptr;
};

Result<CloneConnection> connect(CloneFixture &f, const BenchContext &context)
{
    CloneConnection c;
    if (context.backend != Backend::SQLite) {
        c.db = &context.db;
        c.admin = &context.admin;
        return c;
    }
    if (f.copyPath.isEmpty()) {
        if (!f.dir.isValid())
            return fail(ErrorCode::DatabaseError, QStringLiteral("no temporary directory"));
        // Checkpointed, so the copy holds everything.
        if (Status done = context.db.execDirect(
                QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), QStringLiteral("checkpointing"));
            !done)
            return fail(done.error());
        const QString path = f.dir.filePath(QStringLiteral("clone.sqlite"));
        if (!QFile::copy(context.db.profile().filePath(), path))
            return fail(ErrorCode::DatabaseError, QStringLiteral("copying the database"));
        // On disk before the first iteration: else the first WAL checkpoint
        // (which syncs the file) writes out the whole copy inside a timed clone.
        QFile copy(path);
        if (!copy.open(QIODevice::ReadWrite) || ::fsync(copy.handle()) != 0)
            return fail(ErrorCode::DatabaseError, QStringLiteral("syncing the copy"));
        f.copyPath = path;
    }
    Result<std::unique_ptr<Database>> db = Database::open(ConnectionProfile::sqlite(f.copyPath));
    if (!db)
        return fail(db.error());
    c.own = std::move(*db);
    Result<Session> admin = BenchDatabase::administrator(*c.own);
    if (!admin)
        return fail(admin.error());
    c.ownAdmin = std::make_unique<Session>(*admin);
    c.db = c.own.get();
    c.admin = c.ownAdmin.get();
    return c;
}

Status prepareFixture(CloneFixture &f, Database &db)
{
    // The generated reseller with the most open assignments (the targets of
    // earlier runs have none left open), and 1,000 of its active customers.
    QSqlQuery q(db.connection());
    if (Status done = check(
            q.exec(QStringLiteral("SELECT reseller_id FROM customer_assignments WHERE ended_at IS "
                                  "NULL GROUP BY reseller_id ORDER BY count(*) DESC, reseller_id "
                                  "LIMIT 1"))
                && q.next(),
            QStringLiteral("finding the source reseller"), q.lastError());
        !done)
        return done;
    f.sourceResellerId = q.value(0).toLongLong();
    q.finish();
    if (Status done = check(q.prepare(QStringLiteral(
                                "SELECT a.customer_id FROM customer_assignments a JOIN customers c "
                                "ON c.id = a.customer_id WHERE a.reseller_id = ? AND a.ended_at "
                                "IS NULL AND c.archived_at IS NULL AND c.active = ? "
                                "ORDER BY a.customer_id LIMIT ?")),
            QStringLiteral("reading the customers"), q.lastError());
        !done)
        return done;
    q.addBindValue(f.sourceResellerId);
    q.addBindValue(true);
    q.addBindValue(CloneSize);
    if (Status done = check(q.exec(), QStringLiteral("reading the customers"), q.lastError());
        !done)
        return done;
    while (q.next())
        f.customers.append(q.value(0).toLongLong());
    if (f.customers.isEmpty())
        return check(false, QStringLiteral("the source reseller has no active customers"));

    Result<QList<PlanRow>> offered = CatalogueRepository(db).plansOfferedBy(f.sourceResellerId);
    if (!offered)
        return fail(offered.error());
    for (const PlanRow &plan : *offered)
        f.plans.append(plan.id);
    f.tag = QString::number(QDateTime::currentMSecsSinceEpoch(), 36);
    f.ready = true;
    std::fprintf(stderr, "bench: clone: %lld customers of reseller %lld\n",
        static_cast<long long>(f.customers.size()), static_cast<long long>(f.sourceResellerId));
    return {};
}

// A new active target reseller offering the source's plans (untimed).
Result<qint64> newTarget(CloneFixture &f, Database &db)
{
    ResellerRow r;
    r.name
        = QStringLiteral("Clone target ") + f.tag + QLatin1Char('-') + QString::number(++f.targets);
    r.createdAt = QDateTime::currentDateTimeUtc();
    ResellerRepository resellers(db);
    Result<qint64> id = resellers.insert(r);
    if (!id)
        return fail(id.error());
    if (Status offered = resellers.setOfferedPlans(*id, f.plans); !offered)
        return fail(offered.error());
    return *id;
}

// Ends what the iteration opened and archives its target (untimed), so the
// next iteration and the next run find the same open assignments.
Status retireTarget(Database &db, qint64 targetId)
{
    QSqlQuery q(db.connection());
    if (Status done = check(
            q.prepare(QStringLiteral("UPDATE customer_assignments SET ended_at = assigned_at, "
                                     "version = version + 1 WHERE reseller_id = ? AND ended_at IS "
                                     "NULL")),
            QStringLiteral("ending the clone's assignments"), q.lastError());
        !done)
        return done;
    q.addBindValue(targetId);
    if (Status done
        = check(q.exec(), QStringLiteral("ending the clone's assignments"), q.lastError());
        !done)
        return done;
    if (Status done = check(q.prepare(QStringLiteral(
                                "UPDATE resellers SET active = ?, archived_at = ? WHERE id = ?")),
            QStringLiteral("archiving the target"), q.lastError());
        !done)
        return done;
    q.addBindValue(false);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(targetId);
    return check(q.exec(), QStringLiteral("archiving the target"), q.lastError());
}

enum class Candidate { Ours, Naive };

void runClone(benchmark::State &state, const BenchContext &context,
    const std::shared_ptr<CloneFixture> &fixture, Candidate candidate)
{
    Samples samples;
    Result<CloneConnection> connection = connect(*fixture, context);
    if (!connection) {
        skip(state, connection.error().toString());
        return;
    }
    Database &db = *connection->db;
    const Session &admin = *connection->admin;
    CloneFixture &f = *fixture;
    if (!f.ready) {
        if (Status ready = prepareFixture(f, db); !ready) {
            skip(state, ready.error().toString());
            return;
        }
    }
    for (auto _ : state) {
        Result<qint64> target = newTarget(f, db);
        if (!target) {
            skip(state, target.error().toString());
            return;
        }
        qsizetype cloned = 0;
        SteadyClock::time_point start = SteadyClock::now();
        if (candidate == Candidate::Ours) {
            SystemClock clock;
            AccessControl access(db, clock);
            LocalAuthenticator authenticator(db, clock, PasswordHasher(PasswordCost::minimum()));
            TransferService service(db, clock, access, authenticator);
            start = SteadyClock::now(); // the service's construction is not the clone
            Result<CloneReport> report = service.cloneToReseller(admin, f.customers, *target);
            if (!report) {
                skip(state, report.error().toString());
                return;
            }
            cloned = report->cloned.size();
        } else {
            CloneNaiveBaseline naive(db, admin.userId(), admin.membershipId());
            Result<int> done = naive.clone(f.customers, *target);
            if (!done) {
                skip(state, done.error().toString());
                return;
            }
            cloned = *done;
        }
        samples.add(
            state, std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count());
        if (cloned != f.customers.size()) {
            skip(state,
                QStringLiteral("%1 of %2 customers cloned").arg(cloned).arg(f.customers.size()));
            return;
        }
        state.counters["customers"] = static_cast<double>(cloned);
        if (Status retired = retireTarget(db, *target); !retired) {
            skip(state, retired.error().toString());
            return;
        }
    }
    samples.report(state);
}

} // namespace

int failedCloneBenchmarks()
{
    return g_cloneFailures;
}

void registerCloneBenchmarks(const BenchContext &context, const BenchOptions &options)
{
    auto fixture = std::make_shared<CloneFixture>();
    const BenchContext *ctx = &context;
    const std::string backend = backendName(context.backend).toStdString();
    const struct
    {
        Candidate candidate;
        const char *name;
        int iterations;
    } runs[] {{Candidate::Ours, "ours", options.smoke ? 1 : 10},
        {Candidate::Naive, "naive", options.smoke ? 1 : 3}};
    for (const auto &run : runs) {
        const Candidate candidate = run.candidate;
        benchmark::RegisterBenchmark(("BM_Clone1000/" + backend + '/' + run.name).c_str(),
            [ctx, fixture, candidate](
                benchmark::State &state) { runClone(state, *ctx, fixture, candidate); })
            ->Iterations(run.iterations)
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
    }
}

} // namespace rd::bench
