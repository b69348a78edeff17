#include "services/TransferService.h"

#include <algorithm>

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>

#include "domain/Permission.h"
#include "domain/Role.h"
#include "domain/TextLimits.h"
#include "mail/MessageComposer.h"
#include "security/Authenticator.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/OutboxRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/TransferRepository.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

// Tries of "name (portal n)" before giving up on finding a free name.
constexpr int MaxPortalNameAttempts = 1000;
// 100 % in basis points.
constexpr int MaxRateBp = 10000;

QJsonValue idValue(qint64 id)
{
    return id > 0 ? QJsonValue(id) : QJsonValue(QJsonValue::Null);
}

QString kindKey(AssignmentKind kind)
{
    return kind == AssignmentKind::Owner ? QStringLiteral("owner") : QStringLiteral("additional");
}

// The price list a customer is on, for the audited ownership.
struct PriceListRef
{
    qint64 id = 0;
    QString name;
};

// The audited ownership of a customer: its owner, plan, price list and open
// assignments. Keys are the column names, as in the other services' events.
QJsonObject ownershipState(qint64 ownerResellerId, qint64 planId, const PriceListRef &priceList,
    const QList<AssignmentRow> &open, const QHash<qint64, QString> &resellerNames)
{
    QJsonArray assignments;
    for (const AssignmentRow &a : open) {
        assignments.append(QJsonObject {{QStringLiteral("id"), idValue(a.id)},
            {QStringLiteral("reseller_id"), idValue(a.resellerId)},
            {QStringLiteral("reseller"), resellerNames.value(a.resellerId)},
            {QStringLiteral("kind"), kindKey(a.kind)}});
    }
    return QJsonObject {{QStringLiteral("owner_reseller_id"), idValue(ownerResellerId)},
        {QStringLiteral("owner"),
            ownerResellerId > 0 ? QJsonValue(resellerNames.value(ownerResellerId))
                                : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("plan_id"), idValue(planId)},
        {QStringLiteral("price_list_id"), idValue(priceList.id)},
        {QStringLiteral("price_list"), priceList.name},
        {QStringLiteral("assignments"), assignments}};
}

// The compact JSON text of ownershipState(...) (plus, for a clone's "after",
// its three option keys), written directly: byte for byte what
// QJsonDocument::toJson(Compact) makes of the object (keys in sorted order,
// the same escapes), at a fraction of the cost, for the thousand events of
// a bulk clone.
class OwnershipJson
{
public:
    explicit OwnershipJson(const QHash<qint64, QString> &resellerNames)
        : m_names(resellerNames)
    { }

    struct CloneOptionsUsed
    {
        bool endCurrentAssignments = false;
        bool switchToTargetPriceList = false;
        qint64 targetResellerId = 0;
    };

    QString write(qint64 ownerResellerId, qint64 planId, const PriceListRef &priceList,
        const QList<AssignmentRow> &open, const CloneOptionsUsed *options) const
    {
        QString out;
        out.reserve(160 + 90 * open.size());
        out += QLatin1String("{\"assignments\":[");
        for (qsizetype i = 0; i < open.size(); ++i) {
            const AssignmentRow &a = open.at(i);
            if (i > 0)
                out += QLatin1Char(',');
            out += QLatin1String("{\"id\":");
            appendId(out, a.id);
            out += QLatin1String(",\"kind\":\"");
            out += a.kind == AssignmentKind::Owner ? QLatin1String("owner")
                                                   : QLatin1String("additional");
            out += QLatin1String("\",\"reseller\":");
            appendString(out, m_names.value(a.resellerId));
            out += QLatin1String(",\"reseller_id\":");
            appendId(out, a.resellerId);
            out += QLatin1Char('}');
        }
        out += QLatin1Char(']');
        if (options) {
            out += QLatin1String(",\"end_current_assignments\":");
            out += options->endCurrentAssignments ? QLatin1String("true") : QLatin1String("false");
        }
        out += QLatin1String(",\"owner\":");
        if (ownerResellerId > 0)
            appendString(out, m_names.value(ownerResellerId));
        else
            out += QLatin1String("null");
        out += QLatin1String(",\"owner_reseller_id\":");
        appendId(out, ownerResellerId);
        out += QLatin1String(",\"plan_id\":");
        appendId(out, planId);
        out += QLatin1String(",\"price_list\":");
        appendString(out, priceList.name);
        out += QLatin1String(",\"price_list_id\":");
        appendId(out, priceList.id);
        if (options) {
            out += QLatin1String(",\"switch_to_target_price_list\":");
            out += options->switchToTargetPriceList ? QLatin1String("true")
                                                    : QLatin1String("false");
            out += QLatin1String(",\"target_reseller_id\":");
            appendId(out, options->targetResellerId);
        }
        out += QLatin1Char('}');
        return out;
    }

private:
    static void appendId(QString &out, qint64 id)
    {
        if (id > 0)
            out += QString::number(id);
        else
            out += QLatin1String("null");
    }

