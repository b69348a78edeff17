#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>

#include "domain/Error.h"
#include "domain/Role.h"

namespace rd {

class Database;

struct UserRow
{
    qint64 id = 0;
    QString email;    // as typed
    QString emailKey; // EmailAddress::key(): the unique comparison form
    QString displayName;
    QString passwordHash;
    QDateTime passwordChangedAt; // set with passwordHash
    bool mustChangePassword = true;
    int failedLogins = 0;
    QDateTime lastFailedAt;
    QDateTime lockedUntil;
    QString setupCodeHash;
    QDateTime setupCodeExpiresAt;
    QDateTime lastLoginAt;
    QDateTime createdAt;
    qint64 createdBy = 0;
    QDateTime archivedAt;
    int version = 1;
};

struct MembershipRow
{
    qint64 id = 0;
    qint64 userId = 0;
    Role role = Role::ClientUser;
    qint64 resellerId = 0; // reseller roles
    qint64 customerId = 0; // client roles
    bool active = true;
    QDateTime createdAt;
    qint64 createdBy = 0;
    int version = 1;
};

// A membership that can be used (rule 11) and the name of its context: the
// reseller portal's name or the client account's company name, empty for the
// vendor.
struct UsableMembershipRow
{
    MembershipRow membership;
    QString contextName;
};

// One membership and its user, a row of the user management list.
struct UserListRow
{
    qint64 userId = 0;
    QString email; // as typed
    QString displayName;
    qint64 membershipId = 0;
    Role role = Role::ClientUser;
    QString contextName; // the reseller portal or client account; empty for the vendor
    bool active = true;  // the membership itself (not its context)
    bool locked = false; // the user is locked out at the time asked for
    QDateTime lastLoginAt;
    int membershipVersion = 1; // for setMembershipActive (rule 14)
    // The row's place in a paged listing (UserListKey::of): the value of
    // the sort column as the database compares it, and the id that breaks
    // ties before the membership id (the user's or the membership's).
    QVariant sortValue;
    qint64 sortGroup = 0;
};

// Which memberships listMemberships() returns; the filter is part of the SQL.
struct UserListScope
{
    enum class Kind {
        All,      // every membership of the installation
        Reseller, // the memberships of the reseller portal id
        Customer, // the memberships of the client account id
    };
    Kind kind = Kind::Customer;
    qint64 id = 0;
};

// The columns the Users page sorts by on the database. Email and name
// compare case-insensitively (the email key; NOCASE / lower()); a role by
// its rule-10 rank; a status as usable (active) before deactivated, a lock
// being a passing state of the login it is not sorted apart; the last
// sign-in with "never" first.
enum class UserSort { Email, Name, Role, Status, LastSignIn };

// One paged listing of memberships: the scope (who may see what is decided
// by UserService), the order and a filter. The filter is a case-insensitive
// prefix of the email address (its key), of the user's name, or of the
// context's name (reseller portal or company); every branch is a range on
// an index, so a filter never scans the table.
struct UserListQuery
{
    UserListScope scope;
    UserSort sort = UserSort::Email;
    bool ascending = true;
    QString filter;
};

// Where a page starts: the sort value, then the group id (the user's id for
// the user columns, whose indexes run (value, user id); the membership's
// for the membership columns), then the membership id, which makes it unique.
struct UserListKey
{
    QVariant sortValue;
    qint64 groupId = 0;
    qint64 membershipId = 0;

    static UserListKey of(const UserListRow &row)
    {
        return {row.sortValue, row.sortGroup, row.membershipId};
    }
};

// Users and their memberships. The unique index on email_key decides
// duplicates, also between two desktops writing at the same moment: the
// loser gets ErrorCode::Duplicate.
class UserRepository final
{
    Q_DECLARE_TR_FUNCTIONS(UserRepository)

public:
    explicit UserRepository(Database &db);

    Result<qint64> insert(const UserRow &user);
    Result<UserRow> find(qint64 id) const;
    Result<std::optional<UserRow>> findByEmailKey(const QString &emailKey) const;

    Result<qint64> insertMembership(const MembershipRow &membership);
    Result<QList<MembershipRow>> memberships(qint64 userId) const;

    // --- User management (used by UserService) ---

    // A membership that is not archived; NotFound otherwise.
    Result<MembershipRow> findMembership(qint64 membershipId) const;
    // The user's membership in one context (vendor: both ids 0), whatever
    // its state, archived ones included (the unique index counts them too).
    Result<std::optional<MembershipRow>> membershipInContext(
        qint64 userId, qint64 resellerId, qint64 customerId) const;
    // The memberships (not archived) of users (not archived) in scope, one
    // row each, ordered by email key and membership id. locked is true when
    // the user's locked_until is after now.
    Result<QList<UserListRow>> listMemberships(
        const UserListScope &scope, const QDateTime &now) const;

    // --- The paged listing (UserService::membershipsAfter & co.) ---
    // The same rows as listMemberships(), in the query's order, filtered.

