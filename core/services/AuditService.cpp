#include "services/AuditService.h"

#include <QIODevice>

#include "domain/Csv.h"
#include "domain/Permission.h"
#include "services/AccessControl.h"
#include "services/Session.h"
#include "storage/Database.h"

namespace rd {

namespace {

constexpr int ExportPageSize = 500;

QString idText(qint64 id)
{
    return id > 0 ? QString::number(id) : QString();
}

Status writeAll(QIODevice &out, const QByteArray &bytes)
{
    if (out.write(bytes) == bytes.size())
        return {};
    return fail(ErrorCode::Unavailable,
        AuditService::tr("The export file could not be written: %1").arg(out.errorString()));
}

} // namespace

AuditService::AuditService(Database &db, AccessControl &access)
    : m_db(db)
    , m_access(access)
{ }

Result<AuditScope> AuditService::scopeOf(const Session &session) const
{
    Result<std::optional<qint64>> portal
        = m_access.ownPortalScope(session, Capability::AuditAndOutbox);
    if (!portal)
        return fail(portal.error());
    if (!*portal)
        return AuditScope {AuditScope::Kind::All, 0};
    return AuditScope {AuditScope::Kind::Reseller, **portal};
}

Result<QList<AuditListRow>> AuditService::list(
    const Session &session, const AuditFilter &filter, const AuditCursor &after, int limit) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).page(*scope, filter, after, qBound(1, limit, MaxPageRows));
}

Result<qint64> AuditService::count(const Session &session, const AuditFilter &filter) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).count(*scope, filter);
}

Result<QList<AuditListRow>> AuditService::listBefore(
    const Session &session, const AuditFilter &filter, const AuditCursor &before, int limit) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).pageBefore(*scope, filter, before, qBound(1, limit, MaxPageRows));
}

Result<QList<AuditListRow>> AuditService::listAtRow(
    const Session &session, const AuditFilter &filter, qint64 offset, int limit) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).pageAtRow(*scope, filter, offset, qBound(1, limit, MaxPageRows));
}

Result<QList<AuditCursor>> AuditService::eventAnchors(const Session &session,
    const AuditFilter &filter, const AuditCursor &after, int rows, int every) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).eventAnchors(
        *scope, filter, after, qBound(0, rows, MaxAnchorRows), qMax(1, every));
}

Result<AuditListRow> AuditService::event(const Session &session, qint64 id) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).find(*scope, id);
}

Result<QStringList> AuditService::actions(const Session &session) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).actions(*scope);
}

Result<QList<ImpersonationLogRow>> AuditService::impersonationSessions(const Session &session,
    const ImpersonationLogFilter &filter, const AuditCursor &after, int limit) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).impersonationSessions(
        *scope, filter, after, qBound(1, limit, MaxPageRows));
}

Result<qint64> AuditService::countImpersonationSessions(
    const Session &session, const ImpersonationLogFilter &filter) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).countImpersonationSessions(*scope, filter);
}

Result<QList<ImpersonationLogRow>> AuditService::impersonationSessionsBefore(const Session &session,
    const ImpersonationLogFilter &filter, const AuditCursor &before, int limit) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).impersonationSessionsBefore(
        *scope, filter, before, qBound(1, limit, MaxPageRows));
}

Result<QList<ImpersonationLogRow>> AuditService::impersonationSessionsAtRow(
    const Session &session, const ImpersonationLogFilter &filter, qint64 offset, int limit) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).impersonationSessionsAtRow(
        *scope, filter, offset, qBound(1, limit, MaxPageRows));
}

Result<QList<AuditCursor>> AuditService::impersonationSessionAnchors(const Session &session,
    const ImpersonationLogFilter &filter, const AuditCursor &after, int rows, int every) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    return AuditRepository(m_db).impersonationSessionAnchors(
        *scope, filter, after, qBound(0, rows, MaxAnchorRows), qMax(1, every));
}

const ConnectionProfile &AuditService::databaseProfile() const
{
    return m_db.profile();
}

const Clock &AuditService::clock() const noexcept
{
    return m_access.clock();
}

QStringList AuditService::csvColumns()
{
    return {tr("Time (UTC)"), tr("Actor"), tr("Login As by"), tr("Action"), tr("Entity type"),
        tr("Entity ID"), tr("Customer"), tr("Reseller"), tr("Reason"), tr("Before"), tr("After"),
        tr("Batch ID")};
}

Result<qint64> AuditService::exportCsv(
    const Session &session, const AuditFilter &filter, QIODevice &out) const
{
    Result<AuditScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    if (Status written = writeAll(out, Csv::byteOrderMark() + Csv::lineUtf8(csvColumns()));
        !written)
        return fail(written.error());

    // Page by page, so a large log is never held in memory at once.
    AuditRepository repository(m_db);
    AuditCursor cursor;
    qint64 count = 0;
    for (;;) {
        Result<QList<AuditListRow>> page = repository.page(*scope, filter, cursor, ExportPageSize);
        if (!page)
            return fail(page.error());
        QByteArray bytes;
        for (const AuditListRow &row : std::as_const(*page)) {
            const AuditEventRow &e = row.event;
            bytes += Csv::lineUtf8({e.occurredAt.toUTC().toString(Qt::ISODate),
                e.actorUserId > 0 ? row.actorName : tr("System"), row.impersonatorName, e.action,
                e.entityType, idText(e.entityId), row.customerName, row.resellerName, e.reason,
                e.beforeJson, e.afterJson, e.batchId});
        }
        if (Status written = writeAll(out, bytes); !written)
            return fail(written.error());
        count += page->size();
        if (page->size() < ExportPageSize)
            break;
        cursor = cursorAfter(page->constLast());
    }
    return count;
}

AuditCursor AuditService::cursorAfter(const AuditListRow &row)
{
    return AuditCursor {row.event.occurredAt, row.event.id};
}

AuditCursor AuditService::cursorAfter(const ImpersonationLogRow &row)
{
    return AuditCursor {row.startedAt, row.id};
}

} // namespace rd
