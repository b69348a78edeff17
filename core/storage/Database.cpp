#include "storage/Database.h"

#include <atomic>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QThread>

#include "storage/MigrationRunner.h"
#include "storage/SqlErrors.h"

namespace rd {

namespace {

QString newConnectionName()
{
    static std::atomic<quint64> counter {0};
    return QStringLiteral("resellerdesk-%1-%2")
        .arg(++counter)
        .arg(reinterpret_cast<quintptr>(QThread::currentThreadId()));
}

// SQLite files start with this 16-byte header.
bool looksLikeSqliteFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray header = file.read(16);
    return header == QByteArray("SQLite format 3\0", 16);
}

} // namespace

Database::Database(ConnectionProfile profile, QString connectionName)
    : m_profile(std::move(profile))
    , m_connectionName(std::move(connectionName))
{ }

Database::~Database()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen()) {
            if (m_inTransaction)
                db.rollback();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<Database>> Database::open(const ConnectionProfile &profile)
{
    return open(profile, Options {});
}

Result<std::unique_ptr<Database>> Database::open(
    const ConnectionProfile &profile, const Options &options)
{
    std::unique_ptr<Database> db(new Database(profile, newConnectionName()));
    if (Status connected = db->connect(); !connected)
        return fail(connected.error());

    MigrationRunner runner(*db, options.extraMigrationDirs);
    if (Status migrated = runner.run(options.migrate); !migrated)
        return fail(migrated.error());
    return db;
}

int Database::latestSchemaVersion(Dialect dialect)
{
    return MigrationRunner::latestVersion(dialect);
}

QSqlDatabase Database::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Result<QSqlQuery> Database::prepare(const QString &sql) const
{
    QSqlQuery query(connection());
    if (!query.prepare(sql))
        return fail(SqlErrors::toError(query.lastError(), tr("preparing a statement")));
    return query;
}

Status Database::exec(QSqlQuery &query, const QString &what) const
{
    if (!query.exec())
        return fail(SqlErrors::toError(query.lastError(), what));
    return {};
}

Status Database::execDirect(const QString &sql, const QString &what) const
{
    QSqlQuery query(connection());
    if (!query.exec(sql))
        return fail(SqlErrors::toError(query.lastError(), what));
    return {};
}

Status Database::connect()
{
    if (m_profile.dialect() == Dialect::SQLite) {
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
            return fail(ErrorCode::DatabaseUnavailable,
                tr("The SQLite driver for Qt is not installed (package "
                   "libqt6sql6-sqlite)."));
        }
        const QString path = m_profile.filePath();
        const QFileInfo info(path);
        if (path.isEmpty()) {
            return fail(ErrorCode::InvalidInput, tr("No database file was given."),
                QStringLiteral("database"));
        }
        if (info.exists() && info.isDir()) {
            return fail(ErrorCode::DatabaseUnavailable,
                tr("“%1” is a folder, not a database file.").arg(QDir::toNativeSeparators(path)));
        }
        if (!info.exists() && !info.absoluteDir().exists()) {
            return fail(ErrorCode::DatabaseUnavailable,
                tr("The folder of the database file “%1” does not exist.")
                    .arg(QDir::toNativeSeparators(path)));
        }
        if (info.exists() && info.size() > 0 && !looksLikeSqliteFile(path)) {
            return fail(ErrorCode::DatabaseCorrupt,
                tr("“%1” is not a ResellerDesk database: it is not an SQLite file, or "
                   "its first page is damaged.")
                    .arg(QDir::toNativeSeparators(path)));
        }

        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        if (!db.open()) {
            return fail(ErrorCode::DatabaseUnavailable,
                tr("Could not open the database file “%1”.").arg(QDir::toNativeSeparators(path)),
                {}, db.lastError().text());
        }
        return configureSqlite();
    }

    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        return fail(ErrorCode::DatabaseUnavailable,
            tr("The PostgreSQL driver for Qt is not installed (package libqt6sql6-psql)."));
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    db.setHostName(m_profile.host());
    db.setPort(m_profile.port());
    db.setDatabaseName(m_profile.databaseName());
    db.setUserName(m_profile.userName());
    db.setPassword(m_profile.password());
    db.setConnectOptions(QStringLiteral("connect_timeout=10;application_name=ResellerDesk"));
    if (!db.open()) {
        const QString detail = db.lastError().text();
        const QString where
            = m_profile.host() + QLatin1Char(':') + QString::number(m_profile.port());
        if (detail.contains(QLatin1String("password authentication failed"))
            || detail.contains(QLatin1String("no password supplied"))) {
            return fail(ErrorCode::DatabaseUnavailable,
                tr("The PostgreSQL server at %1 refused the user name or password for "
                   "“%2”.")
                    .arg(where, m_profile.userName()),
                QStringLiteral("password"), detail);
        }
        if (detail.contains(QLatin1String("does not exist"))) {
            return fail(ErrorCode::DatabaseUnavailable,
                tr("The PostgreSQL server at %1 has no database “%2” (or no user “%3”).")
                    .arg(where, m_profile.databaseName(), m_profile.userName()),
                QStringLiteral("database"), detail);
        }
        return fail(ErrorCode::DatabaseUnavailable,
            tr("Could not reach the PostgreSQL server at %1. Check the host, the port "
               "and that the server is running.")
                .arg(where),
            QStringLiteral("host"), detail);
    }
    return configurePostgres();
}

Status Database::configureSqlite()
{
    // The first real read tells a damaged file apart from a good one.
    QSqlQuery probe(connection());
    if (!probe.exec(QStringLiteral("SELECT count(*) FROM sqlite_master"))) {
        const QSqlError error = probe.lastError();
        if (SqlErrors::isCorruption(error)) {
            return fail(ErrorCode::DatabaseCorrupt,
                tr("“%1” is damaged or is not a database file.")
                    .arg(QDir::toNativeSeparators(m_profile.filePath())),
                {}, error.text());
        }
        return fail(SqlErrors::toError(error, tr("reading the database")));
    }
    probe.finish();

    QSqlQuery wal(connection());
    if (!wal.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !wal.next()) {
        return fail(SqlErrors::toError(wal.lastError(), tr("switching the database to WAL mode")));
    }
    const QString mode = wal.value(0).toString();
    wal.finish();
    if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        return fail(ErrorCode::DatabaseUnavailable,
            tr("The database file “%1” cannot use write-ahead logging (it is on a "
               "file system without shared memory, or read-only).")
                .arg(QDir::toNativeSeparators(m_profile.filePath())));
    }
    for (const QString &pragma :
        {QStringLiteral("PRAGMA synchronous = NORMAL"), QStringLiteral("PRAGMA foreign_keys = ON"),
            QStringLiteral("PRAGMA busy_timeout = 10000")}) {
        if (Status done = execDirect(pragma, tr("configuring the database")); !done)
            return done;
    }
    return {};
}

Status Database::configurePostgres()
{
    for (const QString &statement : {QStringLiteral("SET client_min_messages = warning"),
             QStringLiteral("SET TIME ZONE 'UTC'")}) {
        if (Status done = execDirect(statement, tr("configuring the connection")); !done)
            return done;
    }
    return {};
}

} // namespace rd
