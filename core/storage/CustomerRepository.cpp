#include "storage/CustomerRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

QString billingKey(BillingStatus status)
{
    return status == BillingStatus::Paid ? QStringLiteral("paid") : QStringLiteral("trial");
}

QString kindKey(AssignmentKind kind)
{
    return kind == AssignmentKind::Owner ? QStringLiteral("owner") : QStringLiteral("additional");
}

QVariant trialBudgetValue(const CustomerRow &c)
{
    return c.billingStatus == BillingStatus::Trial || c.trialBudget > 0 ? QVariant(c.trialBudget)
                                                                        : SqlValues::nullInt();
}

// The columns insert and update share, bound in this order by bindEditable().
const QString EditableColumns = QStringLiteral(
    "company_name, domain, contact_name, contact_email, contact_phone, plan_id, price_list_id, "
    "owner_reseller_id, primary_user_id, billing_status, trial_ends_at, trial_budget, active, "
    "no_email");

void bindEditable(QSqlQuery &q, const CustomerRow &c)
{
    q.addBindValue(c.companyName);
    q.addBindValue(SqlValues::optionalText(c.domain));
    q.addBindValue(c.contactName);
    q.addBindValue(c.contactEmail);
    q.addBindValue(SqlValues::optionalText(c.contactPhone));
    q.addBindValue(c.planId);
    q.addBindValue(c.priceListId);
    q.addBindValue(SqlValues::id(c.ownerResellerId));
    q.addBindValue(SqlValues::id(c.primaryUserId));
    q.addBindValue(billingKey(c.billingStatus));
    q.addBindValue(SqlValues::time(c.trialEndsAt));
    q.addBindValue(trialBudgetValue(c));
    q.addBindValue(c.active);
    q.addBindValue(c.noEmail);
}

} // namespace

CustomerRepository::CustomerRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> CustomerRepository::insert(const CustomerRow &c)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("INSERT INTO customers (") + EditableColumns
        + QStringLiteral(", created_at, created_by) VALUES (?, ?, ?, "
                         "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id"));
    if (!q)
        return fail(q.error());
    bindEditable(*q, c);
    q->addBindValue(SqlValues::time(c.createdAt));
    q->addBindValue(SqlValues::id(c.createdBy));
    if (Status done = m_db.exec(*q, tr("saving the customer")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<CustomerRow> CustomerRepository::find(qint64 id) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id, company_name, domain, contact_name, contact_email, contact_phone, plan_id, "
        "price_list_id, owner_reseller_id, primary_user_id, billing_status, trial_ends_at, "
        "trial_budget, converted_at, converted_by, active, no_email, created_at, created_by, "
        "updated_at, version FROM customers WHERE id = ? AND archived_at IS NULL"));
    if (!q)
        return fail(q.error());
    q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("reading a customer")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The customer no longer exists."));
    CustomerRow c;
    c.id = q->value(0).toLongLong();
    c.companyName = q->value(1).toString();
    c.domain = q->value(2).toString();
    c.contactName = q->value(3).toString();
    c.contactEmail = q->value(4).toString();
    c.contactPhone = q->value(5).toString();
    c.planId = q->value(6).toLongLong();
    c.priceListId = q->value(7).toLongLong();
    c.ownerResellerId = SqlValues::toId(q->value(8));
    c.primaryUserId = SqlValues::toId(q->value(9));
    c.billingStatus = q->value(10).toString() == QLatin1String("paid") ? BillingStatus::Paid
                                                                       : BillingStatus::Trial;
    c.trialEndsAt = SqlValues::toTime(q->value(11));
    c.trialBudget = q->value(12).toInt();
    c.convertedAt = SqlValues::toTime(q->value(13));
    c.convertedBy = SqlValues::toId(q->value(14));
    c.active = q->value(15).toBool();
    c.noEmail = q->value(16).toBool();
    c.createdAt = SqlValues::toTime(q->value(17));
    c.createdBy = SqlValues::toId(q->value(18));
    c.updatedAt = SqlValues::toTime(q->value(19));
    c.version = q->value(20).toInt();
    return c;
}

