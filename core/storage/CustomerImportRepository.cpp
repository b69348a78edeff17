#include "storage/CustomerImportRepository.h"

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

Result<QSqlQuery *> CustomerImportRepository::statement(
    std::optional<QSqlQuery> &slot, const QString &sql)
{
    if (!slot) {
        Result<QSqlQuery> q = m_db.prepare(sql);
        if (!q)
            return fail(q.error());
        slot.emplace(std::move(*q));
    }
    return &*slot;
}

Result<qint64> CustomerImportRepository::execReturningId(QSqlQuery &query, const QString &what)
{
    if (Status done = m_db.exec(query, what); !done)
        return fail(done.error());
    if (!query.next())
        return fail(
            ErrorCode::DatabaseError, tr("The database returned no id while %1.").arg(what));
    const qint64 id = query.value(0).toLongLong();
    query.finish();
    return id;
}

Result<std::optional<qint64>> CustomerImportRepository::insertUser(const UserRow &user)
{
    // ON CONFLICT DO NOTHING: a taken email key inserts no row (and returns
    // none) instead of failing, which on PostgreSQL would abort the batch.
    Result<QSqlQuery *> q = statement(m_user,
        QStringLiteral(
            "INSERT INTO users (email, email_key, display_name, password_hash, "
            "password_changed_at, must_change_password, setup_code_hash, setup_code_expires_at, "
            "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING RETURNING id"));
    if (!q)
        return fail(q.error());
    QSqlQuery &s = **q;
    s.bindValue(0, user.email);
    s.bindValue(1, user.emailKey);
    s.bindValue(2, user.displayName);
    s.bindValue(3, SqlValues::optionalText(user.passwordHash));
    s.bindValue(4, SqlValues::time(user.passwordChangedAt));
    s.bindValue(5, user.mustChangePassword);
    s.bindValue(6, SqlValues::optionalText(user.setupCodeHash));
    s.bindValue(7, SqlValues::time(user.setupCodeExpiresAt));
    s.bindValue(8, SqlValues::time(user.createdAt));
    s.bindValue(9, SqlValues::id(user.createdBy));
    if (Status done = m_db.exec(s, tr("saving the user")); !done)
        return fail(done.error());
    std::optional<qint64> id;
    if (s.next())
        id = s.value(0).toLongLong();
    s.finish();
    return id;
}

