#include "services/ImpersonationService.h"

#include <QJsonObject>

#include "domain/Membership.h"
#include "domain/Permission.h"
#include "mail/MessageComposer.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/SettingsService.h"
#include "storage/CustomerRepository.h"
#include "storage/OutboxRepository.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

namespace rd {

// What start() and targets() both need to know about the customer.
struct ImpersonationService::Context
{
    CustomerRow customer;
    QList<LoginAsTarget> targets; // primary Client Admin first
};

namespace {

Error nested()
{
    return Error(ErrorCode::PermissionDenied,
        ImpersonationService::tr("You are already viewing a client with Login As. End that "
                                 "session before you start another."),
        {}, QStringLiteral("nested impersonation"));
}

Error noUsableTarget()
{
    return Error(ErrorCode::InvalidInput,
        ImpersonationService::tr(
            "No user of this account can be viewed with Login As: the account has no active "
            "client user below your role."),
        QStringLiteral("membership"));
}

// The highest role the user holds in any active membership, or nothing.
std::optional<Role> highestRole(const QList<MembershipRow> &memberships)
{
    std::optional<Role> highest;
    for (const MembershipRow &m : memberships) {
        if (!m.active)
            continue;
        if (!highest || rank(m.role) > rank(*highest))
            highest = m.role;
    }
    return highest;
}

} // namespace

ImpersonationService::ImpersonationService(Database &db, const Clock &clock, AccessControl &access)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
{ }

Result<ImpersonationService::Context> ImpersonationService::loadContext(
    const Session &actor, qint64 customerId) const
{
    // No nesting: an impersonated session is a client's, which has no Login
    // As anyway; said plainly so the message is right.
    if (actor.isImpersonated())
        return fail(nested());
    if (Status allowed
        = m_access.requireForCustomer(actor, Capability::LoginAs, Access::Write, customerId);
        !allowed)
        return fail(allowed.error());

    Context context;
    Result<CustomerRow> customer = CustomerRepository(m_db).find(customerId);
    if (!customer)
        return fail(customer.error().code() == ErrorCode::NotFound
                ? AccessControl::customerNotVisible()
                : customer.error());
    context.customer = *customer;

    UserRepository users(m_db);
    Result<QList<UserListRow>> members = users.listMemberships(
        UserListScope {UserListScope::Kind::Customer, customerId}, m_clock.now());
    if (!members)
        return fail(members.error());

    for (const UserListRow &member : *members) {
        LoginAsTarget target;
        target.membershipId = member.membershipId;
        target.userId = member.userId;
        target.name = member.displayName;
        target.email = member.email;
        target.role = member.role;
        target.primary
            = member.userId == context.customer.primaryUserId && member.role == Role::ClientAdmin;
        if (!isClientRole(member.role) || !Membership::canImpersonate(actor.role(), member.role)) {
            target.refusal = tr("Only client users below your role can be viewed.");
        } else if (member.userId == actor.userId()) {
            target.refusal = tr("This is your own login: open the account with Switch "
                                "Membership instead.");
        } else if (!member.active) {
            target.refusal = tr("This user's access to the account is deactivated.");
        } else {
            Result<QList<MembershipRow>> held = users.memberships(member.userId);
            if (!held)
                return fail(held.error());
            const std::optional<Role> highest = highestRole(*held);
            if (highest && outranksOrEquals(*highest, actor.role())) {
                target.refusal = tr("%1 is also a %2 elsewhere, at or above your role, so you "
                                    "cannot view as them.")
                                     .arg(member.displayName, roleDisplayName(*highest));
            }
        }
        context.targets.append(target);
    }
    std::stable_sort(context.targets.begin(), context.targets.end(),
        [](const LoginAsTarget &a, const LoginAsTarget &b) {
            if (a.primary != b.primary)
                return a.primary;
            return rank(a.role) > rank(b.role);
        });
    return context;
}

Result<QList<LoginAsTarget>> ImpersonationService::targets(
    const Session &actor, qint64 customerId) const
{
    Result<Context> context = loadContext(actor, customerId);
    if (!context)
        return fail(context.error());
    return context->targets;
}

Result<LoginAsStarted> ImpersonationService::start(
    const Session &actor, qint64 customerId, qint64 clientMembershipId, const QString &reason)
{
    Result<Context> context = loadContext(actor, customerId);
    if (!context)
        return fail(context.error());
    const CustomerRow &customer = context->customer;

    const QString why = reason.trimmed();
    if (why.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
            tr("Say why you open this client's view; the reason is kept in the audit log."),
            QStringLiteral("reason"));
    }
    if (why.size() > MaxReasonLength) {
        return fail(ErrorCode::InvalidInput,
            tr("The reason is too long: at most %n characters.", nullptr, MaxReasonLength),
            QStringLiteral("reason"));
    }

