#include "services/CustomerService.h"

#include <algorithm>
#include <limits>

#include <QJsonObject>

#include "domain/DomainName.h"
#include "domain/EmailAddress.h"
#include "domain/PhoneNumber.h"
#include "domain/TextLimits.h"
#include "mail/MessageComposer.h"
#include "security/OneTimeCode.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "services/SettingsService.h"
#include "storage/Database.h"
#include "storage/OutboxRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/SettingsRepository.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

// A short +tag from the company name for the alias suggestion of rule 1.
QString aliasTag(const QString &companyName)
{
    QString tag;
    for (const QChar c : companyName.toCaseFolded()) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9')))
            tag.append(c);
        if (tag.size() == 16)
            break;
    }
    return tag.isEmpty() ? QStringLiteral("new") : tag;
}

Result<QString> requiredText(const QString &value, qsizetype max, const QString &field,
    const QString &emptyMessage, const QString &tooLongMessage)
{
    const QString trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return fail(ErrorCode::InvalidInput, emptyMessage, field);
    if (TextLimits::characterCount(trimmed) > max)
        return fail(ErrorCode::InvalidInput, tooLongMessage, field);
    return trimmed;
}

QJsonObject customerJson(const CustomerRow &c)
{
    return QJsonObject {
        {QStringLiteral("company"), c.companyName},
        {QStringLiteral("domain"), c.domain},
        {QStringLiteral("contact"), c.contactName},
        {QStringLiteral("phone"), c.contactPhone},
        {QStringLiteral("planId"), c.planId},
        {QStringLiteral("priceListId"), c.priceListId},
        {QStringLiteral("status"),
            c.billingStatus == BillingStatus::Paid ? QStringLiteral("paid")
                                                   : QStringLiteral("trial")},
        {QStringLiteral("trialEndsAt"),
            c.trialEndsAt.isValid() ? c.trialEndsAt.toString(Qt::ISODateWithMs) : QString()},
        {QStringLiteral("trialBudget"), c.trialBudget},
        {QStringLiteral("active"), c.active},
        {QStringLiteral("noEmail"), c.noEmail},
    };
}

} // namespace

CustomerService::CustomerService(
    Database &db, const Clock &clock, AccessControl &access, TrialPolicy trialPolicy)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
    , m_trialPolicy(trialPolicy)
{ }

Error CustomerService::duplicateEmailError(
    const Session &session, const EmailAddress &email, const QString &companyName) const
{
    const QString alias = EmailAddress::suggestAlias(email, aliasTag(companyName));
    // Name the conflict only as far as the actor may see it.
    QString owner;
    Result<std::optional<UserRow>> existing = UserRepository(m_db).findByEmailKey(email.key());
    if (existing && existing->has_value()) {
        CustomerQuery query;
        query.search = email.typed();
        query.limit = 5;
        Result<CustomerPage> visible = listCustomers(session, query);
        if (visible) {
            for (const CustomerListRow &row : visible->rows) {
                if (EmailAddress::parse(row.contactEmail).value_or(email).key() == email.key()) {
                    owner = row.companyName;
                    break;
                }
            }
        }
    }
    const QString message = owner.isEmpty()
        ? tr("The email address %1 is already used by another ResellerDesk login. Every "
             "login needs its own address; you could use %2.")
              .arg(email.typed(), alias)
        : tr("The email address %1 is already the login of %2. Every login needs its own "
             "address; you could use %3.")
              .arg(email.typed(), owner, alias);
    return Error(ErrorCode::Duplicate, message, QStringLiteral("email"));
}

std::expected<CheckedCustomerFields, QList<Error>> CustomerService::checkFields(
    const NewCustomer &input)
{
    CheckedCustomerFields checked;
    QList<Error> errors;
    Result<QString> company = requiredText(input.companyName, TextLimits::CompanyName,
        QStringLiteral("company"), tr("Enter the company name."),
        tr("The company name may be at most %n characters.", nullptr,
            static_cast<int>(TextLimits::CompanyName)));
    if (company)
        checked.companyName = *company;
    else
        errors.append(company.error());
    if (!input.website.trimmed().isEmpty()) {
        Result<DomainName> parsed = DomainName::parse(input.website);
        if (parsed)
            checked.domain = parsed->ascii();
        else
            errors.append(Error(ErrorCode::InvalidInput, parsed.error().message(),
                QStringLiteral("website"), parsed.error().detail()));
    }
    Result<QString> contact = requiredText(input.contactName, TextLimits::ContactName,
        QStringLiteral("contactName"), tr("Enter the contact's name."),
        tr("The contact's name may be at most %n characters.", nullptr,
            static_cast<int>(TextLimits::ContactName)));
    if (contact)
        checked.contactName = *contact;
    else
        errors.append(contact.error());
    Result<EmailAddress> email = EmailAddress::parse(input.contactEmail);
    if (email) {
        checked.email = email->typed();
        checked.emailKey = email->key();
    } else {
        errors.append(email.error());
    }
    if (!input.contactPhone.trimmed().isEmpty()) {
        Result<PhoneNumber> parsed = PhoneNumber::parse(input.contactPhone, input.phoneRegion);
        if (parsed)
            checked.phone = parsed->e164();
        else
            errors.append(parsed.error());
    }
    if (!errors.isEmpty())
        return std::unexpected(errors);
    return checked;
}

