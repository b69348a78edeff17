#include "storage/ResellerRepository.h"

#include <QHash>
#include <QSet>
#include <QSqlQuery>
#include <QStringList>

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

// The columns of a ResellerRow in the order readReseller() expects, for a
// table aliased "r".
const QString ResellerColumns = QStringLiteral(
    "r.id, r.name, r.parent_id, r.commission_rate_bp, r.override_rate_bp, r.customer_scope, "
    "r.pricing, r.price_list_id, r.origin_customer_id, r.active, r.created_at, r.created_by, "
    "r.updated_at, r.version");
constexpr int ResellerColumnCount = 14;

ResellerRow readReseller(const QSqlQuery &q)
{
    ResellerRow r;
    r.id = q.value(0).toLongLong();
    r.name = q.value(1).toString();
    r.parentId = SqlValues::toId(q.value(2));
    r.commissionRateBp = q.value(3).toInt();
    r.overrideRateBp = q.value(4).toInt();
    r.customerScope = q.value(5).toString() == QLatin1String("all") ? CustomerScope::All
                                                                    : CustomerScope::Assigned;
    r.pricing = q.value(6).toString() == QLatin1String("selected") ? PricingMode::Selected
                                                                   : PricingMode::Channel;
    r.priceListId = SqlValues::toId(q.value(7));
    r.originCustomerId = SqlValues::toId(q.value(8));
    r.active = q.value(9).toBool();
    r.createdAt = SqlValues::toTime(q.value(10));
    r.createdBy = SqlValues::toId(q.value(11));
    r.updatedAt = SqlValues::toTime(q.value(12));
    r.version = q.value(13).toInt();
    return r;
}

// The SQL condition of a ResellerListFilter on the resellers table aliased
// `alias` ("1 = 1" when it lets every reseller through), and its bound values
// in order.
struct FilterSql
{
    QString condition;
    QVariantList values;
};

FilterSql filterSql(const ResellerListFilter &filter, const QString &alias)
{
    FilterSql sql;
    QStringList parts;
    if (filter.portalId > 0) {
        if (filter.withSubPortals) {
            parts << QStringLiteral("(%1.id = ? OR %1.parent_id = ?)").arg(alias);
            sql.values << filter.portalId << filter.portalId;
        } else {
            parts << QStringLiteral("%1.id = ?").arg(alias);
            sql.values << filter.portalId;
        }
    }
    if (filter.resellerId > 0) {
        parts << QStringLiteral("%1.id = ?").arg(alias);
        sql.values << filter.resellerId;
    }
    sql.condition = parts.isEmpty() ? QStringLiteral("1 = 1") : parts.join(QStringLiteral(" AND "));
    return sql;
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

Result<QList<ResellerOverviewRow>> ResellerRepository::overview(
    const ResellerListFilter &filter) const
{
    const FilterSql outer = filterSql(filter, QStringLiteral("r"));
    const FilterSql inner = filterSql(filter, QStringLiteral("x"));
    const QString byName = m_db.dialect() == Dialect::SQLite
        ? QStringLiteral("r.name COLLATE NOCASE, r.id")
        : QStringLiteral("lower(r.name), r.id");

    // The counts come from one grouped subquery, limited to the resellers
    // the filter lets through.
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + ResellerColumns
        + QStringLiteral(", p.name, pl.name, coalesce(n.customers, 0), "
                         "coalesce(n.active_customers, 0), coalesce(n.trial_customers, 0) "
                         "FROM resellers r "
                         "LEFT JOIN resellers p ON p.id = r.parent_id "
                         "LEFT JOIN price_lists pl ON pl.id = r.price_list_id "
                         "LEFT JOIN (SELECT a.reseller_id, count(*) AS customers, "
                         "  sum(CASE WHEN c.active = ? THEN 1 ELSE 0 END) AS active_customers, "
                         "  sum(CASE WHEN c.billing_status = 'trial' THEN 1 ELSE 0 END) "
                         "    AS trial_customers "
                         "  FROM customer_assignments a JOIN customers c ON c.id = a.customer_id "
                         "  WHERE a.ended_at IS NULL AND c.archived_at IS NULL "
                         "  AND a.reseller_id IN (SELECT x.id FROM resellers x WHERE ")
        + inner.condition
        + QStringLiteral(") GROUP BY a.reseller_id) n ON n.reseller_id = r.id "
                         "WHERE r.archived_at IS NULL AND ")
        + outer.condition + QStringLiteral(" ORDER BY ") + byName);
    if (!q)
        return fail(q.error());
    q->addBindValue(true);
    for (const QVariant &value : inner.values)
        q->addBindValue(value);
    for (const QVariant &value : outer.values)
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("reading resellers")); !done)
        return fail(done.error());
    QList<ResellerOverviewRow> rows;
    QHash<qint64, qsizetype> indexById;
    while (q->next()) {
        ResellerOverviewRow row;
        row.reseller = readReseller(*q);
        row.parentName = q->value(ResellerColumnCount).toString();
        row.priceListName = q->value(ResellerColumnCount + 1).toString();
        row.customerCount = q->value(ResellerColumnCount + 2).toInt();
        row.activeCustomers = q->value(ResellerColumnCount + 3).toInt();
        row.trialCustomers = q->value(ResellerColumnCount + 4).toInt();
        indexById.insert(row.reseller.id, rows.size());
        rows.append(row);
    }
    if (rows.isEmpty())
        return rows;

    Result<QSqlQuery> plans = m_db.prepare(
        QStringLiteral("SELECT rp.reseller_id, rp.plan_id FROM reseller_plans rp "
                       "JOIN resellers r ON r.id = rp.reseller_id WHERE r.archived_at IS NULL AND ")
        + outer.condition + QStringLiteral(" ORDER BY rp.reseller_id, rp.plan_id"));
    if (!plans)
        return fail(plans.error());
    for (const QVariant &value : outer.values)
        plans->addBindValue(value);
    if (Status done = m_db.exec(*plans, tr("reading the resellers' plans")); !done)
        return fail(done.error());
    while (plans->next()) {
        const auto found = indexById.constFind(plans->value(0).toLongLong());
        if (found != indexById.constEnd())
            rows[*found].planIds.append(plans->value(1).toLongLong());
    }
    return rows;
}