Result<int> CustomerRepository::update(const CustomerRow &c)
{
    QString assignments;
    for (const QString &column : EditableColumns.split(QStringLiteral(", ")))
        assignments += column + QStringLiteral(" = ?, ");
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("UPDATE customers SET ") + assignments
        + QStringLiteral(
            "converted_at = ?, converted_by = ?, updated_at = ?, version = version + 1 "
            "WHERE id = ? AND version = ? AND archived_at IS NULL RETURNING version"));
    if (!q)
        return fail(q.error());
    bindEditable(*q, c);
    q->addBindValue(SqlValues::time(c.convertedAt));
    q->addBindValue(SqlValues::id(c.convertedBy));
    q->addBindValue(SqlValues::time(c.updatedAt));
    q->addBindValue(c.id);
    q->addBindValue(c.version);
    if (Status done = m_db.exec(*q, tr("saving the customer")); !done)
        return fail(done.error());
    if (q->next())
        return q->value(0).toInt();
    // Nothing updated: gone, or changed since it was read.
    if (Result<CustomerRow> current = find(c.id); !current)
        return fail(current.error());
    return fail(ErrorCode::Conflict,
        tr("%1 was changed by someone else. Reload it and make your change again.")
            .arg(c.companyName));
}

Result<QList<qint64>> CustomerRepository::idsWithDomain(
    const QString &domain, qint64 exceptId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id FROM customers WHERE domain = ? AND id <> ? AND archived_at IS NULL "
        "ORDER BY id LIMIT 20"));
    if (!q)
        return fail(q.error());
    q->addBindValue(domain);
    q->addBindValue(exceptId);
    if (Status done = m_db.exec(*q, tr("checking the domain")); !done)
        return fail(done.error());
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    return ids;
}

Result<qint64> CustomerRepository::insertAssignment(const AssignmentRow &a)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO customer_assignments (customer_id, reseller_id, kind, assigned_at, "
        "assigned_by, ended_at, ended_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(a.customerId);
    q->addBindValue(a.resellerId);
    q->addBindValue(kindKey(a.kind));
    q->addBindValue(SqlValues::time(a.assignedAt));
    q->addBindValue(SqlValues::id(a.assignedBy));
    q->addBindValue(SqlValues::time(a.endedAt));
    q->addBindValue(SqlValues::id(a.endedBy));
    if (Status done = m_db.exec(*q, tr("saving the assignment")); !done) {
        if (done.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate,
                tr("The customer is already assigned to this reseller, or already has an "
                   "owner."),
                {}, done.error().detail());
        }
        return fail(done.error());
    }
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<AssignmentRow>> CustomerRepository::assignments(qint64 customerId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id, customer_id, reseller_id, kind, assigned_at, assigned_by, ended_at, ended_by, "
        "version FROM customer_assignments WHERE customer_id = ? ORDER BY assigned_at, id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    if (Status done = m_db.exec(*q, tr("reading assignments")); !done)
        return fail(done.error());
    QList<AssignmentRow> rows;
    while (q->next()) {
        AssignmentRow a;
        a.id = q->value(0).toLongLong();
        a.customerId = q->value(1).toLongLong();
        a.resellerId = q->value(2).toLongLong();
        a.kind = q->value(3).toString() == QLatin1String("owner") ? AssignmentKind::Owner
                                                                  : AssignmentKind::Additional;
        a.assignedAt = SqlValues::toTime(q->value(4));
        a.assignedBy = SqlValues::toId(q->value(5));
        a.endedAt = SqlValues::toTime(q->value(6));
        a.endedBy = SqlValues::toId(q->value(7));
        a.version = q->value(8).toInt();
        rows.append(a);
    }
    return rows;
}

} // namespace rd
