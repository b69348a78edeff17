#pragma once

#include <QString>
#include <QtGlobal>

namespace rd::bench {

enum class Backend { SQLite, PostgreSQL };

inline QString backendName(Backend backend)
{
    return backend == Backend::SQLite ? QStringLiteral("SQLite") : QStringLiteral("PostgreSQL");
}

// What one run of bench_customers measures. Set from the command line
// (--customers N, --sqlite-only) or the environment
// (RESELLERDESK_BENCH_CUSTOMERS, RESELLERDESK_BENCH_SQLITE_ONLY,
// RESELLERDESK_BENCH_SMOKE); see BenchMain.cpp.
struct BenchOptions
{
    qint64 customers = 1'000'000;
    int resellers = 1'000;
    bool sqlite = true;
    bool postgres = true;
    // Smoke run (ctest): every benchmark with the fewest iterations.
    bool smoke = false;
    // Whether the import benchmark runs (from --benchmark_filter): on
    // PostgreSQL it needs a copy of the database, made before the run.
    bool import = true;
    // Rows one screen of the customer table shows.
    int screenRows = 50;
};

} // namespace rd::bench
