#include "TestDatabase.h"

#include <atomic>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include "storage/MigrationRunner.h"

namespace rd::test {

namespace {

std::atomic<int> g_counter {0};

QString uniqueSuffix()
{
    return QString::number(QCoreApplication::applicationPid()) + QLatin1Char('_')
        + QString::number(++g_counter);
}

// Changes whenever a migration changes, so a stale template is never used.
QString schemaFingerprint(Dialect dialect)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    const Result<QList<Migration>> migrations = MigrationRunner::load(dialect);
    if (migrations) {
        for (const Migration &m : *migrations)
            hash.addData(m.sql.toUtf8());
    }
    return QString::fromLatin1(hash.result().toHex().left(12));
}

Error adminError(const QString &what, const QSqlError &error)
{
    return Error(ErrorCode::DatabaseError, what, {}, error.text());
}

// The maintenance connection to the test server's "postgres" database.
class PostgresAdmin final
{
public:
    static Result<PostgresAdmin *> instance()
    {
        static PostgresAdmin *admin = nullptr;
        if (admin)
            return admin;
        const std::optional<ConnectionProfile> server = postgresServer();
        if (!server)
            return fail(ErrorCode::DatabaseUnavailable,
                QStringLiteral("RESELLERDESK_TEST_PG_URL is not set"));
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("rd-test-admin"));
        db.setHostName(server->host());
        db.setPort(server->port());
        db.setDatabaseName(server->databaseName());
        db.setUserName(server->userName());
        db.setPassword(server->password());
        if (!db.open()) {
            return fail(ErrorCode::DatabaseUnavailable,
                QStringLiteral("cannot connect to the test PostgreSQL server at %1")
                    .arg(server->displayName()),
                {}, db.lastError().text());
        }
        QSqlQuery quiet(db);
        quiet.exec(QStringLiteral("SET client_min_messages = warning"));
        admin = new PostgresAdmin(*server);
        return admin;
    }

    Status exec(const QString &sql, const QString &what)
    {
        QSqlQuery query(QSqlDatabase::database(QStringLiteral("rd-test-admin")));
        if (!query.exec(sql))
            return fail(adminError(what, query.lastError()));
        return {};
    }

    Result<bool> databaseExists(const QString &name)
    {
        QSqlQuery query(QSqlDatabase::database(QStringLiteral("rd-test-admin")));
        query.prepare(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"));
        query.addBindValue(name);
        if (!query.exec())
            return fail(adminError(QStringLiteral("pg_database lookup"), query.lastError()));
        return query.next();
    }

    // The migrated template for the current schema, built at most once per
    // schema by whichever test process gets there first.
    Result<QString> templateDatabase()
    {
        if (m_template.isEmpty()) {
            const QString name = QStringLiteral("rd_tpl_") + schemaFingerprint(Dialect::PostgreSQL);
            if (Status ready = ensureTemplate(name); !ready)
                return fail(ready.error());
            m_template = name;
        }
        return m_template;
    }

    const ConnectionProfile &server() const { return m_server; }

private:
    // Builds the template at most once across all test processes: under an
    // advisory lock, migrated under a temporary name, then renamed, so no
    // process ever clones a half-migrated template.
    Status ensureTemplate(const QString &name)
    {
        Result<bool> exists = databaseExists(name);
        if (!exists || *exists)
            return exists ? Status() : fail(exists.error());
        if (Status locked
            = exec(QStringLiteral("SELECT pg_advisory_lock(4242)"), QStringLiteral("lock"));
            !locked)
            return locked;
        Status built = buildTemplate(name);
        static_cast<void>(
            exec(QStringLiteral("SELECT pg_advisory_unlock(4242)"), QStringLiteral("unlock")));
        return built;
    }

    // Called with the lock held; another process may have built it meanwhile.
    Status buildTemplate(const QString &name)
    {
        Result<bool> exists = databaseExists(name);
        if (!exists || *exists)
            return exists ? Status() : fail(exists.error());
        const QString building = name + QStringLiteral("_building");
        if (Status s
            = exec(QStringLiteral("DROP DATABASE IF EXISTS ") + building, QStringLiteral("drop"));
            !s)
            return s;
        if (Status s = exec(
                QStringLiteral("CREATE DATABASE ") + building, QStringLiteral("create template"));
            !s)
            return s;
        if (Result<std::unique_ptr<Database>> db
            = Database::open(m_server.withDatabaseName(building));
            !db)
            return fail(db.error());
        return exec(
            QStringLiteral("ALTER DATABASE ") + building + QStringLiteral(" RENAME TO ") + name,
            QStringLiteral("rename template"));
    }

    explicit PostgresAdmin(ConnectionProfile server)
        : m_server(std::move(server))
    { }

    ConnectionProfile m_server;
    QString m_template;
};

// The migrated SQLite template of this process.
Result<QString> sqliteTemplate()
{
    static QTemporaryDir dir;
    static QString path;
    if (!path.isEmpty())
        return path;
    if (!dir.isValid())
        return fail(ErrorCode::DatabaseError, QStringLiteral("no temporary directory"));
    const QString candidate = dir.filePath(QStringLiteral("template.sqlite"));
    {
        Result<std::unique_ptr<Database>> db = Database::open(ConnectionProfile::sqlite(candidate));
        if (!db)
            return fail(db.error());
    } // closing the last connection checkpoints the WAL into the file
    path = candidate;
    return path;
}

} // namespace