Result<qint64> CustomerService::checkPortal(const Session &session, qint64 resellerId) const
{
    if (Status allowed = m_access.require(session, Capability::ManageCustomers, Access::Write);
        !allowed)
        return fail(allowed.error());

    // The portal: a reseller membership adds to its own portal only.
    if (session.resellerId() > 0) {
        if (resellerId == 0)
            resellerId = session.resellerId();
        if (resellerId != session.resellerId())
            return fail(ErrorCode::PermissionDenied,
                tr("You can add customers only to your own reseller portal."),
                QStringLiteral("reseller"));
    } else if (resellerId == 0
        && PermissionMatrix::grant(Capability::ManageCustomers, session.role()).extent
            != Extent::All) {
        return fail(AccessControl::denied(Capability::ManageCustomers));
    }
    return resellerId;
}

Result<CustomerPlacement> CustomerService::checkPlacement(
    const Session &session, qint64 resellerId, qint64 planId, qint64 priceListId) const
{
    // Rule 3: the plan must be offered by the reseller; the price list
    // follows the reseller's pricing unless an administrator chooses one.
    CatalogueRepository catalogue(m_db);
    Result<PlanRow> plan = catalogue.plan(planId);
    if (!plan)
        return fail(ErrorCode::InvalidInput, tr("Choose a plan."), QStringLiteral("plan"));
    if (priceListId != 0 && session.role() != Role::Administrator)
        return fail(ErrorCode::PermissionDenied,
            tr("Only administrators can choose a customer's price list."),
            QStringLiteral("priceList"));
    CustomerPlacement placement;
    placement.resellerId = resellerId;
    placement.plan = *plan;
    if (resellerId != 0) {
        Result<ResellerRow> reseller = ResellerRepository(m_db).find(resellerId);
        if (!reseller)
            return fail(ErrorCode::InvalidInput, tr("The reseller no longer exists."),
                QStringLiteral("reseller"));
        if (!reseller->active)
            return fail(ErrorCode::InvalidInput,
                tr("The reseller %1 is deactivated; it cannot take new customers.")
                    .arg(reseller->name),
                QStringLiteral("reseller"));
        placement.resellerName = reseller->name;
        Result<QList<PlanRow>> offered = catalogue.plansOfferedBy(resellerId);
        if (!offered)
            return fail(offered.error());
        const bool isOffered = std::any_of(
            offered->cbegin(), offered->cend(), [&](const PlanRow &p) { return p.id == plan->id; });
        if (!isOffered)
            return fail(ErrorCode::InvalidInput,
                tr("The plan %1 is not offered by %2. Choose one of its plans.")
                    .arg(plan->name, reseller->name),
                QStringLiteral("plan"));
        if (priceListId == 0 && reseller->pricing == PricingMode::Selected)
            priceListId = reseller->priceListId;
    }
    if (priceListId == 0) {
        Result<std::optional<PriceListRow>> channel = catalogue.defaultPriceList();
        if (!channel)
            return fail(channel.error());
        if (!channel->has_value())
            return fail(ErrorCode::InvalidInput,
                tr("There is no default price list yet. An administrator needs to mark "
                   "one as the default."),
                QStringLiteral("priceList"));
        priceListId = (*channel)->id;
    }
    Result<PriceListRow> priceList = catalogue.priceList(priceListId);
    if (!priceList)
        return fail(priceList.error());
    Result<std::optional<qint64>> price = catalogue.price(priceListId, plan->id);
    if (!price)
        return fail(price.error());
    if (!price->has_value())
        return fail(ErrorCode::InvalidInput,
            tr("The price list %1 has no price for the plan %2.").arg(priceList->name, plan->name),
            QStringLiteral("plan"));
    placement.priceList = *priceList;
    return placement;
}

