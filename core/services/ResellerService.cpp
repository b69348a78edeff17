#include "services/ResellerService.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>

#include "domain/Permission.h"
#include "domain/TextLimits.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "storage/Database.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

constexpr int MaxRateBp = 10000;

QJsonValue idValue(qint64 id)
{
    return id > 0 ? QJsonValue(static_cast<double>(id)) : QJsonValue(QJsonValue::Null);
}

// The audited state of a reseller: every field an administrator can change.
// Keys are the column names, so an audit reader needs no second vocabulary.
QJsonObject auditState(const ResellerRow &row, const QList<qint64> &planIds)
{
    QJsonArray plans;
    for (const qint64 id : planIds)
        plans.append(static_cast<double>(id));
    QJsonObject state;
    state.insert(QStringLiteral("name"), row.name);
    state.insert(QStringLiteral("parent_id"), idValue(row.parentId));
    state.insert(QStringLiteral("commission_rate_bp"), row.commissionRateBp);
    state.insert(QStringLiteral("override_rate_bp"), row.overrideRateBp);
    state.insert(QStringLiteral("customer_scope"),
        row.customerScope == CustomerScope::All ? QStringLiteral("all")
                                                : QStringLiteral("assigned"));
    state.insert(QStringLiteral("pricing"),
        row.pricing == PricingMode::Selected ? QStringLiteral("selected")
                                             : QStringLiteral("channel"));
    state.insert(QStringLiteral("price_list_id"), idValue(row.priceListId));
    state.insert(QStringLiteral("plan_ids"), plans);
    state.insert(QStringLiteral("active"), row.active);
    return state;
}

// Keeps in before and after only the keys whose values differ.
void keepChanges(QJsonObject &before, QJsonObject &after)
{
    const QStringList keys = before.keys();
    for (const QString &key : keys) {
        if (before.value(key) == after.value(key)) {
            before.remove(key);
            after.remove(key);
        }
    }
}

void applyInput(ResellerRow &row, const ResellerInput &input)
{
    row.name = input.name;
    row.parentId = input.parentId;
    row.commissionRateBp = input.commissionRateBp;
    row.overrideRateBp = input.overrideRateBp;
    row.customerScope = input.customerScope;
    row.pricing = input.pricing;
    row.priceListId = input.priceListId;
}

ResellerSummary toSummary(const ResellerOverviewRow &row)
{
    ResellerSummary s;
    s.id = row.reseller.id;
    s.name = row.reseller.name;
    s.parentId = row.reseller.parentId;
    s.parentName = row.parentName;
    s.active = row.reseller.active;
    s.customerCount = row.customerCount;
    s.activeCustomers = row.activeCustomers;
    s.trialCustomers = row.trialCustomers;
    s.commissionRateBp = row.reseller.commissionRateBp;
    s.overrideRateBp = row.reseller.overrideRateBp;
    s.customerScope = row.reseller.customerScope;
    s.pricing = row.reseller.pricing;
    s.priceListId = row.reseller.priceListId;
    s.priceListName = row.priceListName;
    s.planIds = row.planIds;
    s.version = row.reseller.version;
    return s;
}

} // namespace

ResellerService::ResellerService(Database &db, const Clock &clock, AccessControl &access)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
{ }

Result<ResellerListFilter> ResellerService::visibleTo(const Session &session) const
{
    if (Status allowed = m_access.require(session, Capability::SeeResellers, Access::Read);
        !allowed)
        return fail(allowed.error());
    ResellerListFilter filter;
    switch (PermissionMatrix::grant(Capability::SeeResellers, session.role()).extent) {
    case Extent::All:
        return filter;
    case Extent::Own:
    case Extent::Scope:
        filter.portalId = session.resellerId();
        break;
    case Extent::OwnAndSubPortals:
        filter.portalId = session.resellerId();
        filter.withSubPortals = true;
        break;
    case Extent::None:
        return fail(AccessControl::denied(Capability::SeeResellers));
    }
    // A limited extent without a portal of its own sees nothing.
    if (filter.portalId <= 0)
        return fail(AccessControl::denied(Capability::SeeResellers));
    return filter;
}

