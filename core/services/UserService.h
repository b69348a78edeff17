#pragma once

#include <optional>
#include <utility>

#include <QCoreApplication>
#include <QList>
#include <QString>

#include "domain/Error.h"
#include "domain/Role.h"
#include "storage/UserRepository.h"

namespace rd {

class AccessControl;
class Clock;
class ConnectionProfile;
class Database;
class Session;

// What the Add User dialog collects.
struct NewUser
{
    QString email;
    QString displayName; // required for a new login; an existing login keeps its name
    Role role = Role::ClientUser;
    // The reseller portal (reseller roles) or client account (client roles);
    // 0 for the vendor roles. 0 with a reseller or client role means the
    // actor's own portal or account when the actor has one of that kind.
    qint64 contextId = 0;
    bool sendInvitation = true;
};

struct AddedUser
{
    qint64 userId = 0;
    qint64 membershipId = 0;
    bool existingUser = false; // a membership was added to an existing login
    qint64 invitationId = 0;   // the queued outbox row; 0 when none
};

// What the Users page asks for: the order and the filter (see
// UserListQuery); the scope is the session's, decided by UserService.
struct UserPageQuery
{
    UserSort sort = UserSort::Email;
    bool ascending = true;
    QString filter;
};

// Users and memberships (rules 9-12, section 3 "manage users"). Every call
// checks the matrix and the scope through AccessControl: Administrators
// manage every context; Reseller Admins and Managers the users of their own
// portal (reseller roles only); Client Admins those of their own account
// (client roles only). No user-management change is possible during Login
// As. Writes go in one transaction with their audit events and change
// nothing on error. Targets outside the scope are reported as not found.
class UserService final
{
    Q_DECLARE_TR_FUNCTIONS(UserService)

public:
    UserService(Database &db, const Clock &clock, AccessControl &access);

    // Rule 10: adds a login with one membership, or, when a login with that
    // email already exists, adds the membership to it (Duplicate when it
    // already has one in that context). The invitation, if asked for, is
    // queued in the same transaction; a new login's one-time code goes only
    // into the outbox secret column and its hash onto the user.
    Result<AddedUser> addUser(const Session &session, const NewUser &input);

    // The memberships the session may manage, one row per membership, with
    // their users: all (Administrator), the own portal (Reseller Admin and
    // Manager) or the own account (Client Admin). Archived ones are left out.
    Result<QList<UserListRow>> listUsers(const Session &session) const;

    // The same memberships a page at a time, however many (an
    // administrator's scope is the whole installation): sorted and filtered
    // by the database, each page one range on an index (keyset). The same
    // permission and scope as listUsers(); `limit` is at most MaxPageRows.
    static constexpr int MaxPageRows = 1000;
    static constexpr int MaxFilterLength = 254;
    // How many rows the query lists (exact).
    Result<qint64> countMemberships(const Session &session, const UserPageQuery &query) const;
    // The rows after `after` (from the first without one), in order.
    Result<QList<UserListRow>> membershipsAfter(const Session &session, const UserPageQuery &query,
        const std::optional<UserListKey> &after, int limit) const;
    // The `limit` rows before `before` (the last ones without one), in order.
    Result<QList<UserListRow>> membershipsBefore(const Session &session, const UserPageQuery &query,
        const std::optional<UserListKey> &before, int limit) const;
    // The rows from row `offset` on (OFFSET: a jump far from any known key).
    Result<QList<UserListRow>> membershipsAtRow(
        const Session &session, const UserPageQuery &query, qint64 offset, int limit) const;
    // Jump points (UserRepository::listAnchors): of the next `rows` rows
    // after `after`, the keys of every `every`-th one. `rows` is at most
    // MaxAnchorRows per call, so one call stays short.
    static constexpr int MaxAnchorRows = 100000;
    Result<QList<UserListKey>> membershipAnchors(const Session &session, const UserPageQuery &query,
        const std::optional<UserListKey> &after, int rows, int every) const;
    // One membership as listUsers() lists it, or nothing when it is not
    // listed or not in the scope (a dialog's reload).
    Result<std::optional<UserListRow>> findListed(
        const Session &session, qint64 membershipId) const;
    // The row of a membership in this order, or nothing when it is not
    // listed (or not in the scope). Counts the rows before it: for one.
    Result<std::optional<qint64>> membershipPosition(
        const Session &session, const UserPageQuery &query, qint64 membershipId) const;

    // Rule 11: deactivates (reason required) or reactivates a membership;
    // never deletes. Refuses one's own memberships and those whose role is
    // higher than the actor's. Rule 14: Conflict unless the membership still
    // has expectedVersion. Returns the new version (unchanged when it
    // already was so).
    Result<int> setMembershipActive(const Session &session, qint64 membershipId,
        int expectedVersion, bool active, const QString &reason);

    // Rule 10: the roles this session may grant, highest first (what the
    // Add User dialog's role drop-down offers). Empty without ManageUsers
    // and during Login As.
    QList<Role> grantableRoles(const Session &session) const;

    // The reseller portals in which this session may add reseller-role
    // users, by name: every active portal for an Administrator, the own
    // portal for Reseller Admins and Managers, none otherwise.
    Result<QList<std::pair<qint64, QString>>> resellerContexts(const Session &session) const;

    // Edit: gives a membership another role of the same context kind that
    // the session may grant. Refuses one's own membership and memberships
    // whose current role is higher than the actor's. Rule 14 on the
    // membership version; returns the new version; one audit event.
    Result<int> changeRole(
        const Session &session, qint64 membershipId, int expectedVersion, Role newRole);

    // Password reset: a new one-time setup code for the membership's user
    // (the old password stops working, the user must choose a new one) and
    // a setup email queued in the same transaction. Same refusals as
    // changeRole; not during Login As. Because one login has one password,
    // it is also refused (PermissionDenied) when the user holds any other
    // membership with a role higher than the actor's or, for actors who do
    // not manage all users, a membership outside the actor's own portal or
    // account. Returns the outbox id.
    Result<qint64> resetPassword(const Session &session, qint64 membershipId);

    // The name shown for the vendor context (Administrator, Support).
    static QString vendorContextName();

    // Where the database is (a page reader opens its own connection there)
    // and the clock the service judges lock-outs by.
    const ConnectionProfile &databaseProfile() const;
    const Clock &clock() const noexcept { return m_clock; }

private:
    struct Target;

    // The session's scope (the ManageUsers check) for listUsers() and the
    // pages.
    Result<UserListScope> listScope(const Session &session) const;
    Result<UserListQuery> pageQuery(
        const Session &session, const UserPageQuery &query, int limit) const;
    Result<QList<UserListRow>> page(const Session &session, const UserPageQuery &query,
        const std::optional<UserListKey> &key, bool forward, int limit) const;
    static void nameVendorContexts(QList<UserListRow> &rows);
    struct Attempt;

    Result<Target> resolveTarget(const Session &session, const NewUser &input) const;
    Result<AddedUser> addInTransaction(
        const Session &session, const Target &target, Attempt &attempt);
    // The checks changeRole() and resetPassword() share: not during Login
    // As, the matrix, the scope (NotFound outside it), not one's own, not a
    // higher role.
    Result<MembershipRow> loadManageable(
        const Session &session, qint64 membershipId, const QString &ownMessage) const;
    static bool inManagedScope(const Session &session, const MembershipRow &membership);

    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
};

} // namespace rd
