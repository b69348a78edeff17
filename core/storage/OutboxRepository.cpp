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

// LIKE pattern for "contains", with the text's wildcards escaped.
QString containsPattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

// The scope part of a WHERE clause on "outbox o", with its bound values.
QString scopeClause(const OutboxScope &scope, QVariantList &values)
{
    if (scope.kind == OutboxScope::Kind::All)
        return {};
    values << scope.resellerId << scope.resellerId << scope.resellerId;
    return QStringLiteral(
        " AND ((o.customer_id IS NOT NULL AND EXISTS (SELECT 1 FROM customers sc"
        " WHERE sc.id = o.customer_id AND sc.archived_at IS NULL AND ("
        " EXISTS (SELECT 1 FROM resellers rs WHERE rs.id = ? AND rs.customer_scope = 'all')"
        " OR EXISTS (SELECT 1 FROM customer_assignments sa WHERE sa.customer_id = o.customer_id"
        " AND sa.reseller_id = ? AND sa.ended_at IS NULL))))"
        " OR (o.customer_id IS NULL AND o.reseller_id = ?))");
}

// The WHERE clause of a page: the scope, the status and the search.
QString pageWhere(const OutboxPageQuery &query, bool postgres, QVariantList &values)
{
    QString sql = QStringLiteral(" WHERE 1 = 1");
    sql += scopeClause(query.scope, values);
    if (query.problemsOnly) {
        sql += QStringLiteral(" AND o.status IN ('failed', 'unknown')");
    } else if (query.status) {
        if (*query.status == OutboxStatus::Pending) {
            sql += QStringLiteral(" AND o.status IN ('pending', 'sending')");
        } else {
            sql += QStringLiteral(" AND o.status = ?");
            values << OutboxRepository::statusKey(*query.status);
        }
    }
    const QString term = query.search.trimmed();
    if (!term.isEmpty()) {
        // ILIKE on PostgreSQL; SQLite's LIKE ignores case (of ASCII letters).
        const QString like = postgres ? QStringLiteral(" ILIKE ? ESCAPE '\\'")
                                      : QStringLiteral(" LIKE ? ESCAPE '\\'");
        sql += QStringLiteral(" AND (o.recipient") + like + QStringLiteral(" OR o.subject") + like
            + QLatin1Char(')');
        const QString pattern = containsPattern(term);
        values << pattern << pattern;
    }
    return sql;
}

Error changedBySomeoneElse()
{
    return Error(ErrorCode::Conflict,
        OutboxRepository::tr("The email was changed by someone else meanwhile (sent, resent or "
                             "cancelled). Reload the outbox to see its state."));
}

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

Result<QList<OutboxListRow>> OutboxRepository::page(const OutboxPageQuery &query) const
{
    QVariantList values;
    QString needsSecret = QStringLiteral("0");
    if (!query.secretPlaceholder.isEmpty()) {
        needsSecret = QStringLiteral("CASE WHEN o.body LIKE ? ESCAPE '\\' THEN 1 ELSE 0 END");
        values << containsPattern(query.secretPlaceholder);
    }
    QString sql = QStringLiteral(
        "SELECT o.id, o.created_at, o.kind, o.customer_id, o.reseller_id, o.user_id, "
        "c.company_name, o.recipient, o.subject, o.status, o.attempts, o.last_error, "
        "o.not_before, o.next_attempt_at, o.sent_at, o.message_id, o.version, %1, "
        "CASE WHEN o.secret IS NULL THEN 0 ELSE 1 END "
        "FROM outbox o LEFT JOIN customers c ON c.id = o.customer_id")
                      .arg(needsSecret);
    sql += pageWhere(query, m_db.dialect() == Dialect::PostgreSQL, values);
    // The rows newer than afterId (or the oldest) are read nearest first
    // (the primary key upwards) and put back newest first below.
    const bool newer = query.beforeId <= 0 && (query.afterId > 0 || query.oldest);
    if (query.beforeId > 0) {
        sql += QStringLiteral(" AND o.id < ?");
        values << query.beforeId;
    } else if (query.afterId > 0) {
        sql += QStringLiteral(" AND o.id > ?");
        values << query.afterId;
    }
    sql += newer ? QStringLiteral(" ORDER BY o.id LIMIT ?")
                 : QStringLiteral(" ORDER BY o.id DESC LIMIT ?");
    values << query.limit;
    if (!newer && query.offset > 0) {
        sql += QStringLiteral(" OFFSET ?");
        values << query.offset;
    }

    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("reading the outbox")); !done)
        return fail(done.error());
    QList<OutboxListRow> rows;
    while (q->next()) {
        OutboxListRow r;
        r.id = q->value(0).toLongLong();
        r.createdAt = SqlValues::toTime(q->value(1));
        r.kind = fromKey(Kinds, q->value(2).toString(), OutboxKind::Setup);
        r.customerId = SqlValues::toId(q->value(3));
        r.resellerId = SqlValues::toId(q->value(4));
        r.userId = SqlValues::toId(q->value(5));
        r.customerName = q->value(6).toString();
        r.recipient = q->value(7).toString();
        r.subject = q->value(8).toString();
        r.status = fromKey(Statuses, q->value(9).toString(), OutboxStatus::Unknown);
        r.attempts = q->value(10).toInt();
        r.lastError = q->value(11).toString();
        r.notBefore = SqlValues::toTime(q->value(12));
        r.nextAttemptAt = SqlValues::toTime(q->value(13));
        r.sentAt = SqlValues::toTime(q->value(14));
        r.messageId = q->value(15).toString();
        r.version = q->value(16).toInt();
        r.needsSecret = q->value(17).toInt() != 0;
        r.hasSecret = q->value(18).toInt() != 0;
        rows.append(r);
    }
    if (newer)
        std::reverse(rows.begin(), rows.end());
    return rows;
}

