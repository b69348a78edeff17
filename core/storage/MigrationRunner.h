#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include "domain/Error.h"
#include "storage/ConnectionProfile.h"

namespace rd {

class Database;

struct Migration
{
    int version = 0;
    QString name;
    QString sql;
};

// Brings a database to the newest schema this build knows. Migrations are
// numbered files per dialect ("0001_initial.sql"), embedded as resources
// under :/migrations/<dialect>/. Each runs in its own write transaction and
// is recorded in schema_migrations; a failed one is rolled back whole. A
// database with a newer schema is refused, never touched. Before an
// existing SQLite file is upgraded, a copy is made beside it (VACUUM INTO).
class MigrationRunner final
{
    Q_DECLARE_TR_FUNCTIONS(MigrationRunner)

public:
    MigrationRunner(Database &db, QStringList extraDirs = {});

    // Checks the schema and, when `upgrade` is true, applies pending
    // migrations. Updates the database's recorded schema version.
    Status run(bool upgrade);

    static Result<QList<Migration>> load(Dialect dialect, const QStringList &extraDirs = {});
    static int latestVersion(Dialect dialect);

private:
    // 0 for an empty database; an error for a database that is not ours.
    Result<int> currentVersion() const;
    Status backupBeforeUpgrade(int fromVersion);
    Status apply(const Migration &migration);

    Database &m_db;
    QStringList m_extraDirs;
};

} // namespace rd
