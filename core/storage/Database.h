#pragma once

#include <memory>

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

#include "domain/Error.h"
#include "storage/ConnectionProfile.h"

namespace rd {

// One open connection to a ResellerDesk database, SQLite or PostgreSQL,
// with its schema migrated to the version this build knows. A Database is
// used only from the thread that opened it (a Qt SQL rule); long work on
// another thread opens its own.
class Database final
{
    Q_DECLARE_TR_FUNCTIONS(Database)

public:
    struct Options
    {
        // Run pending migrations (the default). When false, an out-of-date
        // schema is refused instead of upgraded.
        bool migrate = true;
        // Directories with further numbered migrations, merged with the
        // embedded ones by version (used by the upgrade-path tests).
        QStringList extraMigrationDirs;
    };

    static Result<std::unique_ptr<Database>> open(const ConnectionProfile &profile);
    static Result<std::unique_ptr<Database>> open(
        const ConnectionProfile &profile, const Options &options);

    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    Dialect dialect() const noexcept { return m_profile.dialect(); }
    const ConnectionProfile &profile() const noexcept { return m_profile; }
    int schemaVersion() const noexcept { return m_schemaVersion; }
    // The SQLite copy made before the last schema upgrade, if any.
    const QString &backupPath() const noexcept { return m_backupPath; }

    // The schema version of the migrations embedded in this build.
    static int latestSchemaVersion(Dialect dialect);

    // For storage classes only: the underlying connection.
    QSqlDatabase connection() const;

    // Prepares a statement; failure is an Error (never a silent false).
    Result<QSqlQuery> prepare(const QString &sql) const;
    // Executes a prepared query; `what` names the work for the message.
    Status exec(QSqlQuery &query, const QString &what) const;
    // Executes a statement without bound values (DDL, PRAGMA, BEGIN).
    Status execDirect(const QString &sql, const QString &what) const;

    bool inTransaction() const noexcept { return m_inTransaction; }

private:
    friend class WriteTransaction;
    friend class MigrationRunner;

    explicit Database(ConnectionProfile profile, QString connectionName);

    Status connect();
    Status configureSqlite();
    Status configurePostgres();

    ConnectionProfile m_profile;
    QString m_connectionName;
    int m_schemaVersion = 0;
    QString m_backupPath;
    bool m_inTransaction = false;
};

} // namespace rd
