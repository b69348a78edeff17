#pragma once

#include <memory>
#include <optional>
#include <string>

#include <QString>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "domain/Error.h"
#include "storage/ConnectionProfile.h"
#include "storage/Database.h"

namespace rd::test {

enum class Backend { SQLite, PostgreSQL };

std::string backendName(Backend backend);

// So test names and failure messages say "SQLite", not a byte dump.
inline void PrintTo(Backend backend, std::ostream *os)
{
    *os << backendName(backend);
}

// Names parameterised tests "…/SQLite" and "…/PostgreSQL".
struct BackendParamName
{
    std::string operator()(const ::testing::TestParamInfo<Backend> &param) const
    {
        return backendName(param.param);
    }
};

// True when the run is CI (CI set): a test whose service is missing fails
// instead of skipping.
bool inCi();

// The PostgreSQL server that scripts/test started, from
// RESELLERDESK_TEST_PG_URL (postgresql://user:password@127.0.0.1:port/postgres).
std::optional<ConnectionProfile> postgresServer();

// A fresh, migrated database for one test, removed afterwards. SQLite: a
// copy of a template file migrated once per process. PostgreSQL: CREATE
// DATABASE ... TEMPLATE of a migrated template database, built once per
// schema fingerprint and shared by all test processes.
class TestDatabase final
{
public:
    static Result<std::unique_ptr<TestDatabase>> create(Backend backend);
    // An empty database (no schema) for migration tests.
    static Result<std::unique_ptr<TestDatabase>> createEmpty(Backend backend);
    ~TestDatabase();

    Backend backend() const { return m_backend; }
    const ConnectionProfile &profile() const { return m_profile; }
    // Runs one statement on a plain connection that bypasses Database (no
    // schema checks): for tests that build foreign or damaged databases.
    Status execRaw(const QString &sql) const;
    // Opens the database (a new connection each call, in the calling thread).
    Result<std::unique_ptr<Database>> open(const Database::Options &options = {}) const;

private:
    TestDatabase(Backend backend, ConnectionProfile profile);

    Backend m_backend;
    ConnectionProfile m_profile;
    std::unique_ptr<QTemporaryDir> m_dir;
};

// Base of the parameterised storage tests: one fresh migrated database per
// test, on SQLite and on PostgreSQL.
class DatabaseTest : public ::testing::TestWithParam<Backend>
{
protected:
    void SetUp() override;
    void TearDown() override;

    Database &db() { return *m_db; }
    TestDatabase &testDatabase() { return *m_testDatabase; }

    std::unique_ptr<TestDatabase> m_testDatabase;
    std::unique_ptr<Database> m_db;
};

// Why a backend cannot be used in this run (PostgreSQL not started), or
// nothing when it can.
std::optional<std::string> backendUnavailable(Backend backend);

} // namespace rd::test

#define RD_INSTANTIATE_FOR_BACKENDS(Suite)                                                         \
    INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                      \
        ::testing::Values(::rd::test::Backend::SQLite, ::rd::test::Backend::PostgreSQL),           \
        ::rd::test::BackendParamName())

// Skips (developer machine) or fails (CI) when the backend's server was not
// started: in CI a test whose service is missing must fail, never skip.
#define RD_REQUIRE_BACKEND(backend)                                                                \
    do {                                                                                           \
        if (const auto rdWhy = ::rd::test::backendUnavailable(backend)) {                          \
            if (::rd::test::inCi())                                                                \
                FAIL() << *rdWhy;                                                                  \
            GTEST_SKIP() << *rdWhy;                                                                \
        }                                                                                          \
    } while (false)
