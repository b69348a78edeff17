#pragma once

#include <chrono>

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>

#include "domain/Error.h"

namespace rd {

class Database;

enum class OutboxKind {
    Setup,
    Invitation,
    PasswordReset,
    PortalInvitation,
    TrialReminder,
    LoginAsNotice
};
enum class OutboxStatus { Pending, Sending, Sent, Failed, Unknown, Cancelled };

struct OutboxRow
{
    qint64 id = 0;
    QDateTime createdAt;
    OutboxKind kind = OutboxKind::Setup;
    qint64 customerId = 0;
    qint64 resellerId = 0;
    qint64 userId = 0;
    QString recipient;
    QString subject;
    QString body;   // may hold the placeholder for the secret, never the secret
    QString secret; // e.g. the one-time code; redacted once delivered or cancelled
    OutboxStatus status = OutboxStatus::Pending;
    QDateTime notBefore;
    int attempts = 0;
    QString lastError;
    QDateTime nextAttemptAt; // invalid: due as soon as notBefore is reached
    QString leaseOwner;      // the dispatcher sending it (or that was, when it crashed)
    QDateTime leaseExpiresAt;
    QDateTime sentAt;
    QString messageId;
    qint64 createdBy = 0;
    int version = 1;
};

// The durable email queue. Rows are written in the same transaction as the
// change that causes them; delivery comes later (the mail dispatcher).
//
// Delivery states: pending -> sending (claimed under a lease) -> sent,
// pending again (temporary failure, with next_attempt_at), failed (permanent)
// or unknown (the connection was lost after DATA, or the sender crashed and
// its lease expired). Unknown rows are never sent again automatically.
//
// The secret is kept while a delivery or an administrator's resend is still
// possible (pending, sending, failed, unknown) and set to NULL once the
// message is sent or cancelled.
class OutboxRepository final
{
    Q_DECLARE_TR_FUNCTIONS(OutboxRepository)

public:
    explicit OutboxRepository(Database &db);

    Result<qint64> insert(const OutboxRow &row);
    Result<QList<OutboxRow>> forCustomer(qint64 customerId) const;
    // Cancels the customer's pending messages of one kind (e.g. the trial
    // reminder when the trial is converted) and redacts their secrets.
    Result<int> cancelPending(qint64 customerId, OutboxKind kind);
    // The same for a user's pending messages of one kind (e.g. an earlier
    // password reset whose code a new reset has replaced).
    Result<int> cancelPendingForUser(qint64 userId, OutboxKind kind);
    Result<OutboxRow> find(qint64 id) const;

    // Atomically moves up to `limit` due pending rows (not_before and
    // next_attempt_at reached) to 'sending' under `leaseOwner` until
    // now + leaseDuration, counts the attempt and returns them with their
    // secrets, oldest first. Two dispatchers never claim the same row
    // (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN IMMEDIATE).
    Result<QList<OutboxRow>> claimDue(const QDateTime &now, const QString &leaseOwner,
        std::chrono::milliseconds leaseDuration, int limit);
    // The outcome of a claimed row; each is refused with Conflict unless the
    // row is still 'sending' under `leaseOwner` (its lease was recovered, or
    // someone cancelled it).
    Status markSent(
        qint64 id, const QString &leaseOwner, const QString &messageId, const QDateTime &at);
    Status markRetry(
        qint64 id, const QString &leaseOwner, const QDateTime &nextAttemptAt, const QString &error);
    Status markFailed(qint64 id, const QString &leaseOwner, const QString &error);
    Status markUnknown(qint64 id, const QString &leaseOwner, const QString &error);
    // A crashed sender's rows: 'sending' with a lease expired at `now`
    // become 'unknown' (they may or may not have gone out). Live leases are
    // left alone. The lease owner stays on the row to show who it was.
    Result<int> recoverExpiredLeases(const QDateTime &now);

    static QString kindKey(OutboxKind kind);
    static QString statusKey(OutboxStatus status);

private:
    Status finishLease(qint64 id, const QString &leaseOwner, const QString &sql,
        const QList<QVariant> &values, const QString &what);

    Database &m_db;
};

} // namespace rd
