#include "storage/ScopeRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"

namespace rd {

ScopeRepository::ScopeRepository(Database &db)
    : m_db(db)
{ }

Result<bool> ScopeRepository::resellerSeesCustomer(qint64 resellerId, qint64 customerId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT 1 FROM customers c WHERE c.id = ? AND c.archived_at IS NULL AND ("
        " EXISTS (SELECT 1 FROM resellers r WHERE r.id = ? AND r.customer_scope = 'all')"
        " OR EXISTS (SELECT 1 FROM customer_assignments a WHERE a.customer_id = c.id"
        "            AND a.reseller_id = ? AND a.ended_at IS NULL))"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    q->addBindValue(resellerId);
    q->addBindValue(resellerId);
    if (Status done = m_db.exec(*q, tr("checking access to a customer")); !done)
        return fail(done.error());
    return q->next();
}

Result<bool> ScopeRepository::isOwnOrSubPortal(qint64 ownResellerId, qint64 resellerId) const
{
    if (ownResellerId > 0 && ownResellerId == resellerId)
        return true;
    Result<QSqlQuery> q
        = m_db.prepare(QStringLiteral("SELECT 1 FROM resellers WHERE id = ? AND parent_id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(resellerId);
    q->addBindValue(ownResellerId);
    if (Status done = m_db.exec(*q, tr("checking access to a reseller")); !done)
        return fail(done.error());
    return q->next();
}

Result<bool> ScopeRepository::resellerSeesAllCustomers(qint64 resellerId) const
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("SELECT 1 FROM resellers WHERE id = ? AND customer_scope = 'all'"));
    if (!q)
        return fail(q.error());
    q->addBindValue(resellerId);
    if (Status done = m_db.exec(*q, tr("checking access to customers")); !done)
        return fail(done.error());
    return q->next();
}

} // namespace rd
