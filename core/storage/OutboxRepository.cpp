#include "storage/OutboxRepository.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"
#include "storage/WriteTransaction.h"

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

const QString Columns = QStringLiteral(
    "id, created_at, kind, customer_id, reseller_id, user_id, recipient, subject, body, secret, "
    "status, not_before, attempts, last_error, created_by, version, next_attempt_at, "
    "lease_owner, lease_expires_at, sent_at, message_id");

OutboxRow readRow(const QSqlQuery &q)
{
    OutboxRow r;
    r.id = q.value(0).toLongLong();
    r.createdAt = SqlValues::toTime(q.value(1));
    r.kind = fromKey(Kinds, q.value(2).toString(), OutboxKind::Setup);
    r.customerId = SqlValues::toId(q.value(3));
    r.resellerId = SqlValues::toId(q.value(4));
    r.userId = SqlValues::toId(q.value(5));
    r.recipient = q.value(6).toString();
    r.subject = q.value(7).toString();
    r.body = q.value(8).toString();
    r.secret = q.value(9).toString();
    r.status = fromKey(Statuses, q.value(10).toString(), OutboxStatus::Unknown);
    r.notBefore = SqlValues::toTime(q.value(11));
    r.attempts = q.value(12).toInt();
    r.lastError = q.value(13).toString();
    r.createdBy = SqlValues::toId(q.value(14));
    r.version = q.value(15).toInt();
    r.nextAttemptAt = SqlValues::toTime(q.value(16));
    r.leaseOwner = q.value(17).toString();
    r.leaseExpiresAt = SqlValues::toTime(q.value(18));
    r.sentAt = SqlValues::toTime(q.value(19));
    r.messageId = q.value(20).toString();
    return r;
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
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("SELECT %1 FROM outbox WHERE customer_id = ? ORDER BY id").arg(Columns));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    if (Status done = m_db.exec(*q, tr("reading the outbox")); !done)
        return fail(done.error());
    QList<OutboxRow> rows;
    while (q->next())
        rows.append(readRow(*q));
    return rows;
}

Result<OutboxRow> OutboxRepository::find(qint64 id) const
{
    Result<QSqlQuery> q
        = m_db.prepare(QStringLiteral("SELECT %1 FROM outbox WHERE id = ?").arg(Columns));
    if (!q)
        return fail(q.error());
    q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("reading the outbox")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The queued email no longer exists."));
    return readRow(*q);
}

Result<QList<OutboxRow>> OutboxRepository::claimDue(const QDateTime &now, const QString &leaseOwner,
    std::chrono::milliseconds leaseDuration, int limit)
{
    // One statement picks and leases the rows. On PostgreSQL, SKIP LOCKED
    // lets a second dispatcher pass over rows the first is claiming (and the
    // re-checked WHERE drops rows it has claimed meanwhile); on SQLite the
    // IMMEDIATE transaction makes claims strictly one after the other.
    const bool postgres = m_db.dialect() == Dialect::PostgreSQL;
    const QString sql
        = QStringLiteral(
            "UPDATE outbox SET status = 'sending', lease_owner = ?, lease_expires_at = ?, "
            "attempts = attempts + 1, version = version + 1 "
            "WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND not_before <= ? "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
            "ORDER BY not_before, id LIMIT ?%1) RETURNING %2")
              .arg(postgres ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString(), Columns);

    std::optional<WriteTransaction> transaction;
    if (!postgres) {
        Result<WriteTransaction> begun = WriteTransaction::begin(m_db);
        if (!begun)
            return fail(begun.error());
        transaction.emplace(std::move(*begun));
    }
    QList<OutboxRow> rows;
    {
        Result<QSqlQuery> q = m_db.prepare(sql);
        if (!q)
            return fail(q.error());
        q->addBindValue(leaseOwner);
        q->addBindValue(SqlValues::time(now.addMSecs(leaseDuration.count())));
        q->addBindValue(SqlValues::time(now));
        q->addBindValue(SqlValues::time(now));
        q->addBindValue(limit);
        if (Status done = m_db.exec(*q, tr("claiming queued email")); !done)
            return fail(done.error());
        while (q->next())
            rows.append(readRow(*q));
    } // the statement is finished before COMMIT
    if (transaction) {
        if (Status committed = transaction->commit(); !committed)
            return fail(committed.error());
    }
    // RETURNING has no defined order.
    std::ranges::sort(rows, [](const OutboxRow &a, const OutboxRow &b) {
        return std::tie(a.notBefore, a.id) < std::tie(b.notBefore, b.id);
    });
    return rows;
}

