#include "services/OutboxService.h"

#include <QHash>
#include <QJsonObject>

#include "domain/Permission.h"
#include "mail/MessageComposer.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "storage/Database.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

Error messageNotVisible()
{
    return Error(ErrorCode::NotFound,
        OutboxService::tr("This message does not exist or is not in your scope."));
}

} // namespace

OutboxService::OutboxService(Database &db, const Clock &clock, AccessControl &access)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
{ }

Result<OutboxScope> OutboxService::scopeOf(const Session &session) const
{
    Result<std::optional<qint64>> portal
        = m_access.ownPortalScope(session, Capability::AuditAndOutbox);
    if (!portal)
        return fail(portal.error());
    if (!*portal)
        return OutboxScope {OutboxScope::Kind::All, 0};
    return OutboxScope {OutboxScope::Kind::Reseller, **portal};
}

Status OutboxService::requireVisible(
    const Session &session, qint64 customerId, qint64 resellerId) const
{
    // The same rule as OutboxScope: by the customer when the mail concerns
    // one, else by the reseller context it was written for.
    Status visible;
    if (customerId > 0) {
        visible = m_access.requireForCustomer(
            session, Capability::AuditAndOutbox, Access::Read, customerId);
    } else if (resellerId > 0) {
        visible = m_access.requireForReseller(
            session, Capability::AuditAndOutbox, Access::Read, resellerId);
    } else {
        visible = m_access.require(session, Capability::AuditAndOutbox, Access::Read);
        if (visible
            && PermissionMatrix::grant(Capability::AuditAndOutbox, session.role()).extent
                != Extent::All)
            return fail(messageNotVisible());
    }
    if (!visible && visible.error().code() == ErrorCode::NotFound)
        return fail(messageNotVisible());
    return visible;
}

bool OutboxService::mayAct(const Session &session, qint64 customerId, qint64 resellerId) const
{
    if (session.isImpersonated())
        return false;
    if (customerId > 0)
        return m_access
            .requireForCustomer(session, Capability::ManageCustomers, Access::Write, customerId)
            .has_value();
    if (resellerId > 0)
        return m_access
            .requireForReseller(session, Capability::ManageUsers, Access::Write, resellerId)
            .has_value();
    // Mail of the vendor's own staff.
    return PermissionMatrix::grant(Capability::ManageUsers, session.role()).extent == Extent::All
        && PermissionMatrix::allows(session.role(), Capability::ManageUsers, Access::Write);
}

Result<QList<OutboxEntry>> OutboxService::list(
    const Session &session, const OutboxQuery &query) const
{
    Result<OutboxScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    OutboxPageQuery page;
    page.scope = *scope;
    page.status = query.status;
    page.problemsOnly = query.problemsOnly;
    page.search = query.search;
    page.beforeId = qMax<qint64>(0, query.beforeId);
    page.afterId = qMax<qint64>(0, query.afterId);
    page.oldest = query.oldest;
    page.offset = qMax<qint64>(0, query.offset);
    page.limit = qBound(1, query.limit, MaxPageRows);
    page.secretPlaceholder = MessageComposer::secretPlaceholder();
    Result<QList<OutboxListRow>> rows = OutboxRepository(m_db).page(page);
    if (!rows)
        return fail(rows.error());

    // Whether the session may act on a row depends only on its customer or
    // reseller: ask once per page for each.
    QHash<qint64, bool> customerAllowed;
    QHash<qint64, bool> resellerAllowed;
    const auto allowedFor = [&](const OutboxListRow &row) {
        if (row.customerId > 0) {
            auto it = customerAllowed.constFind(row.customerId);
            if (it == customerAllowed.cend())
                it = customerAllowed.insert(row.customerId, mayAct(session, row.customerId, 0));
            return *it;
        }
        auto it = resellerAllowed.constFind(row.resellerId);
        if (it == resellerAllowed.cend())
            it = resellerAllowed.insert(row.resellerId, mayAct(session, 0, row.resellerId));
        return *it;
    };

    QList<OutboxEntry> entries;
    entries.reserve(rows->size());
    for (const OutboxListRow &row : std::as_const(*rows)) {
        OutboxEntry e;
        e.id = row.id;
        e.createdAt = row.createdAt;
        e.kind = row.kind;
        e.customerId = row.customerId;
        e.customerName = row.customerName;
        e.userId = row.userId;
        e.recipient = row.recipient;
        e.subject = row.subject;
        e.status = row.status;
        e.attempts = row.attempts;
        e.lastError = row.lastError;
        e.notBefore = row.notBefore;
        e.nextAttemptAt = row.nextAttemptAt;
        e.sentAt = row.sentAt;
        e.messageId = row.messageId;
        const bool may = allowedFor(row);
        e.canResend = may
            && OutboxRepository::resendable(row.status, row.needsSecret, row.hasSecret).has_value();
        e.canCancel = may && OutboxRepository::cancellable(row.status).has_value();
        entries.append(e);
    }
    return entries;
}

