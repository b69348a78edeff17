#pragma once

#include <memory>
#include <optional>

#include <QCoreApplication>
#include <QString>

#include "BenchOptions.h"
#include "domain/Error.h"
#include "services/Session.h"
#include "storage/ConnectionProfile.h"

namespace rd {
class Database;
}

namespace rd::bench {

// The generated database of a benchmark run: N customers across the
// resellers, each with what a real customer has (its Client Admin user and
// membership, its owner assignment; about one in ten also an additional
// assignment), built once and cached:
//   SQLite      $RESELLERDESK_BENCH_CACHE (default build/bench-cache/) /
//               customers-<N>-<schema>.sqlite
//   PostgreSQL  database rd_bench_<N>_<schema> on the server of
//               RESELLERDESK_BENCH_PG_URL (default RESELLERDESK_TEST_PG_URL)
// where <schema> is the schema version, a hash of the migrations and the
// generator version, so a new migration or generator builds a new one. The
// schema comes from the project's migrations (Database::open); only the
// rows are bulk-inserted (one transaction, multi-row prepared INSERTs, the
// indexes of the filled tables rebuilt once at the end). Deterministic.
class BenchDatabase final
{
    Q_DECLARE_TR_FUNCTIONS(BenchDatabase)

public:
    struct Info
    {
        ConnectionProfile profile;
        bool reused = false;     // found in the cache
        double buildSeconds = 0; // 0 when reused
    };

    // Finds the cached database for this backend and size, or builds it.
    static Result<Info> ensure(Backend backend, const BenchOptions &options);

    // The administrator every benchmark acts as (created by the generator).
    static Result<Session> administrator(Database &db);
    static QString administratorEmail();

    // PostgreSQL: a copy of `source` named copyName (CREATE DATABASE …
    // TEMPLATE; replaces an older copy of that name). Nothing may be
    // connected to `source` meanwhile. Dropped again with dropPostgres.
    static Result<ConnectionProfile> copyPostgres(
        const ConnectionProfile &source, const QString &copyName);
    static Status dropPostgres(const ConnectionProfile &copy);

    // The PostgreSQL server to use, if any.
    static std::optional<ConnectionProfile> postgresServer();
    // Where the SQLite files are cached.
    static QString cacheDirectory();
};

} // namespace rd::bench