    // A JSON string as Qt writes it: quote, backslash and control
    // characters escaped (\b \f \n \r \t, others \u00xx), the rest as is.
    static void appendString(QString &out, const QString &value)
    {
        static const char hex[] = "0123456789abcdef";
        out += QLatin1Char('"');
        for (const QChar ch : value) {
            const char16_t u = ch.unicode();
            if (u >= 0x20 && u != u'"' && u != u'\\') {
                out += ch;
                continue;
            }
            out += QLatin1Char('\\');
            switch (u) {
            case u'"':
                out += QLatin1Char('"');
                break;
            case u'\\':
                out += QLatin1Char('\\');
                break;
            case u'\b':
                out += QLatin1Char('b');
                break;
            case u'\f':
                out += QLatin1Char('f');
                break;
            case u'\n':
                out += QLatin1Char('n');
                break;
            case u'\r':
                out += QLatin1Char('r');
                break;
            case u'\t':
                out += QLatin1Char('t');
                break;
            default:
                out += QLatin1String("u00");
                out += QLatin1Char(hex[(u >> 4) & 0xf]);
                out += QLatin1Char(hex[u & 0xf]);
            }
        }
        out += QLatin1Char('"');
    }

    const QHash<qint64, QString> &m_names;
};

// The first `max` characters (code points) of value, never splitting a
// surrogate pair, without trailing spaces.
QString leftCharacters(const QString &value, qsizetype max)
{
    qsizetype count = 0;
    qsizetype end = 0;
    while (end < value.size() && count < max) {
        end += value.at(end).isHighSurrogate() && end + 1 < value.size() ? 2 : 1;
        ++count;
    }
    QString out = value.left(end);
    while (out.endsWith(QLatin1Char(' ')))
        out.chop(1);
    return out;
}

QList<qint64> distinctInOrder(const QList<qint64> &ids)
{
    QList<qint64> out;
    QSet<qint64> seen;
    for (const qint64 id : ids) {
        if (!seen.contains(id)) {
            seen.insert(id);
            out.append(id);
        }
    }
    return out;
}

TransferCandidate candidateOf(const TransferCustomer &c, const QString &migrationRefusal)
{
    TransferCandidate out;
    out.id = c.id;
    out.companyName = c.companyName;
    out.contactName = c.contactName;
    out.contactEmail = c.primaryUserEmail;
    out.ownerResellerId = c.ownerResellerId;
    out.ownerResellerName = c.ownerResellerName;
    out.planId = c.planId;
    out.planName = c.planName;
    out.priceListId = c.priceListId;
    out.priceListName = c.priceListName;
    out.active = c.active;
    out.noEmail = c.noEmail;
    out.migrated = c.migratedAt.isValid() || c.portalId > 0;
    out.migrationRefusal = migrationRefusal;
    out.version = c.version;
    return out;
}

Status conflictingAssignments(const QString &companyName)
{
    return fail(ErrorCode::Conflict,
        QCoreApplication::translate("TransferService",
            "The assignments of %1 were changed by someone else. Reload and try again.")
            .arg(companyName));
}

// A bulk clone found assignments that changed after it read them.
Status conflictingClone()
{
    return fail(ErrorCode::Conflict,
        QCoreApplication::translate("TransferService",
            "The assignments of some of the selected customers were changed by someone else. "
            "Reload and try again."));
}

} // namespace

TransferService::TransferService(
    Database &db, const Clock &clock, AccessControl &access, Authenticator &authenticator)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
    , m_authenticator(authenticator)
{ }