Result<CreatedCustomer> CustomerService::addCustomer(
    const Session &session, const NewCustomer &input)
{
    Result<qint64> portal = checkPortal(session, input.resellerId);
    if (!portal)
        return fail(portal.error());
    const qint64 resellerId = *portal;

    // Rule 2: every field validated before anything is written.
    std::expected<CheckedCustomerFields, QList<Error>> fields = checkFields(input);
    if (!fields)
        return fail(fields.error().constFirst());
    const QString &company = fields->companyName;
    const QString &domain = fields->domain;
    const QString &contact = fields->contactName;
    const QString &phone = fields->phone;
    Result<EmailAddress> email = EmailAddress::parse(fields->email);
    if (!email)
        return fail(email.error());

    Result<CustomerPlacement> placement
        = checkPlacement(session, resellerId, input.planId, input.priceListId);
    if (!placement)
        return fail(placement.error());
    const PlanRow &plan = placement->plan;
    const PriceListRow &priceList = placement->priceList;
    const qint64 priceListId = priceList.id;
    const QString &resellerName = placement->resellerName;

    // Rule 1: a clear message naming the conflict (as far as visible).
    Result<std::optional<UserRow>> existing = UserRepository(m_db).findByEmailKey(email->key());
    if (!existing)
        return fail(existing.error());
    if (existing->has_value())
        return fail(duplicateEmailError(session, *email, company));

    CreatedCustomer created;
    Result<int> sameDomain = domain.isEmpty() ? Result<int>(0) : domainUseCount(session, domain);
    if (sameDomain && *sameDomain > 0)
        created.warnings.append(
            tr("%n other customer(s) already use the domain %1.", nullptr, *sameDomain)
                .arg(domain));

    Result<TrialPolicy> policy = currentTrialPolicy();
    if (!policy)
        return fail(policy.error());
    const QDateTime now = m_clock.now();
    const std::optional<OneTimeCode> code
        = input.sendSetupEmail ? std::optional<OneTimeCode>(OneTimeCode::generate()) : std::nullopt;

    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());

    UserRow user;
    user.email = email->typed();
    user.emailKey = email->key();
    user.displayName = contact;
    user.mustChangePassword = true;
    if (code) {
        user.setupCodeHash = code->hash();
        user.setupCodeExpiresAt = OneTimeCode::expiresAt(now);
    }
    user.createdAt = now;
    user.createdBy = session.userId();
    UserRepository users(m_db);
    Result<qint64> userId = users.insert(user);
    if (!userId) {
        if (userId.error().code() == ErrorCode::Duplicate) {
            // Another desktop added the same login a moment ago.
            transaction->rollback();
            return fail(duplicateEmailError(session, *email, company));
        }
        return fail(userId.error());
    }

    CustomerRow customer;
    customer.companyName = company;
    customer.domain = domain;
    customer.contactName = contact;
    customer.contactEmail = email->typed();
    customer.contactPhone = phone;
    customer.planId = plan.id;
    customer.priceListId = priceListId;
    customer.ownerResellerId = resellerId;
    customer.primaryUserId = *userId;
    customer.billingStatus = input.trial ? BillingStatus::Trial : BillingStatus::Paid;
    if (input.trial) {
        customer.trialEndsAt = policy->trialEnd(now);
        customer.trialBudget = policy->trialBudget();
    }
    customer.noEmail = input.noEmail;
    customer.createdAt = now;
    customer.createdBy = session.userId();
    CustomerRepository customers(m_db);
    Result<qint64> customerId = customers.insert(customer);
    if (!customerId)
        return fail(customerId.error());

    MembershipRow membership;
    membership.userId = *userId;
    membership.role = Role::ClientAdmin;
    membership.customerId = *customerId;
    membership.createdAt = now;
    membership.createdBy = session.userId();
    Result<qint64> membershipId = users.insertMembership(membership);
    if (!membershipId)
        return fail(membershipId.error());

    qint64 assignmentId = 0;
    if (resellerId != 0) {
        AssignmentRow owner;
        owner.customerId = *customerId;
        owner.resellerId = resellerId;
        owner.kind = AssignmentKind::Owner;
        owner.assignedAt = now;
        owner.assignedBy = session.userId();
        Result<qint64> assigned = customers.insertAssignment(owner);
        if (!assigned)
            return fail(assigned.error());
        assignmentId = *assigned;
    }

    // Rule 5: the setup email is queued in this same transaction.
    OutboxRepository outbox(m_db);
    if (code) {
        const ComposedMessage message = MessageComposer::setupEmail(
            company, contact, email->typed(), OneTimeCode::expiresAt(now));
        OutboxRow row;
        row.createdAt = now;
        row.kind = OutboxKind::Setup;
        row.customerId = *customerId;
        row.resellerId = resellerId;
        row.userId = *userId;
        row.recipient = email->typed();
        row.subject = message.subject;
        row.body = message.body;
        row.secret = code->text();
        row.notBefore = now;
        row.createdBy = session.userId();
        Result<qint64> queued = outbox.insert(row);
        if (!queued)
            return fail(queued.error());
        created.setupEmailId = *queued;
    }
    // Rule 4: the trial reminder waits until reminder_days before the end.
    customer.id = *customerId;
    if (Status queued = queueTrialReminder(session, customer, *policy); !queued)
        return fail(queued.error());

    // Rule 12: one event per entity, sharing a batch id.
    AuditLog audit(m_db, m_clock);
    const QString batch = AuditLog::newBatchId();
    QJsonObject after {{QStringLiteral("company"), company}, {QStringLiteral("domain"), domain},
        {QStringLiteral("contact"), contact}, {QStringLiteral("email"), email->typed()},
        {QStringLiteral("phone"), phone}, {QStringLiteral("plan"), plan.name},
        {QStringLiteral("priceList"), priceList.name}, {QStringLiteral("reseller"), resellerName},
        {QStringLiteral("status"), input.trial ? QStringLiteral("trial") : QStringLiteral("paid")},
        {QStringLiteral("setupEmail"), input.sendSetupEmail},
        {QStringLiteral("noEmail"), input.noEmail}};
    if (input.trial) {
        after.insert(
            QStringLiteral("trialEndsAt"), customer.trialEndsAt.toString(Qt::ISODateWithMs));
        after.insert(QStringLiteral("trialBudget"), customer.trialBudget);
    }
    const QList<AuditEntry> entries {
        {QStringLiteral("customer.create"), QStringLiteral("customer"), *customerId, resellerId,
            *customerId, {}, after, {}, batch},
        {QStringLiteral("user.create"), QStringLiteral("user"), *userId, resellerId, *customerId,
            {},
            QJsonObject {
                {QStringLiteral("email"), email->typed()}, {QStringLiteral("name"), contact}},
            {}, batch},
        {QStringLiteral("membership.create"), QStringLiteral("membership"), *membershipId,
            resellerId, *customerId, {},
            QJsonObject {{QStringLiteral("role"), roleKey(Role::ClientAdmin)},
                {QStringLiteral("user"), email->typed()}},
            {}, batch},
    };
    for (const AuditEntry &entry : entries) {
        if (Status recorded = audit.record(session, entry); !recorded)
            return fail(recorded.error());
    }
    if (assignmentId != 0) {
        const AuditEntry assignment {QStringLiteral("assignment.create"),
            QStringLiteral("assignment"), assignmentId, resellerId, *customerId, {},
            QJsonObject {{QStringLiteral("reseller"), resellerName},
                {QStringLiteral("kind"), QStringLiteral("owner")}},
            {}, batch};
        if (Status recorded = audit.record(session, assignment); !recorded)
            return fail(recorded.error());
    }

    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    created.customerId = *customerId;
    created.primaryUserId = *userId;
    return created;
}

