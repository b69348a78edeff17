#include "storage/CatalogueRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

const QString PlanColumns
    = QStringLiteral("p.id, p.code, p.name, p.monthly_budget, p.created_at, p.version");
const QString PriceListColumns
    = QStringLiteral("id, name, currency, is_default, created_at, version");

PlanRow readPlan(const QSqlQuery &q)
{
    PlanRow p;
    p.id = q.value(0).toLongLong();
    p.code = q.value(1).toString();
    p.name = q.value(2).toString();
    p.monthlyBudget = q.value(3).toInt();
    p.createdAt = SqlValues::toTime(q.value(4));
    p.version = q.value(5).toInt();
    return p;
}

PriceListRow readPriceList(const QSqlQuery &q)
{
    PriceListRow p;
    p.id = q.value(0).toLongLong();
    p.name = q.value(1).toString();
    p.currency = q.value(2).toString();
    p.isDefault = q.value(3).toBool();
    p.createdAt = SqlValues::toTime(q.value(4));
    p.version = q.value(5).toInt();
    return p;
}

} // namespace

CatalogueRepository::CatalogueRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> CatalogueRepository::insertPlan(const PlanRow &plan)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO plans (code, name, monthly_budget, created_at) VALUES (?, ?, ?, ?) "
        "RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(plan.code);
    q->addBindValue(plan.name);
    q->addBindValue(plan.monthlyBudget);
    q->addBindValue(SqlValues::time(plan.createdAt));
    if (Status done = m_db.exec(*q, tr("saving the plan")); !done) {
        if (done.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate, tr("A plan with the code %1 exists.").arg(plan.code),
                QStringLiteral("code"), done.error().detail());
        }
        return fail(done.error());
    }
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<PlanRow>> CatalogueRepository::plans() const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + PlanColumns
        + QStringLiteral(" FROM plans p WHERE p.archived_at IS NULL "
                         "ORDER BY p.name, p.id"));
    if (!q)
        return fail(q.error());
    if (Status done = m_db.exec(*q, tr("reading plans")); !done)
        return fail(done.error());
    QList<PlanRow> rows;
    while (q->next())
        rows.append(readPlan(*q));
    return rows;
}

Result<PlanRow> CatalogueRepository::plan(qint64 planId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + PlanColumns
        + QStringLiteral(" FROM plans p WHERE p.id = ? "
                         "AND p.archived_at IS NULL"));
    if (!q)
        return fail(q.error());
    q->addBindValue(planId);
    if (Status done = m_db.exec(*q, tr("reading a plan")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The plan no longer exists."), QStringLiteral("plan"));
    return readPlan(*q);
}

Result<QList<PlanRow>> CatalogueRepository::plansOfferedBy(qint64 resellerId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + PlanColumns
        + QStringLiteral(
            " FROM plans p JOIN reseller_plans rp ON rp.plan_id = p.id "
            "WHERE rp.reseller_id = ? AND p.archived_at IS NULL ORDER BY p.name, p.id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(resellerId);
    if (Status done = m_db.exec(*q, tr("reading the reseller's plans")); !done)
        return fail(done.error());
    QList<PlanRow> rows;
    while (q->next())
        rows.append(readPlan(*q));
    return rows;
}

Result<PriceListRow> CatalogueRepository::priceList(qint64 priceListId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + PriceListColumns
        + QStringLiteral(" FROM price_lists WHERE id = ? "
                         "AND archived_at IS NULL"));
    if (!q)
        return fail(q.error());
    q->addBindValue(priceListId);
    if (Status done = m_db.exec(*q, tr("reading a price list")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The price list no longer exists."),
            QStringLiteral("priceList"));
    return readPriceList(*q);
}

Result<QList<PriceListRow>> CatalogueRepository::priceLists() const
{
    const QString byName = m_db.dialect() == Dialect::SQLite ? QStringLiteral("name COLLATE NOCASE")
                                                             : QStringLiteral("lower(name)");
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + PriceListColumns
        + QStringLiteral(" FROM price_lists WHERE archived_at IS NULL ORDER BY is_default DESC, ")
        + byName + QStringLiteral(", id"));
    if (!q)
        return fail(q.error());
    if (Status done = m_db.exec(*q, tr("reading price lists")); !done)
        return fail(done.error());
    QList<PriceListRow> rows;
    while (q->next())
        rows.append(readPriceList(*q));
    return rows;
}

Result<qint64> CatalogueRepository::insertPriceList(const PriceListRow &priceList)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO price_lists (name, currency, is_default, created_at) VALUES (?, ?, ?, ?) "
        "RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(priceList.name);
    q->addBindValue(priceList.currency);
    q->addBindValue(priceList.isDefault);
    q->addBindValue(SqlValues::time(priceList.createdAt));
    if (Status done = m_db.exec(*q, tr("saving the price list")); !done) {
        if (done.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate,
                priceList.isDefault ? tr("There is already a default price list.")
                                    : tr("A price list named %1 exists.").arg(priceList.name),
                QStringLiteral("name"), done.error().detail());
        }
        return fail(done.error());
    }
    q->next();
    return q->value(0).toLongLong();
}

Result<std::optional<PriceListRow>> CatalogueRepository::defaultPriceList() const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + PriceListColumns
        + QStringLiteral(" FROM price_lists WHERE is_default = ? "
                         "AND archived_at IS NULL"));
    if (!q)
        return fail(q.error());
    q->addBindValue(true);
    if (Status done = m_db.exec(*q, tr("reading the default price list")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<PriceListRow>();
    return std::optional<PriceListRow>(readPriceList(*q));
}

Status CatalogueRepository::setPrice(qint64 priceListId, qint64 planId, qint64 monthlyPriceMinor)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO price_list_items (price_list_id, plan_id, monthly_price) VALUES (?, ?, ?) "
        "ON CONFLICT (price_list_id, plan_id) DO UPDATE SET monthly_price = "
        "excluded.monthly_price, "
        "version = price_list_items.version + 1"));
    if (!q)
        return fail(q.error());
    q->addBindValue(priceListId);
    q->addBindValue(planId);
    q->addBindValue(monthlyPriceMinor);
    return m_db.exec(*q, tr("saving the price"));
}

Result<std::optional<qint64>> CatalogueRepository::price(qint64 priceListId, qint64 planId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT monthly_price FROM price_list_items WHERE price_list_id = ? AND plan_id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(priceListId);
    q->addBindValue(planId);
    if (Status done = m_db.exec(*q, tr("reading a price")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<qint64>();
    return std::optional<qint64>(q->value(0).toLongLong());
}

Result<QList<std::pair<qint64, qint64>>> CatalogueRepository::prices(qint64 priceListId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT i.plan_id, i.monthly_price FROM price_list_items i "
        "JOIN plans p ON p.id = i.plan_id "
        "WHERE i.price_list_id = ? AND p.archived_at IS NULL ORDER BY p.name, p.id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(priceListId);
    if (Status done = m_db.exec(*q, tr("reading prices")); !done)
        return fail(done.error());
    QList<std::pair<qint64, qint64>> rows;
    while (q->next())
        rows.append({q->value(0).toLongLong(), q->value(1).toLongLong()});
    return rows;
}

} // namespace rd
