#include "storage/CustomerImportRepository.h"

#include <algorithm>

#include <QVariant>

#include "storage/AuditRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/Database.h"
#include "storage/OutboxRepository.h"
#include "storage/SqlValues.h"
#include "storage/UserRepository.h"

namespace rd {

namespace {

// How many keys one existingEmailKeys() query binds (both dialects accept
// far more; this keeps each statement small).
constexpr qsizetype KeysPerQuery = 500;

} // namespace

CustomerImportRepository::CustomerImportRepository(Database &db)
    : m_db(db)
{ }

Result<QSet<QString>> CustomerImportRepository::existingEmailKeys(const QStringList &keys) const
{
    QSet<QString> found;
    for (qsizetype start = 0; start < keys.size(); start += KeysPerQuery) {
        const QStringList chunk = keys.mid(start, KeysPerQuery);
        QStringList marks;
        marks.reserve(chunk.size());
        for (qsizetype i = 0; i < chunk.size(); ++i)
            marks.append(QStringLiteral("?"));
        Result<QSqlQuery> q
            = m_db.prepare(QStringLiteral("SELECT email_key FROM users WHERE email_key IN (")
                + marks.join(QLatin1Char(',')) + QLatin1Char(')'));
        if (!q)
            return fail(q.error());
        for (const QString &key : chunk)
            q->addBindValue(key);
        if (Status done = m_db.exec(*q, tr("checking the email addresses")); !done)
            return fail(done.error());
        while (q->next())
            found.insert(q->value(0).toString());
    }
    return found;
}

template<typename Row>
Status CustomerImportRepository::insertRows(std::map<int, QSqlQuery> &statements,
    const QString &prefix, int columns, const QString &suffix, const QList<Row> &rows,
    const Binder<Row> &bind, const QString &what,
    const std::function<void(const QSqlQuery &)> &reader)
{
    for (qsizetype start = 0; start < rows.size();) {
        const int count
            = static_cast<int>(std::min<qsizetype>(RowsPerStatement, rows.size() - start));
        auto found = statements.find(count);
        if (found == statements.end()) {
            QString one = QStringLiteral("(?");
            for (int c = 1; c < columns; ++c)
                one += QStringLiteral(", ?");
            one += QLatin1Char(')');
            QStringList values;
            values.reserve(count);
            for (int r = 0; r < count; ++r)
                values.append(one);
            Result<QSqlQuery> q = m_db.prepare(
                prefix + QLatin1Char(' ') + values.join(QStringLiteral(", ")) + suffix);
            if (!q)
                return fail(q.error());
            found = statements.emplace(count, std::move(*q)).first;
        }
        QSqlQuery &statement = found->second;
        for (int r = 0; r < count; ++r)
            bind(statement, r * columns, rows.at(start + r));
        if (Status done = m_db.exec(statement, what); !done)
            return done;
        if (reader) {
            while (statement.next())
                reader(statement);
        }
        statement.finish();
        start += count;
    }
    return {};
}

Result<QHash<QString, qint64>> CustomerImportRepository::insertUsers(const QList<UserRow> &users)
{
    QHash<QString, qint64> ids;
    ids.reserve(users.size());
    // ON CONFLICT DO NOTHING: a taken email key inserts no row (and returns
    // none) instead of failing, which on PostgreSQL would abort the batch.
    const Status done = insertRows<UserRow>(
        m_users,
        QStringLiteral("INSERT INTO users (email, email_key, display_name, password_hash, "
                       "password_changed_at, must_change_password, setup_code_hash, "
                       "setup_code_expires_at, created_at, created_by) VALUES"),
        10, QStringLiteral(" ON CONFLICT DO NOTHING RETURNING id, email_key"), users,
        [](QSqlQuery &s, int i, const UserRow &user) {
            s.bindValue(i, user.email);
            s.bindValue(i + 1, user.emailKey);
            s.bindValue(i + 2, user.displayName);
            s.bindValue(i + 3, SqlValues::optionalText(user.passwordHash));
            s.bindValue(i + 4, SqlValues::time(user.passwordChangedAt));
            s.bindValue(i + 5, user.mustChangePassword);
            s.bindValue(i + 6, SqlValues::optionalText(user.setupCodeHash));
            s.bindValue(i + 7, SqlValues::time(user.setupCodeExpiresAt));
            s.bindValue(i + 8, SqlValues::time(user.createdAt));
            s.bindValue(i + 9, SqlValues::id(user.createdBy));
        },
        tr("saving the users"),
        [&ids](const QSqlQuery &q) { ids.insert(q.value(1).toString(), q.value(0).toLongLong()); });
    if (!done)
        return fail(done.error());
    return ids;
}

Result<QHash<qint64, qint64>> CustomerImportRepository::insertCustomers(
    const QList<CustomerRow> &customers)
{
    QHash<qint64, qint64> ids;
    ids.reserve(customers.size());
    const Status done = insertRows<CustomerRow>(
        m_customers,
        QStringLiteral("INSERT INTO customers (company_name, domain, contact_name, contact_email, "
                       "contact_phone, plan_id, price_list_id, owner_reseller_id, primary_user_id, "
                       "billing_status, trial_ends_at, trial_budget, active, no_email, created_at, "
                       "created_by) VALUES"),
        16, QStringLiteral(" RETURNING id, primary_user_id"), customers,
        [](QSqlQuery &s, int i, const CustomerRow &c) {
            const bool trial = c.billingStatus == BillingStatus::Trial;
            s.bindValue(i, c.companyName);
            s.bindValue(i + 1, SqlValues::optionalText(c.domain));
            s.bindValue(i + 2, c.contactName);
            s.bindValue(i + 3, c.contactEmail);
            s.bindValue(i + 4, SqlValues::optionalText(c.contactPhone));
            s.bindValue(i + 5, c.planId);
            s.bindValue(i + 6, c.priceListId);
            s.bindValue(i + 7, SqlValues::id(c.ownerResellerId));
            s.bindValue(i + 8, SqlValues::id(c.primaryUserId));
            s.bindValue(i + 9, trial ? QStringLiteral("trial") : QStringLiteral("paid"));
            s.bindValue(i + 10, SqlValues::time(c.trialEndsAt));
            s.bindValue(i + 11,
                trial || c.trialBudget > 0 ? QVariant(c.trialBudget) : SqlValues::nullInt());
            s.bindValue(i + 12, c.active);
            s.bindValue(i + 13, c.noEmail);
            s.bindValue(i + 14, SqlValues::time(c.createdAt));
            s.bindValue(i + 15, SqlValues::id(c.createdBy));
        },
        tr("saving the customers"),
        [&ids](
            const QSqlQuery &q) { ids.insert(q.value(1).toLongLong(), q.value(0).toLongLong()); });
    if (!done)
        return fail(done.error());
    return ids;
}

Result<QHash<qint64, qint64>> CustomerImportRepository::insertMemberships(
    const QList<MembershipRow> &memberships)
{
    QHash<qint64, qint64> ids;
    ids.reserve(memberships.size());
    const Status done = insertRows<MembershipRow>(
        m_memberships,
        QStringLiteral("INSERT INTO memberships (user_id, role, reseller_id, customer_id, active, "
                       "created_at, created_by) VALUES"),
        7, QStringLiteral(" RETURNING id, customer_id"), memberships,
        [](QSqlQuery &s, int i, const MembershipRow &m) {
            s.bindValue(i, m.userId);
            s.bindValue(i + 1, roleKey(m.role));
            s.bindValue(i + 2, SqlValues::id(m.resellerId));
            s.bindValue(i + 3, SqlValues::id(m.customerId));
            s.bindValue(i + 4, m.active);
            s.bindValue(i + 5, SqlValues::time(m.createdAt));
            s.bindValue(i + 6, SqlValues::id(m.createdBy));
        },
        tr("saving the memberships"),
        [&ids](
            const QSqlQuery &q) { ids.insert(q.value(1).toLongLong(), q.value(0).toLongLong()); });
    if (!done)
        return fail(done.error());
    return ids;
}

Result<QHash<qint64, qint64>> CustomerImportRepository::insertAssignments(
    const QList<AssignmentRow> &assignments)
{
    QHash<qint64, qint64> ids;
    ids.reserve(assignments.size());
    const Status done = insertRows<AssignmentRow>(
        m_assignments,
        QStringLiteral(
            "INSERT INTO customer_assignments (customer_id, reseller_id, kind, assigned_at, "
            "assigned_by, ended_at, ended_by) VALUES"),
        7, QStringLiteral(" RETURNING id, customer_id"), assignments,
        [](QSqlQuery &s, int i, const AssignmentRow &a) {
            s.bindValue(i, a.customerId);
            s.bindValue(i + 1, a.resellerId);
            s.bindValue(i + 2,
                a.kind == AssignmentKind::Owner ? QStringLiteral("owner")
                                                : QStringLiteral("additional"));
            s.bindValue(i + 3, SqlValues::time(a.assignedAt));
            s.bindValue(i + 4, SqlValues::id(a.assignedBy));
            s.bindValue(i + 5, SqlValues::time(a.endedAt));
            s.bindValue(i + 6, SqlValues::id(a.endedBy));
        },
        tr("saving the assignments"),
        [&ids](
            const QSqlQuery &q) { ids.insert(q.value(1).toLongLong(), q.value(0).toLongLong()); });
    if (!done)
        return fail(done.error());
    return ids;
}

Status CustomerImportRepository::insertOutbox(const QList<OutboxRow> &rows)
{
    return insertRows<OutboxRow>(
        m_outbox,
        QStringLiteral(
            "INSERT INTO outbox (created_at, kind, customer_id, reseller_id, user_id, recipient, "
            "subject, body, secret, status, not_before, created_by) VALUES"),
        12, {}, rows,
        [](QSqlQuery &s, int i, const OutboxRow &r) {
            s.bindValue(i, SqlValues::time(r.createdAt));
            s.bindValue(i + 1, OutboxRepository::kindKey(r.kind));
            s.bindValue(i + 2, SqlValues::id(r.customerId));
            s.bindValue(i + 3, SqlValues::id(r.resellerId));
            s.bindValue(i + 4, SqlValues::id(r.userId));
            s.bindValue(i + 5, r.recipient);
            s.bindValue(i + 6, r.subject);
            s.bindValue(i + 7, r.body);
            s.bindValue(i + 8, SqlValues::optionalText(r.secret));
            s.bindValue(i + 9, OutboxRepository::statusKey(r.status));
            s.bindValue(i + 10, SqlValues::time(r.notBefore));
            s.bindValue(i + 11, SqlValues::id(r.createdBy));
        },
        tr("queueing the emails"));
}

Status CustomerImportRepository::appendAudit(const QList<AuditEventRow> &events)
{
    return insertRows<AuditEventRow>(
        m_audit,
        QStringLiteral(
            "INSERT INTO audit_events (occurred_at, batch_id, actor_user_id, actor_membership_id, "
            "impersonator_user_id, impersonation_session_id, action, entity_type, entity_id, "
            "reseller_id, customer_id, before_json, after_json, reason) VALUES"),
        14, {}, events,
        [](QSqlQuery &s, int i, const AuditEventRow &e) {
            s.bindValue(i, SqlValues::time(e.occurredAt));
            s.bindValue(i + 1, SqlValues::optionalText(e.batchId));
            s.bindValue(i + 2, SqlValues::id(e.actorUserId));
            s.bindValue(i + 3, SqlValues::id(e.actorMembershipId));
            s.bindValue(i + 4, SqlValues::id(e.impersonatorUserId));
            s.bindValue(i + 5, SqlValues::id(e.impersonationSessionId));
            s.bindValue(i + 6, e.action);
            s.bindValue(i + 7, e.entityType);
            s.bindValue(i + 8, SqlValues::id(e.entityId));
            s.bindValue(i + 9, SqlValues::id(e.resellerId));
            s.bindValue(i + 10, SqlValues::id(e.customerId));
            s.bindValue(i + 11, SqlValues::optionalText(e.beforeJson));
            s.bindValue(i + 12, SqlValues::optionalText(e.afterJson));
            s.bindValue(i + 13, SqlValues::optionalText(e.reason));
        },
        tr("writing the audit trail"));
}

} // namespace rd
