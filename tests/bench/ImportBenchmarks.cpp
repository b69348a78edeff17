#include "ImportBenchmarks.h"

#include <chrono>
#include <memory>
#include <optional>

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSqlQuery>
#include <QStringList>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include "domain/Csv.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerImportService.h"
#include "storage/Database.h"

namespace rd::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;

int g_importFailures = 0;

void fail(benchmark::State &state, const QString &why)
{
    ++g_importFailures;
    state.SkipWithError(why.toStdString().c_str());
}

double msSince(SteadyClock::time_point start)
{
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// The copy of the database both candidates import into, and the files.
// SQLite: a copy of the file in the fixture's directory; PostgreSQL: the
// database BenchMain copied before the run connected (context.importCopy).
struct ImportFixture
{
    QTemporaryDir dir;
    std::optional<ConnectionProfile> target;
    QString csvPath;  // the import file: header + rows
    QString barePath; // the same rows as bare customer rows for the reference
    int rows = 0;
    qint64 resellerId = 0; // the portal the rows join
    bool ready = false;
};

Status check(bool ok, const QString &what)
{
    if (ok)
        return {};
    return std::unexpected(Error(ErrorCode::DatabaseError, what));
}

Status prepareFixture(ImportFixture &f, const BenchContext &context, int rows)
{
    f.rows = rows;
    if (!f.dir.isValid())
        return check(false, QStringLiteral("no temporary directory"));
    if (context.backend == Backend::PostgreSQL) {
        if (!context.importCopy)
            return check(false, QStringLiteral("no copy of the database to import into"));
        f.target = *context.importCopy;
    } else {
        // The database file, checkpointed so the copy holds everything.
        if (Status done = context.db.execDirect(
                QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), QStringLiteral("checkpointing"));
            !done)
            return done;
        const QString path = f.dir.filePath(QStringLiteral("import.sqlite"));
        if (Status copied = check(QFile::copy(context.db.profile().filePath(), path),
                QStringLiteral("copying the database"));
            !copied)
            return copied;
        f.target = ConnectionProfile::sqlite(path);
    }

    // Plan and reseller of the generated database.
    QSqlQuery q(context.db.connection());
    if (!q.exec(QStringLiteral("SELECT p.name, r.id FROM plans p, resellers r "
                               "WHERE EXISTS (SELECT 1 FROM reseller_plans rp WHERE "
                               "rp.plan_id = p.id AND rp.reseller_id = r.id) "
                               "ORDER BY r.id, p.id LIMIT 1"))
        || !q.next())
        return check(false, QStringLiteral("no reseller offering a plan"));
    const QString plan = q.value(0).toString();
    const qint64 resellerId = q.value(1).toLongLong();
    q.finish();

    // The bare columns of customers, for the reference table and its file.
    QStringList columns;
    QSqlQuery info(context.db.connection());
    const bool sqlite = context.backend == Backend::SQLite;
    if (!info.exec(sqlite ? QStringLiteral("PRAGMA table_info(customers)")
                          : QStringLiteral("SELECT ordinal_position, column_name FROM "
                                           "information_schema.columns WHERE table_name = "
                                           "'customers' AND table_schema = current_schema() "
                                           "ORDER BY ordinal_position")))
        return check(false, QStringLiteral("reading the customers columns"));
    while (info.next())
        columns.append(info.value(1).toString());
    QSqlQuery maxId(context.db.connection());
    if (!maxId.exec(QStringLiteral("SELECT max(id) FROM customers")) || !maxId.next())
        return check(false, QStringLiteral("reading the largest id"));
    const qint64 firstId = maxId.value(0).toLongLong() + 1;

    QFile csv(f.csvPath = f.dir.filePath(QStringLiteral("customers.csv")));
    QFile bare(f.barePath = f.dir.filePath(QStringLiteral("bare.csv")));
    if (!csv.open(QIODevice::WriteOnly) || !bare.open(QIODevice::WriteOnly))
        return check(false, QStringLiteral("writing the CSV files"));
    csv.write(Csv::lineUtf8(
        {QStringLiteral("Company"), QStringLiteral("Website"), QStringLiteral("Contact name"),
            QStringLiteral("Email"), QStringLiteral("Phone"), QStringLiteral("Plan")}));
    bare.write(Csv::lineUtf8(columns));
    const QString created = QString::number(QDateTime::currentMSecsSinceEpoch());
    for (int i = 0; i < rows; ++i) {
        const QString company = QStringLiteral("Imported Company %1").arg(i);
        const QString domain = QStringLiteral("imported-%1.example").arg(i);
        const QString contact = QStringLiteral("Contact %1").arg(i);
        const QString email = QStringLiteral("owner%1@imported-%1.example").arg(i);
        csv.write(Csv::lineUtf8({company, domain, contact, email,
            QStringLiteral("+1 202 555 %1").arg(i % 10000, 4, 10, QLatin1Char('0')), plan}));
        QStringList values;
        for (const QString &column : std::as_const(columns)) {
            if (column == QStringLiteral("id"))
                values.append(QString::number(firstId + i));
            else if (column == QStringLiteral("company_name"))
                values.append(company);
            else if (column == QStringLiteral("domain"))
                values.append(domain);
            else if (column == QStringLiteral("contact_name"))
                values.append(contact);
            else if (column == QStringLiteral("contact_email"))
                values.append(email);
            else if (column == QStringLiteral("owner_reseller_id"))
                values.append(QString::number(resellerId));
            else if (column == QStringLiteral("billing_status"))
                values.append(QStringLiteral("trial"));
            else if (column == QStringLiteral("created_at")
                || column == QStringLiteral("trial_ends_at"))
                values.append(created);
            else if (column == QStringLiteral("no_email"))
                values.append(QStringLiteral("0"));
            else if (column == QStringLiteral("active") || column == QStringLiteral("version")
                || column.endsWith(QStringLiteral("_id")))
                values.append(QStringLiteral("1"));
            else
                values.append(QString());
        }
        bare.write(Csv::lineUtf8(values));
    }
    csv.close();
    bare.close();
    f.resellerId = resellerId;
    f.ready = true;
    return {};
}