Result<qint64> OutboxRepository::count(const OutboxPageQuery &query) const
{
    QVariantList values;
    const QString sql = QStringLiteral("SELECT count(*) FROM outbox o")
        + pageWhere(query, m_db.dialect() == Dialect::PostgreSQL, values);
    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("counting the outbox")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<qint64>> OutboxRepository::anchors(
    const OutboxPageQuery &query, int rows, int every) const
{
    // The rows page() lists after beforeId, their ids only: the same WHERE
    // and order; the window numbers them and keeps every `every`-th.
    QVariantList values;
    QString inner = QStringLiteral("SELECT o.id AS id FROM outbox o")
        + pageWhere(query, m_db.dialect() == Dialect::PostgreSQL, values);
    if (query.beforeId > 0) {
        inner += QStringLiteral(" AND o.id < ?");
        values << query.beforeId;
    }
    inner += QStringLiteral(" ORDER BY o.id DESC LIMIT ?");
    values << qMax(0, rows) << qMax(1, every);
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("SELECT w.id FROM (SELECT s.id, row_number() OVER (ORDER BY s.id DESC) "
                       "AS rn FROM (")
        + inner + QStringLiteral(") s) w WHERE w.rn % ? = 0 ORDER BY w.rn"));
    if (!q)
        return fail(q.error());
    q->setForwardOnly(true);
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("reading the outbox")); !done)
        return fail(done.error());
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    return ids;
}

Result<OutboxCounts> OutboxRepository::counts(const OutboxScope &scope) const
{
    OutboxCounts counts;
    {
        QVariantList values;
        const QString sql
            = QStringLiteral("SELECT o.status, count(*), min(o.created_at) FROM outbox o "
                             "WHERE o.status IN ('pending', 'sending', 'failed', 'unknown')")
            + scopeClause(scope, values) + QStringLiteral(" GROUP BY o.status");
        Result<QSqlQuery> q = m_db.prepare(sql);
        if (!q)
            return fail(q.error());
        for (const QVariant &value : std::as_const(values))
            q->addBindValue(value);
        if (Status done = m_db.exec(*q, tr("counting the outbox")); !done)
            return fail(done.error());
        while (q->next()) {
            const OutboxStatus status
                = fromKey(Statuses, q->value(0).toString(), OutboxStatus::Unknown);
            const int n = q->value(1).toInt();
            switch (status) {
            case OutboxStatus::Pending:
            case OutboxStatus::Sending: {
                counts.pending += n;
                const QDateTime oldest = SqlValues::toTime(q->value(2));
                if (!counts.oldestPending.isValid() || oldest < counts.oldestPending)
                    counts.oldestPending = oldest;
                break;
            }
            case OutboxStatus::Failed:
                counts.failed += n;
                break;
            case OutboxStatus::Unknown:
                counts.unknown += n;
                break;
            case OutboxStatus::Sent:
            case OutboxStatus::Cancelled:
                break;
            }
        }
    }
    if (counts.failed + counts.unknown == 0)
        return counts;
    QVariantList values;
    const QString sql
        = QStringLiteral(
              "SELECT o.last_error FROM outbox o WHERE o.status IN ('failed', 'unknown')")
        + scopeClause(scope, values) + QStringLiteral(" ORDER BY o.id DESC LIMIT 1");
    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("counting the outbox")); !done)
        return fail(done.error());
    if (q->next())
        counts.lastError = q->value(0).toString();
    return counts;
}

