#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include "domain/Error.h"
#include "domain/Membership.h"
#include "services/Session.h"

namespace rd {

// What a successful sign-in yields: who signed in and the memberships they
// may use (rule 11). With one membership the caller opens it directly; with
// several the user picks one (openSession).
struct SignInResult
{
    qint64 userId = 0;
    QString displayName;
    QString email; // as typed when the user was created
    // Signed in with the one-time setup code, or the account is flagged: the
    // caller must have the user choose a password (setPassword) before
    // openSession accepts the sign-in.
    bool mustChangePassword = false;
    // Usable ones only (rule 11), by id.
    QList<Membership> memberships;
    // For the context picker: membership id → the reseller portal's name or
    // the client account's company name (empty for vendor memberships).
    QHash<qint64, QString> contextNames;
};

// Sign-in and credentials, behind an interface so that each database dialect
// can have its own: LocalAuthenticator checks the app's own users table (both
// dialects today); a PostgreSQL implementation will later sign in through
// the server's own roles (DESIGN §4 "Trust model").
//
// Failures are Errors with a translated message. Wrong credentials are
// always ErrorCode::PermissionDenied with one message that does not reveal
// whether the email address exists.
class Authenticator
{
public:
    Authenticator() = default;
    virtual ~Authenticator() = default;
    Q_DISABLE_COPY_MOVE(Authenticator)

    // True when the database has no user at all (first run).
    virtual Result<bool> needsFirstAdministrator() = 0;

    // First run only: creates the first user with an Administrator
    // membership and returns its session. PermissionDenied once any user
    // exists; InvalidInput (field "email", "displayName" or "password") for a
    // bad email address, an empty or too long name or a weak password.
    virtual Result<Session> createFirstAdministrator(
        const QString &email, const QString &displayName, const QString &password)
        = 0;

    // Checks the email address and the secret: the password, or the one-time
    // code of a setup email (then mustChangePassword is set). Counts failures
    // towards the account's lock-out; refuses a locked account without
    // checking the secret; refuses a user without a usable membership.
    virtual Result<SignInResult> signIn(const QString &email, const QString &secret) = 0;

    // Opens the chosen membership, which must be one of signedIn.memberships
    // and still usable. PermissionDenied otherwise, and while the user must
    // still choose a password.
    virtual Result<Session> openSession(const SignInResult &signedIn, qint64 membershipId) = 0;

    // Replaces the password after checking currentSecret (the password, or a
    // valid one-time setup code); clears the setup code and the must-change
    // flag. A wrong currentSecret counts towards the lock-out.
    virtual Status setPassword(
        qint64 userId, const QString &currentSecret, const QString &newPassword)
        = 0;

    // The session user's own password change (File → Change Password):
    // setPassword for session.userId(), refused during Login As (rule 9: no
    // credential changes while impersonating).
    virtual Status changeOwnPassword(
        const Session &session, const QString &currentPassword, const QString &newPassword)
        = 0;

    // Re-checks the session user's password before a sensitive action (rule
    // 8, Migrate). A wrong password counts towards the lock-out like a failed
    // sign-in; refused while locked and during Login As.
    virtual Status reverifyPassword(const Session &session, const QString &password) = 0;
};

} // namespace rd
