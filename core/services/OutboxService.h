#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"
#include "storage/OutboxRepository.h"

namespace rd {

class AccessControl;
class Clock;
class ConnectionProfile;
class Database;
class Session;

// What the Outbox view asks for: newest first, one page at a time (keyset
// on the id, so paging stays cheap on a large outbox).
struct OutboxQuery
{
    // Empty: every status. Pending also lists messages being sent right now
    // ('sending'), as the summary counts them.
    std::optional<OutboxStatus> status;
    bool problemsOnly = false; // failed or unknown (the indicator's link)
    QString search;            // part of the recipient or subject, case-insensitive
    // Which page (OutboxPageQuery): the first rows; after the row beforeId
    // (id < beforeId); the rows just before the row afterId (id > afterId);
    // the last rows (oldest); from row offset on (a jump: OFFSET).
    qint64 beforeId = 0;
    qint64 afterId = 0;
    bool oldest = false;
    qint64 offset = 0;
    int limit = 200; // 1..1000
};

// One row of the Outbox view: never the body's secret, never the secret.
struct OutboxEntry
{
    qint64 id = 0;
    QDateTime createdAt;
    OutboxKind kind = OutboxKind::Setup;
    qint64 customerId = 0;
    QString customerName; // empty for mail that concerns no customer
    qint64 userId = 0;
    QString recipient;
    QString subject;
    OutboxStatus status = OutboxStatus::Pending;
    int attempts = 0;
    QString lastError;
    QDateTime notBefore;
    QDateTime nextAttemptAt; // when it will be tried again (pending only)
    QDateTime sentAt;
    QString messageId;
    bool canResend = false; // for this session, see OutboxService::resend
    bool canCancel = false;
};

// Counts for the status-bar indicator, within the session's scope.
struct OutboxSummary
{
    int pending = 0; // pending or sending
    int failed = 0;
    int unknown = 0;
    QDateTime oldestPending; // invalid when nothing is pending
    QString lastError;       // of the newest failed or unknown row

    int problems() const noexcept { return failed + unknown; }
};

// The outbox as the desktop shows it (§3 "audit log, outbox": Administrators
// and Support see every message, Reseller Admins those of their own portal
// — its customers and its users; nobody else). Resend and cancel also need
// the right to manage what the message concerns: ManageCustomers on its
// customer, or ManageUsers on its user's context, so Support can look but not
// act. Each action is audited ("outbox.resend", "outbox.cancel") with the
// row's id, kind and recipient, never its body or secret.
class OutboxService final
{
    Q_DECLARE_TR_FUNCTIONS(OutboxService)

public:
    // The most rows one list() returns.
    static constexpr int MaxPageRows = 1000;

    OutboxService(Database &db, const Clock &clock, AccessControl &access);

    Result<QList<OutboxEntry>> list(const Session &session, const OutboxQuery &query) const;
    // How many rows the query lists (its page position and limit aside).
    Result<qint64> count(const Session &session, const OutboxQuery &query) const;
    Result<OutboxSummary> summary(const Session &session) const;
    // Jump points for a table model (OutboxRepository::anchors): of the next
    // `rows` rows after the row beforeId (0: from the newest), the ids of
    // every `every`-th one; `rows` is at most MaxAnchorRows per call. Same
    // scope and refusals as list().
    static constexpr int MaxAnchorRows = 100000;
    Result<QList<qint64>> anchors(const Session &session, const OutboxQuery &query, qint64 beforeId,
        int rows, int every) const;

    // Where the database is (a page reader opens its own connection there)
    // and the clock the service judges time by (read on the caller's thread
    // only).
    const ConnectionProfile &databaseProfile() const;
    const Clock &clock() const noexcept { return m_clock; }

    // Queues a failed, unknown or cancelled message again: pending, due now,
    // attempts back to 0, the same Message-ID (so a recipient's mail system
    // can tell a duplicate). The last error stays visible until the next
    // attempt replaces it. Refused for a message whose secret was already
    // redacted (cancelled after it carried a one-time code: use "Resend setup
    // email" for a new code) and for pending, sending or sent ones. Ignores
    // the customer's "no email" flag: a resend is an explicit request.
    Status resend(const Session &session, qint64 outboxId);
    // Cancels a pending, failed or unknown message and redacts its secret.
    // A message being sent right now ('sending') cannot be cancelled
    // (Conflict).
    //
    // Both: NotFound for a message the session cannot see, PermissionDenied
    // when it may see but not act (Support), InvalidInput when the state
    // does not allow it (the message says why), Conflict when it changed
    // since it was read. A refused call changes nothing.
    Status cancel(const Session &session, qint64 outboxId);

private:
    // The session's part of the outbox (the view and the indicator).
    Result<OutboxScope> scopeOf(const Session &session) const;
    // Out of scope reads as "does not exist".
    Status requireVisible(const Session &session, qint64 customerId, qint64 resellerId) const;
    // Resend and cancel: ManageCustomers on the customer the mail concerns,
    // else ManageUsers on its reseller context, else (vendor staff mail)
    // ManageUsers over everything.
    bool mayAct(const Session &session, qint64 customerId, qint64 resellerId) const;
    Result<OutboxRow> loadForAction(const Session &session, qint64 outboxId) const;
    Status record(
        const Session &session, const OutboxRow &row, const QString &action, OutboxStatus after);

    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
};

} // namespace rd
