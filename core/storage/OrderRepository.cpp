#include "storage/OrderRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

OrderRepository::OrderRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> OrderRepository::insert(const OrderRow &o)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO orders (customer_id, reseller_id, parent_reseller_id, plan_id, price_list_id, "
        "quantity, currency, unit_price, total, commission_rate_bp, commission, override_rate_bp, "
        "override_commission, status, created_at, created_by, impersonator_user_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(o.customerId);
    q->addBindValue(SqlValues::id(o.resellerId));
    q->addBindValue(SqlValues::id(o.parentResellerId));
    q->addBindValue(o.planId);
    q->addBindValue(o.priceListId);
    q->addBindValue(o.quantity);
    q->addBindValue(o.currency);
    q->addBindValue(o.unitPrice);
    q->addBindValue(o.total);
    q->addBindValue(o.commissionRateBp);
    q->addBindValue(o.commission);
    q->addBindValue(o.overrideRateBp);
    q->addBindValue(o.overrideCommission);
    q->addBindValue(o.cancelled ? QStringLiteral("cancelled") : QStringLiteral("placed"));
    q->addBindValue(SqlValues::time(o.createdAt));
    q->addBindValue(SqlValues::id(o.createdBy));
    q->addBindValue(SqlValues::id(o.impersonatorUserId));
    if (Status done = m_db.exec(*q, tr("saving the order")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<OrderListRow>> OrderRepository::recentForCustomer(qint64 customerId, int limit) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT o.id, o.created_at, p.name, o.quantity, o.total, o.currency, o.status "
        "FROM orders o JOIN plans p ON p.id = o.plan_id WHERE o.customer_id = ? "
        "ORDER BY o.created_at DESC, o.id DESC LIMIT ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    q->addBindValue(qMax(0, limit));
    if (Status done = m_db.exec(*q, tr("reading orders")); !done)
        return fail(done.error());
    QList<OrderListRow> rows;
    while (q->next()) {
        OrderListRow r;
        r.id = q->value(0).toLongLong();
        r.createdAt = SqlValues::toTime(q->value(1));
        r.planName = q->value(2).toString();
        r.quantity = q->value(3).toInt();
        r.total = q->value(4).toLongLong();
        r.currency = q->value(5).toString();
        r.cancelled = q->value(6).toString() == QLatin1String("cancelled");
        rows.append(r);
    }
    return rows;
}

} // namespace rd
