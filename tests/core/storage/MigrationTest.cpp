#include <QFileInfo>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "storage/Database.h"
#include "storage/MigrationRunner.h"

using namespace rd;
using namespace rd::test;

namespace {

// tests/data/migrations/{upgrade,broken}/*/9001_*.sql
constexpr int TestMigrationVersion = 9001;

QStringList tableNames(Database &db)
{
    QSqlQuery q(db.connection());
    q.exec(db.dialect() == Dialect::SQLite
            // Ordinary tables: not the FTS5 search index (type 'virtual') and
            // its shadow tables (type 'shadow').
            ? QStringLiteral("SELECT name FROM pragma_table_list WHERE schema = 'main' AND "
                             "type = 'table' AND name NOT LIKE 'sqlite_%'")
            // Ordinary tables: not the search table of migration 9, which
            // stands where SQLite has its FTS5 index.
            : QStringLiteral("SELECT table_name FROM information_schema.tables WHERE "
                             "table_schema = current_schema() AND table_name <> "
                             "'customer_search'"));
    QStringList names;
    while (q.next())
        names.append(q.value(0).toString());
    names.sort();
    return names;
}

int recordedVersion(Database &db)
{
    QSqlQuery q(db.connection());
    q.exec(QStringLiteral("SELECT max(version) FROM schema_migrations"));
    return q.next() ? q.value(0).toInt() : -1;
}

Database::Options withTestMigrations(const char *set)
{
    Database::Options options;
    options.extraMigrationDirs
        = {QStringLiteral(RD_TEST_DATA_DIR "/migrations/") + QString::fromLatin1(set)};
    return options;
}

class MigrationTest : public ::testing::TestWithParam<Backend>
{
protected:
    void SetUp() override
    {
        RD_REQUIRE_BACKEND(GetParam());
        Result<std::unique_ptr<TestDatabase>> empty = TestDatabase::createEmpty(GetParam());
        ASSERT_TRUE(empty.has_value()) << empty.error().toString().toStdString();
        m_empty = std::move(*empty);
    }

    std::unique_ptr<TestDatabase> m_empty;
};

} // namespace

TEST_P(MigrationTest, FreshDatabaseGetsTheWholeSchema)
{
    Result<std::unique_ptr<Database>> db = m_empty->open();
    ASSERT_TRUE(db.has_value()) << db.error().toString().toStdString();
    const int latest = Database::latestSchemaVersion((*db)->dialect());
    EXPECT_GE(latest, 1);
    EXPECT_EQ((*db)->schemaVersion(), latest);
    EXPECT_EQ(recordedVersion(**db), latest);
    EXPECT_TRUE((*db)->backupPath().isEmpty()) << "a fresh database needs no backup";

    const QStringList expected {QStringLiteral("audit_events"),
        QStringLiteral("customer_assignments"), QStringLiteral("customer_counts"),
        QStringLiteral("customers"), QStringLiteral("identification_usage"),
        QStringLiteral("impersonation_sessions"), QStringLiteral("membership_counts"),
        QStringLiteral("memberships"), QStringLiteral("orders"), QStringLiteral("outbox"),
        QStringLiteral("plans"), QStringLiteral("price_list_items"), QStringLiteral("price_lists"),
        QStringLiteral("reseller_plans"), QStringLiteral("resellers"),
        QStringLiteral("schema_migrations"), QStringLiteral("settings"), QStringLiteral("users")};
    EXPECT_EQ(tableNames(**db), expected);
}

TEST_P(MigrationTest, BothDialectsHaveTheSameTables)
{
    // The SQLite and PostgreSQL migrations describe one model.
    const Result<QList<Migration>> sqlite = MigrationRunner::load(Dialect::SQLite);
    const Result<QList<Migration>> postgres = MigrationRunner::load(Dialect::PostgreSQL);
    ASSERT_TRUE(sqlite && postgres);
    ASSERT_EQ(sqlite->size(), postgres->size());
    for (qsizetype i = 0; i < sqlite->size(); ++i) {
        EXPECT_EQ(sqlite->at(i).version, postgres->at(i).version);
        EXPECT_EQ(sqlite->at(i).name, postgres->at(i).name);
        // Each has its own search index: SQLite's FTS5 table (migration 3,
        // CREATE VIRTUAL TABLE), PostgreSQL's customer_search (migration 9).
        EXPECT_EQ(sqlite->at(i).sql.count(QStringLiteral("CREATE TABLE")),
            postgres->at(i).sql.count(QStringLiteral("CREATE TABLE"))
                - postgres->at(i).sql.count(QStringLiteral("CREATE TABLE customer_search")));
    }
}

TEST_P(MigrationTest, ReopeningAMigratedDatabaseChangesNothing)
{
    ASSERT_TRUE(m_empty->open().has_value());
    Result<std::unique_ptr<Database>> again = m_empty->open();
    ASSERT_TRUE(again.has_value()) << again.error().toString().toStdString();
    EXPECT_EQ((*again)->schemaVersion(), Database::latestSchemaVersion((*again)->dialect()));
    EXPECT_TRUE((*again)->backupPath().isEmpty());
    QSqlQuery q((*again)->connection());
    ASSERT_TRUE(q.exec(QStringLiteral("SELECT count(*) FROM schema_migrations")) && q.next());
    // One row per migration (numbers may have gaps while branches that
    // each add one are merged).
    const Result<QList<Migration>> migrations = MigrationRunner::load((*again)->dialect());
    ASSERT_TRUE(migrations.has_value());
    EXPECT_EQ(q.value(0).toInt(), migrations->size());
}

