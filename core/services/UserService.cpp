#include "services/UserService.h"

#include <optional>

#include <QJsonObject>

#include "domain/EmailAddress.h"
#include "domain/Membership.h"
#include "domain/Permission.h"
#include "domain/TextLimits.h"
#include "mail/MessageComposer.h"
#include "security/OneTimeCode.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "storage/CustomerRepository.h"
#include "storage/Database.h"
#include "storage/OutboxRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/WriteTransaction.h"

namespace rd {

// Everything addUser() checked before it writes.
struct UserService::Target
{
    Role role = Role::ClientUser;
    qint64 resellerId = 0;
    qint64 customerId = 0;
    QString contextName;
    QString email;    // as typed, trimmed
    QString emailKey; // EmailAddress::key()
    QString displayName;
    bool sendInvitation = true;
};

// What one try of the transaction learned: whether another desktop added the
// same login between the lookup and the insert.
struct UserService::Attempt
{
    bool lostRace = false;
};

namespace {

Error impersonationRefused()
{
    return Error(ErrorCode::PermissionDenied,
        UserService::tr("Users and memberships cannot be changed during Login As. Close the "
                        "client view and make the change as yourself."),
        {}, QStringLiteral("impersonated session"));
}

Error membershipNotVisible()
{
    return Error(ErrorCode::NotFound,
        UserService::tr("The membership does not exist or is not in your scope."));
}

} // namespace

UserService::UserService(Database &db, const Clock &clock, AccessControl &access)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
{ }

QString UserService::vendorContextName()
{
    return tr("Vendor administration");
}

Result<UserService::Target> UserService::resolveTarget(
    const Session &session, const NewUser &input) const
{
    const Role role = input.role;
    const ContextKind kind = contextKindOf(role);
    const QString roleField = QStringLiteral("role");
    const QString contextField = QStringLiteral("contextId");

    // Rule 10: no higher than the actor's role; vendor roles only from an
    // Administrator (the order already implies it; said plainly here).
    if (Status granted = Membership::canGrant(session.role(), role); !granted)
        return fail(granted.error());
    if (kind == ContextKind::Vendor && session.role() != Role::Administrator) {
        return fail(ErrorCode::PermissionDenied,
            tr("Only administrators can add %1 memberships.").arg(roleDisplayName(role)),
            roleField);
    }

    // "Own portal" / "own account": the context the actor's membership is in.
    qint64 contextId = input.contextId;
    if (contextId == 0 && kind == session.membership().contextKind() && kind != ContextKind::Vendor)
        contextId = session.membership().contextId();

    const QString detail
        = QStringLiteral("role=%1 contextId=%2").arg(roleKey(role)).arg(input.contextId);
    switch (kind) {
    case ContextKind::Vendor:
        if (contextId != 0) {
            return fail(ErrorCode::InvalidInput,
                tr("The %1 role belongs to the vendor and cannot be tied to a reseller portal or "
                   "client account.")
                    .arg(roleDisplayName(role)),
                contextField, detail);
        }
        break;
    case ContextKind::Reseller:
        if (contextId <= 0) {
            return fail(ErrorCode::InvalidInput, tr("Choose the reseller portal for the new user."),
                contextField, detail);
        }
        break;
    case ContextKind::Customer:
        if (contextId <= 0) {
            return fail(ErrorCode::InvalidInput, tr("Choose the client account for the new user."),
                contextField, detail);
        }
        break;
    }

    // Section 3 scope: anything for "all"; otherwise only the actor's own
    // portal or account, and only roles of that kind of context.
    if (PermissionMatrix::grant(Capability::ManageUsers, session.role()).extent != Extent::All) {
        const ContextKind own = session.membership().contextKind();
        if (kind != own) {
            const QString message = own == ContextKind::Reseller
                ? tr("You can add users only to your own reseller portal, with a reseller role.")
                : tr("You can add users only to your own client account, with a client role.");
            return fail(ErrorCode::PermissionDenied, message, roleField, detail);
        }
        if (contextId != session.membership().contextId()) {
            return fail(own == ContextKind::Reseller ? AccessControl::resellerNotVisible()
                                                     : AccessControl::customerNotVisible());
        }
    }

    Target target;
    target.role = role;
    target.sendInvitation = input.sendInvitation;

    // Rule 2: the input, before anything is written.
    Result<EmailAddress> email = EmailAddress::parse(input.email);
    if (!email)
        return fail(email.error());
    target.email = email->typed();
    target.emailKey = email->key();
    target.displayName = input.displayName.trimmed();
    if (TextLimits::characterCount(target.displayName) > TextLimits::UserName) {
        return fail(ErrorCode::InvalidInput,
            tr("The name may be at most %n characters.", nullptr,
                static_cast<int>(TextLimits::UserName)),
            QStringLiteral("displayName"));
    }

    // The context must exist and be active.
    switch (kind) {
    case ContextKind::Vendor:
        target.contextName = vendorContextName();
        break;
    case ContextKind::Reseller: {
        Result<ResellerRow> reseller = ResellerRepository(m_db).find(contextId);
        if (!reseller) {
            if (reseller.error().code() == ErrorCode::NotFound)
                return fail(AccessControl::resellerNotVisible());
            return fail(reseller.error());
        }
        if (!reseller->active) {
            return fail(ErrorCode::InvalidInput,
                tr("The reseller portal %1 is deactivated; it cannot get new users.")
                    .arg(reseller->name),
                contextField);
        }
        target.resellerId = contextId;
        target.contextName = reseller->name;
        break;
    }
    case ContextKind::Customer: {
        Result<CustomerRow> customer = CustomerRepository(m_db).find(contextId);
        if (!customer) {
            if (customer.error().code() == ErrorCode::NotFound)
                return fail(AccessControl::customerNotVisible());
            return fail(customer.error());
        }
        if (!customer->active) {
            return fail(ErrorCode::InvalidInput,
                tr("The client account %1 is deactivated; it cannot get new users.")
                    .arg(customer->companyName),
                contextField);
        }
        target.customerId = contextId;
        target.contextName = customer->companyName;
        break;
    }
    }
    return target;
}

Result<AddedUser> UserService::addUser(const Session &session, const NewUser &input)
{
    if (session.isImpersonated())
        return fail(impersonationRefused());
    if (Status allowed = m_access.require(session, Capability::ManageUsers, Access::Write);
        !allowed)
        return fail(allowed.error());
    Result<Target> target = resolveTarget(session, input);
    if (!target)
        return fail(target.error());

    // A second try only when another desktop created the same login between
    // the lookup and the insert: then the login exists and gets a membership.
    Attempt attempt;
    Result<AddedUser> added = addInTransaction(session, *target, attempt);
    if (!added && attempt.lostRace) {
        attempt = {};
        added = addInTransaction(session, *target, attempt);
    }
    return added;
}

Result<AddedUser> UserService::addInTransaction(
    const Session &session, const Target &target, Attempt &attempt)
{
    const QDateTime now = m_clock.now();
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());

