#include "storage/UsageRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

UsageRepository::UsageRepository(Database &db)
    : m_db(db)
{ }

Result<std::optional<UsageRow>> UsageRepository::find(qint64 customerId, const QString &month) const
{
    Result<QSqlQuery> q
        = m_db.prepare(QStringLiteral("SELECT used, updated_at, version FROM identification_usage "
                                      "WHERE customer_id = ? AND month = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    q->addBindValue(month);
    if (Status done = m_db.exec(*q, tr("reading usage")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<UsageRow>();
    UsageRow row;
    row.customerId = customerId;
    row.month = month;
    row.used = q->value(0).toInt();
    row.updatedAt = SqlValues::toTime(q->value(1));
    row.version = q->value(2).toInt();
    return std::optional<UsageRow>(row);
}

Status UsageRepository::upsert(
    qint64 customerId, const QString &month, int used, const QDateTime &at)
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("INSERT INTO identification_usage (customer_id, month, used, updated_at) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (customer_id, month) DO UPDATE SET "
                       "used = excluded.used, updated_at = excluded.updated_at, "
                       "version = identification_usage.version + 1"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    q->addBindValue(month);
    q->addBindValue(used);
    q->addBindValue(SqlValues::time(at));
    return m_db.exec(*q, tr("recording usage"));
}

} // namespace rd