Result<CustomerRow> CustomerService::loadForChange(
    const Session &session, Capability capability, qint64 customerId, int expectedVersion) const
{
    if (Status allowed
        = m_access.requireForCustomer(session, capability, Access::Write, customerId);
        !allowed)
        return fail(allowed.error());
    Result<CustomerRow> row = CustomerRepository(m_db).find(customerId);
    if (!row)
        return fail(row.error());
    if (row->version != expectedVersion) {
        return fail(ErrorCode::Conflict,
            tr("%1 was changed by someone else. Reload it and make your change again.")
                .arg(row->companyName));
    }
    return row;
}

Result<QString> CustomerService::checkReason(const QString &reason, bool required) const
{
    const QString trimmed = reason.trimmed();
    if (required && trimmed.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Give a reason; it is kept in the audit log."),
            QStringLiteral("reason"));
    if (TextLimits::characterCount(trimmed) > TextLimits::Reason)
        return fail(ErrorCode::InvalidInput,
            tr("The reason may be at most %n characters.", nullptr,
                static_cast<int>(TextLimits::Reason)),
            QStringLiteral("reason"));
    return trimmed;
}

Result<int> CustomerService::saveWithAudit(const Session &session, const CustomerRow &before,
    CustomerRow after, const QString &action, const QString &reason)
{
    after.updatedAt = m_clock.now();
    Result<int> version = CustomerRepository(m_db).update(after);
    if (!version)
        return fail(version.error());
    const QJsonObject old = customerJson(before);
    const QJsonObject now = customerJson(after);
    QJsonObject changedBefore;
    QJsonObject changedAfter;
    for (auto it = now.constBegin(); it != now.constEnd(); ++it) {
        if (old.value(it.key()) != it.value()) {
            changedBefore.insert(it.key(), old.value(it.key()));
            changedAfter.insert(it.key(), it.value());
        }
    }
    AuditEntry entry {action, QStringLiteral("customer"), after.id, after.ownerResellerId, after.id,
        changedBefore, changedAfter, reason, {}};
    if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
        return fail(recorded.error());
    return version;
}

Result<TrialPolicy> CustomerService::currentTrialPolicy() const
{
    Result<StoredSettings> stored = SettingsRepository(m_db).read();
    if (!stored)
        return fail(stored.error());
    DomainSettings defaults;
    defaults.trialDays = m_trialPolicy.trialDays();
    defaults.trialBudget = m_trialPolicy.trialBudget();
    defaults.reminderDays = m_trialPolicy.reminderDays();
    defaults.maxExtensionDays = m_trialPolicy.maxExtensionDays();
    defaults.maxTotalTrialDays = m_trialPolicy.maxTotalTrialDays();
    defaults.maxTrialBudget = m_trialPolicy.maxTrialBudget();
    Result<TrialPolicy> policy
        = SettingsService::fromStored(stored->values, defaults).trialPolicy();
    if (!policy) {
        // Only a hand-edited table gets here: SettingsService validates saves.
        return fail(ErrorCode::DatabaseError,
            tr("The trial settings in the database are not valid: %1 An administrator needs "
               "to correct them in the settings.")
                .arg(policy.error().message()),
            {}, policy.error().detail());
    }
    return policy;
}

Status CustomerService::queueTrialReminder(
    const Session &session, const CustomerRow &customer, const TrialPolicy &policy)
{
    if (customer.noEmail || customer.billingStatus != BillingStatus::Trial)
        return {};
    const QDateTime notBefore = policy.reminderAt(customer.trialEndsAt);
    if (notBefore <= m_clock.now())
        return {}; // too late for a reminder
    const ComposedMessage message = MessageComposer::trialReminder(
        customer.companyName, customer.contactName, customer.trialEndsAt);
    OutboxRow row;
    row.createdAt = m_clock.now();
    row.kind = OutboxKind::TrialReminder;
    row.customerId = customer.id;
    row.resellerId = customer.ownerResellerId;
    row.userId = customer.primaryUserId;
    row.recipient = customer.contactEmail;
    row.subject = message.subject;
    row.body = message.body;
    row.notBefore = notBefore;
    row.createdBy = session.userId();
    Result<qint64> queued = OutboxRepository(m_db).insert(row);
    return queued ? Status() : fail(queued.error());
}