Status OutboxRepository::resendable(OutboxStatus status, bool needsSecret, bool hasSecret)
{
    switch (status) {
    case OutboxStatus::Pending:
        return fail(ErrorCode::InvalidInput,
            tr("This email is still waiting to be sent; it does not need a resend."));
    case OutboxStatus::Sending:
        return fail(ErrorCode::InvalidInput, tr("This email is being sent right now."));
    case OutboxStatus::Sent:
        return fail(ErrorCode::InvalidInput,
            tr("This email has been sent; sending it again would deliver it twice."));
    case OutboxStatus::Failed:
    case OutboxStatus::Unknown:
    case OutboxStatus::Cancelled:
        break;
    }
    if (needsSecret && !hasSecret) {
        return fail(ErrorCode::InvalidInput,
            tr("This email carried a one-time code, which was removed when the email was "
               "cancelled, so it cannot be sent again. Use Resend Setup Email (customers) or "
               "Reset Password (users) to send a new code."));
    }
    return {};
}

Status OutboxRepository::cancellable(OutboxStatus status)
{
    switch (status) {
    case OutboxStatus::Pending:
    case OutboxStatus::Failed:
    case OutboxStatus::Unknown:
        return {};
    case OutboxStatus::Sending:
        return fail(ErrorCode::Conflict,
            tr("This email is being sent right now and cannot be cancelled. Try again when the "
               "attempt has finished."));
    case OutboxStatus::Sent:
        return fail(ErrorCode::InvalidInput,
            tr("This email has been sent already; it can no longer be cancelled."));
    case OutboxStatus::Cancelled:
        return fail(ErrorCode::InvalidInput, tr("This email is cancelled already."));
    }
    return {};
}

Status OutboxRepository::resend(
    qint64 id, int expectedVersion, const QDateTime &now, const QString &secretPlaceholder)
{
    Result<OutboxRow> row = find(id);
    if (!row)
        return fail(row.error());
    if (row->version != expectedVersion)
        return fail(changedBySomeoneElse());
    const bool needsSecret = !secretPlaceholder.isEmpty() && row->body.contains(secretPlaceholder);
    if (Status allowed = resendable(row->status, needsSecret, !row->secret.isEmpty()); !allowed)
        return allowed;
    // The conditions again, so a change since the read is never overwritten.
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = NULL, "
        "not_before = ?, lease_owner = NULL, lease_expires_at = NULL, version = version + 1 "
        "WHERE id = ? AND version = ? AND status IN ('failed', 'unknown', 'cancelled') "
        "AND (secret IS NOT NULL OR ? = 0)"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(now));
    q->addBindValue(id);
    q->addBindValue(expectedVersion);
    q->addBindValue(needsSecret ? 1 : 0);
    if (Status done = m_db.exec(*q, tr("queueing an email again")); !done)
        return fail(done.error());
    if (q->numRowsAffected() == 0)
        return fail(changedBySomeoneElse());
    return {};
}

Status OutboxRepository::cancel(qint64 id, int expectedVersion)
{
    Result<OutboxRow> row = find(id);
    if (!row)
        return fail(row.error());
    if (row->version != expectedVersion)
        return fail(changedBySomeoneElse());
    if (Status allowed = cancellable(row->status); !allowed)
        return allowed;
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("UPDATE outbox SET status = 'cancelled', secret = NULL, "
                       "next_attempt_at = NULL, version = version + 1 "
                       "WHERE id = ? AND version = ? AND status IN ('pending', 'failed', "
                       "'unknown')"));
    if (!q)
        return fail(q.error());
    q->addBindValue(id);
    q->addBindValue(expectedVersion);
    if (Status done = m_db.exec(*q, tr("cancelling queued email")); !done)
        return fail(done.error());
    if (q->numRowsAffected() == 0)
        return fail(changedBySomeoneElse());
    return {};
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