    UserRepository users(m_db);
    Result<std::optional<UserRow>> existing = users.findByEmailKey(target.emailKey);
    if (!existing)
        return fail(existing.error());

    AddedUser added;
    QString recipient = target.email;
    QString userName = target.displayName;
    std::optional<OneTimeCode> code;
    if (existing->has_value()) {
        // Rule 10: the same person gets a second context.
        const UserRow &user = **existing;
        if (user.archivedAt.isValid()) {
            return fail(ErrorCode::InvalidInput,
                tr("The login %1 is archived and cannot get new memberships.").arg(user.email),
                QStringLiteral("email"));
        }
        Result<std::optional<MembershipRow>> already
            = users.membershipInContext(user.id, target.resellerId, target.customerId);
        if (!already)
            return fail(already.error());
        if (already->has_value()) {
            const MembershipRow &m = **already;
            const QString message = m.active
                ? tr("%1 already has a membership in %2 (as %3). A login has at most one "
                     "membership per context.")
                      .arg(user.email, target.contextName, roleDisplayName(m.role))
                : tr("%1 already has a deactivated membership in %2 (as %3). Reactivate it "
                     "instead of adding another one.")
                      .arg(user.email, target.contextName, roleDisplayName(m.role));
            return fail(ErrorCode::Duplicate, message, QStringLiteral("email"));
        }
        added.userId = user.id;
        added.existingUser = true;
        recipient = user.email;
        userName = user.displayName;
    } else {
        if (target.displayName.isEmpty()) {
            return fail(ErrorCode::InvalidInput, tr("Enter the new user's name."),
                QStringLiteral("displayName"));
        }
        if (target.sendInvitation)
            code = OneTimeCode::generate();
        UserRow user;
        user.email = target.email;
        user.emailKey = target.emailKey;
        user.displayName = target.displayName;
        user.mustChangePassword = true;
        if (code) {
            user.setupCodeHash = code->hash();
            user.setupCodeExpiresAt = OneTimeCode::expiresAt(now);
        }
        user.createdAt = now;
        user.createdBy = session.userId();
        Result<qint64> userId = users.insert(user);
        if (!userId) {
            if (userId.error().code() == ErrorCode::Duplicate) {
                attempt.lostRace = true;
                transaction->rollback();
            }
            return fail(userId.error());
        }
        added.userId = *userId;
    }