std::string backendName(Backend backend)
{
    return backend == Backend::SQLite ? "SQLite" : "PostgreSQL";
}

bool inCi()
{
    return !qEnvironmentVariableIsEmpty("CI");
}

std::optional<ConnectionProfile> postgresServer()
{
    const QString url = qEnvironmentVariable("RESELLERDESK_TEST_PG_URL");
    if (url.isEmpty())
        return std::nullopt;
    Result<ConnectionProfile> profile = ConnectionProfile::fromUrl(url);
    if (!profile || profile->dialect() != Dialect::PostgreSQL)
        return std::nullopt;
    return *profile;
}

TestDatabase::TestDatabase(Backend backend, ConnectionProfile profile)
    : m_backend(backend)
    , m_profile(std::move(profile))
{ }

TestDatabase::~TestDatabase()
{
    if (m_backend == Backend::PostgreSQL) {
        Result<PostgresAdmin *> admin = PostgresAdmin::instance();
        if (admin) {
            static_cast<void>((*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS ")
                    + m_profile.databaseName() + QStringLiteral(" WITH (FORCE)"),
                QStringLiteral("drop test database")));
        }
    }
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::create(Backend backend)
{
    if (backend == Backend::SQLite) {
        Result<QString> templatePath = sqliteTemplate();
        if (!templatePath)
            return fail(templatePath.error());
        auto dir = std::make_unique<QTemporaryDir>();
        const QString path = dir->filePath(QStringLiteral("test.sqlite"));
        if (!QFile::copy(*templatePath, path))
            return fail(
                ErrorCode::DatabaseError, QStringLiteral("cannot copy the SQLite template"));
        std::unique_ptr<TestDatabase> db(
            new TestDatabase(backend, ConnectionProfile::sqlite(path)));
        db->m_dir = std::move(dir);
        return db;
    }

    Result<PostgresAdmin *> admin = PostgresAdmin::instance();
    if (!admin)
        return fail(admin.error());
    Result<QString> templateName = (*admin)->templateDatabase();
    if (!templateName)
        return fail(templateName.error());
    const QString name = QStringLiteral("rd_test_") + uniqueSuffix();
    if (Status created = (*admin)->exec(QStringLiteral("CREATE DATABASE ") + name
                + QStringLiteral(" TEMPLATE ") + *templateName,
            QStringLiteral("create test database"));
        !created)
        return fail(created.error());
    return std::unique_ptr<TestDatabase>(
        new TestDatabase(backend, (*admin)->server().withDatabaseName(name)));
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::createEmpty(Backend backend)
{
    if (backend == Backend::SQLite) {
        auto dir = std::make_unique<QTemporaryDir>();
        const QString path = dir->filePath(QStringLiteral("empty.sqlite"));
        std::unique_ptr<TestDatabase> db(
            new TestDatabase(backend, ConnectionProfile::sqlite(path)));
        db->m_dir = std::move(dir);
        return db;
    }
    Result<PostgresAdmin *> admin = PostgresAdmin::instance();
    if (!admin)
        return fail(admin.error());
    const QString name = QStringLiteral("rd_empty_") + uniqueSuffix();
    if (Status created = (*admin)->exec(
            QStringLiteral("CREATE DATABASE ") + name, QStringLiteral("create empty database"));
        !created)
        return fail(created.error());
    return std::unique_ptr<TestDatabase>(
        new TestDatabase(backend, (*admin)->server().withDatabaseName(name)));
}

Status TestDatabase::execRaw(const QString &sql) const
{
    const QString name = QStringLiteral("rd-test-raw-") + uniqueSuffix();
    Status result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(
            m_backend == Backend::SQLite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"),
            name);
        if (m_backend == Backend::SQLite) {
            db.setDatabaseName(m_profile.filePath());
        } else {
            db.setHostName(m_profile.host());
            db.setPort(m_profile.port());
            db.setDatabaseName(m_profile.databaseName());
            db.setUserName(m_profile.userName());
            db.setPassword(m_profile.password());
        }
        if (!db.open()) {
            result = fail(adminError(QStringLiteral("raw open"), db.lastError()));
        } else {
            QSqlQuery query(db);
            if (!query.exec(sql))
                result = fail(adminError(QStringLiteral("raw exec"), query.lastError()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

Result<std::unique_ptr<Database>> TestDatabase::open(const Database::Options &options) const
{
    return Database::open(m_profile, options);
}

std::optional<std::string> backendUnavailable(Backend backend)
{
    if (backend == Backend::SQLite || postgresServer())
        return std::nullopt;
    return std::string("PostgreSQL was not started (RESELLERDESK_TEST_PG_URL is unset): run the "
                       "tests through scripts/test");
}

void DatabaseTest::SetUp()
{
    RD_REQUIRE_BACKEND(GetParam());
    Result<std::unique_ptr<TestDatabase>> testDatabase = TestDatabase::create(GetParam());
    ASSERT_TRUE(testDatabase.has_value()) << testDatabase.error().toString().toStdString();
    m_testDatabase = std::move(*testDatabase);
    Result<std::unique_ptr<Database>> db = m_testDatabase->open();
    ASSERT_TRUE(db.has_value()) << db.error().toString().toStdString();
    m_db = std::move(*db);
}

void DatabaseTest::TearDown()
{
    m_db.reset();
    m_testDatabase.reset();
}

} // namespace rd::test
