#pragma once

#include <QCoreApplication>
#include <QList>
#include <QStringList>

#include "domain/Error.h"
#include "storage/AuditRepository.h"

class QIODevice;

namespace rd {

class AccessControl;
class Clock;
class ConnectionProfile;
class Database;
class Session;

// The audit log as the desktop reads it (§3 "audit log, outbox"):
// Administrators and Support see every event, a Reseller Admin the events
// of its own portal (the event's reseller is the portal, or its customer is
// in the portal's scope), every other role nothing (PermissionDenied). The
// scope comes from the session, inside the SQL; a caller cannot widen it.
// Lists are newest first and paged by keyset (AuditCursor); only a jump
// (listAtRow) reads by OFFSET.
class AuditService final
{
    Q_DECLARE_TR_FUNCTIONS(AuditService)

public:
    // The most rows one call returns (larger limits are clamped).
    static constexpr int MaxPageRows = 1000;

    AuditService(Database &db, AccessControl &access);

    // One page of events matching filter, after the cursor (null: from the
    // newest). limit is clamped to 1..1000.
    Result<QList<AuditListRow>> list(const Session &session, const AuditFilter &filter,
        const AuditCursor &after = {}, int limit = 200) const;
    // The same list as a table model pages it: how many events match
    // (exact), the `limit` events just before the cursor (null: the oldest),
    // newest first, and up to `limit` events from row `offset` on (OFFSET,
    // for a jump). Same scope and refusals as list().
    Result<qint64> count(const Session &session, const AuditFilter &filter) const;
    Result<QList<AuditListRow>> listBefore(const Session &session, const AuditFilter &filter,
        const AuditCursor &before, int limit) const;
    Result<QList<AuditListRow>> listAtRow(
        const Session &session, const AuditFilter &filter, qint64 offset, int limit) const;
    // Jump points for a table model (AuditRepository::eventAnchors): of
    // the next `rows` events after the cursor, the keys of every `every`-th
    // one. `rows` is at most MaxAnchorRows per call, so one call stays
    // short. Same scope and refusals as list().
    static constexpr int MaxAnchorRows = 100000;
    Result<QList<AuditCursor>> eventAnchors(const Session &session, const AuditFilter &filter,
        const AuditCursor &after, int rows, int every) const;
    // One event; NotFound when it does not exist or is out of scope.
    Result<AuditListRow> event(const Session &session, qint64 id) const;
    // The action keys present in the session's part of the log, sorted.
    Result<QStringList> actions(const Session &session) const;
    // Login As sessions, newest first, with the same scope rule.
    Result<QList<ImpersonationLogRow>> impersonationSessions(const Session &session,
        const ImpersonationLogFilter &filter, const AuditCursor &after = {}, int limit = 200) const;
    // And paged as the events are.
    Result<qint64> countImpersonationSessions(
        const Session &session, const ImpersonationLogFilter &filter) const;
    Result<QList<ImpersonationLogRow>> impersonationSessionsBefore(const Session &session,
        const ImpersonationLogFilter &filter, const AuditCursor &before, int limit) const;
    Result<QList<ImpersonationLogRow>> impersonationSessionsAtRow(const Session &session,
        const ImpersonationLogFilter &filter, qint64 offset, int limit) const;
    Result<QList<AuditCursor>> impersonationSessionAnchors(const Session &session,
        const ImpersonationLogFilter &filter, const AuditCursor &after, int rows, int every) const;

    // Writes every matching event as CSV (Csv: RFC 4180, UTF-8 with a byte
    // order mark, formula-injection protected), reading them a page at a
    // time. Columns: time (ISO 8601, UTC), actor, impersonator, action,
    // entity type, entity id, customer, reseller, reason, before, after,
    // batch id; a header line first. Returns the number of events written.
    Result<qint64> exportCsv(
        const Session &session, const AuditFilter &filter, QIODevice &out) const;

    // Where the page after one ending with row continues.
    static AuditCursor cursorAfter(const AuditListRow &row);
    static AuditCursor cursorAfter(const ImpersonationLogRow &row);
    // The CSV header line's column names (translated).
    static QStringList csvColumns();

    // Where the database is (a page reader opens its own connection there)
    // and the clock the scope check judges Login As expiry by (read on the
    // caller's thread only).
    const ConnectionProfile &databaseProfile() const;
    const Clock &clock() const noexcept;

private:
    // The session's part of the log.
    Result<AuditScope> scopeOf(const Session &session) const;

    Database &m_db;
    AccessControl &m_access;
};

} // namespace rd
