#include "storage/ResellerRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

QString scopeKey(CustomerScope scope)
{
    return scope == CustomerScope::All ? QStringLiteral("all") : QStringLiteral("assigned");
}

QString pricingKey(PricingMode pricing)
{
    return pricing == PricingMode::Selected ? QStringLiteral("selected")
                                            : QStringLiteral("channel");
}

// The columns insert and update share, bound in this order by bindEditable().
const QString EditableColumns = QStringLiteral(
    "name, parent_id, commission_rate_bp, override_rate_bp, customer_scope, pricing, "
    "price_list_id, active");

void bindEditable(QSqlQuery &q, const ResellerRow &r)
{
    q.addBindValue(r.name);
    q.addBindValue(SqlValues::id(r.parentId));
    q.addBindValue(r.commissionRateBp);
    q.addBindValue(r.overrideRateBp);
    q.addBindValue(scopeKey(r.customerScope));
    q.addBindValue(pricingKey(r.pricing));
    q.addBindValue(SqlValues::id(r.priceListId));
    q.addBindValue(r.active);
}

} // namespace

ResellerRepository::ResellerRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> ResellerRepository::insert(const ResellerRow &r)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("INSERT INTO resellers (") + EditableColumns
        + QStringLiteral(", origin_customer_id, created_at, created_by) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    bindEditable(*q, r);
    q->addBindValue(SqlValues::id(r.originCustomerId));
    q->addBindValue(SqlValues::time(r.createdAt));
    q->addBindValue(SqlValues::id(r.createdBy));
    if (Status done = m_db.exec(*q, tr("saving the reseller")); !done) {
        if (done.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate, tr("A reseller named %1 exists.").arg(r.name),
                QStringLiteral("name"), done.error().detail());
        }
        return fail(done.error());
    }
    q->next();
    return q->value(0).toLongLong();
}

Result<ResellerRow> ResellerRepository::find(qint64 id) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id, name, parent_id, commission_rate_bp, override_rate_bp, customer_scope, "
        "pricing, price_list_id, origin_customer_id, active, created_at, created_by, updated_at, "
        "version FROM resellers WHERE id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("reading a reseller")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The reseller no longer exists."));
    ResellerRow r;
    r.id = q->value(0).toLongLong();
    r.name = q->value(1).toString();
    r.parentId = SqlValues::toId(q->value(2));
    r.commissionRateBp = q->value(3).toInt();
    r.overrideRateBp = q->value(4).toInt();
    r.customerScope = q->value(5).toString() == QLatin1String("all") ? CustomerScope::All
                                                                     : CustomerScope::Assigned;
    r.pricing = q->value(6).toString() == QLatin1String("selected") ? PricingMode::Selected
                                                                    : PricingMode::Channel;
    r.priceListId = SqlValues::toId(q->value(7));
    r.originCustomerId = SqlValues::toId(q->value(8));
    r.active = q->value(9).toBool();
    r.createdAt = SqlValues::toTime(q->value(10));
    r.createdBy = SqlValues::toId(q->value(11));
    r.updatedAt = SqlValues::toTime(q->value(12));
    r.version = q->value(13).toInt();
    return r;
}

Result<int> ResellerRepository::update(const ResellerRow &r)
{
    QString assignments;
    for (const QString &column : EditableColumns.split(QStringLiteral(", ")))
        assignments += column + QStringLiteral(" = ?, ");
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("UPDATE resellers SET ") + assignments
        + QStringLiteral("updated_at = ?, version = version + 1 WHERE id = ? AND version = ? "
                         "RETURNING version"));
    if (!q)
        return fail(q.error());
    bindEditable(*q, r);
    q->addBindValue(SqlValues::time(r.updatedAt));
    q->addBindValue(r.id);
    q->addBindValue(r.version);
    if (Status done = m_db.exec(*q, tr("saving the reseller")); !done)
        return fail(done.error());
    if (q->next())
        return q->value(0).toInt();
    if (Result<ResellerRow> current = find(r.id); !current)
        return fail(current.error());
    return fail(ErrorCode::Conflict,
        tr("The reseller %1 was changed by someone else. Reload it and make your change "
           "again.")
            .arg(r.name));
}

Status ResellerRepository::setOfferedPlans(qint64 resellerId, const QList<qint64> &planIds)
{
    Result<QSqlQuery> clear
        = m_db.prepare(QStringLiteral("DELETE FROM reseller_plans WHERE reseller_id = ?"));
    if (!clear)
        return fail(clear.error());
    clear->addBindValue(resellerId);
    if (Status done = m_db.exec(*clear, tr("saving the reseller's plans")); !done)
        return done;
    Result<QSqlQuery> add = m_db.prepare(
        QStringLiteral("INSERT INTO reseller_plans (reseller_id, plan_id) VALUES (?, ?)"));
    if (!add)
        return fail(add.error());
    for (const qint64 planId : planIds) {
        add->bindValue(0, resellerId);
        add->bindValue(1, planId);
        if (Status done = m_db.exec(*add, tr("saving the reseller's plans")); !done)
            return done;
    }
    return {};
}

Result<QList<qint64>> ResellerRepository::offeredPlans(qint64 resellerId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT plan_id FROM reseller_plans WHERE reseller_id = ? ORDER BY plan_id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(resellerId);
    if (Status done = m_db.exec(*q, tr("reading the reseller's plans")); !done)
        return fail(done.error());
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    return ids;
}

} // namespace rd