Status TransferService::checkPlanFor(qint64 planId, qint64 resellerId, const QString &resellerName,
    const TransferCustomer &customer) const
{
    const QString field = QStringLiteral("plan");
    CatalogueRepository catalogue(m_db);
    Result<PlanRow> plan = catalogue.plan(planId);
    if (!plan) {
        if (plan.error().code() != ErrorCode::NotFound)
            return fail(plan.error());
        return fail(ErrorCode::InvalidInput,
            tr("The plan no longer exists. Choose another plan for %1 first.")
                .arg(customer.companyName),
            field);
    }
    if (resellerId > 0) {
        Result<QList<PlanRow>> offered = catalogue.plansOfferedBy(resellerId);
        if (!offered)
            return fail(offered.error());
        const bool isOffered = std::any_of(
            offered->cbegin(), offered->cend(), [&](const PlanRow &p) { return p.id == plan->id; });
        if (!isOffered) {
            return fail(ErrorCode::InvalidInput,
                tr("%1 does not offer the plan %2. Choose one of its plans for %3 first.")
                    .arg(resellerName, plan->name, customer.companyName),
                field);
        }
    }
    if (planId != customer.planId) {
        Result<std::optional<qint64>> price = catalogue.price(customer.priceListId, planId);
        if (!price)
            return fail(price.error());
        if (!price->has_value()) {
            Result<PriceListRow> list = catalogue.priceList(customer.priceListId);
            return fail(ErrorCode::InvalidInput,
                tr("The price list %1 of %2 has no price for the plan %3. Choose another plan "
                   "first.")
                    .arg(list ? list->name : QString(), customer.companyName, plan->name),
                field);
        }
    }
    return {};
}

Result<QString> TransferService::portalName(const QString &companyName) const
{
    ResellerRepository resellers(m_db);
    for (int attempt = 0; attempt < MaxPortalNameAttempts; ++attempt) {
        const QString suffix = attempt == 0 ? QString()
            : attempt == 1                  ? tr(" (portal)")
                                            : tr(" (portal %1)").arg(attempt);
        const QString candidate = leftCharacters(companyName,
                                      TextLimits::ResellerName - TextLimits::characterCount(suffix))
            + suffix;
        Result<QString> clash = resellers.nameInUse(candidate);
        if (!clash)
            return fail(clash.error());
        if (clash->isEmpty())
            return candidate;
    }
    return fail(ErrorCode::Duplicate,
        tr("No free name for a reseller portal of %1 was found. Rename the resellers named "
           "after it and try again.")
            .arg(companyName),
        QStringLiteral("name"));
}

QString TransferService::migrationRefusal(const TransferCustomer &c)
{
    if (!c.active) {
        return tr("%1 is inactive. Only active customers can be migrated to a reseller portal.")
            .arg(c.companyName);
    }
    if (c.migratedAt.isValid() || c.portalId > 0) {
        return tr("%1 was already migrated to its own reseller portal. A customer migrates once.")
            .arg(c.companyName);
    }
    if (c.primaryUserId == 0)
        return tr("%1 has no primary user who could run the reseller portal.").arg(c.companyName);
    if (c.primaryUserArchived) {
        return tr("The primary user of %1 was archived; they cannot run the reseller portal.")
            .arg(c.companyName);
    }
    return {};
}

Result<QList<TransferCandidate>> TransferService::candidates(
    const Session &session, const QList<qint64> &customerIds) const
{
    if (Status allowed = m_access.require(session, Capability::TransferCustomers, Access::Write);
        !allowed)
        return fail(allowed.error());
    const QList<qint64> ids = distinctInOrder(customerIds);
    Result<QHash<qint64, TransferCustomer>> found = TransferRepository(m_db).customers(ids);
    if (!found)
        return fail(found.error());
    QList<TransferCandidate> out;
    out.reserve(found->size());
    for (const qint64 id : ids) {
        const auto c = found->constFind(id);
        if (c != found->constEnd())
            out.append(candidateOf(*c, migrationRefusal(*c)));
    }
    return out;
}

Result<QString> TransferService::suggestedPortalName(
    const Session &session, qint64 customerId) const
{
    if (Status allowed = m_access.require(session, Capability::TransferCustomers, Access::Write);
        !allowed)
        return fail(allowed.error());
    Result<std::optional<TransferCustomer>> found = TransferRepository(m_db).customer(customerId);
    if (!found)
        return fail(found.error());
    if (!found->has_value())
        return fail(ErrorCode::NotFound, tr("The customer no longer exists."));
    return portalName((*found)->companyName);
}

