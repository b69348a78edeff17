#include "storage/AuditRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

const QString EventColumns = QStringLiteral(
    "e.id, e.occurred_at, e.batch_id, e.actor_user_id, e.actor_membership_id, "
    "e.impersonator_user_id, e.impersonation_session_id, e.action, e.entity_type, e.entity_id, "
    "e.reseller_id, e.customer_id, e.before_json, e.after_json, e.reason");

// Reads EventColumns, starting at column 0.
AuditEventRow readEvent(const QSqlQuery &q)
{
    AuditEventRow e;
    e.id = q.value(0).toLongLong();
    e.occurredAt = SqlValues::toTime(q.value(1));
    e.batchId = q.value(2).toString();
    e.actorUserId = SqlValues::toId(q.value(3));
    e.actorMembershipId = SqlValues::toId(q.value(4));
    e.impersonatorUserId = SqlValues::toId(q.value(5));
    e.impersonationSessionId = SqlValues::toId(q.value(6));
    e.action = q.value(7).toString();
    e.entityType = q.value(8).toString();
    e.entityId = SqlValues::toId(q.value(9));
    e.resellerId = SqlValues::toId(q.value(10));
    e.customerId = SqlValues::toId(q.value(11));
    e.beforeJson = q.value(12).toString();
    e.afterJson = q.value(13).toString();
    e.reason = q.value(14).toString();
    return e;
}

} // namespace

AuditRepository::AuditRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> AuditRepository::append(const AuditEventRow &e)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO audit_events (occurred_at, batch_id, actor_user_id, actor_membership_id, "
        "impersonator_user_id, impersonation_session_id, action, entity_type, entity_id, "
        "reseller_id, customer_id, before_json, after_json, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(e.occurredAt));
    q->addBindValue(SqlValues::optionalText(e.batchId));
    q->addBindValue(SqlValues::id(e.actorUserId));
    q->addBindValue(SqlValues::id(e.actorMembershipId));
    q->addBindValue(SqlValues::id(e.impersonatorUserId));
    q->addBindValue(SqlValues::id(e.impersonationSessionId));
    q->addBindValue(e.action);
    q->addBindValue(e.entityType);
    q->addBindValue(SqlValues::id(e.entityId));
    q->addBindValue(SqlValues::id(e.resellerId));
    q->addBindValue(SqlValues::id(e.customerId));
    q->addBindValue(SqlValues::optionalText(e.beforeJson));
    q->addBindValue(SqlValues::optionalText(e.afterJson));
    q->addBindValue(SqlValues::optionalText(e.reason));
    if (Status done = m_db.exec(*q, tr("writing the audit trail")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<AuditEventRow>> AuditRepository::forEntity(
    const QString &entityType, qint64 entityId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + EventColumns
        + QStringLiteral(" FROM audit_events e WHERE e.entity_type = ? AND e.entity_id = ? "
                         "ORDER BY e.occurred_at, e.id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(entityType);
    q->addBindValue(entityId);
    if (Status done = m_db.exec(*q, tr("reading the audit trail")); !done)
        return fail(done.error());
    QList<AuditEventRow> rows;
    while (q->next())
        rows.append(readEvent(*q));
    return rows;
}

Result<QList<AuditListRow>> AuditRepository::forCustomer(qint64 customerId, int limit) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + EventColumns
        + QStringLiteral(", coalesce(a.display_name, a.email), coalesce(i.display_name, i.email) "
                         "FROM audit_events e "
                         "LEFT JOIN users a ON a.id = e.actor_user_id "
                         "LEFT JOIN users i ON i.id = e.impersonator_user_id "
                         "WHERE e.customer_id = ? ORDER BY e.occurred_at DESC, e.id DESC "
                         "LIMIT ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    q->addBindValue(qMax(0, limit));
    if (Status done = m_db.exec(*q, tr("reading the audit trail")); !done)
        return fail(done.error());
    QList<AuditListRow> rows;
    while (q->next())
        rows.append(AuditListRow {readEvent(*q), q->value(15).toString(), q->value(16).toString()});
    return rows;
}

} // namespace rd