    MembershipRow membership;
    membership.userId = added.userId;
    membership.role = target.role;
    membership.resellerId = target.resellerId;
    membership.customerId = target.customerId;
    membership.createdAt = now;
    membership.createdBy = session.userId();
    Result<qint64> membershipId = users.insertMembership(membership);
    if (!membershipId) {
        if (membershipId.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate,
                tr("%1 already has a membership in %2. A login has at most one membership per "
                   "context.")
                    .arg(recipient, target.contextName),
                QStringLiteral("email"), membershipId.error().detail());
        }
        return fail(membershipId.error());
    }
    added.membershipId = *membershipId;

    // The invitation, in this same transaction; a code only in the secret
    // column, the body keeps the placeholder.
    if (target.sendInvitation) {
        const ComposedMessage message = code
            ? MessageComposer::userInvitation(
                target.contextName, userName, recipient, OneTimeCode::expiresAt(now))
            : MessageComposer::existingUserInvitation(
                target.contextName, userName, recipient, roleDisplayName(target.role));
        OutboxRow row;
        row.createdAt = now;
        row.kind = OutboxKind::Invitation;
        row.customerId = target.customerId;
        row.resellerId = target.resellerId;
        row.userId = added.userId;
        row.recipient = recipient;
        row.subject = message.subject;
        row.body = message.body;
        if (code)
            row.secret = code->text();
        row.notBefore = now;
        row.createdBy = session.userId();
        Result<qint64> queued = OutboxRepository(m_db).insert(row);
        if (!queued)
            return fail(queued.error());
        added.invitationId = *queued;
    }

    // Rule 12: one event per entity, one batch.
    AuditLog audit(m_db, m_clock);
    const QString batch = AuditLog::newBatchId();
    QList<AuditEntry> entries;
    if (!added.existingUser) {
        entries.append({QStringLiteral("user.create"), QStringLiteral("user"), added.userId,
            target.resellerId, target.customerId, {},
            QJsonObject {{QStringLiteral("email"), target.email},
                {QStringLiteral("name"), target.displayName}},
            {}, batch});
    }
    entries.append({QStringLiteral("membership.create"), QStringLiteral("membership"),
        added.membershipId, target.resellerId, target.customerId, {},
        QJsonObject {{QStringLiteral("user"), recipient},
            {QStringLiteral("role"), roleKey(target.role)},
            {QStringLiteral("context"), target.contextName},
            {QStringLiteral("existingUser"), added.existingUser},
            {QStringLiteral("invitation"), target.sendInvitation}},
        {}, batch});
    for (const AuditEntry &entry : entries) {
        if (Status recorded = audit.record(session, entry); !recorded)
            return fail(recorded.error());
    }

    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return added;
}

Result<UserListScope> UserService::listScope(const Session &session) const
{
    if (Status allowed = m_access.require(session, Capability::ManageUsers, Access::Read); !allowed)
        return fail(allowed.error());
    UserListScope scope;
    if (PermissionMatrix::grant(Capability::ManageUsers, session.role()).extent == Extent::All) {
        scope.kind = UserListScope::Kind::All;
    } else if (session.resellerId() > 0) {
        scope.kind = UserListScope::Kind::Reseller;
        scope.id = session.resellerId();
    } else if (session.customerId() > 0) {
        scope.kind = UserListScope::Kind::Customer;
        scope.id = session.customerId();
    } else {
        return fail(AccessControl::denied(Capability::ManageUsers));
    }
    return scope;
}