    // The target: the chosen client membership of this customer, or the
    // primary Client Admin (the first usable one when the primary cannot be
    // opened).
    const LoginAsTarget *target = nullptr;
    if (clientMembershipId == 0) {
        for (const LoginAsTarget &candidate : context->targets) {
            if (candidate.refusal.isEmpty() && candidate.role == Role::ClientAdmin) {
                target = &candidate;
                break;
            }
        }
        if (!target)
            return fail(noUsableTarget());
    } else {
        for (const LoginAsTarget &candidate : context->targets) {
            if (candidate.membershipId == clientMembershipId)
                target = &candidate;
        }
        if (!target) {
            // Say plainly why a staff or reseller membership is refused;
            // anything else is simply not a user of this account.
            Result<MembershipRow> other = UserRepository(m_db).findMembership(clientMembershipId);
            if (other && !isClientRole(other->role)) {
                return fail(ErrorCode::PermissionDenied,
                    tr("Login As opens client users only, never staff or reseller memberships."),
                    QStringLiteral("membership"));
            }
            return fail(ErrorCode::NotFound, tr("The chosen user is not a user of this account."),
                QStringLiteral("membership"));
        }
        if (!target->refusal.isEmpty())
            return fail(ErrorCode::PermissionDenied, target->refusal, QStringLiteral("membership"));
    }

    Result<DomainSettings> settings = SettingsService(m_db, m_clock, m_access).current();
    if (!settings)
        return fail(settings.error());

    const QDateTime now = m_clock.now();
    ImpersonationSessionRow row;
    row.impersonatorUserId = actor.userId();
    row.impersonatorMembershipId = actor.membershipId();
    row.clientUserId = target->userId;
    row.clientMembershipId = target->membershipId;
    row.customerId = customer.id;
    row.resellerId = customer.ownerResellerId;
    row.reason = why;
    row.startedAt = now;
    row.expiresAt = now.addSecs(qint64(settings->loginAsMinutes) * 60);

    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    ImpersonationRepository sessions(m_db);
    Result<qint64> id = sessions.insert(row);
    if (!id)
        return fail(id.error());

    // Audit before access: the event commits with the session row, before
    // anything of the client is read.
    const AuditEntry started {QStringLiteral("impersonation.start"),
        QStringLiteral("impersonation_session"), *id, customer.ownerResellerId, customer.id, {},
        QJsonObject {{QStringLiteral("clientUser"), target->email},
            {QStringLiteral("role"), roleKey(target->role)},
            {QStringLiteral("customerActive"), customer.active},
            {QStringLiteral("expiresAt"), row.expiresAt.toString(Qt::ISODateWithMs)}},
        why, {}};
    if (Status recorded
        = AuditLog(m_db, m_clock)
              .recordImpersonation(actor.userId(), actor.membershipId(), *id, started);
        !recorded)
        return fail(recorded.error());

