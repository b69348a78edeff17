#include "storage/MigrationRunner.h"

#include <algorithm>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlErrors.h"
#include "storage/SqlScript.h"
#include "storage/SqlValues.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

QString dialectFolder(Dialect dialect)
{
    return dialect == Dialect::SQLite ? QStringLiteral("sqlite") : QStringLiteral("postgresql");
}

// Any 64-bit number, used as the PostgreSQL advisory lock that serialises
// two desktops migrating one server at the same time.
constexpr qint64 MigrationLockKey = 0x5265'7365'6c6c'6572; // "Reseller"

} // namespace

MigrationRunner::MigrationRunner(Database &db, QStringList extraDirs)
    : m_db(db)
    , m_extraDirs(std::move(extraDirs))
{ }

Result<QList<Migration>> MigrationRunner::load(Dialect dialect, const QStringList &extraDirs)
{
    static const QRegularExpression fileName(QStringLiteral("^(\\d{4})_([a-z0-9_]+)\\.sql$"));

    QStringList dirs {QStringLiteral(":/migrations/") + dialectFolder(dialect)};
    for (const QString &extra : extraDirs)
        dirs.append(extra + QLatin1Char('/') + dialectFolder(dialect));

    QList<Migration> migrations;
    for (const QString &dirPath : dirs) {
        const QDir dir(dirPath);
        const QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
        for (const QString &file : files) {
            const QRegularExpressionMatch match = fileName.match(file);
            if (!match.hasMatch()) {
                return fail(ErrorCode::MigrationFailed,
                    tr("The migration file “%1” is not named NNNN_name.sql.").arg(file));
            }
            QFile source(dir.filePath(file));
            if (!source.open(QIODevice::ReadOnly | QIODevice::Text)) {
                return fail(ErrorCode::MigrationFailed,
                    tr("The migration file “%1” cannot be read.").arg(file), {},
                    source.errorString());
            }
            Migration migration;
            migration.version = match.captured(1).toInt();
            migration.name = match.captured(2);
            migration.sql = QString::fromUtf8(source.readAll());
            const bool taken = std::any_of(migrations.cbegin(), migrations.cend(),
                [&](const Migration &m) { return m.version == migration.version; });
            if (taken) {
                return fail(ErrorCode::MigrationFailed,
                    tr("Two migrations have the number %1.").arg(migration.version));
            }
            migrations.append(migration);
        }
    }
    std::sort(migrations.begin(), migrations.end(),
        [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return migrations;
}

int MigrationRunner::latestVersion(Dialect dialect)
{
    const Result<QList<Migration>> migrations = load(dialect);
    if (!migrations || migrations->isEmpty())
        return 0;
    return migrations->constLast().version;
}

Result<int> MigrationRunner::currentVersion() const
{
    const bool sqlite = m_db.dialect() == Dialect::SQLite;
    const QString tablesSql = sqlite
        ? QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' "
                         "AND name NOT LIKE 'sqlite_%'")
        : QStringLiteral("SELECT table_name FROM information_schema.tables "
                         "WHERE table_schema = current_schema()");
    QSqlQuery tables(m_db.connection());
    if (!tables.exec(tablesSql))
        return fail(SqlErrors::toError(tables.lastError(), tr("reading the schema")));
    bool any = false;
    bool ours = false;
    while (tables.next()) {
        any = true;
        if (tables.value(0).toString() == QLatin1String("schema_migrations"))
            ours = true;
    }
    if (!any)
        return 0;
    if (!ours) {
        return fail(ErrorCode::NotOurDatabase,
            tr("“%1” already holds tables that are not a ResellerDesk database. Choose an "
               "empty database or a ResellerDesk one.")
                .arg(m_db.profile().displayName()));
    }
    QSqlQuery version(m_db.connection());
    if (!version.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM schema_migrations"))
        || !version.next())
        return fail(SqlErrors::toError(version.lastError(), tr("reading the schema version")));
    return version.value(0).toInt();
}

Status MigrationRunner::run(bool upgrade)
{
    const Result<QList<Migration>> migrations = load(m_db.dialect(), m_extraDirs);
    if (!migrations)
        return fail(migrations.error());
    const int latest = migrations->isEmpty() ? 0 : migrations->constLast().version;

    const Result<int> current = currentVersion();
    if (!current)
        return fail(current.error());
    if (*current > latest) {
        return fail(ErrorCode::SchemaTooNew,
            tr("“%1” was written by a newer ResellerDesk (schema version %2; this "
               "version knows up to %3). Update ResellerDesk to open it; nothing was "
               "changed.")
                .arg(m_db.profile().displayName())
                .arg(*current)
                .arg(latest));
    }
    m_db.m_schemaVersion = *current;
    if (*current == latest)
        return {};
    if (!upgrade) {
        return fail(ErrorCode::MigrationFailed,
            tr("“%1” has schema version %2 and needs upgrading to %3.")
                .arg(m_db.profile().displayName())
                .arg(*current)
                .arg(latest));
    }

    if (*current > 0 && m_db.dialect() == Dialect::SQLite) {
        if (Status backedUp = backupBeforeUpgrade(*current); !backedUp)
            return backedUp;
    }

    for (const Migration &migration : *migrations) {
        if (migration.version <= m_db.m_schemaVersion)
            continue;
        if (Status applied = apply(migration); !applied)
            return applied;
    }
    return {};
}

Status MigrationRunner::backupBeforeUpgrade(int fromVersion)
{
    const QFileInfo info(m_db.profile().filePath());
    const QString stamp
        = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString backup = info.absolutePath() + QLatin1Char('/') + info.completeBaseName()
        + QStringLiteral(".schema-v") + QString::number(fromVersion) + QLatin1Char('-') + stamp
        + QStringLiteral(".backup.sqlite");
    if (QFileInfo::exists(backup)) {
        return fail(ErrorCode::MigrationFailed,
            tr("A backup named “%1” already exists; try again in a second.").arg(backup));
    }
    Result<QSqlQuery> query = m_db.prepare(QStringLiteral("VACUUM INTO ?"));
    if (!query)
        return fail(query.error());
    query->addBindValue(backup);
    if (!query->exec()) {
        return fail(ErrorCode::MigrationFailed,
            tr("Could not back up the database to “%1” before upgrading it; the "
               "database was not changed.")
                .arg(QDir::toNativeSeparators(backup)),
            {}, query->lastError().text());
    }
    m_db.m_backupPath = backup;
    return {};
}

Status MigrationRunner::apply(const Migration &migration)
{
    const QString what = tr("upgrading the database to schema version %1").arg(migration.version);
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());

    if (m_db.dialect() == Dialect::PostgreSQL) {
        Result<QSqlQuery> lock = m_db.prepare(QStringLiteral("SELECT pg_advisory_xact_lock(?)"));
        if (!lock)
            return fail(lock.error());
        lock->addBindValue(QVariant::fromValue<qint64>(MigrationLockKey));
        if (Status locked = m_db.exec(*lock, what); !locked)
            return locked;
    }
    // Another desktop may have applied it while this one waited for the lock.
    const Result<int> current = currentVersion();
    if (!current)
        return fail(current.error());
    if (*current >= migration.version) {
        m_db.m_schemaVersion = *current;
        return transaction->commit();
    }

    for (const QString &statement : SqlScript::split(migration.sql)) {
        QSqlQuery query(m_db.connection());
        if (!query.exec(statement)) {
            return fail(ErrorCode::MigrationFailed,
                tr("Upgrading the database to schema version %1 (%2) failed; the upgrade "
                   "was rolled back and nothing was changed.")
                    .arg(migration.version)
                    .arg(migration.name),
                {}, query.lastError().text());
        }
    }

    Result<QSqlQuery> record = m_db.prepare(QStringLiteral(
        "INSERT INTO schema_migrations (version, applied_at, app_version) VALUES (?, ?, ?)"));
    if (!record)
        return fail(record.error());
    record->addBindValue(migration.version);
    record->addBindValue(SqlValues::time(QDateTime::currentDateTimeUtc()));
    record->addBindValue(QStringLiteral(RESELLERDESK_VERSION));
    if (Status recorded = m_db.exec(*record, what); !recorded)
        return recorded;

    if (Status committed = transaction->commit(); !committed)
        return committed;
    m_db.m_schemaVersion = migration.version;
    return {};
}

} // namespace rd