// The reference table in the copy: the customers rows and indexes, no
// triggers, no constraints (untimed).
Status prepareReference(const ImportFixture &f)
{
    Result<std::unique_ptr<Database>> db = Database::open(*f.target);
    if (!db)
        return std::unexpected(db.error());
    const bool sqlite = (*db)->dialect() == Dialect::SQLite;
    QSqlQuery q((*db)->connection());
    QStringList indexes;
    if (!q.exec(sqlite ? QStringLiteral("SELECT sql FROM sqlite_master WHERE type = 'index' AND "
                                        "tbl_name = 'customers' AND sql IS NOT NULL")
                       : QStringLiteral("SELECT indexdef FROM pg_indexes WHERE tablename = "
                                        "'customers' AND schemaname = current_schema()")))
        return check(false, QStringLiteral("reading the indexes"));
    while (q.next())
        indexes.append(q.value(0).toString());
    q.finish();
    if (Status done = (*db)->execDirect(QStringLiteral("DROP TABLE IF EXISTS customers_ref"), {});
        !done)
        return done;
    if (Status done = (*db)->execDirect(sqlite
                ? QStringLiteral("CREATE TABLE customers_ref AS SELECT * FROM customers")
                : QStringLiteral("CREATE TABLE customers_ref (LIKE customers INCLUDING DEFAULTS)"),
            {});
        !done)
        return done;
    if (!sqlite) {
        if (Status done = (*db)->execDirect(
                QStringLiteral("INSERT INTO customers_ref SELECT * FROM customers"), {});
            !done)
            return done;
    }
    for (QString sql : std::as_const(indexes)) {
        sql.replace(QStringLiteral("CREATE INDEX "), QStringLiteral("CREATE INDEX ref_"));
        sql.replace(
            QStringLiteral("CREATE UNIQUE INDEX "), QStringLiteral("CREATE UNIQUE INDEX ref_"));
        for (const QString &table :
            {QStringLiteral("customers"), QStringLiteral("public.customers")}) {
            sql.replace(QStringLiteral(" ON ") + table + QLatin1Char(' '),
                QStringLiteral(" ON customers_ref "));
            sql.replace(QStringLiteral(" ON ") + table + QLatin1Char('('),
                QStringLiteral(" ON customers_ref("));
        }
        if (Status done = (*db)->execDirect(sql, {}); !done)
            return done;
    }
    if (!sqlite) {
        if (Status done = (*db)->execDirect(QStringLiteral("ANALYZE customers_ref"), {}); !done)
            return done;
    }
    return {};
}

// The reference loader: the sqlite3 shell's .import, or psql's \copy
// (COPY FROM STDIN), of the bare rows into customers_ref.
QProcess *startReference(QProcess &process, const ImportFixture &f)
{
    if (f.target->dialect() == Dialect::SQLite) {
        process.start(QStringLiteral("sqlite3"),
            {f.target->filePath(),
                QStringLiteral(".import --csv --skip 1 ") + f.barePath
                    + QStringLiteral(" customers_ref")});
        return &process;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGHOST"), f.target->host());
    env.insert(QStringLiteral("PGPORT"), QString::number(f.target->port()));
    env.insert(QStringLiteral("PGUSER"), f.target->userName());
    env.insert(QStringLiteral("PGPASSWORD"), f.target->password());
    env.insert(QStringLiteral("PGDATABASE"), f.target->databaseName());
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("psql"),
        {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
            QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"),
            QStringLiteral("\\copy customers_ref FROM '") + f.barePath
                + QStringLiteral("' WITH (FORMAT csv, HEADER true)")});
    return &process;
}