void UserService::nameVendorContexts(QList<UserListRow> &rows)
{
    for (UserListRow &row : rows) {
        if (contextKindOf(row.role) == ContextKind::Vendor)
            row.contextName = vendorContextName();
    }
}

Result<QList<UserListRow>> UserService::listUsers(const Session &session) const
{
    Result<UserListScope> scope = listScope(session);
    if (!scope)
        return fail(scope.error());
    Result<QList<UserListRow>> rows = UserRepository(m_db).listMemberships(*scope, m_clock.now());
    if (!rows)
        return fail(rows.error());
    nameVendorContexts(*rows);
    return rows;
}

Result<std::optional<UserListRow>> UserService::findListed(
    const Session &session, qint64 membershipId) const
{
    Result<UserListScope> scope = listScope(session);
    if (!scope)
        return fail(scope.error());
    Result<std::optional<UserListRow>> row
        = UserRepository(m_db).findListed(*scope, membershipId, m_clock.now());
    if (!row)
        return fail(row.error());
    if (row->has_value()) {
        QList<UserListRow> rows {**row};
        nameVendorContexts(rows);
        return std::optional<UserListRow>(rows.constFirst());
    }
    return row;
}

Result<UserListQuery> UserService::pageQuery(
    const Session &session, const UserPageQuery &query, int limit) const
{
    Result<UserListScope> scope = listScope(session);
    if (!scope)
        return fail(scope.error());
    if (limit < 0 || limit > MaxPageRows) {
        return fail(ErrorCode::InvalidInput,
            tr("A page of users has between 0 and %1 rows; %2 were asked for.")
                .arg(MaxPageRows)
                .arg(limit));
    }
    const QString filter = query.filter.trimmed();
    if (filter.size() > MaxFilterLength) {
        return fail(ErrorCode::InvalidInput,
            tr("The filter may be at most %n characters; shorten it.", nullptr, MaxFilterLength),
            QStringLiteral("filter"));
    }
    UserListQuery listQuery;
    listQuery.scope = *scope;
    listQuery.sort = query.sort;
    listQuery.ascending = query.ascending;
    listQuery.filter = filter;
    return listQuery;
}

Result<qint64> UserService::countMemberships(
    const Session &session, const UserPageQuery &query) const
{
    Result<UserListQuery> listQuery = pageQuery(session, query, 0);
    if (!listQuery)
        return fail(listQuery.error());
    return UserRepository(m_db).countListed(*listQuery);
}

Result<QList<UserListRow>> UserService::page(const Session &session, const UserPageQuery &query,
    const std::optional<UserListKey> &key, bool forward, int limit) const
{
    Result<UserListQuery> listQuery = pageQuery(session, query, limit);
    if (!listQuery)
        return fail(listQuery.error());
    Result<QList<UserListRow>> rows
        = UserRepository(m_db).listPage(*listQuery, key, forward, limit, m_clock.now());
    if (!rows)
        return fail(rows.error());
    nameVendorContexts(*rows);
    return rows;
}

Result<QList<UserListRow>> UserService::membershipsAfter(const Session &session,
    const UserPageQuery &query, const std::optional<UserListKey> &after, int limit) const
{
    return page(session, query, after, true, limit);
}

Result<QList<UserListRow>> UserService::membershipsBefore(const Session &session,
    const UserPageQuery &query, const std::optional<UserListKey> &before, int limit) const
{
    return page(session, query, before, false, limit);
}

Result<QList<UserListRow>> UserService::membershipsAtRow(
    const Session &session, const UserPageQuery &query, qint64 offset, int limit) const
{
    Result<UserListQuery> listQuery = pageQuery(session, query, limit);
    if (!listQuery)
        return fail(listQuery.error());
    Result<QList<UserListRow>> rows
        = UserRepository(m_db).listAtRow(*listQuery, offset, limit, m_clock.now());
    if (!rows)
        return fail(rows.error());
    nameVendorContexts(*rows);
    return rows;
}

Result<QList<UserListKey>> UserService::membershipAnchors(const Session &session,
    const UserPageQuery &query, const std::optional<UserListKey> &after, int rows, int every) const
{
    Result<UserListQuery> listQuery = pageQuery(session, query, 0);
    if (!listQuery)
        return fail(listQuery.error());
    return UserRepository(m_db).listAnchors(
        *listQuery, after, qBound(0, rows, MaxAnchorRows), qMax(1, every));
}

