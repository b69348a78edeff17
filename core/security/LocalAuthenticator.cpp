#include "security/LocalAuthenticator.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <sodium.h>

#include <QByteArray>
#include <QJsonObject>

#include "domain/EmailAddress.h"
#include "domain/Role.h"
#include "domain/TextLimits.h"
#include "security/OneTimeCode.h"
#include "services/Clock.h"
#include "storage/Database.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

const QString UserEntity = QStringLiteral("user");

// Compares two hex digests in time independent of where they differ.
bool sameDigest(const QString &a, const QString &b)
{
    const QByteArray left = a.toLatin1();
    const QByteArray right = b.toLatin1();
    if (left.size() != right.size() || left.isEmpty())
        return false;
    return sodium_memcmp(left.constData(), right.constData(), static_cast<size_t>(left.size()))
        == 0;
}

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

Result<Membership> toMembership(const MembershipRow &row)
{
    qint64 contextId = 0;
    switch (contextKindOf(row.role)) {
    case ContextKind::Vendor:
        break;
    case ContextKind::Reseller:
        contextId = row.resellerId;
        break;
    case ContextKind::Customer:
        contextId = row.customerId;
        break;
    }
    Result<Membership> membership = Membership::create(row.userId, row.role, contextId);
    if (!membership)
        return membership;
    membership->setId(row.id);
    membership->setActive(row.active);
    return membership;
}

} // namespace

LocalAuthenticator::LocalAuthenticator(
    Database &db, const Clock &clock, PasswordHasher hasher, LockoutPolicy lockout)
    : m_db(db)
    , m_clock(clock)
    , m_hasher(std::move(hasher))
    , m_lockout(lockout)
    , m_audit(db, clock)
{
    // If hashing fails (no memory), verify() on the empty hash returns at
    // once: sign-in still works, only the timing cover is missing.
    m_dummyHash = m_hasher.hash(OneTimeCode::generate().text()).value_or(QString());
}

Result<bool> LocalAuthenticator::needsFirstAdministrator()
{
    Result<qint64> count = UserRepository(m_db).countUsers();
    if (!count)
        return fail(count.error());
    return *count == 0;
}