    qint64 noticeId = 0;
    if (settings->notifyClientOnLoginAs && !customer.noEmail) {
        const ComposedMessage notice = MessageComposer::loginAsNotice(customer.companyName,
            target->name, actor.userName(), why, row.startedAt, row.expiresAt);
        OutboxRow mail;
        mail.createdAt = now;
        mail.kind = OutboxKind::LoginAsNotice;
        mail.customerId = customer.id;
        mail.resellerId = customer.ownerResellerId;
        mail.userId = target->userId;
        mail.recipient = target->email;
        mail.subject = notice.subject;
        mail.body = notice.body;
        mail.notBefore = now;
        mail.createdBy = actor.userId();
        Result<qint64> queued = OutboxRepository(m_db).insert(mail);
        if (!queued)
            return fail(queued.error());
        noticeId = *queued;
    }
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());

    Result<Membership> membership = Membership::create(target->userId, target->role, customer.id);
    if (!membership)
        return fail(membership.error());
    membership->setId(target->membershipId);
    const Session client = Session(target->userId, target->name, target->email, *membership)
                               .impersonatedBy(actor.userId(), actor.userName(), *id);

    LoginAsStarted result {client, *id, customer.id, customer.companyName, target->name,
        customer.active, row.startedAt, row.expiresAt, noticeId};
    return result;
}

Status ImpersonationService::endRow(const ImpersonationSessionRow &row, ImpersonationEnd why)
{
    QDateTime endedAt = m_clock.now();
    if (endedAt >= row.expiresAt) {
        // However it is noticed, a session past its limit ended when it expired.
        why = ImpersonationEnd::Expired;
        endedAt = row.expiresAt;
    }
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<bool> ended = ImpersonationRepository(m_db).end(row.id, endedAt, why);
    if (!ended)
        return fail(ended.error());
    if (!*ended)
        return {}; // another desktop or call ended it first: nothing to add
    const AuditEntry entry {QStringLiteral("impersonation.end"),
        QStringLiteral("impersonation_session"), row.id, row.resellerId, row.customerId, {},
        QJsonObject {{QStringLiteral("endReason"), impersonationEndKey(why)},
            {QStringLiteral("endedAt"), endedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("durationSeconds"), row.startedAt.secsTo(endedAt)}},
        {}, {}};
    if (Status recorded = AuditLog(m_db, m_clock)
                              .recordImpersonation(row.impersonatorUserId,
                                  row.impersonatorMembershipId, row.id, entry);
        !recorded)
        return fail(recorded.error());
    return transaction->commit();
}

Status ImpersonationService::end(const Session &impersonated, ImpersonationEnd why)
{
    if (!impersonated.isImpersonated()) {
        return fail(ErrorCode::InvalidInput, tr("This is not a Login As session."), {},
            QStringLiteral("end of a session that is not impersonated"));
    }
    Result<ImpersonationSessionRow> row
        = ImpersonationRepository(m_db).find(impersonated.impersonationSessionId());
    if (!row)
        return fail(row.error());
    if (row->impersonatorUserId != impersonated.impersonatorUserId()
        || row->clientMembershipId != impersonated.membershipId())
        return fail(ErrorCode::NotFound, tr("The Login As session does not exist."));
    if (row->endedAt.isValid())
        return {};
    return endRow(*row, why);
}

Result<int> ImpersonationService::endExpiredOf(const Session &actor)
{
    const qint64 who = actor.isImpersonated() ? actor.impersonatorUserId() : actor.userId();
    Result<QList<ImpersonationSessionRow>> open = ImpersonationRepository(m_db).openSessionsOf(who);
    if (!open)
        return fail(open.error());
    const QDateTime now = m_clock.now();
    int ended = 0;
    for (const ImpersonationSessionRow &row : *open) {
        if (row.expiresAt > now)
            continue; // may be live on another desktop
        if (Status done = endRow(row, ImpersonationEnd::Expired); !done)
            return fail(done.error());
        ++ended;
    }
    return ended;
}

Status ImpersonationService::check(const Session &impersonated) const
{
    return m_access.requireLiveImpersonation(impersonated);
}

} // namespace rd