Result<qint64> CustomerImportRepository::insertCustomer(const CustomerRow &c)
{
    Result<QSqlQuery *> q = statement(m_customer,
        QStringLiteral(
            "INSERT INTO customers (company_name, domain, contact_name, contact_email, "
            "contact_phone, plan_id, price_list_id, owner_reseller_id, primary_user_id, "
            "billing_status, trial_ends_at, trial_budget, active, no_email, created_at, "
            "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    QSqlQuery &s = **q;
    const bool trial = c.billingStatus == BillingStatus::Trial;
    s.bindValue(0, c.companyName);
    s.bindValue(1, SqlValues::optionalText(c.domain));
    s.bindValue(2, c.contactName);
    s.bindValue(3, c.contactEmail);
    s.bindValue(4, SqlValues::optionalText(c.contactPhone));
    s.bindValue(5, c.planId);
    s.bindValue(6, c.priceListId);
    s.bindValue(7, SqlValues::id(c.ownerResellerId));
    s.bindValue(8, SqlValues::id(c.primaryUserId));
    s.bindValue(9, trial ? QStringLiteral("trial") : QStringLiteral("paid"));
    s.bindValue(10, SqlValues::time(c.trialEndsAt));
    s.bindValue(11, trial || c.trialBudget > 0 ? QVariant(c.trialBudget) : SqlValues::nullInt());
    s.bindValue(12, c.active);
    s.bindValue(13, c.noEmail);
    s.bindValue(14, SqlValues::time(c.createdAt));
    s.bindValue(15, SqlValues::id(c.createdBy));
    return execReturningId(s, tr("saving the customer"));
}

Result<qint64> CustomerImportRepository::insertMembership(const MembershipRow &m)
{
    Result<QSqlQuery *> q = statement(m_membership,
        QStringLiteral("INSERT INTO memberships (user_id, role, reseller_id, customer_id, active, "
                       "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    QSqlQuery &s = **q;
    s.bindValue(0, m.userId);
    s.bindValue(1, roleKey(m.role));
    s.bindValue(2, SqlValues::id(m.resellerId));
    s.bindValue(3, SqlValues::id(m.customerId));
    s.bindValue(4, m.active);
    s.bindValue(5, SqlValues::time(m.createdAt));
    s.bindValue(6, SqlValues::id(m.createdBy));
    return execReturningId(s, tr("saving the membership"));
}

Result<qint64> CustomerImportRepository::insertAssignment(const AssignmentRow &a)
{
    Result<QSqlQuery *> q = statement(m_assignment,
        QStringLiteral(
            "INSERT INTO customer_assignments (customer_id, reseller_id, kind, assigned_at, "
            "assigned_by, ended_at, ended_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    QSqlQuery &s = **q;
    s.bindValue(0, a.customerId);
    s.bindValue(1, a.resellerId);
    s.bindValue(2,
        a.kind == AssignmentKind::Owner ? QStringLiteral("owner") : QStringLiteral("additional"));
    s.bindValue(3, SqlValues::time(a.assignedAt));
    s.bindValue(4, SqlValues::id(a.assignedBy));
    s.bindValue(5, SqlValues::time(a.endedAt));
    s.bindValue(6, SqlValues::id(a.endedBy));
    return execReturningId(s, tr("saving the assignment"));
}

Result<qint64> CustomerImportRepository::insertOutbox(const OutboxRow &r)
{
    Result<QSqlQuery *> q = statement(m_outbox,
        QStringLiteral(
            "INSERT INTO outbox (created_at, kind, customer_id, reseller_id, user_id, recipient, "
            "subject, body, secret, status, not_before, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    QSqlQuery &s = **q;
    s.bindValue(0, SqlValues::time(r.createdAt));
    s.bindValue(1, OutboxRepository::kindKey(r.kind));
    s.bindValue(2, SqlValues::id(r.customerId));
    s.bindValue(3, SqlValues::id(r.resellerId));
    s.bindValue(4, SqlValues::id(r.userId));
    s.bindValue(5, r.recipient);
    s.bindValue(6, r.subject);
    s.bindValue(7, r.body);
    s.bindValue(8, SqlValues::optionalText(r.secret));
    s.bindValue(9, OutboxRepository::statusKey(r.status));
    s.bindValue(10, SqlValues::time(r.notBefore));
    s.bindValue(11, SqlValues::id(r.createdBy));
    return execReturningId(s, tr("queueing an email"));
}

Status CustomerImportRepository::appendAudit(const AuditEventRow &e)
{
    Result<QSqlQuery *> q = statement(m_audit,
        QStringLiteral(
            "INSERT INTO audit_events (occurred_at, batch_id, actor_user_id, actor_membership_id, "
            "impersonator_user_id, impersonation_session_id, action, entity_type, entity_id, "
            "reseller_id, customer_id, before_json, after_json, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!q)
        return fail(q.error());
    QSqlQuery &s = **q;
    s.bindValue(0, SqlValues::time(e.occurredAt));
    s.bindValue(1, SqlValues::optionalText(e.batchId));
    s.bindValue(2, SqlValues::id(e.actorUserId));
    s.bindValue(3, SqlValues::id(e.actorMembershipId));
    s.bindValue(4, SqlValues::id(e.impersonatorUserId));
    s.bindValue(5, SqlValues::id(e.impersonationSessionId));
    s.bindValue(6, e.action);
    s.bindValue(7, e.entityType);
    s.bindValue(8, SqlValues::id(e.entityId));
    s.bindValue(9, SqlValues::id(e.resellerId));
    s.bindValue(10, SqlValues::id(e.customerId));
    s.bindValue(11, SqlValues::optionalText(e.beforeJson));
    s.bindValue(12, SqlValues::optionalText(e.afterJson));
    s.bindValue(13, SqlValues::optionalText(e.reason));
    return m_db.exec(s, tr("writing the audit trail"));
}

} // namespace rd
