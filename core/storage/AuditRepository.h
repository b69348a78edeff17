#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "domain/Error.h"

namespace rd {

class Database;

struct AuditEventRow
{
    qint64 id = 0;
    QDateTime occurredAt;
    QString batchId;
    qint64 actorUserId = 0; // 0: the system
    qint64 actorMembershipId = 0;
    qint64 impersonatorUserId = 0;
    qint64 impersonationSessionId = 0;
    QString action;     // e.g. "customer.create"
    QString entityType; // e.g. "customer"
    qint64 entityId = 0;
    qint64 resellerId = 0; // scope columns
    qint64 customerId = 0;
    QString beforeJson;
    QString afterJson;
    QString reason;
};

// An audit event with the names a list shows.
struct AuditListRow
{
    AuditEventRow event;
    QString actorName;        // display name (email when none); empty: the system
    QString impersonatorName; // empty unless made during Login As
    QString customerName;     // company name; empty when the event concerns no customer
    QString resellerName;     // empty when the event has no reseller scope column
};

// Which events (and Login As sessions) a listing may contain; part of the
// SQL, never filtered later. Reseller: rows whose reseller column is the
// reseller's own portal, or whose customer is in the reseller's scope (the
// section 1 rule of ScopeRepository::resellerSeesCustomer: an open
// assignment, or every customer when the reseller's scope is "all";
// archived customers are out).
struct AuditScope
{
    enum class Kind { All, Reseller };
    Kind kind = Kind::All;
    qint64 resellerId = 0;
};

// Where a newest-first page continues: after the row with this time and id
// (keyset on (time DESC, id DESC), never OFFSET). Null: from the newest.
struct AuditCursor
{
    QDateTime at;
    qint64 id = 0;

    bool isNull() const noexcept { return id <= 0; }
};

// What the audit log view filters by; every part is optional and all parts
// must match. Texts match part of a value, ignoring case (SQLite: of ASCII
// letters only).
struct AuditFilter
{
    QString actor;            // part of the actor's display name or email
    QString impersonator;     // part of the impersonator's display name or email
    bool onlyLoginAs = false; // only events made during Login As
    QString customer;         // part of the customer's company name
    qint64 customerId = 0;    // 0: any customer
    qint64 resellerId = 0;    // the event's reseller column; 0: any
    QString action;           // exact key, e.g. "customer.create"; empty: any
    QDateTime from;           // inclusive; invalid: no lower bound
    QDateTime to;             // exclusive; invalid: no upper bound
};

// What the Login As sessions listing filters by (texts as in AuditFilter;
// the times apply to the start of a session).
struct ImpersonationLogFilter
{
    QString impersonator;
    QString customer;
    qint64 customerId = 0;
    QDateTime from; // inclusive
    QDateTime to;   // exclusive
};

// One Login As session (a row of impersonation_sessions) with its names.
struct ImpersonationLogRow
{
    qint64 id = 0;
    qint64 impersonatorUserId = 0;
    QString impersonatorName;
    qint64 clientUserId = 0;
    QString clientUserName;
    qint64 customerId = 0;
    QString customerName;
    qint64 resellerId = 0;
    QString resellerName;
    QString reason;
    QDateTime startedAt;
    QDateTime expiresAt;
    QDateTime endedAt; // invalid while open (or expired without being closed)
    QString endReason; // "closed", "signed_out", "expired", "app_exit"; empty while open
};

// The append-only audit trail (rule 12). There is deliberately no update or
// delete here, and the database refuses both (triggers).
class AuditRepository final
{
    Q_DECLARE_TR_FUNCTIONS(AuditRepository)

public:
    explicit AuditRepository(Database &db);

    Result<qint64> append(const AuditEventRow &event);
    Result<QList<AuditEventRow>> forEntity(const QString &entityType, qint64 entityId) const;
    // The events of one customer (its customer_id scope column), newest
    // first, at most limit, with the names of the actor and impersonator.
    Result<QList<AuditListRow>> forCustomer(qint64 customerId, int limit) const;

    // The audit log view (AuditService applies the session's scope): the
    // events matching filter, newest first (occurred_at, then id), after
    // the cursor (null: from the newest), at most limit.
    Result<QList<AuditListRow>> page(const AuditScope &scope, const AuditFilter &filter,
        const AuditCursor &after, int limit) const;
    // The same list: how many events it has (exact), the `limit` events just
    // before the cursor in its order (null: the oldest ones), still newest
    // first, and up to `limit` from row `offset` on (OFFSET: walks the rows
    // before it; for a jump only). page() and pageBefore() are one range on
    // the (occurred_at, id) index.
    Result<qint64> count(const AuditScope &scope, const AuditFilter &filter) const;
    Result<QList<AuditListRow>> pageBefore(const AuditScope &scope, const AuditFilter &filter,
        const AuditCursor &before, int limit) const;
    Result<QList<AuditListRow>> pageAtRow(
        const AuditScope &scope, const AuditFilter &filter, qint64 offset, int limit) const;
    // Jump points of the list: of the next `rows` events strictly after
    // the cursor (from the newest when null), newest first, the keys of
    // every `every`-th one (the every-th, the 2·every-th, …), read in one
    // walk of the (occurred_at, id) index that reads no names and numbers
    // the keys with row_number(). Fewer than rows / every keys means the
    // list has no more rows.
    Result<QList<AuditCursor>> eventAnchors(const AuditScope &scope, const AuditFilter &filter,
        const AuditCursor &after, int rows, int every) const;
    // One event within the scope; NotFound when it does not exist there.
    Result<AuditListRow> find(const AuditScope &scope, qint64 id) const;
    // The distinct action keys of the events in the scope, sorted.
    Result<QStringList> actions(const AuditScope &scope) const;
    // Login As sessions, newest first (started_at, then id), after the cursor;
    // then as for the events: the count, before a cursor, from a row.
    Result<QList<ImpersonationLogRow>> impersonationSessions(const AuditScope &scope,
        const ImpersonationLogFilter &filter, const AuditCursor &after, int limit) const;
    Result<qint64> countImpersonationSessions(
        const AuditScope &scope, const ImpersonationLogFilter &filter) const;
    Result<QList<ImpersonationLogRow>> impersonationSessionsBefore(const AuditScope &scope,
        const ImpersonationLogFilter &filter, const AuditCursor &before, int limit) const;
    Result<QList<ImpersonationLogRow>> impersonationSessionsAtRow(const AuditScope &scope,
        const ImpersonationLogFilter &filter, qint64 offset, int limit) const;

    // Jump points of the Login As sessions list, as eventAnchors().
    Result<QList<AuditCursor>> impersonationSessionAnchors(const AuditScope &scope,
        const ImpersonationLogFilter &filter, const AuditCursor &after, int rows, int every) const;

private:
    // older: the rows after the key in the newest-first order; else those
    // before it (read nearest first, returned newest first).
    Result<QList<AuditListRow>> events(const AuditScope &scope, const AuditFilter &filter,
        const AuditCursor &key, bool older, qint64 offset, int limit) const;
    Result<QList<ImpersonationLogRow>> sessions(const AuditScope &scope,
        const ImpersonationLogFilter &filter, const AuditCursor &key, bool older, qint64 offset,
        int limit) const;

    Database &m_db;
};

} // namespace rd