Result<Session> LocalAuthenticator::createFirstAdministrator(
    const QString &email, const QString &displayName, const QString &password)
{
    Result<EmailAddress> address = EmailAddress::parse(email);
    if (!address)
        return fail(address.error());
    const QString name = displayName.trimmed();
    const QString nameField = QStringLiteral("displayName");
    if (name.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Enter your name."), nameField);
    if (Status fits = TextLimits::checkLength(name, TextLimits::UserName, nameField, tr("Name"));
        !fits)
        return fail(fits.error());
    if (Status strong = PasswordHasher::checkStrength(password); !strong)
        return fail(strong.error());

    const Error alreadySetUp(ErrorCode::PermissionDenied,
        tr("This database already has users: sign in instead. Only an administrator can add "
           "further users."));
    Result<bool> empty = needsFirstAdministrator();
    if (!empty)
        return fail(empty.error());
    if (!*empty)
        return fail(alreadySetUp);

    // The slow hash before the transaction, so no write lock waits on it.
    Result<QString> hash = m_hasher.hash(password);
    if (!hash)
        return fail(hash.error());

    const QDateTime now = m_clock.now();
    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    UserRepository users(m_db);
    // Two desktops running first setup at once: the second waits here and
    // then sees the first one's user.
    if (Status lockHeld = users.lockUsersForInsert(); !lockHeld)
        return fail(lockHeld.error());
    Result<qint64> count = users.countUsers();
    if (!count)
        return fail(count.error());
    if (*count > 0)
        return fail(alreadySetUp);

    UserRow user;
    user.email = address->typed();
    user.emailKey = address->key();
    user.displayName = name;
    user.passwordHash = *hash;
    user.passwordChangedAt = now;
    user.mustChangePassword = false;
    user.createdAt = now;
    Result<qint64> userId = users.insert(user);
    if (!userId)
        return fail(userId.error());

    MembershipRow row;
    row.userId = *userId;
    row.role = Role::Administrator;
    row.createdAt = now;
    Result<qint64> membershipId = users.insertMembership(row);
    if (!membershipId)
        return fail(membershipId.error());

    Result<Membership> membership = Membership::create(*userId, Role::Administrator, 0);
    if (!membership)
        return fail(membership.error());
    membership->setId(*membershipId);
    Session session(*userId, name, address->typed(), *membership);

    AuditEntry userCreated;
    userCreated.action = QStringLiteral("user.create");
    userCreated.entityType = UserEntity;
    userCreated.entityId = *userId;
    userCreated.after = QJsonObject {
        {QStringLiteral("email"), address->typed()},
        {QStringLiteral("displayName"), name},
        {QStringLiteral("firstAdministrator"), true},
    };
    userCreated.reason = tr("First-run setup");
    if (Status audited = m_audit.record(session, userCreated); !audited)
        return fail(audited.error());

    AuditEntry membershipCreated;
    membershipCreated.action = QStringLiteral("membership.create");
    membershipCreated.entityType = QStringLiteral("membership");
    membershipCreated.entityId = *membershipId;
    membershipCreated.after = QJsonObject {
        {QStringLiteral("userId"), *userId},
        {QStringLiteral("role"), roleKey(Role::Administrator)},
    };
    membershipCreated.reason = userCreated.reason;
    if (Status audited = m_audit.record(session, membershipCreated); !audited)
        return fail(audited.error());

    if (Status committed = tx->commit(); !committed)
        return fail(committed.error());
    return session;
}

Result<SignInResult> LocalAuthenticator::signIn(const QString &email, const QString &secret)
{
    if (secret.isEmpty())
        return fail(
            ErrorCode::InvalidInput, tr("Enter your password."), QStringLiteral("password"));
    Result<EmailAddress> address = EmailAddress::parse(email);
    if (!address)
        return fail(address.error());

    UserRepository users(m_db);
    Result<std::optional<UserRow>> found = users.findByEmailKey(address->key());
    if (!found)
        return fail(found.error());
    if (!found->has_value() || (*found)->archivedAt.isValid()) {
        // Unknown (or archived): the same work and the same answer as a
        // wrong password, so neither reveals whether the address exists.
        verifyAgainstDummy(secret);
        return fail(wrongCredentials());
    }
    const UserRow &user = **found;

    const QDateTime now = m_clock.now();
    if (LockoutPolicy::isLocked(user.lockedUntil, now))
        return fail(locked(user.lockedUntil, now));

    const SecretMatch match = checkSecret(user, secret, now, true);
    if (match == SecretMatch::None) {
        if (Status counted
            = recordFailure(user, now, QStringLiteral("user.sign_in_failed"), nullptr);
            !counted)
            return fail(counted.error());
        return fail(wrongCredentials());
    }
    if (match == SecretMatch::ExpiredSetupCode)
        return fail(setupCodeExpired());

    Result<QList<UsableMembershipRow>> usable = users.usableMemberships(user.id);
    if (!usable)
        return fail(usable.error());
    if (usable->isEmpty()) {
        return fail(ErrorCode::PermissionDenied,
            tr("Your password is correct, but you have no active access: the reseller portal "
               "or client account you belong to has been deactivated. Ask your administrator."),
            QString(), QStringLiteral("user_id=%1 usable_memberships=0").arg(user.id));
    }

    SignInResult result;
    result.userId = user.id;
    result.displayName = user.displayName;
    result.email = user.email;
    result.mustChangePassword = match == SecretMatch::SetupCode || user.mustChangePassword;
    for (const UsableMembershipRow &row : std::as_const(*usable)) {
        Result<Membership> membership = toMembership(row.membership);
        if (!membership)
            return fail(membership.error());
        result.memberships.append(*membership);
        result.contextNames.insert(row.membership.id, row.contextName);
    }

    // Upgrade a hash made with other parameters while the password is at
    // hand. A failed rehash keeps the old hash; it never blocks sign-in.
    QString rehashed;
    if (match == SecretMatch::Password && m_hasher.needsRehash(user.passwordHash))
        rehashed = m_hasher.hash(secret).value_or(QString());

    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    if (Status recorded = users.recordSuccessfulSignIn(user.id, now, rehashed); !recorded)
        return fail(recorded.error());
    AuditEntry entry;
    entry.action = QStringLiteral("user.sign_in");
    entry.entityType = UserEntity;
    entry.entityId = user.id;
    entry.before = QJsonObject {{QStringLiteral("failedLogins"), user.failedLogins}};
    entry.after = QJsonObject {
        {QStringLiteral("method"),
            match == SecretMatch::Password ? QStringLiteral("password")
                                           : QStringLiteral("setup_code")},
        {QStringLiteral("failedLogins"), 0},
        {QStringLiteral("passwordRehashed"), !rehashed.isEmpty()},
    };
    if (Status audited = m_audit.recordWithoutSession(user.id, entry); !audited)
        return fail(audited.error());
    if (Status committed = tx->commit(); !committed)
        return fail(committed.error());
    return result;
}

Result<Session> LocalAuthenticator::openSession(const SignInResult &signedIn, qint64 membershipId)
{
    const auto chosen = std::find_if(signedIn.memberships.cbegin(), signedIn.memberships.cend(),
        [membershipId](const Membership &m) { return m.id() == membershipId; });
    const QString detail
        = QStringLiteral("user_id=%1 membership_id=%2").arg(signedIn.userId).arg(membershipId);
    if (membershipId <= 0 || chosen == signedIn.memberships.cend()
        || chosen->userId() != signedIn.userId) {
        return fail(ErrorCode::PermissionDenied,
            tr("You cannot open this context: it is not one of your memberships."), QString(),
            detail);
    }

    UserRepository users(m_db);
    Result<UserRow> user = users.find(signedIn.userId);
    if (!user)
        return fail(user.error());
    if (user->archivedAt.isValid())
        return fail(archived());
    if (user->mustChangePassword) {
        return fail(ErrorCode::PermissionDenied, tr("Choose a new password before you continue."),
            QStringLiteral("newPassword"), detail);
    }

    // Still usable? It may have been deactivated since the sign-in.
    Result<QList<UsableMembershipRow>> usable = users.usableMemberships(user->id);
    if (!usable)
        return fail(usable.error());
    for (const UsableMembershipRow &row : std::as_const(*usable)) {
        if (row.membership.id != membershipId)
            continue;
        Result<Membership> membership = toMembership(row.membership);
        if (!membership)
            return fail(membership.error());
        return Session(user->id, user->displayName, user->email, *membership);
    }
    return fail(ErrorCode::PermissionDenied,
        tr("This reseller portal or client account is no longer active. Choose another one or "
           "ask your administrator."),
        QString(), detail);
}

Status LocalAuthenticator::setPassword(
    qint64 userId, const QString &currentSecret, const QString &newPassword)
{
    const QString newField = QStringLiteral("newPassword");
    if (Status strong = PasswordHasher::checkStrength(newPassword); !strong)
        return fail(strong.error().code(), strong.error().message(), newField);

    UserRepository users(m_db);
    Result<UserRow> user = users.find(userId);
    if (!user)
        return fail(user.error());
    if (user->archivedAt.isValid())
        return fail(archived());
    const QDateTime now = m_clock.now();
    if (LockoutPolicy::isLocked(user->lockedUntil, now))
        return fail(locked(user->lockedUntil, now));

    const SecretMatch match = checkSecret(*user, currentSecret, now, true);
    if (match == SecretMatch::None) {
        if (Status counted
            = recordFailure(*user, now, QStringLiteral("user.password_set_failed"), nullptr);
            !counted)
            return fail(counted.error());
        return fail(ErrorCode::PermissionDenied, tr("The current password is not correct."),
            QStringLiteral("currentPassword"));
    }
    if (match == SecretMatch::ExpiredSetupCode)
        return fail(setupCodeExpired());

    const bool sameAsCurrent = newPassword == currentSecret
        || (match == SecretMatch::SetupCode
            && sameDigest(OneTimeCode::hashOf(newPassword), user->setupCodeHash));
    if (sameAsCurrent) {
        return fail(ErrorCode::InvalidInput,
            tr("The new password must be different from the current one."), newField);
    }

    Result<QString> hash = m_hasher.hash(newPassword);
    if (!hash)
        return fail(hash.error());

    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    Result<int> version = users.setPassword(user->id, user->version, *hash, now);
    if (!version)
        return fail(version.error());
    AuditEntry entry;
    entry.action = QStringLiteral("user.password_set");
    entry.entityType = UserEntity;
    entry.entityId = user->id;
    entry.before = QJsonObject {
        {QStringLiteral("mustChangePassword"), user->mustChangePassword},
        {QStringLiteral("setupCode"), !user->setupCodeHash.isEmpty()},
        {QStringLiteral("version"), user->version},
    };
    entry.after = QJsonObject {
        {QStringLiteral("mustChangePassword"), false},
        {QStringLiteral("setupCode"), false},
        {QStringLiteral("version"), *version},
        {QStringLiteral("verifiedWith"),
            match == SecretMatch::Password ? QStringLiteral("password")
                                           : QStringLiteral("setup_code")},
    };
    if (Status audited = m_audit.recordWithoutSession(user->id, entry); !audited)
        return fail(audited.error());
    return tx->commit();
}

Status LocalAuthenticator::changeOwnPassword(
    const Session &session, const QString &currentPassword, const QString &newPassword)
{
    if (session.isImpersonated()) {
        return fail(ErrorCode::PermissionDenied,
            tr("During Login As no password can be changed. End the Login As session first."), {},
            QStringLiteral("impersonated session"));
    }
    return setPassword(session.userId(), currentPassword, newPassword);
}

Status LocalAuthenticator::reverifyPassword(const Session &session, const QString &password)
{
    if (session.isImpersonated()) {
        return fail(ErrorCode::PermissionDenied,
            tr("During Login As no password can be confirmed. End the Login As session first."));
    }
    if (password.isEmpty())
        return fail(
            ErrorCode::InvalidInput, tr("Enter your password."), QStringLiteral("password"));

    UserRepository users(m_db);
    Result<UserRow> user = users.find(session.userId());
    if (!user)
        return fail(user.error());
    if (user->archivedAt.isValid())
        return fail(archived());
    const QDateTime now = m_clock.now();
    if (LockoutPolicy::isLocked(user->lockedUntil, now))
        return fail(locked(user->lockedUntil, now));

    if (checkSecret(*user, password, now, false) != SecretMatch::Password) {
        if (Status counted
            = recordFailure(*user, now, QStringLiteral("user.password_reverify_failed"), &session);
            !counted)
            return fail(counted.error());
        return fail(ErrorCode::PermissionDenied, tr("The password is not correct."),
            QStringLiteral("password"));
    }
    if (user->failedLogins == 0 && !user->lockedUntil.isValid())
        return {};

    // The right password ends a run of failures, as a sign-in does.
    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    if (Status reset = users.resetFailedSignIns(user->id); !reset)
        return fail(reset.error());
    AuditEntry entry;
    entry.action = QStringLiteral("user.password_reverified");
    entry.entityType = UserEntity;
    entry.entityId = user->id;
    entry.before = QJsonObject {{QStringLiteral("failedLogins"), user->failedLogins}};
    entry.after = QJsonObject {{QStringLiteral("failedLogins"), 0}};
    if (Status audited = m_audit.record(session, entry); !audited)
        return fail(audited.error());
    return tx->commit();
}

LocalAuthenticator::SecretMatch LocalAuthenticator::checkSecret(
    const UserRow &user, const QString &secret, const QDateTime &now, bool allowSetupCode) const
{
    if (user.passwordHash.isEmpty())
        verifyAgainstDummy(secret);
    else if (m_hasher.verify(user.passwordHash, secret))
        return SecretMatch::Password;

    if (!allowSetupCode || user.setupCodeHash.isEmpty())
        return SecretMatch::None;
    if (!sameDigest(OneTimeCode::hashOf(secret), user.setupCodeHash))
        return SecretMatch::None;
    // A code without an expiry is treated as expired: rule 5 gives every code one.
    if (!user.setupCodeExpiresAt.isValid() || now >= user.setupCodeExpiresAt)
        return SecretMatch::ExpiredSetupCode;
    return SecretMatch::SetupCode;
}

void LocalAuthenticator::verifyAgainstDummy(const QString &secret) const
{
    static_cast<void>(m_hasher.verify(m_dummyHash, secret));
}

Status LocalAuthenticator::recordFailure(
    const UserRow &user, const QDateTime &now, const QString &failedAction, const Session *actor)
{
    Result<WriteTransaction> tx = WriteTransaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    UserRepository users(m_db);
    Result<int> failures = users.recordFailedSignIn(user.id, now);
    if (!failures)
        return fail(failures.error());
    const QDateTime lockedUntil = m_lockout.lockedUntil(*failures, now);
    if (lockedUntil.isValid()) {
        if (Status lockedNow = users.setLockedUntil(user.id, lockedUntil); !lockedNow)
            return fail(lockedNow.error());
    }

    const auto audit = [&](const AuditEntry &entry) {
        return actor ? m_audit.record(*actor, entry) : m_audit.recordWithoutSession(user.id, entry);
    };
    AuditEntry failed;
    failed.action = failedAction;
    failed.entityType = UserEntity;
    failed.entityId = user.id;
    failed.before = QJsonObject {{QStringLiteral("failedLogins"), *failures - 1}};
    failed.after = QJsonObject {{QStringLiteral("failedLogins"), *failures}};
    if (Status audited = audit(failed); !audited)
        return fail(audited.error());
    if (lockedUntil.isValid()) {
        AuditEntry lockedEntry;
        lockedEntry.action = QStringLiteral("user.locked");
        lockedEntry.entityType = UserEntity;
        lockedEntry.entityId = user.id;
        lockedEntry.before
            = QJsonObject {{QStringLiteral("lockedUntil"), isoTime(user.lockedUntil)}};
        lockedEntry.after = QJsonObject {
            {QStringLiteral("lockedUntil"), isoTime(lockedUntil)},
            {QStringLiteral("failedLogins"), *failures},
            {QStringLiteral("lockSeconds"), now.msecsTo(lockedUntil) / 1000},
        };
        if (Status audited = audit(lockedEntry); !audited)
            return fail(audited.error());
    }
    return tx->commit();
}

Error LocalAuthenticator::wrongCredentials()
{
    return Error(ErrorCode::PermissionDenied, tr("The email address or password is not correct."));
}

Error LocalAuthenticator::locked(const QDateTime &lockedUntil, const QDateTime &now)
{
    const int minutes = LockoutPolicy::minutesLeft(lockedUntil, now);
    return Error(ErrorCode::PermissionDenied,
        tr("This account is locked after too many failed attempts. Try again in %n minute(s).",
            nullptr, minutes),
        QString(), QStringLiteral("locked_until=%1").arg(isoTime(lockedUntil)));
}

Error LocalAuthenticator::setupCodeExpired()
{
    return Error(ErrorCode::PermissionDenied,
        tr("The temporary password has expired; ask for a new setup email."),
        QStringLiteral("password"));
}

Error LocalAuthenticator::archived()
{
    return Error(ErrorCode::PermissionDenied,
        tr("This account has been archived and can no longer be used."));
}

} // namespace rd