Result<CloneReport> TransferService::cloneToReseller(const Session &session,
    const QList<qint64> &customerIds, qint64 targetResellerId, const CloneOptions &options)
{
    if (Status allowed = m_access.require(session, Capability::TransferCustomers, Access::Write);
        !allowed)
        return fail(allowed.error());
    const QList<qint64> ids = distinctInOrder(customerIds);
    if (ids.isEmpty()) {
        return fail(ErrorCode::InvalidInput, tr("Select at least one customer to clone."),
            QStringLiteral("customers"));
    }
    const bool endCurrentAssignments = options.endCurrentAssignments;
    if (options.switchToTargetPriceList && !endCurrentAssignments) {
        return fail(ErrorCode::InvalidInput,
            tr("The price list goes with ownership: switch to the target's price list only when "
               "the current assignments end and the target becomes the owner."),
            QStringLiteral("priceList"));
    }

    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    TransferRepository transfers(m_db);
    Result<std::optional<TransferReseller>> target = transfers.reseller(targetResellerId);
    if (!target)
        return fail(target.error());
    if (!target->has_value()) {
        return fail(ErrorCode::InvalidInput, tr("The target reseller does not exist."),
            QStringLiteral("reseller"));
    }
    const TransferReseller &to = **target;
    if (!to.active || to.archived) {
        return fail(ErrorCode::InvalidInput,
            tr("The reseller %1 is deactivated; it cannot take customers. Choose an active "
               "reseller.")
                .arg(to.name),
            QStringLiteral("reseller"));
    }

    CatalogueRepository catalogue(m_db);
    QSet<qint64> offeredPlans;
    if (endCurrentAssignments) {
        Result<QList<PlanRow>> offered = catalogue.plansOfferedBy(to.id);
        if (!offered)
            return fail(offered.error());
        for (const PlanRow &plan : *offered)
            offeredPlans.insert(plan.id);
    }
    // The target's pricing: its selected list, else the default one.
    PriceListRef targetList;
    QHash<qint64, bool> pricedOnTarget; // by plan id, filled as customers need it
    if (options.switchToTargetPriceList) {
        if (to.pricing == PricingMode::Selected && to.priceListId > 0) {
            targetList.id = to.priceListId;
        } else {
            Result<std::optional<PriceListRow>> channel = catalogue.defaultPriceList();
            if (!channel)
                return fail(channel.error());
            if (!channel->has_value()) {
                return fail(ErrorCode::InvalidInput,
                    tr("%1 uses the default price list, and there is none. Keep the customers' "
                       "price lists.")
                        .arg(to.name),
                    QStringLiteral("priceList"));
            }
            targetList.id = (*channel)->id;
        }
        Result<PriceListRow> list = catalogue.priceList(targetList.id);
        if (!list)
            return fail(list.error());
        targetList.name = list->name;
    }

    if (Status locked = transfers.lockCustomers(ids); !locked)
        return fail(locked.error());
    Result<QHash<qint64, TransferCustomer>> customers = transfers.customersToClone(ids);
    if (!customers)
        return fail(customers.error());
    Result<QHash<qint64, QList<AssignmentRow>>> open = transfers.openAssignments(ids);
    if (!open)
        return fail(open.error());
    QList<qint64> involved {to.id};
    for (const QList<AssignmentRow> &rows : std::as_const(*open)) {
        for (const AssignmentRow &a : rows)
            involved.append(a.resellerId);
    }
    for (const TransferCustomer &c : std::as_const(*customers))
        involved.append(c.ownerResellerId);
    Result<QHash<qint64, QString>> names = transfers.resellerNames(involved);
    if (!names)
        return fail(names.error());

    // Rule 6's checks, in memory on what was read above: which customers
    // are cloned, and on which price list.
    struct Planned
    {
        const TransferCustomer *customer = nullptr;
        PriceListRef priceList;
    };
    CloneReport report;
    QList<Planned> planned;
    planned.reserve(ids.size());
    for (const qint64 id : ids) {
        const auto found = customers->constFind(id);
        if (found == customers->constEnd()) {
            report.skipped.append({id, QString(), tr("The customer no longer exists.")});
            continue;
        }
        const TransferCustomer &c = *found;
        if (!c.active) {
            report.skipped.append({id, c.companyName,
                tr("The customer is inactive; inactive customers are not cloned.")});
            continue;
        }
        const QList<AssignmentRow> current = open->value(id);
        const bool assigned = std::any_of(current.cbegin(), current.cend(),
            [&](const AssignmentRow &a) { return a.resellerId == to.id; });
        if (assigned) {
            report.skipped.append(
                {id, c.companyName, tr("The customer is already assigned to %1.").arg(to.name)});
            continue;
        }
        if (endCurrentAssignments && !offeredPlans.contains(c.planId)) {
            report.skipped.append({id, c.companyName,
                tr("%1 does not offer the customer's plan %2. Move the customer with one of its "
                   "plans instead.")
                    .arg(to.name, c.planName)});
            continue;
        }
        PriceListRef priceList {c.priceListId, c.priceListName};
        if (options.switchToTargetPriceList && c.priceListId != targetList.id) {
            auto priced = pricedOnTarget.constFind(c.planId);
            if (priced == pricedOnTarget.constEnd()) {
                Result<std::optional<qint64>> price = catalogue.price(targetList.id, c.planId);
                if (!price)
                    return fail(price.error());
                priced = pricedOnTarget.insert(c.planId, price->has_value());
            }
            if (!*priced) {
                report.skipped.append({id, c.companyName,
                    tr("The price list %1 of %2 has no price for the customer's plan %3. Keep "
                       "the customer's price list, or move the customer with another plan.")
                        .arg(targetList.name, to.name, c.planName)});
                continue;
            }
            priceList = targetList;
        }
        planned.append({&c, priceList});
        report.cloned.append(id);
    }
    if (report.cloned.isEmpty())
        return report; // nothing to write: the transaction rolls back

    // The writes, set-based: a few multi-row statements for all of them.
    // Handing ownership over ends every open assignment of the cloned
    // customers first (the rows stay, with their end).
    const QDateTime now = m_clock.now();
    if (endCurrentAssignments) {
        QList<qint64> toEnd;
        for (const qint64 id : std::as_const(report.cloned)) {
            for (const AssignmentRow &a : open->value(id))
                toEnd.append(a.id);
        }
        Result<int> ended = transfers.endAssignments(toEnd, now, session.userId());
        if (!ended)
            return fail(ended.error());
        if (*ended != toEnd.size())
            return fail(conflictingClone().error());
    }
    const AssignmentKind kind
        = endCurrentAssignments ? AssignmentKind::Owner : AssignmentKind::Additional;
    Result<QHash<qint64, qint64>> added
        = transfers.addAssignments(report.cloned, to.id, kind, now, session.userId());
    if (!added)
        return fail(added.error());
    if (added->size() != report.cloned.size())
        return fail(conflictingClone().error());
    if (endCurrentAssignments) {
        // One price list for all when switching (the target's), else each
        // keeps its own: the column is left alone.
        const qint64 newList = options.switchToTargetPriceList ? targetList.id : 0;
        Result<QHash<qint64, int>> versions
            = transfers.setOwners(report.cloned, to.id, newList, now);
        if (!versions)
            return fail(versions.error());
        for (const Planned &p : std::as_const(planned)) {
            // Rule 14: exactly one change since the version read above.
            if (versions->value(p.customer->id, -1) != p.customer->version + 1) {
                return fail(ErrorCode::Conflict,
                    tr("%1 was changed by someone else. Reload it and make your change again.")
                        .arg(p.customer->companyName),
                    {},
                    QStringLiteral("customer_id=%1 read_version=%2")
                        .arg(p.customer->id)
                        .arg(p.customer->version));
            }
        }
    }

    // Rule 12: one event per cloned customer (owner, plan, price list and
    // assignments before and after), sharing one batch id, appended in
    // multi-row INSERTs. The JSON is the text ownershipState() gives, written
    // directly (OwnershipJson).
    const QString batch = AuditLog::newBatchId();
    const AuditLog audit(m_db, m_clock);
    const OwnershipJson json(*names);
    const OwnershipJson::CloneOptionsUsed used {
        endCurrentAssignments, options.switchToTargetPriceList, to.id};
    AuditEntry entry;
    entry.action = QStringLiteral("customer.clone");
    entry.entityType = QStringLiteral("customer");
    entry.resellerId = to.id;
    entry.batchId = batch;
    QList<AuditEventRow> events;
    events.reserve(planned.size());
    for (const Planned &p : std::as_const(planned)) {
        const TransferCustomer &c = *p.customer;
        const QList<AssignmentRow> current = open->value(c.id);
        QList<AssignmentRow> after = endCurrentAssignments ? QList<AssignmentRow>() : current;
        AssignmentRow newRow;
        newRow.id = added->value(c.id);
        newRow.customerId = c.id;
        newRow.resellerId = to.id;
        newRow.kind = kind;
        after.append(newRow);
        const qint64 owner = endCurrentAssignments ? to.id : c.ownerResellerId;

        entry.entityId = c.id;
        entry.customerId = c.id;
        AuditEventRow row = audit.eventFor(session, entry);
        row.beforeJson = json.write(
            c.ownerResellerId, c.planId, {c.priceListId, c.priceListName}, current, nullptr);
        row.afterJson = json.write(owner, c.planId, p.priceList, after, &used);
        events.append(row);
    }
    if (Status recorded = transfers.appendAuditEvents(events); !recorded)
        return fail(recorded.error());

    if (Status committed = tx->commit(); !committed)
        return fail(committed.error());
    report.batchId = batch;
    return report;
}