Result<int> CustomerService::editCustomer(
    const Session &session, qint64 customerId, int expectedVersion, const CustomerEdit &edit)
{
    Result<CustomerRow> before
        = loadForChange(session, Capability::ManageCustomers, customerId, expectedVersion);
    if (!before)
        return fail(before.error());
    CustomerRow after = *before;
    Result<QString> company = requiredText(edit.companyName, TextLimits::CompanyName,
        QStringLiteral("company"), tr("Enter the company name."),
        tr("The company name may be at most %n characters.", nullptr,
            static_cast<int>(TextLimits::CompanyName)));
    if (!company)
        return fail(company.error());
    after.companyName = *company;
    after.domain.clear();
    if (!edit.website.trimmed().isEmpty()) {
        Result<DomainName> parsed = DomainName::parse(edit.website);
        if (!parsed)
            return fail(ErrorCode::InvalidInput, parsed.error().message(),
                QStringLiteral("website"), parsed.error().detail());
        after.domain = parsed->ascii();
    }
    Result<QString> contact = requiredText(edit.contactName, TextLimits::ContactName,
        QStringLiteral("contactName"), tr("Enter the contact's name."),
        tr("The contact's name may be at most %n characters.", nullptr,
            static_cast<int>(TextLimits::ContactName)));
    if (!contact)
        return fail(contact.error());
    after.contactName = *contact;
    after.contactPhone.clear();
    if (!edit.contactPhone.trimmed().isEmpty()) {
        Result<PhoneNumber> parsed = PhoneNumber::parse(edit.contactPhone, edit.phoneRegion);
        if (!parsed)
            return fail(parsed.error());
        after.contactPhone = parsed->e164();
    }
    after.noEmail = edit.noEmail;

    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<int> version
        = saveWithAudit(session, *before, after, QStringLiteral("customer.update"), {});
    if (!version)
        return version;
    // "No email" silences the pending reminder; clearing it brings it back.
    if (after.noEmail && !before->noEmail) {
        if (Result<int> n
            = OutboxRepository(m_db).cancelPending(customerId, OutboxKind::TrialReminder);
            !n)
            return fail(n.error());
    } else if (!after.noEmail && before->noEmail) {
        Result<TrialPolicy> policy = currentTrialPolicy();
        if (!policy)
            return fail(policy.error());
        if (Status queued = queueTrialReminder(session, after, *policy); !queued)
            return fail(queued.error());
    }
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<int> CustomerService::changePlan(
    const Session &session, qint64 customerId, int expectedVersion, qint64 planId)
{
    Result<CustomerRow> before
        = loadForChange(session, Capability::ManageCustomers, customerId, expectedVersion);
    if (!before)
        return fail(before.error());
    CatalogueRepository catalogue(m_db);
    Result<PlanRow> plan = catalogue.plan(planId);
    if (!plan)
        return fail(ErrorCode::InvalidInput, tr("Choose a plan."), QStringLiteral("plan"));
    if (before->ownerResellerId != 0) {
        Result<QList<PlanRow>> offered = catalogue.plansOfferedBy(before->ownerResellerId);
        if (!offered)
            return fail(offered.error());
        if (std::none_of(offered->cbegin(), offered->cend(),
                [&](const PlanRow &p) { return p.id == planId; }))
            return fail(ErrorCode::InvalidInput,
                tr("The plan %1 is not offered by the customer's reseller.").arg(plan->name),
                QStringLiteral("plan"));
    }
    Result<std::optional<qint64>> price = catalogue.price(before->priceListId, planId);
    if (!price)
        return fail(price.error());
    if (!price->has_value())
        return fail(ErrorCode::InvalidInput,
            tr("The customer's price list has no price for the plan %1.").arg(plan->name),
            QStringLiteral("plan"));
    CustomerRow after = *before;
    after.planId = planId;
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<int> version
        = saveWithAudit(session, *before, after, QStringLiteral("customer.change_plan"), {});
    if (!version)
        return version;
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<int> CustomerService::setActive(const Session &session, qint64 customerId,
    int expectedVersion, bool active, const QString &reason)
{
    Result<CustomerRow> before
        = loadForChange(session, Capability::ManageCustomers, customerId, expectedVersion);
    if (!before)
        return fail(before.error());
    Result<QString> why = checkReason(reason, !active);
    if (!why)
        return fail(why.error());
    if (before->active == active)
        return before->version; // nothing to change
    CustomerRow after = *before;
    after.active = active;
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<int> version = saveWithAudit(session, *before, after,
        active ? QStringLiteral("customer.activate") : QStringLiteral("customer.deactivate"), *why);
    if (!version)
        return version;
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<int> CustomerService::archive(
    const Session &session, qint64 customerId, int expectedVersion, const QString &reason)
{
    Result<CustomerRow> before
        = loadForChange(session, Capability::ManageCustomers, customerId, expectedVersion);
    if (!before)
        return fail(before.error());
    Result<QString> why = checkReason(reason, true);
    if (!why)
        return fail(why.error());
    if (before->active)
        return fail(ErrorCode::InvalidInput,
            tr("Deactivate %1 before archiving it.").arg(before->companyName),
            QStringLiteral("active"));
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<int> version
        = CustomerRepository(m_db).archive(customerId, expectedVersion, m_clock.now());
    if (!version)
        return version;
    if (Result<int> n = OutboxRepository(m_db).cancelPending(customerId, OutboxKind::TrialReminder);
        !n)
        return fail(n.error());
    AuditEntry entry {QStringLiteral("customer.archive"), QStringLiteral("customer"), customerId,
        before->ownerResellerId, customerId, customerJson(*before),
        QJsonObject {{QStringLiteral("archived"), true}}, *why, {}};
    if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
        return fail(recorded.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<qint64> CustomerService::resendSetupEmail(const Session &session, qint64 customerId)
{
    if (Status allowed = m_access.requireForCustomer(
            session, Capability::ManageCustomers, Access::Write, customerId);
        !allowed)
        return fail(allowed.error());
    Result<CustomerRow> customer = CustomerRepository(m_db).find(customerId);
    if (!customer)
        return fail(customer.error());
    UserRepository users(m_db);
    Result<UserRow> user = users.find(customer->primaryUserId);
    if (!user)
        return fail(user.error());
    if (!user->passwordHash.isEmpty() && !user->mustChangePassword)
        return fail(ErrorCode::InvalidInput,
            tr("%1 has already chosen a password, so a setup email is not needed. They "
               "can reset their password instead.")
                .arg(user->displayName));

    const QDateTime now = m_clock.now();
    const OneTimeCode code = OneTimeCode::generate();
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    if (Status set = users.setSetupCode(user->id, code.hash(), OneTimeCode::expiresAt(now)); !set)
        return fail(set.error());
    OutboxRepository outbox(m_db);
    Result<int> cancelled = outbox.cancelPending(customerId, OutboxKind::Setup);
    if (!cancelled)
        return fail(cancelled.error());
    const ComposedMessage message = MessageComposer::setupEmail(
        customer->companyName, customer->contactName, user->email, OneTimeCode::expiresAt(now));
    OutboxRow row;
    row.createdAt = now;
    row.kind = OutboxKind::Setup;
    row.customerId = customerId;
    row.resellerId = customer->ownerResellerId;
    row.userId = user->id;
    row.recipient = user->email;
    row.subject = message.subject;
    row.body = message.body;
    row.secret = code.text();
    row.notBefore = now;
    row.createdBy = session.userId();
    Result<qint64> queued = outbox.insert(row);
    if (!queued)
        return fail(queued.error());
    AuditEntry entry {QStringLiteral("customer.resend_setup_email"), QStringLiteral("customer"),
        customerId, customer->ownerResellerId, customerId, {},
        QJsonObject {{QStringLiteral("recipient"), user->email},
            {QStringLiteral("replacedUnsent"), *cancelled}},
        {}, {}};
    if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
        return fail(recorded.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return queued;
}

Result<int> CustomerService::convertToPaid(
    const Session &session, qint64 customerId, int expectedVersion)
{
    Result<CustomerRow> before
        = loadForChange(session, Capability::ManageTrials, customerId, expectedVersion);
    if (!before)
        return fail(before.error());
    if (before->billingStatus == BillingStatus::Paid)
        return fail(
            ErrorCode::InvalidInput, tr("%1 is already a paid account.").arg(before->companyName));
    CustomerRow after = *before;
    after.billingStatus = BillingStatus::Paid;
    after.convertedAt = m_clock.now();
    after.convertedBy = session.userId();
    after.active = true;
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<int> version
        = saveWithAudit(session, *before, after, QStringLiteral("customer.convert_to_paid"), {});
    if (!version)
        return version;
    // Rule 4: the trial reminder is cancelled with the trial.
    if (Result<int> n = OutboxRepository(m_db).cancelPending(customerId, OutboxKind::TrialReminder);
        !n)
        return fail(n.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<int> CustomerService::extendTrial(
    const Session &session, qint64 customerId, int expectedVersion, int days, const QString &reason)
{
    Result<CustomerRow> before
        = loadForChange(session, Capability::ManageTrials, customerId, expectedVersion);
    if (!before)
        return fail(before.error());
    if (before->billingStatus != BillingStatus::Trial)
        return fail(ErrorCode::InvalidInput, tr("%1 is not on a trial.").arg(before->companyName));
    Result<QString> why = checkReason(reason, false);
    if (!why)
        return fail(why.error());
    Result<TrialPolicy> policy = currentTrialPolicy();
    if (!policy)
        return fail(policy.error());
    Result<QDateTime> end
        = policy->extend(before->createdAt, before->trialEndsAt, days, m_clock.now());
    if (!end)
        return fail(end.error());
    CustomerRow after = *before;
    after.trialEndsAt = *end;
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<int> version
        = saveWithAudit(session, *before, after, QStringLiteral("customer.extend_trial"), *why);
    if (!version)
        return version;
    // Rule 4: the reminder moves with the trial's end.
    if (Result<int> n = OutboxRepository(m_db).cancelPending(customerId, OutboxKind::TrialReminder);
        !n)
        return fail(n.error());
    if (Status queued = queueTrialReminder(session, after, *policy); !queued)
        return fail(queued.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<int> CustomerService::raiseTrialBudget(const Session &session, qint64 customerId,
    int expectedVersion, int newBudget, const QString &reason)
{
    Result<CustomerRow> before
        = loadForChange(session, Capability::ManageTrials, customerId, expectedVersion);
    if (!before)
        return fail(before.error());
    if (before->billingStatus != BillingStatus::Trial)
        return fail(ErrorCode::InvalidInput, tr("%1 is not on a trial.").arg(before->companyName));
    Result<QString> why = checkReason(reason, false);
    if (!why)
        return fail(why.error());
    Result<TrialPolicy> policy = currentTrialPolicy();
    if (!policy)
        return fail(policy.error());
    if (Status valid = policy->validateBudget(newBudget, before->trialBudget); !valid)
        return fail(valid.error());
    CustomerRow after = *before;
    after.trialBudget = newBudget;
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<int> version = saveWithAudit(
        session, *before, after, QStringLiteral("customer.raise_trial_budget"), *why);
    if (!version)
        return version;
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<QList<PlanRow>> CustomerService::plansFor(const Session &session, qint64 resellerId) const
{
    if (Status allowed = m_access.require(session, Capability::ManageCustomers, Access::Write);
        !allowed)
        return fail(allowed.error());
    if (resellerId == 0) {
        if (PermissionMatrix::grant(Capability::ManageCustomers, session.role()).extent
            != Extent::All)
            return fail(AccessControl::denied(Capability::ManageCustomers));
        return CatalogueRepository(m_db).plans();
    }
    if (session.resellerId() > 0 && session.resellerId() != resellerId)
        return fail(AccessControl::resellerNotVisible());
    return CatalogueRepository(m_db).plansOfferedBy(resellerId);
}

Result<int> CustomerService::domainUseCount(const Session &session, const QString &website) const
{
    if (Status allowed = m_access.require(session, Capability::ManageCustomers, Access::Write);
        !allowed)
        return fail(allowed.error());
    Result<DomainName> domain = DomainName::parse(website);
    if (!domain)
        return fail(domain.error());
    Result<QList<qint64>> ids = CustomerRepository(m_db).idsWithDomain(domain->ascii());
    if (!ids)
        return fail(ids.error());
    return static_cast<int>(ids->size());
}

Result<CustomerRow> CustomerService::customer(const Session &session, qint64 customerId) const
{
    if (Status allowed
        = m_access.requireForCustomer(session, Capability::SeeCustomers, Access::Read, customerId);
        !allowed)
        return fail(allowed.error());
    return CustomerRepository(m_db).find(customerId);
}

Status CustomerService::scopeQuery(const Session &session, CustomerQuery &query) const
{
    if (Status allowed = m_access.require(session, Capability::SeeCustomers, Access::Read);
        !allowed)
        return fail(allowed.error());
    const Extent extent = PermissionMatrix::grant(Capability::SeeCustomers, session.role()).extent;
    if (extent == Extent::All) {
        query.scope = CustomerQuery::Scope::All;
        query.scopeId = 0;
    } else if (session.resellerId() > 0) {
        query.scope = CustomerQuery::Scope::Reseller;
        query.scopeId = session.resellerId();
    } else if (session.customerId() > 0) {
        query.scope = CustomerQuery::Scope::Customer;
        query.scopeId = session.customerId();
    } else {
        return fail(AccessControl::denied(Capability::SeeCustomers));
    }
    query.now = m_clock.now();
    return {};
}

Result<CustomerPage> CustomerService::listCustomers(
    const Session &session, CustomerQuery query) const
{
    if (Status scoped = scopeQuery(session, query); !scoped)
        return fail(scoped.error());
    query.limit = qBound(1, query.limit, 1000);
    CustomerRepository customers(m_db);
    Result<QList<CustomerListRow>> rows = customers.page(query);
    if (!rows)
        return fail(rows.error());
    Result<qint64> total = customers.count(query);
    if (!total)
        return fail(total.error());
    return CustomerPage {*rows, *total};
}

Result<qint64> CustomerService::countCustomers(const Session &session, CustomerQuery query) const
{
    if (Status scoped = scopeQuery(session, query); !scoped)
        return fail(scoped.error());
    return CustomerRepository(m_db).count(query);
}

Result<QList<CustomerListRow>> CustomerService::customersAfter(const Session &session,
    CustomerQuery query, const std::optional<CustomerKey> &after, int limit) const
{
    if (Status scoped = scopeQuery(session, query); !scoped)
        return fail(scoped.error());
    return CustomerRepository(m_db).pageAfter(query, after, qBound(1, limit, MaxKeysetRows));
}

Result<QList<CustomerListRow>> CustomerService::customersBefore(const Session &session,
    CustomerQuery query, const std::optional<CustomerKey> &before, int limit) const
{
    if (Status scoped = scopeQuery(session, query); !scoped)
        return fail(scoped.error());
    return CustomerRepository(m_db).pageBefore(query, before, qBound(1, limit, MaxKeysetRows));
}

Result<QList<CustomerListRow>> CustomerService::customersAtRow(
    const Session &session, CustomerQuery query, qint64 offset, int limit) const
{
    if (Status scoped = scopeQuery(session, query); !scoped)
        return fail(scoped.error());
    query.offset = static_cast<int>(std::clamp<qint64>(offset, 0, std::numeric_limits<int>::max()));
    query.limit = qBound(1, limit, MaxKeysetRows);
    return CustomerRepository(m_db).page(query);
}

Result<std::optional<qint64>> CustomerService::customerPosition(
    const Session &session, CustomerQuery query, qint64 customerId) const
{
    if (Status scoped = scopeQuery(session, query); !scoped)
        return fail(scoped.error());
    return CustomerRepository(m_db).position(query, customerId);
}

Result<QList<CustomerKey>> CustomerService::customerAnchors(const Session &session,
    CustomerQuery query, const std::optional<CustomerKey> &after, int rows, int every) const
{
    if (Status scoped = scopeQuery(session, query); !scoped)
        return fail(scoped.error());
    return CustomerRepository(m_db).anchorKeys(query, after, rows, every);
}

const ConnectionProfile &CustomerService::databaseProfile() const
{
    return m_db.profile();
}

Result<CustomerDetail> CustomerService::customerDetail(
    const Session &session, qint64 customerId) const
{
    if (Status allowed
        = m_access.requireForCustomer(session, Capability::SeeCustomers, Access::Read, customerId);
        !allowed)
        return fail(allowed.error());
    CustomerRepository customers(m_db);
    Result<CustomerRow> customer = customers.find(customerId);
    if (!customer)
        return fail(customer.error());
    Result<CustomerLabels> labels = customers.labels(customerId);
    if (!labels)
        return fail(labels.error());

    CustomerDetail detail;
    detail.customer = *customer;
    detail.ownerResellerName = labels->ownerResellerName;
    detail.planName = labels->planName;
    detail.planMonthlyBudget = labels->planMonthlyBudget;
    detail.priceListName = labels->priceListName;
    detail.priceListCurrency = labels->priceListCurrency;
    detail.monthlyPriceMinor = labels->monthlyPriceMinor.value_or(-1);

    UserRepository users(m_db);
    if (customer->primaryUserId > 0) {
        Result<UserRow> primary = users.find(customer->primaryUserId);
        if (!primary)
            return fail(primary.error());
        detail.setupPending = primary->passwordHash.isEmpty() || primary->mustChangePassword;
    }
    Result<QList<AssignmentHistoryRow>> assignments = customers.assignmentHistory(customerId);
    if (!assignments)
        return fail(assignments.error());
    detail.assignments = *assignments;
    Result<QList<UserListRow>> members = users.listMemberships(
        UserListScope {UserListScope::Kind::Customer, customerId}, m_clock.now());
    if (!members)
        return fail(members.error());
    detail.users = *members;

    // §3 "audit log": all for vendor staff, "own portal" for a Reseller
    // Admin, read here as the customers in its scope (those it may open at
    // all), with the customer's whole trail; nobody else sees it.
    if (m_access.requireForCustomer(
            session, Capability::AuditAndOutbox, Access::Read, customerId)) {
        Result<QList<AuditListRow>> audit
            = AuditRepository(m_db).forCustomer(customerId, DetailAuditLimit);
        if (!audit)
            return fail(audit.error());
        detail.auditVisible = true;
        detail.audit = *audit;
    }
    return detail;
}

Result<int> CustomerService::changePriceList(
    const Session &session, qint64 customerId, int expectedVersion, qint64 priceListId)
{
    if (Status allowed = m_access.require(session, Capability::Catalogue, Access::Write); !allowed)
        return fail(allowed.error());
    Result<CustomerRow> before
        = loadForChange(session, Capability::ManageCustomers, customerId, expectedVersion);
    if (!before)
        return fail(before.error());
    CatalogueRepository catalogue(m_db);
    Result<PriceListRow> list = catalogue.priceList(priceListId);
    if (!list) {
        if (list.error().code() == ErrorCode::NotFound)
            return fail(
                ErrorCode::InvalidInput, tr("Choose a price list."), QStringLiteral("priceList"));
        return fail(list.error());
    }
    if (before->priceListId == priceListId)
        return before->version; // nothing to change
    Result<std::optional<qint64>> price = catalogue.price(priceListId, before->planId);
    if (!price)
        return fail(price.error());
    if (!price->has_value()) {
        Result<CustomerLabels> labels = CustomerRepository(m_db).labels(customerId);
        return fail(ErrorCode::InvalidInput,
            tr("The price list %1 has no price for %2's plan %3. Choose another list or change "
               "the plan first.")
                .arg(list->name, before->companyName, labels ? labels->planName : QString()),
            QStringLiteral("priceList"));
    }
    CustomerRow after = *before;
    after.priceListId = priceListId;
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<int> version
        = saveWithAudit(session, *before, after, QStringLiteral("customer.change_price_list"), {});
    if (!version)
        return version;
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

} // namespace rd