Result<QList<ResellerSummary>> ResellerService::listResellers(const Session &session) const
{
    Result<ResellerListFilter> filter = visibleTo(session);
    if (!filter)
        return fail(filter.error());
    Result<QList<ResellerOverviewRow>> rows = ResellerRepository(m_db).overview(*filter);
    if (!rows)
        return fail(rows.error());
    QList<ResellerSummary> summaries;
    summaries.reserve(rows->size());
    for (const ResellerOverviewRow &row : *rows)
        summaries.append(toSummary(row));
    return summaries;
}

Result<ResellerSummary> ResellerService::reseller(const Session &session, qint64 id) const
{
    if (Status allowed
        = m_access.requireForReseller(session, Capability::SeeResellers, Access::Read, id);
        !allowed)
        return fail(allowed.error());
    Result<ResellerListFilter> filter = visibleTo(session);
    if (!filter)
        return fail(filter.error());
    filter->resellerId = id;
    Result<QList<ResellerOverviewRow>> rows = ResellerRepository(m_db).overview(*filter);
    if (!rows)
        return fail(rows.error());
    if (rows->isEmpty())
        return fail(AccessControl::resellerNotVisible());
    return toSummary(rows->constFirst());
}

Result<QList<qint64>> ResellerService::offeredPlans(const Session &session, qint64 resellerId) const
{
    if (Status allowed
        = m_access.requireForReseller(session, Capability::SeeResellers, Access::Read, resellerId);
        !allowed)
        return fail(allowed.error());
    ResellerRepository resellers(m_db);
    if (Result<ResellerRow> found = resellers.find(resellerId); !found) {
        if (found.error().code() == ErrorCode::NotFound)
            return fail(AccessControl::resellerNotVisible());
        return fail(found.error());
    }
    return resellers.offeredPlans(resellerId);
}

Result<ResellerInput> ResellerService::normalized(const ResellerInput &input) const
{
    ResellerInput out = input;
    out.name = input.name.trimmed();
    if (out.name.isEmpty())
        return fail(
            ErrorCode::InvalidInput, tr("Enter the reseller's name."), QStringLiteral("name"));
    if (Status length = TextLimits::checkLength(
            out.name, TextLimits::ResellerName, QStringLiteral("name"), tr("Reseller name"));
        !length)
        return fail(length.error());
    if (out.parentId < 0)
        out.parentId = 0;
    if (out.commissionRateBp < 0 || out.commissionRateBp > MaxRateBp) {
        return fail(ErrorCode::InvalidInput,
            tr("The commission rate must be between 0 % and 100 %."), QStringLiteral("commission"));
    }
    if (out.overrideRateBp < 0 || out.overrideRateBp > MaxRateBp) {
        return fail(ErrorCode::InvalidInput, tr("The override rate must be between 0 % and 100 %."),
            QStringLiteral("override"));
    }
    if (out.pricing == PricingMode::Channel) {
        out.priceListId = 0; // the channel (default) list: nothing to choose
    } else if (out.priceListId <= 0) {
        return fail(ErrorCode::InvalidInput,
            tr("Choose the price list this reseller's customers are priced on."),
            QStringLiteral("priceList"));
    }
    std::sort(out.planIds.begin(), out.planIds.end());
    out.planIds.erase(std::unique(out.planIds.begin(), out.planIds.end()), out.planIds.end());
    if (out.planIds.isEmpty()) {
        return fail(ErrorCode::InvalidInput, tr("Choose at least one plan the reseller offers."),
            QStringLiteral("plans"));
    }
    return out;
}