Result<int> TransferService::moveCustomer(const Session &session, qint64 customerId,
    int expectedVersion, qint64 targetResellerId, qint64 newPlanId)
{
    if (Status allowed = m_access.require(session, Capability::TransferCustomers, Access::Write);
        !allowed)
        return fail(allowed.error());
    if (targetResellerId < 0) {
        return fail(ErrorCode::InvalidInput, tr("The target reseller does not exist."),
            QStringLiteral("reseller"));
    }

    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    TransferRepository transfers(m_db);
    if (Status locked = transfers.lockCustomers({customerId}); !locked)
        return fail(locked.error());
    Result<std::optional<TransferCustomer>> found = transfers.customer(customerId);
    if (!found)
        return fail(found.error());
    if (!found->has_value())
        return fail(ErrorCode::NotFound, tr("The customer no longer exists."));
    const TransferCustomer &c = **found;
    if (c.version != expectedVersion) {
        return fail(ErrorCode::Conflict,
            tr("%1 was changed by someone else. Reload it and make your change again.")
                .arg(c.companyName),
            {},
            QStringLiteral("customer_id=%1 expected_version=%2 current_version=%3")
                .arg(customerId)
                .arg(expectedVersion)
                .arg(c.version));
    }

    QString targetName;
    if (targetResellerId > 0) {
        Result<std::optional<TransferReseller>> target = transfers.reseller(targetResellerId);
        if (!target)
            return fail(target.error());
        if (!target->has_value()) {
            return fail(ErrorCode::InvalidInput, tr("The target reseller does not exist."),
                QStringLiteral("reseller"));
        }
        targetName = (*target)->name;
        if (targetResellerId == c.ownerResellerId) {
            return fail(ErrorCode::InvalidInput,
                tr("%1 is already owned by %2. Choose another reseller.")
                    .arg(c.companyName, targetName),
                QStringLiteral("reseller"));
        }
        if (!(*target)->active || (*target)->archived) {
            return fail(ErrorCode::InvalidInput,
                tr("The reseller %1 is deactivated; it cannot take customers. Choose an active "
                   "reseller.")
                    .arg(targetName),
                QStringLiteral("reseller"));
        }
    } else if (c.ownerResellerId == 0) {
        return fail(ErrorCode::InvalidInput,
            tr("%1 is already a direct account. Choose a reseller.").arg(c.companyName),
            QStringLiteral("reseller"));
    }

    // Rule 7: the plan must be offered by the target, or a new one chosen first.
    const qint64 planId = newPlanId > 0 ? newPlanId : c.planId;
    if (Status planOk = checkPlanFor(planId, targetResellerId, targetName, c); !planOk)
        return fail(planOk.error());

    Result<QHash<qint64, QList<AssignmentRow>>> open = transfers.openAssignments({customerId});
    if (!open)
        return fail(open.error());
    const QList<AssignmentRow> current = open->value(customerId);
    QList<qint64> involved {targetResellerId, c.ownerResellerId};
    for (const AssignmentRow &a : current)
        involved.append(a.resellerId);
    Result<QHash<qint64, QString>> names = transfers.resellerNames(involved);
    if (!names)
        return fail(names.error());

    // The current owner assignment ends; an additional assignment to the
    // target ends too, replaced by its owner assignment. Others stay.
    const QDateTime now = m_clock.now();
    QList<qint64> toEnd;
    QList<AssignmentRow> after;
    for (const AssignmentRow &a : current) {
        if (a.kind == AssignmentKind::Owner || a.resellerId == targetResellerId)
            toEnd.append(a.id);
        else
            after.append(a);
    }
    Result<int> ended = transfers.endAssignments(toEnd, now, session.userId());
    if (!ended)
        return fail(ended.error());
    if (*ended != toEnd.size())
        return fail(conflictingAssignments(c.companyName).error());
    if (targetResellerId > 0) {
        AssignmentRow owner;
        owner.customerId = customerId;
        owner.resellerId = targetResellerId;
        owner.kind = AssignmentKind::Owner;
        owner.assignedAt = now;
        owner.assignedBy = session.userId();
        Result<qint64> ownerId = CustomerRepository(m_db).insertAssignment(owner);
        if (!ownerId)
            return fail(ownerId.error());
        owner.id = *ownerId;
        after.append(owner);
    }
    Result<int> version = transfers.setOwnership(
        customerId, expectedVersion, targetResellerId, planId, c.priceListId, now);
    if (!version)
        return fail(version.error());

    AuditEntry entry;
    entry.action = QStringLiteral("customer.move");
    entry.entityType = QStringLiteral("customer");
    entry.entityId = customerId;
    entry.resellerId = targetResellerId > 0 ? targetResellerId : c.ownerResellerId;
    entry.customerId = customerId;
    const PriceListRef priceList {c.priceListId, c.priceListName};
    entry.before = ownershipState(c.ownerResellerId, c.planId, priceList, current, *names);
    entry.after = ownershipState(targetResellerId, planId, priceList, after, *names);
    if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
        return fail(recorded.error());
    if (Status committed = tx->commit(); !committed)
        return fail(committed.error());
    return *version;
}