Result<qint64> OutboxService::count(const Session &session, const OutboxQuery &query) const
{
    Result<OutboxScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    OutboxPageQuery page;
    page.scope = *scope;
    page.status = query.status;
    page.problemsOnly = query.problemsOnly;
    page.search = query.search;
    return OutboxRepository(m_db).count(page);
}

Result<QList<qint64>> OutboxService::anchors(
    const Session &session, const OutboxQuery &query, qint64 beforeId, int rows, int every) const
{
    Result<OutboxScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    OutboxPageQuery page;
    page.scope = *scope;
    page.status = query.status;
    page.problemsOnly = query.problemsOnly;
    page.search = query.search;
    page.beforeId = qMax<qint64>(0, beforeId);
    return OutboxRepository(m_db).anchors(page, qBound(0, rows, MaxAnchorRows), qMax(1, every));
}

const ConnectionProfile &OutboxService::databaseProfile() const
{
    return m_db.profile();
}

Result<OutboxSummary> OutboxService::summary(const Session &session) const
{
    Result<OutboxScope> scope = scopeOf(session);
    if (!scope)
        return fail(scope.error());
    Result<OutboxCounts> counts = OutboxRepository(m_db).counts(*scope);
    if (!counts)
        return fail(counts.error());
    OutboxSummary s;
    s.pending = counts->pending;
    s.failed = counts->failed;
    s.unknown = counts->unknown;
    s.oldestPending = counts->oldestPending;
    s.lastError = counts->lastError;
    return s;
}

Result<OutboxRow> OutboxService::loadForAction(const Session &session, qint64 outboxId) const
{
    if (Status allowed = m_access.require(session, Capability::AuditAndOutbox, Access::Read);
        !allowed)
        return fail(allowed.error());
    Result<OutboxRow> row = OutboxRepository(m_db).find(outboxId);
    if (!row) {
        if (row.error().code() == ErrorCode::NotFound)
            return fail(messageNotVisible());
        return fail(row.error());
    }
    if (Status visible = requireVisible(session, row->customerId, row->resellerId); !visible)
        return fail(visible.error());
    if (!mayAct(session, row->customerId, row->resellerId)) {
        return fail(ErrorCode::PermissionDenied,
            tr("Your role lets you see this email but not resend or cancel it; that takes the "
               "right to manage the customer or user it concerns."));
    }
    return row;
}

Status OutboxService::record(
    const Session &session, const OutboxRow &row, const QString &action, OutboxStatus after)
{
    // Which message and to whom; never its body or secret.
    AuditEntry entry;
    entry.action = action;
    entry.entityType = QStringLiteral("outbox");
    entry.entityId = row.id;
    entry.resellerId = row.resellerId;
    entry.customerId = row.customerId;
    entry.before = QJsonObject {{QStringLiteral("id"), row.id},
        {QStringLiteral("kind"), OutboxRepository::kindKey(row.kind)},
        {QStringLiteral("recipient"), row.recipient},
        {QStringLiteral("status"), OutboxRepository::statusKey(row.status)}};
    entry.after = QJsonObject {{QStringLiteral("status"), OutboxRepository::statusKey(after)}};
    return AuditLog(m_db, m_clock).record(session, entry);
}

Status OutboxService::resend(const Session &session, qint64 outboxId)
{
    Result<OutboxRow> row = loadForAction(session, outboxId);
    if (!row)
        return fail(row.error());
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    if (Status done = OutboxRepository(m_db).resend(
            outboxId, row->version, m_clock.now(), MessageComposer::secretPlaceholder());
        !done)
        return done;
    if (Status recorded
        = record(session, *row, QStringLiteral("outbox.resend"), OutboxStatus::Pending);
        !recorded)
        return recorded;
    return transaction->commit();
}

Status OutboxService::cancel(const Session &session, qint64 outboxId)
{
    Result<OutboxRow> row = loadForAction(session, outboxId);
    if (!row)
        return fail(row.error());
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    if (Status done = OutboxRepository(m_db).cancel(outboxId, row->version); !done)
        return done;
    if (Status recorded
        = record(session, *row, QStringLiteral("outbox.cancel"), OutboxStatus::Cancelled);
        !recorded)
        return recorded;
    return transaction->commit();
}

} // namespace rd
