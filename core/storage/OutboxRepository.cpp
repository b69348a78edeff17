#include "storage/OutboxRepository.h"

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

constexpr std::pair<OutboxKind, const char *> Kinds[] = {
    {OutboxKind::Setup, "setup"},
    {OutboxKind::Invitation, "invitation"},
    {OutboxKind::PasswordReset, "password_reset"},
    {OutboxKind::PortalInvitation, "portal_invitation"},
    {OutboxKind::TrialReminder, "trial_reminder"},
    {OutboxKind::LoginAsNotice, "login_as_notice"},
};

constexpr std::pair<OutboxStatus, const char *> Statuses[] = {
    {OutboxStatus::Pending, "pending"},
    {OutboxStatus::Sending, "sending"},
    {OutboxStatus::Sent, "sent"},
    {OutboxStatus::Failed, "failed"},
    {OutboxStatus::Unknown, "unknown"},
    {OutboxStatus::Cancelled, "cancelled"},
};

template<typename Enum, std::size_t N>
Enum fromKey(const std::pair<Enum, const char *> (&table)[N], const QString &key, Enum fallback)
{
    for (const auto &[value, text] : table) {
        if (key == QLatin1String(text))
            return value;
    }
    return fallback;
}

} // namespace

OutboxRepository::OutboxRepository(Database &db)
    : m_db(db)
{ }

QString OutboxRepository::kindKey(OutboxKind kind)
{
    for (const auto &[value, text] : Kinds) {
        if (value == kind)
            return QString::fromLatin1(text);
    }
    return {};
}

QString OutboxRepository::statusKey(OutboxStatus status)
{
    for (const auto &[value, text] : Statuses) {
        if (value == status)
            return QString::fromLatin1(text);
    }
    return {};
}

Result<qint64> OutboxRepository::insert(const OutboxRow &r)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO outbox (created_at, kind, customer_id, reseller_id, user_id, recipient, "
        "subject, body, secret, status, not_before, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(r.createdAt));
    q->addBindValue(kindKey(r.kind));
    q->addBindValue(SqlValues::id(r.customerId));
    q->addBindValue(SqlValues::id(r.resellerId));
    q->addBindValue(SqlValues::id(r.userId));
    q->addBindValue(r.recipient);
    q->addBindValue(r.subject);
    q->addBindValue(r.body);
    q->addBindValue(SqlValues::optionalText(r.secret));
    q->addBindValue(statusKey(r.status));
    q->addBindValue(SqlValues::time(r.notBefore));
    q->addBindValue(SqlValues::id(r.createdBy));
    if (Status done = m_db.exec(*q, tr("queueing an email")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<OutboxRow>> OutboxRepository::forCustomer(qint64 customerId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id, created_at, kind, customer_id, reseller_id, user_id, recipient, subject, body, "
        "secret, status, not_before, attempts, last_error, created_by, version FROM outbox "
        "WHERE customer_id = ? ORDER BY id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    if (Status done = m_db.exec(*q, tr("reading the outbox")); !done)
        return fail(done.error());
    QList<OutboxRow> rows;
    while (q->next()) {
        OutboxRow r;
        r.id = q->value(0).toLongLong();
        r.createdAt = SqlValues::toTime(q->value(1));
        r.kind = fromKey(Kinds, q->value(2).toString(), OutboxKind::Setup);
        r.customerId = SqlValues::toId(q->value(3));
        r.resellerId = SqlValues::toId(q->value(4));
        r.userId = SqlValues::toId(q->value(5));
        r.recipient = q->value(6).toString();
        r.subject = q->value(7).toString();
        r.body = q->value(8).toString();
        r.secret = q->value(9).toString();
        r.status = fromKey(Statuses, q->value(10).toString(), OutboxStatus::Unknown);
        r.notBefore = SqlValues::toTime(q->value(11));
        r.attempts = q->value(12).toInt();
        r.lastError = q->value(13).toString();
        r.createdBy = SqlValues::toId(q->value(14));
        r.version = q->value(15).toInt();
        rows.append(r);
    }
    return rows;
}

Result<int> OutboxRepository::cancelPending(qint64 customerId, OutboxKind kind)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "UPDATE outbox SET status = 'cancelled', secret = NULL, version = version + 1 "
        "WHERE customer_id = ? AND kind = ? AND status = 'pending'"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    q->addBindValue(kindKey(kind));
    if (Status done = m_db.exec(*q, tr("cancelling queued email")); !done)
        return fail(done.error());
    return q->numRowsAffected();
}

Result<int> OutboxRepository::cancelPendingForUser(qint64 userId, OutboxKind kind)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "UPDATE outbox SET status = 'cancelled', secret = NULL, version = version + 1 "
        "WHERE user_id = ? AND kind = ? AND status = 'pending'"));
    if (!q)
        return fail(q.error());
    q->addBindValue(userId);
    q->addBindValue(kindKey(kind));
    if (Status done = m_db.exec(*q, tr("cancelling queued email")); !done)
        return fail(done.error());
    return q->numRowsAffected();
}

} // namespace rd