Status ResellerService::checkParent(qint64 parentId, qint64 selfId, qint64 currentParentId) const
{
    if (parentId == 0)
        return {};
    const QString field = QStringLiteral("parent");
    if (selfId > 0 && parentId == selfId)
        return fail(ErrorCode::InvalidInput, tr("A reseller cannot be its own parent."), field);
    ResellerRepository resellers(m_db);
    Result<ResellerRow> parent = resellers.find(parentId);
    if (!parent) {
        if (parent.error().code() == ErrorCode::NotFound)
            return fail(ErrorCode::InvalidInput, tr("The parent reseller does not exist."), field);
        return fail(parent.error());
    }
    // An unchanged parent that was deactivated since does not block other edits.
    if (!parent->active && parentId != currentParentId) {
        return fail(ErrorCode::InvalidInput,
            tr("The parent reseller %1 is inactive. Choose an active one.").arg(parent->name),
            field);
    }
    if (selfId <= 0)
        return {}; // a new reseller has no sub-portals: no cycle possible
    // Walk up from the new parent: meeting the reseller itself means the
    // parent is one of its own sub-portals.
    QSet<qint64> seen {selfId};
    ResellerRow ancestor = *parent;
    while (true) {
        seen.insert(ancestor.id);
        if (ancestor.parentId == 0)
            return {};
        if (ancestor.parentId == selfId) {
            return fail(ErrorCode::InvalidInput,
                tr("%1 cannot be the parent: it is a sub-portal of this reseller.")
                    .arg(parent->name),
                field);
        }
        if (seen.contains(ancestor.parentId))
            return {}; // a loop above, not through this reseller: not this edit's doing
        Result<ResellerRow> next = resellers.find(ancestor.parentId);
        if (!next)
            return fail(next.error());
        ancestor = *next;
    }
}

Status ResellerService::checkAgainstDatabase(
    const ResellerInput &input, qint64 selfId, qint64 currentParentId) const
{
    ResellerRepository resellers(m_db);
    Result<QString> clash = resellers.nameInUse(input.name, selfId);
    if (!clash)
        return fail(clash.error());
    if (!clash->isEmpty()) {
        return fail(ErrorCode::Duplicate,
            tr("A reseller named \u201c%1\u201d already exists. Choose another name.").arg(*clash),
            QStringLiteral("name"));
    }
    if (Status parent = checkParent(input.parentId, selfId, currentParentId); !parent)
        return parent;
    if (input.pricing == PricingMode::Selected) {
        Result<std::optional<QString>> list = resellers.priceListName(input.priceListId);
        if (!list)
            return fail(list.error());
        if (!list->has_value()) {
            return fail(ErrorCode::InvalidInput,
                tr("The chosen price list does not exist or was archived."),
                QStringLiteral("priceList"));
        }
    }
    Result<QList<qint64>> unknown = resellers.unknownPlans(input.planIds);
    if (!unknown)
        return fail(unknown.error());
    if (!unknown->isEmpty()) {
        QStringList ids;
        for (const qint64 id : *unknown)
            ids << QString::number(id);
        return fail(ErrorCode::InvalidInput,
            tr("%n of the chosen plans no longer exist or were archived.", nullptr,
                static_cast<int>(unknown->size())),
            QStringLiteral("plans"),
            QStringLiteral("unknown plan ids: ") + ids.join(QLatin1Char(',')));
    }
    return {};
}

Result<qint64> ResellerService::addReseller(const Session &session, const ResellerInput &input)
{
    if (Status allowed = m_access.require(session, Capability::ManageResellers, Access::Write);
        !allowed)
        return fail(allowed.error());
    Result<ResellerInput> in = normalized(input);
    if (!in)
        return fail(in.error());

    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    if (Status valid = checkAgainstDatabase(*in, 0, 0); !valid)
        return fail(valid.error());

    ResellerRow row;
    applyInput(row, *in);
    row.createdAt = m_clock.now();
    row.createdBy = session.userId();
    ResellerRepository resellers(m_db);
    Result<qint64> id = resellers.insert(row);
    if (!id)
        return fail(id.error());
    row.id = *id;
    if (Status offered = resellers.setOfferedPlans(*id, in->planIds); !offered)
        return fail(offered.error());

    AuditEntry entry;
    entry.action = QStringLiteral("reseller.create");
    entry.entityType = QStringLiteral("reseller");
    entry.entityId = *id;
    entry.resellerId = *id;
    entry.after = auditState(row, in->planIds);
    if (Status audited = AuditLog(m_db, m_clock).record(session, entry); !audited)
        return fail(audited.error());
    if (Status committed = tx->commit(); !committed)
        return fail(committed.error());
    return *id;
}