void runReference(benchmark::State &state, const BenchContext &context,
    const std::shared_ptr<ImportFixture> &fixture, int rows)
{
    for (auto _ : state) {
        if (!fixture->ready) {
            if (Status ready = prepareFixture(*fixture, context, rows); !ready) {
                fail(state, ready.error().toString());
                return;
            }
        }
        if (Status ready = prepareReference(*fixture); !ready) {
            fail(state, ready.error().toString());
            return;
        }
        QProcess loader;
        const SteadyClock::time_point start = SteadyClock::now();
        startReference(loader, *fixture);
        if (!loader.waitForFinished(-1) || loader.exitStatus() != QProcess::NormalExit
            || loader.exitCode() != 0) {
            fail(state,
                loader.program() + QStringLiteral(" failed: ") + loader.errorString()
                    + QLatin1Char(' ') + QString::fromUtf8(loader.readAllStandardError()));
            return;
        }
        const double ms = msSince(start);
        state.SetIterationTime(ms / 1000.0);
        state.counters["median_ms"] = ms;
        state.counters["rows_per_s"] = rows / (ms / 1000.0);
    }
}

void runOurs(benchmark::State &state, const BenchContext &context,
    const std::shared_ptr<ImportFixture> &fixture, int rows)
{
    for (auto _ : state) {
        if (!fixture->ready) {
            if (Status ready = prepareFixture(*fixture, context, rows); !ready) {
                fail(state, ready.error().toString());
                return;
            }
        }
        Result<std::unique_ptr<Database>> db = Database::open(*fixture->target);
        if (!db) {
            fail(state, db.error().toString());
            return;
        }
        SystemClock clock;
        AccessControl access(**db, clock);
        CustomerImportService service(**db, clock, access);
        ImportOptions options;
        options.resellerId = fixture->resellerId;

        const SteadyClock::time_point start = SteadyClock::now();
        QFile file(fixture->csvPath);
        if (!file.open(QIODevice::ReadOnly)) {
            fail(state, file.errorString());
            return;
        }
        Result<ImportFile> read = CustomerImportService::readCsv(file);
        const double readMs = msSince(start);
        if (!read) {
            fail(state, read.error().toString());
            return;
        }
        const SteadyClock::time_point previewStart = SteadyClock::now();
        Result<ImportPreview> preview = service.preview(
            context.admin, *read, CustomerImportService::guessMapping(read->header), options);
        const double previewMs = msSince(previewStart);
        if (!preview || preview->validCount != rows) {
            fail(state,
                preview ? QStringLiteral("%1 rows refused").arg(preview->invalidCount)
                        : preview.error().toString());
            return;
        }
        const SteadyClock::time_point importStart = SteadyClock::now();
        Result<ImportResult> result = service.importRows(context.admin, *preview);
        const double importMs = msSince(importStart);
        const double ms = msSince(start);
        if (!result || result->importedLines.size() != rows) {
            fail(state, result ? QStringLiteral("rows refused") : result.error().toString());
            return;
        }
        state.SetIterationTime(ms / 1000.0);
        state.counters["median_ms"] = ms;
        state.counters["rows_per_s"] = rows / (ms / 1000.0);
        state.counters["read_ms"] = readMs;
        state.counters["preview_ms"] = previewMs;
        state.counters["import_ms"] = importMs;
    }
}

} // namespace

int failedImportBenchmarks()
{
    return g_importFailures;
}

void registerImportBenchmarks(const BenchContext &context, const BenchOptions &options)
{
    if (context.backend == Backend::PostgreSQL && !context.importCopy)
        return; // not selected (BenchMain copies the database only when it is)
    // RESELLERDESK_BENCH_IMPORT_ROWS: another size, for quick comparisons.
    const int rows = qEnvironmentVariableIsSet("RESELLERDESK_BENCH_IMPORT_ROWS")
        ? qEnvironmentVariableIntValue("RESELLERDESK_BENCH_IMPORT_ROWS")
        : options.smoke ? 500
                        : 100'000;
    auto fixture = std::make_shared<ImportFixture>();
    const BenchContext *ctx = &context;
    const std::string backend = backendName(context.backend).toStdString();
    const std::string reference = context.backend == Backend::SQLite ? "sqlite3-cli" : "psql-copy";
    // The reference first: it measures on the copy before ours adds rows.
    benchmark::RegisterBenchmark(("BM_ImportCsv/" + backend + "/" + reference).c_str(),
        [ctx, fixture, rows](benchmark::State &state) { runReference(state, *ctx, fixture, rows); })
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_ImportCsv/" + backend + "/ours").c_str(),
        [ctx, fixture, rows](benchmark::State &state) { runOurs(state, *ctx, fixture, rows); })
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
}

} // namespace rd::bench