const ConnectionProfile &UserService::databaseProfile() const
{
    return m_db.profile();
}

Result<std::optional<qint64>> UserService::membershipPosition(
    const Session &session, const UserPageQuery &query, qint64 membershipId) const
{
    Result<UserListQuery> listQuery = pageQuery(session, query, 0);
    if (!listQuery)
        return fail(listQuery.error());
    return UserRepository(m_db).listPosition(*listQuery, membershipId);
}

Result<int> UserService::setMembershipActive(const Session &session, qint64 membershipId,
    int expectedVersion, bool active, const QString &reason)
{
    if (session.isImpersonated())
        return fail(impersonationRefused());
    if (Status allowed = m_access.require(session, Capability::ManageUsers, Access::Write);
        !allowed)
        return fail(allowed.error());
    const QString why = reason.trimmed();
    if (!active && why.isEmpty()) {
        return fail(ErrorCode::InvalidInput, tr("Give a reason for deactivating the membership."),
            QStringLiteral("reason"));
    }
    if (Status length
        = TextLimits::checkLength(why, TextLimits::Reason, QStringLiteral("reason"), tr("Reason"));
        !length)
        return fail(length.error());

    UserRepository users(m_db);
    Result<MembershipRow> current = users.findMembership(membershipId);
    if (!current) {
        if (current.error().code() == ErrorCode::NotFound)
            return fail(membershipNotVisible());
        return fail(current.error());
    }

    // Scope: out of it looks like "not found".
    if (PermissionMatrix::grant(Capability::ManageUsers, session.role()).extent != Extent::All) {
        const bool inScope
            = (session.resellerId() > 0 && current->resellerId == session.resellerId())
            || (session.customerId() > 0 && current->customerId == session.customerId());
        if (!inScope)
            return fail(membershipNotVisible());
    }
    if (current->userId == session.userId()) {
        return fail(ErrorCode::PermissionDenied,
            tr("You cannot deactivate or reactivate your own membership; another user manager "
               "has to do it."));
    }
    if (!outranksOrEquals(session.role(), current->role)) {
        return fail(ErrorCode::PermissionDenied,
            tr("This membership has the %1 role, which is higher than yours (%2); you cannot "
               "change it.")
                .arg(roleDisplayName(current->role), roleDisplayName(session.role())));
    }
    if (current->version != expectedVersion) {
        return fail(ErrorCode::Conflict,
            tr("The membership was changed by someone else in the meantime. Reload it and make "
               "your change again."),
            {},
            QStringLiteral("membership_id=%1 expected_version=%2 current_version=%3")
                .arg(membershipId)
                .arg(expectedVersion)
                .arg(current->version));
    }
    if (current->active == active)
        return current->version; // already so: nothing to write or audit

    Result<UserRow> user = users.find(current->userId);
    if (!user)
        return fail(user.error());

    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    // Version-checked in SQL too, for an edit that committed since the read.
    Result<int> version = users.setMembershipActive(membershipId, expectedVersion, active);
    if (!version)
        return fail(version.error());

    AuditEntry entry;
    entry.action
        = active ? QStringLiteral("membership.activate") : QStringLiteral("membership.deactivate");
    entry.entityType = QStringLiteral("membership");
    entry.entityId = membershipId;
    entry.resellerId = current->resellerId;
    entry.customerId = current->customerId;
    entry.before = QJsonObject {{QStringLiteral("user"), user->email},
        {QStringLiteral("role"), roleKey(current->role)},
        {QStringLiteral("active"), current->active}};
    entry.after = QJsonObject {{QStringLiteral("active"), active}};
    entry.reason = why;
    if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
        return fail(recorded.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return *version;
}

QList<Role> UserService::grantableRoles(const Session &session) const
{
    if (session.isImpersonated()
        || !PermissionMatrix::allows(session.role(), Capability::ManageUsers, Access::Write))
        return {};
    const bool everywhere
        = PermissionMatrix::grant(Capability::ManageUsers, session.role()).extent == Extent::All;
    QList<Role> roles;
    for (const Role role : allRoles()) {
        if (!Membership::canGrant(session.role(), role))
            continue;
        // The same rules as addUser(): vendor roles from administrators only,
        // otherwise roles of the actor's own kind of context.
        const ContextKind kind = contextKindOf(role);
        if (kind == ContextKind::Vendor && session.role() != Role::Administrator)
            continue;
        if (!everywhere && kind != session.membership().contextKind())
            continue;
        roles.append(role);
    }
    return roles;
}

Result<QList<std::pair<qint64, QString>>> UserService::resellerContexts(
    const Session &session) const
{
    QList<std::pair<qint64, QString>> contexts;
    if (session.isImpersonated()
        || !PermissionMatrix::allows(session.role(), Capability::ManageUsers, Access::Write))
        return contexts;
    ResellerRepository resellers(m_db);
    if (PermissionMatrix::grant(Capability::ManageUsers, session.role()).extent == Extent::All) {
        Result<QList<ResellerOverviewRow>> all = resellers.overview(ResellerListFilter {});
        if (!all)
            return fail(all.error());
        for (const ResellerOverviewRow &row : std::as_const(*all)) {
            if (row.reseller.active)
                contexts.append({row.reseller.id, row.reseller.name});
        }
        return contexts;
    }
    if (session.resellerId() <= 0)
        return contexts;
    Result<ResellerRow> own = resellers.find(session.resellerId());
    if (!own)
        return fail(own.error());
    contexts.append({own->id, own->name});
    return contexts;
}

Result<MembershipRow> UserService::loadManageable(
    const Session &session, qint64 membershipId, const QString &ownMessage) const
{
    if (session.isImpersonated())
        return fail(impersonationRefused());
    if (Status allowed = m_access.require(session, Capability::ManageUsers, Access::Write);
        !allowed)
        return fail(allowed.error());
    Result<MembershipRow> current = UserRepository(m_db).findMembership(membershipId);
    if (!current) {
        if (current.error().code() == ErrorCode::NotFound)
            return fail(membershipNotVisible());
        return fail(current.error());
    }
    if (!inManagedScope(session, *current))
        return fail(membershipNotVisible());
    if (current->userId == session.userId())
        return fail(ErrorCode::PermissionDenied, ownMessage);
    if (!outranksOrEquals(session.role(), current->role)) {
        return fail(ErrorCode::PermissionDenied,
            tr("This membership has the %1 role, which is higher than yours (%2); you cannot "
               "change it.")
                .arg(roleDisplayName(current->role), roleDisplayName(session.role())));
    }
    return current;
}

bool UserService::inManagedScope(const Session &session, const MembershipRow &membership)
{
    if (PermissionMatrix::grant(Capability::ManageUsers, session.role()).extent == Extent::All)
        return true;
    return (session.resellerId() > 0 && membership.resellerId == session.resellerId())
        || (session.customerId() > 0 && membership.customerId == session.customerId());
}

Result<int> UserService::changeRole(
    const Session &session, qint64 membershipId, int expectedVersion, Role newRole)
{
    Result<MembershipRow> current = loadManageable(session, membershipId,
        tr("You cannot change your own role; another user manager has to do it."));
    if (!current)
        return fail(current.error());
    const QString roleField = QStringLiteral("role");
    if (contextKindOf(newRole) != contextKindOf(current->role)) {
        return fail(ErrorCode::InvalidInput,
            tr("A %1 membership cannot become %2: the new role must belong to the same kind of "
               "context (vendor, reseller portal or client account).")
                .arg(roleDisplayName(current->role), roleDisplayName(newRole)),
            roleField);
    }
    if (Status granted = Membership::canGrant(session.role(), newRole); !granted)
        return fail(ErrorCode::PermissionDenied, granted.error().message(), roleField,
            granted.error().detail());
    if (current->version != expectedVersion) {
        return fail(ErrorCode::Conflict,
            tr("The membership was changed by someone else in the meantime. Reload it and make "
               "your change again."),
            {},
            QStringLiteral("membership_id=%1 expected_version=%2 current_version=%3")
                .arg(membershipId)
                .arg(expectedVersion)
                .arg(current->version));
    }
    if (current->role == newRole)
        return current->version; // nothing to write or audit

    UserRepository users(m_db);
    Result<UserRow> user = users.find(current->userId);
    if (!user)
        return fail(user.error());
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    // Version-checked in SQL too, for an edit that committed since the read.
    Result<int> version = users.setMembershipRole(membershipId, expectedVersion, newRole);
    if (!version)
        return fail(version.error());
    AuditEntry entry;
    entry.action = QStringLiteral("membership.change_role");
    entry.entityType = QStringLiteral("membership");
    entry.entityId = membershipId;
    entry.resellerId = current->resellerId;
    entry.customerId = current->customerId;
    entry.before = QJsonObject {
        {QStringLiteral("user"), user->email}, {QStringLiteral("role"), roleKey(current->role)}};
    entry.after = QJsonObject {{QStringLiteral("role"), roleKey(newRole)}};
    if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
        return fail(recorded.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<qint64> UserService::resetPassword(const Session &session, qint64 membershipId)
{
    Result<MembershipRow> target = loadManageable(session, membershipId,
        tr("You cannot reset your own password here; change it from your own account "
           "instead."));
    if (!target)
        return fail(target.error());
    UserRepository users(m_db);
    Result<UserRow> user = users.find(target->userId);
    if (!user)
        return fail(user.error());
    if (user->archivedAt.isValid())
        return fail(membershipNotVisible());

    // One login, one password: the reset reaches every context the person
    // works in, so the actor must be entitled to all of them.
    Result<QList<MembershipRow>> all = users.memberships(user->id);
    if (!all)
        return fail(all.error());
    for (const MembershipRow &other : std::as_const(*all)) {
        if (!outranksOrEquals(session.role(), other.role)) {
            return fail(ErrorCode::PermissionDenied,
                tr("%1 also has the %2 role, which is higher than yours (%3); only someone at "
                   "that level can reset their password.")
                    .arg(user->email, roleDisplayName(other.role), roleDisplayName(session.role())),
                {}, QStringLiteral("membership_id=%1").arg(other.id));
        }
        if (!inManagedScope(session, other)) {
            return fail(ErrorCode::PermissionDenied,
                tr("%1 also works in another reseller portal or client account, so only an "
                   "administrator can reset their password.")
                    .arg(user->email),
                {}, QStringLiteral("membership_id=%1").arg(other.id));
        }
    }

    QString contextName = vendorContextName();
    if (target->resellerId > 0) {
        Result<ResellerRow> reseller = ResellerRepository(m_db).find(target->resellerId);
        if (!reseller)
            return fail(reseller.error());
        contextName = reseller->name;
    } else if (target->customerId > 0) {
        Result<CustomerRow> customer = CustomerRepository(m_db).find(target->customerId);
        if (!customer)
            return fail(customer.error());
        contextName = customer->companyName;
    }

    const QDateTime now = m_clock.now();
    const QDateTime expiresAt = OneTimeCode::expiresAt(now);
    const OneTimeCode code = OneTimeCode::generate();
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    Result<int> version = users.resetPassword(user->id, code.hash(), expiresAt);
    if (!version)
        return fail(version.error());

    // The earlier reset's code no longer works: its email must not go out.
    if (Result<int> cancelled
        = OutboxRepository(m_db).cancelPendingForUser(user->id, OutboxKind::PasswordReset);
        !cancelled)
        return fail(cancelled.error());

    // Rule 5: the code only in the secret column, in this same transaction.
    const ComposedMessage message
        = MessageComposer::passwordReset(contextName, user->displayName, user->email, expiresAt);
    OutboxRow row;
    row.createdAt = now;
    row.kind = OutboxKind::PasswordReset;
    row.customerId = target->customerId;
    row.resellerId = target->resellerId;
    row.userId = user->id;
    row.recipient = user->email;
    row.subject = message.subject;
    row.body = message.body;
    row.secret = code.text();
    row.notBefore = now;
    row.createdBy = session.userId();
    Result<qint64> queued = OutboxRepository(m_db).insert(row);
    if (!queued)
        return fail(queued.error());

    AuditEntry entry;
    entry.action = QStringLiteral("user.reset_password");
    entry.entityType = QStringLiteral("user");
    entry.entityId = user->id;
    entry.resellerId = target->resellerId;
    entry.customerId = target->customerId;
    entry.before = QJsonObject {{QStringLiteral("passwordSet"), !user->passwordHash.isEmpty()}};
    entry.after = QJsonObject {{QStringLiteral("user"), user->email},
        {QStringLiteral("membership"), membershipId}, {QStringLiteral("setupEmail"), *queued}};
    if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
        return fail(recorded.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return queued;
}

} // namespace rd
