#include "storage/ImpersonationRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

const QString Columns = QStringLiteral(
    "id, impersonator_user_id, impersonator_membership_id, client_user_id, "
    "client_membership_id, customer_id, reseller_id, reason, started_at, expires_at, ended_at, "
    "end_reason, version");

ImpersonationSessionRow readRow(const QSqlQuery &q)
{
    ImpersonationSessionRow row;
    row.id = q.value(0).toLongLong();
    row.impersonatorUserId = SqlValues::toId(q.value(1));
    row.impersonatorMembershipId = SqlValues::toId(q.value(2));
    row.clientUserId = SqlValues::toId(q.value(3));
    row.clientMembershipId = SqlValues::toId(q.value(4));
    row.customerId = SqlValues::toId(q.value(5));
    row.resellerId = SqlValues::toId(q.value(6));
    row.reason = q.value(7).toString();
    row.startedAt = SqlValues::toTime(q.value(8));
    row.expiresAt = SqlValues::toTime(q.value(9));
    row.endedAt = SqlValues::toTime(q.value(10));
    row.endReason = impersonationEndFromKey(q.value(11).toString());
    row.version = q.value(12).toInt();
    return row;
}

} // namespace

QString impersonationEndKey(ImpersonationEnd end)
{
    switch (end) {
    case ImpersonationEnd::Closed:
        return QStringLiteral("closed");
    case ImpersonationEnd::SignedOut:
        return QStringLiteral("signed_out");
    case ImpersonationEnd::Expired:
        return QStringLiteral("expired");
    case ImpersonationEnd::AppExit:
        return QStringLiteral("app_exit");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<ImpersonationEnd> impersonationEndFromKey(const QString &key)
{
    for (ImpersonationEnd end : {ImpersonationEnd::Closed, ImpersonationEnd::SignedOut,
             ImpersonationEnd::Expired, ImpersonationEnd::AppExit}) {
        if (impersonationEndKey(end) == key)
            return end;
    }
    return std::nullopt;
}

ImpersonationRepository::ImpersonationRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> ImpersonationRepository::insert(const ImpersonationSessionRow &row)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO impersonation_sessions (impersonator_user_id, impersonator_membership_id, "
        "client_user_id, client_membership_id, customer_id, reseller_id, reason, started_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(row.impersonatorUserId);
    q->addBindValue(row.impersonatorMembershipId);
    q->addBindValue(row.clientUserId);
    q->addBindValue(row.clientMembershipId);
    q->addBindValue(row.customerId);
    q->addBindValue(SqlValues::id(row.resellerId));
    q->addBindValue(row.reason);
    q->addBindValue(SqlValues::time(row.startedAt));
    q->addBindValue(SqlValues::time(row.expiresAt));
    if (Status done = m_db.exec(*q, tr("recording the Login As session")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<ImpersonationSessionRow> ImpersonationRepository::find(qint64 id) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + Columns
        + QStringLiteral(" FROM impersonation_sessions WHERE id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("reading the Login As session")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The Login As session does not exist."));
    return readRow(*q);
}

Result<bool> ImpersonationRepository::end(qint64 id, const QDateTime &endedAt, ImpersonationEnd why)
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("UPDATE impersonation_sessions SET ended_at = ?, end_reason = ?, "
                       "version = version + 1 WHERE id = ? AND ended_at IS NULL"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(endedAt));
    q->addBindValue(impersonationEndKey(why));
    q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("ending the Login As session")); !done)
        return fail(done.error());
    return q->numRowsAffected() == 1;
}

Result<QList<ImpersonationSessionRow>> ImpersonationRepository::openSessionsOf(
    qint64 impersonatorUserId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + Columns
        + QStringLiteral(" FROM impersonation_sessions WHERE impersonator_user_id = ? AND "
                         "ended_at IS NULL ORDER BY started_at, id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(impersonatorUserId);
    if (Status done = m_db.exec(*q, tr("reading the Login As sessions")); !done)
        return fail(done.error());
    QList<ImpersonationSessionRow> rows;
    while (q->next())
        rows.append(readRow(*q));
    return rows;
}

} // namespace rd
