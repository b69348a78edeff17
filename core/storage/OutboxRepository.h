#pragma once

#include <chrono>
#include <optional>

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

// Which rows a listing may contain; part of the SQL, never filtered later.
// Reseller: the mail of customers in the reseller's scope (the section 1
// rule of ScopeRepository::resellerSeesCustomer: open assignment, or every
// customer when the reseller's scope is "all"; archived customers are out),
// plus mail that concerns no customer and carries the reseller as its
// context (invitations and password resets of the portal's own users).
struct OutboxScope
{
    enum class Kind { All, Reseller };
    Kind kind = Kind::All;
    qint64 resellerId = 0;
};

// A page of the outbox for the Outbox view: newest first, keyset on id.
struct OutboxPageQuery
{
    OutboxScope scope;
    // Empty: every status. Pending also matches 'sending' (a message being
    // delivered right now is still waiting, as the summary counts it).
    std::optional<OutboxStatus> status;
    bool problemsOnly = false; // failed or unknown
    QString search;            // part of the recipient or subject, case-insensitive
    // Where the page is, in the newest-first order (by id): the first rows
    // of the list; with beforeId the rows after that one (id < beforeId);
    // with afterId the `limit` rows just before it (id > afterId); with
    // oldest (and neither id) the last rows; with offset (and neither id,
    // nor oldest) the rows from row `offset` on. Every page comes newest
    // first; all but offset are one range on the primary key.
    qint64 beforeId = 0;
    qint64 afterId = 0;
    bool oldest = false;
    qint64 offset = 0;
    int limit = 200;
    // Text that stands for a secret in a body (MessageComposer::
    // secretPlaceholder()); the rows say whether their body holds it.
    QString secretPlaceholder;
};

// One row of a page: never the body, never the secret.
struct OutboxListRow
{
    qint64 id = 0;
    QDateTime createdAt;
    OutboxKind kind = OutboxKind::Setup;
    qint64 customerId = 0;
    qint64 resellerId = 0;
    qint64 userId = 0;
    QString customerName; // empty when the mail concerns no customer
    QString recipient;
    QString subject;
    OutboxStatus status = OutboxStatus::Pending;
    int attempts = 0;
    QString lastError;
    QDateTime notBefore;
    QDateTime nextAttemptAt;
    QDateTime sentAt;
    QString messageId;
    int version = 1;
    bool needsSecret = false; // the body holds the placeholder
    bool hasSecret = false;   // the secret is still stored (not redacted)
};

// Counts for the mail indicator within a scope.
struct OutboxCounts
{
    int pending = 0; // pending or sending
    int failed = 0;
    int unknown = 0;
    QDateTime oldestPending; // creation time of the oldest pending or sending row
    QString lastError;       // of the newest failed or unknown row
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

    // The Outbox view (OutboxService applies the session's scope).
    Result<QList<OutboxListRow>> page(const OutboxPageQuery &query) const;
    // The number of rows the query lists (scope, status, search; the page
    // position and limit do not count).
    Result<qint64> count(const OutboxPageQuery &query) const;
    // Jump points of the list (scope, status, search; the position is
    // beforeId alone, limit ignored): of the next `rows` rows after
    // beforeId (from the newest when 0), newest first, the ids of every
    // `every`-th one, in one walk of the primary key that reads no other
    // column. Fewer than rows / every ids means the list has no more rows.
    Result<QList<qint64>> anchors(const OutboxPageQuery &query, int rows, int every) const;
    Result<OutboxCounts> counts(const OutboxScope &scope) const;

    // An administrator's resend of the row as read at expectedVersion: a
    // failed, unknown or cancelled message becomes pending again, due at
    // `now`, attempts 0, no retry time, no lease; the same row (and so the
    // same Message-ID). last_error is kept so the view still says why it
    // failed until the next attempt replaces it. Refused (InvalidInput) for
    // pending, sending and sent rows and when the body holds
    // secretPlaceholder but the secret was redacted (the code is gone);
    // Conflict when the row changed since it was read.
    Status resend(
        qint64 id, int expectedVersion, const QDateTime &now, const QString &secretPlaceholder);
    // Cancels a pending, failed or unknown row as read at expectedVersion
    // and redacts its secret. 'sending' is refused with Conflict (a
    // dispatcher holds it), sent and cancelled rows with InvalidInput.
    Status cancel(qint64 id, int expectedVersion);

    // The state rules of resend and cancel, for the checks above and for
    // the view (which actions a row allows).
    static Status resendable(OutboxStatus status, bool needsSecret, bool hasSecret);
    static Status cancellable(OutboxStatus status);

    static QString kindKey(OutboxKind kind);
    static QString statusKey(OutboxStatus status);

private:
    Status finishLease(qint64 id, const QString &leaseOwner, const QString &sql,
        const QList<QVariant> &values, const QString &what);

    Database &m_db;
};

} // namespace rd