    // How many rows the query lists. Unfiltered at the installation's scope
    // this is the counter of migration 7 (one row read); otherwise a count
    // over the scope's or the filter's indexes.
    Result<qint64> countListed(const UserListQuery &query) const;
    // Up to `limit` rows after `key` (from the first row without one), or,
    // with forward false, the `limit` rows before `key` (the last rows
    // without one), returned in the query's order. One range on the sort
    // index per call: a few ms at a million rows.
    Result<QList<UserListRow>> listPage(const UserListQuery &query,
        const std::optional<UserListKey> &key, bool forward, int limit, const QDateTime &now) const;
    // Up to `limit` rows from row `offset` (OFFSET: it walks the rows
    // before it; for a jump far from any known key).
    Result<QList<UserListRow>> listAtRow(
        const UserListQuery &query, qint64 offset, int limit, const QDateTime &now) const;
    // Jump points: of the next `rows` rows strictly after `key` (from the
    // first row without one), in the query's order, the keys of every
    // `every`-th one (the every-th, the 2·every-th, …), read in one walk
    // that reads no names and numbers the keys with row_number(). Fewer
    // than rows / every keys means the query has no more rows.
    Result<QList<UserListKey>> listAnchors(const UserListQuery &query,
        const std::optional<UserListKey> &key, int rows, int every) const;
    // One listed membership in the scope (its row of listMemberships()),
    // or nothing.
    Result<std::optional<UserListRow>> findListed(
        const UserListScope &scope, qint64 membershipId, const QDateTime &now) const;
    // The row of a membership in the query's order, or nothing when the
    // query does not list it. Counts the rows before it: for one
    // membership, not for many.
    Result<std::optional<qint64>> listPosition(
        const UserListQuery &query, qint64 membershipId) const;
    // Sets a membership's active flag if the row still has expectedVersion
    // (rule 14), increments the version and returns it. Conflict when it
    // changed, NotFound when it is gone or archived.
    Result<int> setMembershipActive(qint64 membershipId, int expectedVersion, bool active);
    // Gives a membership another role if the row still has expectedVersion
    // (rule 14), increments the version and returns it. Conflict when it
    // changed, NotFound when it is gone or archived. The role must fit the
    // membership's context (the table's check refuses it otherwise).
    Result<int> setMembershipRole(qint64 membershipId, int expectedVersion, Role role);

    // --- Sign-in (used by LocalAuthenticator) ---

    // All users, archived ones included.
    Result<qint64> countUsers() const;
    // Inside a write transaction: keeps other connections from adding users
    // until it ends, so a count read afterwards stays true until commit
    // (first-run setup). PostgreSQL: LOCK TABLE users IN SHARE ROW EXCLUSIVE
    // MODE; SQLite: nothing to do, BEGIN IMMEDIATE already serialises writers.
    Status lockUsersForInsert();
    // Counts one more consecutive failure and sets last_failed_at; returns
    // the new failed_logins. Atomic (failed_logins + 1 in SQL), so two
    // desktops failing at once both count. Does not change the version.
    Result<int> recordFailedSignIn(qint64 userId, const QDateTime &failedAt);
    // Sets (or with an invalid time clears) locked_until. Does not change
    // the version.
    Status setLockedUntil(qint64 userId, const QDateTime &lockedUntil);
    // Resets failed_logins and locked_until and sets last_login_at; replaces
    // password_hash by newPasswordHash unless that is empty (a rehash with
    // the current parameters, the same password). Does not change the
    // version.
    Status recordSuccessfulSignIn(
        qint64 userId, const QDateTime &signedInAt, const QString &newPasswordHash = {});
    // Resets failed_logins and locked_until only (a correct re-entered
    // password). Does not change the version.
    Status resetFailedSignIns(qint64 userId);
    // Stores a new password hash if the row still has expectedVersion (rule
    // 14): sets password_changed_at, clears the setup code, must_change_password,
    // failed_logins and locked_until, increments the version and returns it.
    // ErrorCode::Conflict when the row changed, NotFound when it is gone.
    Result<int> setPassword(qint64 userId, int expectedVersion, const QString &passwordHash,
        const QDateTime &changedAt);
    // Rule 11: the user's memberships that are active and not archived and
    // whose reseller or customer is active and not archived, by id.
    Result<QList<UsableMembershipRow>> usableMemberships(qint64 userId) const;

    // A new one-time setup code (rule 5: only its hash is stored); the user
    // must choose a password at the next sign-in.
    Status setSetupCode(qint64 userId, const QString &codeHash, const QDateTime &expiresAt);
    // Password reset: removes the password (it stops working at once), sets
    // a new one-time setup code (its hash only), must_change_password, and
    // clears failed_logins and locked_until; increments the version and
    // returns it. NotFound when the user is gone or archived.
    Result<int> resetPassword(qint64 userId, const QString &codeHash, const QDateTime &expiresAt);

private:
    Database &m_db;
};

} // namespace rd
