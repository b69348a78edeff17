#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include "domain/LockoutPolicy.h"
#include "security/Authenticator.h"
#include "security/PasswordHasher.h"
#include "services/AuditLog.h"

namespace rd {

class Clock;
class Database;
struct UserRow;

// Authenticator against the app's own users table (SQLite, and PostgreSQL
// until it signs in through server roles). Passwords are Argon2id hashes
// (PasswordHasher), setup codes SHA-256 hashes (OneTimeCode); every change
// is made in one write transaction together with its audit event, which
// never contains a password or a code.
class LocalAuthenticator final : public Authenticator
{
    Q_DECLARE_TR_FUNCTIONS(LocalAuthenticator)

public:
    LocalAuthenticator(
        Database &db, const Clock &clock, PasswordHasher hasher, LockoutPolicy lockout = {});

    Result<bool> needsFirstAdministrator() override;
    Result<Session> createFirstAdministrator(
        const QString &email, const QString &displayName, const QString &password) override;
    Result<SignInResult> signIn(const QString &email, const QString &secret) override;
    Result<Session> openSession(const SignInResult &signedIn, qint64 membershipId) override;
    Status setPassword(
        qint64 userId, const QString &currentSecret, const QString &newPassword) override;
    Status changeOwnPassword(const Session &session, const QString &currentPassword,
        const QString &newPassword) override;
    Status reverifyPassword(const Session &session, const QString &password) override;

private:
    enum class SecretMatch {
        None,             // neither the password nor a setup code
        Password,         // the password
        SetupCode,        // the setup code, still valid
        ExpiredSetupCode, // the setup code, expired
    };

    // Exactly one Argon2id verification, whatever the user row holds, so the
    // time taken reveals nothing; then the setup code when allowed.
    SecretMatch checkSecret(const UserRow &user, const QString &secret, const QDateTime &now,
        bool allowSetupCode) const;
    // The same work as checking a real account's password.
    void verifyAgainstDummy(const QString &secret) const;
    // Counts a failure (and a lock when the policy starts one) with its audit
    // events ("failedAction" and "user.locked"), in one transaction.
    Status recordFailure(const UserRow &user, const QDateTime &now, const QString &failedAction,
        const Session *actor);

    static Error wrongCredentials();
    static Error locked(const QDateTime &lockedUntil, const QDateTime &now);
    static Error setupCodeExpired();
    static Error archived();

    Database &m_db;
    const Clock &m_clock;
    PasswordHasher m_hasher;
    LockoutPolicy m_lockout;
    AuditLog m_audit;
    // An Argon2id hash of a random password no one knows, made with the
    // hasher's own cost, verified for unknown emails and users without a
    // password.
    QString m_dummyHash;
};

} // namespace rd