Result<MigrationResult> TransferService::migrateToReseller(const Session &session,
    qint64 customerId, const QString &adminPassword, const MigrationOptions &options)
{
    if (Status allowed = m_access.require(session, Capability::TransferCustomers, Access::Write);
        !allowed)
        return fail(allowed.error());
    const QString chosenName = options.portalName.trimmed();
    if (Status length = TextLimits::checkLength(
            chosenName, TextLimits::ResellerName, QStringLiteral("portal_name"), tr("Portal name"));
        !length)
        return fail(length.error());
    if (options.commissionRateBp < 0 || options.commissionRateBp > MaxRateBp) {
        return fail(ErrorCode::InvalidInput,
            tr("The commission rate must be between 0 % and 100 %."),
            QStringLiteral("commission_rate"));
    }
    // Rule 8: the administrator's own password first. A wrong one is
    // refused and counted towards the lock-out by the authenticator.
    if (Status confirmed = m_authenticator.reverifyPassword(session, adminPassword); !confirmed)
        return fail(confirmed.error());

    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    TransferRepository transfers(m_db);
    if (Status locked = transfers.lockCustomers({customerId}); !locked)
        return fail(locked.error());
    Result<std::optional<TransferCustomer>> found = transfers.customer(customerId);
    if (!found)
        return fail(found.error());
    if (!found->has_value())
        return fail(ErrorCode::NotFound, tr("The customer no longer exists."));
    const TransferCustomer &c = **found;
    if (const QString refusal = migrationRefusal(c); !refusal.isEmpty())
        return fail(ErrorCode::InvalidInput, refusal);
    UserRepository users(m_db);
    Result<UserRow> primary = users.find(c.primaryUserId);
    if (!primary)
        return fail(primary.error());
    if (primary->archivedAt.isValid()) {
        return fail(ErrorCode::InvalidInput,
            tr("The primary user of %1 was archived; they cannot run the reseller portal.")
                .arg(c.companyName));
    }

    // The portal offers what its parent offers (the customer's own plan when
    // it is a direct account), and always the customer's plan, so its owner
    // keeps offering it (rule 3).
    CatalogueRepository catalogue(m_db);
    QList<qint64> planIds;
    if (c.ownerResellerId > 0) {
        Result<QList<PlanRow>> offered = catalogue.plansOfferedBy(c.ownerResellerId);
        if (!offered)
            return fail(offered.error());
        for (const PlanRow &plan : *offered)
            planIds.append(plan.id);
    }
    if (!planIds.contains(c.planId))
        planIds.append(c.planId);
    std::sort(planIds.begin(), planIds.end());
    Result<QString> name = chosenName;
    if (chosenName.isEmpty()) {
        name = portalName(c.companyName);
        if (!name)
            return fail(name.error());
    } else {
        Result<QString> clash = ResellerRepository(m_db).nameInUse(chosenName);
        if (!clash)
            return fail(clash.error());
        if (!clash->isEmpty()) {
            return fail(ErrorCode::Duplicate,
                tr("There is already a reseller named %1. Choose another name for the portal.")
                    .arg(*clash),
                QStringLiteral("portal_name"));
        }
    }

    const QDateTime now = m_clock.now();
    ResellerRow portal;
    portal.name = *name;
    portal.parentId = c.ownerResellerId;
    portal.commissionRateBp = options.commissionRateBp;
    portal.overrideRateBp = 0;
    portal.customerScope = CustomerScope::Assigned;
    portal.pricing = PricingMode::Channel;
    portal.originCustomerId = c.id;
    portal.createdAt = now;
    portal.createdBy = session.userId();
    ResellerRepository resellers(m_db);
    Result<qint64> portalId = resellers.insert(portal);
    if (!portalId)
        return fail(portalId.error());
    if (Status offered = resellers.setOfferedPlans(*portalId, planIds); !offered)
        return fail(offered.error());

    MembershipRow membership;
    membership.userId = primary->id;
    membership.role = Role::ResellerAdmin;
    membership.resellerId = *portalId;
    membership.createdAt = now;
    membership.createdBy = session.userId();
    Result<qint64> membershipId = users.insertMembership(membership);
    if (!membershipId)
        return fail(membershipId.error());

    // The portal becomes the owner; additional assignments stay.
    Result<QHash<qint64, QList<AssignmentRow>>> open = transfers.openAssignments({customerId});
    if (!open)
        return fail(open.error());
    const QList<AssignmentRow> current = open->value(customerId);
    QList<qint64> toEnd;
    QList<AssignmentRow> after;
    QList<qint64> involved {c.ownerResellerId, *portalId};
    for (const AssignmentRow &a : current) {
        involved.append(a.resellerId);
        if (a.kind == AssignmentKind::Owner)
            toEnd.append(a.id);
        else
            after.append(a);
    }
    Result<int> ended = transfers.endAssignments(toEnd, now, session.userId());
    if (!ended)
        return fail(ended.error());
    if (*ended != toEnd.size())
        return fail(conflictingAssignments(c.companyName).error());
    AssignmentRow owner;
    owner.customerId = customerId;
    owner.resellerId = *portalId;
    owner.kind = AssignmentKind::Owner;
    owner.assignedAt = now;
    owner.assignedBy = session.userId();
    Result<qint64> ownerId = CustomerRepository(m_db).insertAssignment(owner);
    if (!ownerId)
        return fail(ownerId.error());
    owner.id = *ownerId;
    after.append(owner);
    Result<int> version = transfers.setOwnership(
        customerId, c.version, *portalId, c.planId, c.priceListId, now, now);
    if (!version)
        return fail(version.error());

    MigrationResult result;
    result.portalId = *portalId;
    result.membershipId = *membershipId;
    if (!c.noEmail) {
        const ComposedMessage message
            = MessageComposer::portalInvitation(*name, primary->displayName, primary->email);
        OutboxRow row;
        row.createdAt = now;
        row.kind = OutboxKind::PortalInvitation;
        row.customerId = customerId;
        row.resellerId = *portalId;
        row.userId = primary->id;
        row.recipient = primary->email;
        row.subject = message.subject;
        row.body = message.body;
        row.notBefore = now;
        row.createdBy = session.userId();
        Result<qint64> queued = OutboxRepository(m_db).insert(row);
        if (!queued)
            return fail(queued.error());
        result.invitationId = *queued;
    }

    // Rule 12: one event per entity changed, sharing a batch id.
    Result<QHash<qint64, QString>> names = transfers.resellerNames(involved);
    if (!names)
        return fail(names.error());
    QJsonArray plans;
    for (const qint64 id : std::as_const(planIds))
        plans.append(QJsonValue(id));
    const QString batch = AuditLog::newBatchId();
    const PriceListRef priceList {c.priceListId, c.priceListName};
    QJsonObject customerBefore
        = ownershipState(c.ownerResellerId, c.planId, priceList, current, *names);
    customerBefore.insert(QStringLiteral("migrated_at"), QJsonValue(QJsonValue::Null));
    QJsonObject customerAfter = ownershipState(*portalId, c.planId, priceList, after, *names);
    customerAfter.insert(QStringLiteral("migrated_at"), now.toString(Qt::ISODateWithMs));
    customerAfter.insert(QStringLiteral("invitation_queued"), !c.noEmail);
    const QList<AuditEntry> entries {
        {QStringLiteral("reseller.create"), QStringLiteral("reseller"), *portalId, *portalId,
            customerId, {},
            QJsonObject {{QStringLiteral("name"), *name},
                {QStringLiteral("parent_id"), idValue(c.ownerResellerId)},
                {QStringLiteral("commission_rate_bp"), options.commissionRateBp},
                {QStringLiteral("override_rate_bp"), 0},
                {QStringLiteral("customer_scope"), QStringLiteral("assigned")},
                {QStringLiteral("pricing"), QStringLiteral("channel")},
                {QStringLiteral("price_list_id"), QJsonValue(QJsonValue::Null)},
                {QStringLiteral("plan_ids"), plans}, {QStringLiteral("active"), true},
                {QStringLiteral("origin_customer_id"), idValue(customerId)}},
            {}, batch},
        {QStringLiteral("membership.create"), QStringLiteral("membership"), *membershipId,
            *portalId, customerId, {},
            QJsonObject {{QStringLiteral("role"), roleKey(Role::ResellerAdmin)},
                {QStringLiteral("user"), primary->email},
                {QStringLiteral("user_id"), idValue(primary->id)},
                {QStringLiteral("reseller"), *name}},
            {}, batch},
        {QStringLiteral("customer.migrate"), QStringLiteral("customer"), customerId, *portalId,
            customerId, customerBefore, customerAfter, {}, batch},
    };
    AuditLog audit(m_db, m_clock);
    for (const AuditEntry &entry : entries) {
        if (Status recorded = audit.record(session, entry); !recorded)
            return fail(recorded.error());
    }
    if (Status committed = tx->commit(); !committed)
        return fail(committed.error());
    return result;
}

} // namespace rd