Status OutboxRepository::finishLease(qint64 id, const QString &leaseOwner, const QString &sql,
    const QList<QVariant> &values, const QString &what)
{
    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    for (const QVariant &value : values)
        q->addBindValue(value);
    q->addBindValue(id);
    q->addBindValue(leaseOwner);
    if (Status done = m_db.exec(*q, what); !done)
        return fail(done.error());
    if (q->numRowsAffected() > 0)
        return {};
    return fail(ErrorCode::Conflict,
        tr("The email was changed by someone else while it was being sent (cancelled, or "
           "recovered after its lease expired)."));
}

Status OutboxRepository::markSent(
    qint64 id, const QString &leaseOwner, const QString &messageId, const QDateTime &at)
{
    return finishLease(id, leaseOwner,
        QStringLiteral("UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, "
                       "secret = NULL, last_error = NULL, next_attempt_at = NULL, "
                       "lease_owner = NULL, lease_expires_at = NULL, version = version + 1 "
                       "WHERE id = ? AND status = 'sending' AND lease_owner = ?"),
        {SqlValues::time(at), SqlValues::optionalText(messageId)}, tr("recording a sent email"));
}

Status OutboxRepository::markRetry(
    qint64 id, const QString &leaseOwner, const QDateTime &nextAttemptAt, const QString &error)
{
    return finishLease(id, leaseOwner,
        QStringLiteral("UPDATE outbox SET status = 'pending', next_attempt_at = ?, "
                       "last_error = ?, lease_owner = NULL, lease_expires_at = NULL, "
                       "version = version + 1 "
                       "WHERE id = ? AND status = 'sending' AND lease_owner = ?"),
        {SqlValues::time(nextAttemptAt), SqlValues::optionalText(error)},
        tr("recording a delayed email"));
}

Status OutboxRepository::markFailed(qint64 id, const QString &leaseOwner, const QString &error)
{
    // The secret stays: an administrator may correct the cause and resend.
    return finishLease(id, leaseOwner,
        QStringLiteral("UPDATE outbox SET status = 'failed', last_error = ?, "
                       "next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL, "
                       "version = version + 1 "
                       "WHERE id = ? AND status = 'sending' AND lease_owner = ?"),
        {SqlValues::optionalText(error)}, tr("recording a failed email"));
}

Status OutboxRepository::markUnknown(qint64 id, const QString &leaseOwner, const QString &error)
{
    return finishLease(id, leaseOwner,
        QStringLiteral("UPDATE outbox SET status = 'unknown', last_error = ?, "
                       "next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL, "
                       "version = version + 1 "
                       "WHERE id = ? AND status = 'sending' AND lease_owner = ?"),
        {SqlValues::optionalText(error)}, tr("recording an email of unknown outcome"));
}

Result<int> OutboxRepository::recoverExpiredLeases(const QDateTime &now)
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("UPDATE outbox SET status = 'unknown', last_error = ?, "
                       "next_attempt_at = NULL, lease_expires_at = NULL, version = version + 1 "
                       "WHERE status = 'sending' AND lease_expires_at <= ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(tr("The sender stopped while delivering this email (its lease expired); it "
                       "may or may not have been sent. It is not sent again automatically."));
    q->addBindValue(SqlValues::time(now));
    if (Status done = m_db.exec(*q, tr("recovering interrupted email")); !done)
        return fail(done.error());
    return q->numRowsAffected();
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
