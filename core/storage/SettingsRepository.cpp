#include "storage/SettingsRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

Error conflict(qint64 expectedVersion)
{
    return Error(ErrorCode::Conflict,
        SettingsRepository::tr("The settings were changed by someone else in the meantime. "
                               "Reload them and make your change again."),
        {}, QStringLiteral("settings expected_version=%1").arg(expectedVersion));
}

} // namespace

SettingsRepository::SettingsRepository(Database &db)
    : m_db(db)
{ }

QString SettingsRepository::versionKey()
{
    return QStringLiteral("settings_version");
}

Result<StoredSettings> SettingsRepository::read() const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT key, value, version FROM settings"));
    if (!q)
        return fail(q.error());
    if (Status done = m_db.exec(*q, tr("reading the settings")); !done)
        return fail(done.error());
    StoredSettings stored;
    const QString version = versionKey();
    while (q->next()) {
        const QString key = q->value(0).toString();
        if (key == version)
            stored.version = q->value(2).toLongLong();
        else
            stored.values.insert(key, q->value(1).toString());
    }
    return stored;
}

Result<qint64> SettingsRepository::advanceVersion(
    qint64 expectedVersion, const QDateTime &at, qint64 userId)
{
    // The first save inserts the row; the primary key lets only one of two
    // concurrent first saves through.
    const bool first = expectedVersion == 0;
    Result<QSqlQuery> q = m_db.prepare(first
            ? QStringLiteral("INSERT INTO settings (key, value, updated_at, updated_by, version) "
                             "VALUES (?, ?, ?, ?, 1) RETURNING version")
            : QStringLiteral("UPDATE settings SET value = ?, updated_at = ?, updated_by = ?, "
                             "version = version + 1 WHERE key = ? AND version = ? "
                             "RETURNING version"));
    if (!q)
        return fail(q.error());
    if (first) {
        q->addBindValue(versionKey());
        q->addBindValue(QStringLiteral("1"));
    } else {
        q->addBindValue(QString::number(expectedVersion + 1));
    }
    q->addBindValue(SqlValues::time(at));
    q->addBindValue(SqlValues::id(userId));
    if (!first) {
        q->addBindValue(versionKey());
        q->addBindValue(expectedVersion);
    }
    if (Status done = m_db.exec(*q, tr("saving the settings")); !done) {
        if (done.error().code() == ErrorCode::Duplicate)
            return fail(conflict(expectedVersion));
        return fail(done.error());
    }
    if (!q->next())
        return fail(conflict(expectedVersion));
    return q->value(0).toLongLong();
}

Status SettingsRepository::put(
    const QString &key, const QString &value, const QDateTime &at, qint64 userId)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
        "updated_at = excluded.updated_at, updated_by = excluded.updated_by, "
        "version = settings.version + 1"));
    if (!q)
        return fail(q.error());
    q->addBindValue(key);
    q->addBindValue(value);
    q->addBindValue(SqlValues::time(at));
    q->addBindValue(SqlValues::id(userId));
    return m_db.exec(*q, tr("saving the settings"));
}

} // namespace rd
