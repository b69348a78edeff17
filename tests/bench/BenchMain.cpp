// bench_customers: the customer table at scale, each scenario measured for
// "ours" and the naive baseline in the same run (issue 7, section 5).
//
//   bench_customers [--customers N] [--sqlite-only] [Google Benchmark flags]
//
// Environment: RESELLERDESK_BENCH_CUSTOMERS (N, default 1,000,000),
// RESELLERDESK_BENCH_SQLITE_ONLY=1, RESELLERDESK_BENCH_CACHE (SQLite cache
// directory), RESELLERDESK_BENCH_PG_URL (else RESELLERDESK_TEST_PG_URL;
// without either PostgreSQL is skipped, or fails the run when CI is set),
// RESELLERDESK_BENCH_SMOKE=1 (fewest iterations, for ctest).

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include <QApplication>
#include <QRegularExpression>

#include <benchmark/benchmark.h>

#include "BenchDatabase.h"
#include "BenchOptions.h"
#include "CloneBenchmarks.h"
#include "CustomerBenchmarks.h"
#include "ImportBenchmarks.h"
#include "UserBenchmarks.h"
#include "storage/Database.h"

namespace {

using namespace rd;
using namespace rd::bench;

// Everything one backend's benchmarks use, alive until they have run.
struct BackendRun
{
    std::unique_ptr<Database> db;
    std::unique_ptr<Session> admin;
    std::unique_ptr<BenchContext> context;
};

bool flagSet(const char *name)
{
    const QByteArray value = qgetenv(name);
    return !value.isEmpty() && value != "0";
}

// Takes our own flags out of argv before Google Benchmark sees them.
BenchOptions parseOptions(int &argc, char **argv)
{
    BenchOptions options;
    QString filter;
    if (const QByteArray n = qgetenv("RESELLERDESK_BENCH_CUSTOMERS"); !n.isEmpty())
        options.customers = n.toLongLong();
    options.postgres = !flagSet("RESELLERDESK_BENCH_SQLITE_ONLY");
    options.smoke = flagSet("RESELLERDESK_BENCH_SMOKE");
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--sqlite-only") == 0) {
            options.postgres = false;
        } else if (std::strcmp(argv[i], "--customers") == 0 && i + 1 < argc) {
            options.customers = QByteArray(argv[++i]).toLongLong();
        } else if (std::strncmp(argv[i], "--customers=", 12) == 0) {
            options.customers = QByteArray(argv[i] + 12).toLongLong();
        } else {
            if (std::strncmp(argv[i], "--benchmark_filter=", 19) == 0)
                filter = QString::fromLocal8Bit(argv[i] + 19);
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    // Google Benchmark's filter: a regular expression, or its negation
    // after a leading '-'. The PostgreSQL import's name decides.
    if (!filter.isEmpty() && filter != QStringLiteral("all")) {
        const bool negative = filter.startsWith(QLatin1Char('-'));
        const QRegularExpression re(negative ? filter.mid(1) : filter);
        options.import
            = re.match(QStringLiteral("BM_ImportCsv/PostgreSQL/ours")).hasMatch() != negative;
    }
    options.customers = std::max<qint64>(options.customers, 100);
    return options;
}

std::optional<BackendRun> prepareBackend(Backend backend, const BenchOptions &options)
{
    Result<BenchDatabase::Info> info = BenchDatabase::ensure(backend, options);
    if (!info) {
        std::fprintf(stderr, "bench: %s: %s\n", qPrintable(backendName(backend)),
            qPrintable(info.error().toString()));
        return std::nullopt;
    }
    std::fprintf(stderr, "bench: %s: %s (%s)\n", qPrintable(backendName(backend)),
        qPrintable(info->profile.displayName()),
        info->reused
            ? "cached"
            : qPrintable(QStringLiteral("generated in %1 s").arg(info->buildSeconds, 0, 'f', 1)));
    benchmark::AddCustomContext(backendName(backend).toStdString() + "_database",
        info->profile.displayName().toStdString());
    if (!info->reused)
        benchmark::AddCustomContext(backendName(backend).toStdString() + "_generated_s",
            QString::number(info->buildSeconds, 'f', 1).toStdString());

    // Before anything connects to it (a template must have no connections).
    std::optional<ConnectionProfile> importCopy;
    if (backend == Backend::PostgreSQL && options.import) {
        std::fprintf(stderr, "bench: PostgreSQL: copying the database for the import\n");
        Result<ConnectionProfile> copy = BenchDatabase::copyPostgres(
            info->profile, info->profile.databaseName() + QStringLiteral("_import"));
        if (!copy) {
            std::fprintf(stderr, "bench: %s\n", qPrintable(copy.error().toString()));
            return std::nullopt;
        }
        importCopy = *copy;
    }

    Result<std::unique_ptr<Database>> db = Database::open(info->profile);
    if (!db) {
        std::fprintf(stderr, "bench: opening: %s\n", qPrintable(db.error().toString()));
        return std::nullopt;
    }
    BackendRun run;
    run.db = std::move(*db);
    Result<Session> admin = BenchDatabase::administrator(*run.db);
    if (!admin) {
        std::fprintf(stderr, "bench: %s\n", qPrintable(admin.error().toString()));
        return std::nullopt;
    }
    run.admin = std::make_unique<Session>(*admin);
    run.context = std::make_unique<BenchContext>(BenchContext {*run.db, backend, *run.admin,
        options.customers, options.screenRows, options.smoke, importCopy});
    return run;
}

} // namespace

int main(int argc, char **argv)
{
    // The ui models need a QApplication; no display is needed or wanted.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    BenchOptions options = parseOptions(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("bench_customers"));

    benchmark::AddCustomContext("customers", std::to_string(options.customers));
    benchmark::AddCustomContext("resellers", std::to_string(options.resellers));
    benchmark::AddCustomContext("build_type", RD_BENCH_BUILD_TYPE);

    std::vector<BackendRun> runs;
    std::vector<Backend> backends {Backend::SQLite};
    if (options.postgres) {
        if (BenchDatabase::postgresServer()) {
            backends.push_back(Backend::PostgreSQL);
        } else if (!qEnvironmentVariableIsEmpty("CI")) {
            std::fprintf(stderr,
                "bench: no PostgreSQL server (RESELLERDESK_BENCH_PG_URL or "
                "RESELLERDESK_TEST_PG_URL) and CI is set\n");
            return 1;
        } else {
            std::fprintf(stderr, "bench: no PostgreSQL server given: SQLite only\n");
        }
    }
    for (const Backend backend : backends) {
        std::optional<BackendRun> run = prepareBackend(backend, options);
        if (!run)
            return 1;
        runs.push_back(std::move(*run));
    }
    // Registered once every database is ready (the contexts no longer move).
    for (const BackendRun &run : runs) {
        registerCustomerBenchmarks(*run.context, options);
        registerImportBenchmarks(*run.context, options);
        registerCloneBenchmarks(*run.context, options);
        registerUserBenchmarks(*run.context, options);
    }

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    for (const BackendRun &run : runs) {
        if (run.context->importCopy) {
            if (Status dropped = BenchDatabase::dropPostgres(*run.context->importCopy); !dropped)
                std::fprintf(stderr, "bench: %s\n", qPrintable(dropped.error().toString()));
        }
    }
    // A benchmark that could not run is a failure (the smoke test relies on it).
    if (const int failed = failedBenchmarks() + failedImportBenchmarks() + failedCloneBenchmarks()
            + failedUserBenchmarks();
        failed > 0) {
        std::fprintf(stderr, "bench: %d benchmark(s) failed\n", failed);
        return 1;
    }
    return 0;
}