TEST_P(MigrationTest, UpgradeRunsOnlyPendingMigrationsAndBacksUpSqlite)
{
    const int base = Database::latestSchemaVersion(
        GetParam() == Backend::SQLite ? Dialect::SQLite : Dialect::PostgreSQL);
    {
        Result<std::unique_ptr<Database>> db = m_empty->open();
        ASSERT_TRUE(db.has_value());
        QSqlQuery q((*db)->connection());
        ASSERT_TRUE(q.exec(QStringLiteral(
            "INSERT INTO settings (key, value, updated_at) VALUES ('kept', 'yes', 1)")));
    }
    Result<std::unique_ptr<Database>> upgraded = m_empty->open(withTestMigrations("upgrade"));
    ASSERT_TRUE(upgraded.has_value()) << upgraded.error().toString().toStdString();
    // The test migration is numbered 9001, far above any real one, so new
    // real migrations never collide with it.
    ASSERT_LT(base, TestMigrationVersion);
    EXPECT_EQ((*upgraded)->schemaVersion(), TestMigrationVersion);
    EXPECT_EQ(recordedVersion(**upgraded), TestMigrationVersion);
    EXPECT_TRUE(tableNames(**upgraded).contains(QStringLiteral("customer_notes")));

    QSqlQuery kept((*upgraded)->connection());
    ASSERT_TRUE(kept.exec(QStringLiteral("SELECT value FROM settings WHERE key = 'kept'")));
    ASSERT_TRUE(kept.next());
    EXPECT_EQ(kept.value(0).toString(), QStringLiteral("yes"));

    if (GetParam() == Backend::SQLite) {
        const QString backup = (*upgraded)->backupPath();
        ASSERT_FALSE(backup.isEmpty()) << "an existing SQLite file is copied before upgrading";
        EXPECT_TRUE(QFileInfo::exists(backup));
        Result<std::unique_ptr<Database>> copy
            = Database::open(ConnectionProfile::sqlite(backup), Database::Options {false, {}});
        ASSERT_TRUE(copy.has_value()) << copy.error().toString().toStdString();
        EXPECT_EQ((*copy)->schemaVersion(), base) << "the backup holds the old schema";
    } else {
        EXPECT_TRUE((*upgraded)->backupPath().isEmpty());
    }
}

TEST_P(MigrationTest, FailedUpgradeIsRolledBackWhole)
{
    const int base = Database::latestSchemaVersion(
        GetParam() == Backend::SQLite ? Dialect::SQLite : Dialect::PostgreSQL);
    ASSERT_TRUE(m_empty->open().has_value());

    Result<std::unique_ptr<Database>> broken = m_empty->open(withTestMigrations("broken"));
    ASSERT_FALSE(broken.has_value());
    EXPECT_EQ(broken.error().code(), ErrorCode::MigrationFailed);
    EXPECT_TRUE(broken.error().message().contains(QStringLiteral("rolled back")));

    Result<std::unique_ptr<Database>> db = m_empty->open();
    ASSERT_TRUE(db.has_value());
    EXPECT_EQ((*db)->schemaVersion(), base);
    EXPECT_FALSE(tableNames(**db).contains(QStringLiteral("half_done")))
        << "the first statement of the failed migration must be undone too";
}

TEST_P(MigrationTest, NewerSchemaIsRefusedAndLeftUntouched)
{
    {
        Result<std::unique_ptr<Database>> db = m_empty->open();
        ASSERT_TRUE(db.has_value());
        QSqlQuery q((*db)->connection());
        ASSERT_TRUE(q.exec(
            QStringLiteral("INSERT INTO schema_migrations (version, applied_at, app_version) "
                           "VALUES (99999, 1, '99.0')")));
    }
    Result<std::unique_ptr<Database>> refused = m_empty->open();
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::SchemaTooNew);
    EXPECT_TRUE(refused.error().message().contains(QStringLiteral("99999")));
    EXPECT_TRUE(refused.error().message().contains(QStringLiteral("newer")));

    // Still the same: opened without migrating, the row is there and nothing else.
    Result<std::unique_ptr<Database>> raw = m_empty->open(withTestMigrations("upgrade"));
    ASSERT_FALSE(raw.has_value());
    EXPECT_EQ(raw.error().code(), ErrorCode::SchemaTooNew);
}

TEST_P(MigrationTest, OutdatedSchemaIsRefusedWhenUpgradingIsOff)
{
    ASSERT_TRUE(m_empty->open().has_value());
    Database::Options options = withTestMigrations("upgrade");
    options.migrate = false;
    Result<std::unique_ptr<Database>> db = m_empty->open(options);
    ASSERT_FALSE(db.has_value());
    EXPECT_EQ(db.error().code(), ErrorCode::MigrationFailed);
}

TEST_P(MigrationTest, ForeignTablesAreNotMistakenForOurDatabase)
{
    const Status created
        = m_empty->execRaw(QStringLiteral("CREATE TABLE invoices (id integer PRIMARY KEY)"));
    ASSERT_TRUE(created.has_value()) << created.error().toString().toStdString();
    Result<std::unique_ptr<Database>> db = m_empty->open();
    ASSERT_FALSE(db.has_value());
    EXPECT_EQ(db.error().code(), ErrorCode::NotOurDatabase);
}

RD_INSTANTIATE_FOR_BACKENDS(MigrationTest);