Result<QString> ResellerRepository::nameInUse(const QString &name, qint64 exceptId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT name FROM resellers WHERE id <> ?"));
    if (!q)
        return fail(q.error());
    q->setForwardOnly(true);
    q->addBindValue(exceptId);
    if (Status done = m_db.exec(*q, tr("checking the reseller's name")); !done)
        return fail(done.error());
    const QString folded = name.toCaseFolded();
    while (q->next()) {
        const QString stored = q->value(0).toString();
        if (stored.toCaseFolded() == folded)
            return stored;
    }
    return QString();
}

Result<std::optional<QString>> ResellerRepository::priceListName(qint64 priceListId) const
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("SELECT name FROM price_lists WHERE id = ? AND archived_at IS NULL"));
    if (!q)
        return fail(q.error());
    q->addBindValue(priceListId);
    if (Status done = m_db.exec(*q, tr("reading a price list")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<QString>();
    return std::optional<QString>(q->value(0).toString());
}

Result<QList<qint64>> ResellerRepository::unknownPlans(const QList<qint64> &planIds) const
{
    QList<qint64> wanted;
    for (const qint64 id : planIds) {
        if (!wanted.contains(id))
            wanted.append(id);
    }
    if (wanted.isEmpty())
        return wanted;
    QStringList placeholders;
    for (qsizetype i = 0; i < wanted.size(); ++i)
        placeholders << QStringLiteral("?");
    Result<QSqlQuery> q
        = m_db.prepare(QStringLiteral("SELECT id FROM plans WHERE archived_at IS NULL AND id IN (")
            + placeholders.join(QStringLiteral(", ")) + QStringLiteral(")"));
    if (!q)
        return fail(q.error());
    for (const qint64 id : wanted)
        q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("checking plans")); !done)
        return fail(done.error());
    QSet<qint64> known;
    while (q->next())
        known.insert(q->value(0).toLongLong());
    QList<qint64> unknown;
    for (const qint64 id : wanted) {
        if (!known.contains(id))
            unknown.append(id);
    }
    return unknown;
}

} // namespace rd