Result<int> ResellerService::editReseller(
    const Session &session, qint64 id, int expectedVersion, const ResellerInput &input)
{
    if (Status allowed
        = m_access.requireForReseller(session, Capability::ManageResellers, Access::Write, id);
        !allowed)
        return fail(allowed.error());
    Result<ResellerInput> in = normalized(input);
    if (!in)
        return fail(in.error());

    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    ResellerRepository resellers(m_db);
    Result<ResellerRow> current = resellers.find(id);
    if (!current)
        return fail(current.error());
    if (current->version != expectedVersion) {
        return fail(ErrorCode::Conflict,
            tr("The reseller %1 was changed by someone else. Reload it and make your change "
               "again.")
                .arg(current->name));
    }
    Result<QList<qint64>> currentPlans = resellers.offeredPlans(id);
    if (!currentPlans)
        return fail(currentPlans.error());
    if (Status valid = checkAgainstDatabase(*in, id, current->parentId); !valid)
        return fail(valid.error());

    ResellerRow row = *current;
    applyInput(row, *in);
    QJsonObject before = auditState(*current, *currentPlans);
    QJsonObject after = auditState(row, in->planIds);
    keepChanges(before, after);
    if (after.isEmpty())
        return current->version; // nothing changed: nothing to write or audit

    row.updatedAt = m_clock.now();
    Result<int> version = resellers.update(row);
    if (!version) {
        if (version.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate,
                tr("A reseller named \u201c%1\u201d already exists. Choose another name.")
                    .arg(row.name),
                QStringLiteral("name"), version.error().detail());
        }
        return fail(version.error());
    }
    if (*currentPlans != in->planIds) {
        if (Status offered = resellers.setOfferedPlans(id, in->planIds); !offered)
            return fail(offered.error());
    }

    AuditEntry entry;
    entry.action = QStringLiteral("reseller.update");
    entry.entityType = QStringLiteral("reseller");
    entry.entityId = id;
    entry.resellerId = id;
    entry.before = before;
    entry.after = after;
    if (Status audited = AuditLog(m_db, m_clock).record(session, entry); !audited)
        return fail(audited.error());
    if (Status committed = tx->commit(); !committed)
        return fail(committed.error());
    return *version;
}

Result<int> ResellerService::setActive(
    const Session &session, qint64 id, int expectedVersion, bool active, const QString &reason)
{
    if (Status allowed
        = m_access.requireForReseller(session, Capability::ManageResellers, Access::Write, id);
        !allowed)
        return fail(allowed.error());
    const QString why = reason.trimmed();
    if (!active && why.isEmpty()) {
        return fail(ErrorCode::InvalidInput, tr("Give a reason for deactivating the reseller."),
            QStringLiteral("reason"));
    }
    if (Status length
        = TextLimits::checkLength(why, TextLimits::Reason, QStringLiteral("reason"), tr("Reason"));
        !length)
        return fail(length.error());

    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    ResellerRepository resellers(m_db);
    Result<ResellerRow> current = resellers.find(id);
    if (!current)
        return fail(current.error());
    if (current->version != expectedVersion) {
        return fail(ErrorCode::Conflict,
            tr("The reseller %1 was changed by someone else. Reload it and make your change "
               "again.")
                .arg(current->name));
    }
    if (current->active == active)
        return current->version; // already so: nothing to write or audit

    ResellerRow row = *current;
    row.active = active;
    row.updatedAt = m_clock.now();
    Result<int> version = resellers.update(row);
    if (!version)
        return fail(version.error());

    AuditEntry entry;
    entry.action
        = active ? QStringLiteral("reseller.activate") : QStringLiteral("reseller.deactivate");
    entry.entityType = QStringLiteral("reseller");
    entry.entityId = id;
    entry.resellerId = id;
    entry.before.insert(QStringLiteral("active"), current->active);
    entry.after.insert(QStringLiteral("active"), active);
    entry.reason = why;
    if (Status audited = AuditLog(m_db, m_clock).record(session, entry); !audited)
        return fail(audited.error());
    if (Status committed = tx->commit(); !committed)
        return fail(committed.error());
    return *version;
}

} // namespace rd
