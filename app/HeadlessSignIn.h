#pragma once

#include <memory>
#include <optional>

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "storage/ConnectionProfile.h"

namespace rd {
class AccessControl;
class Authenticator;
class CredentialStore;
class Database;
class Membership;
struct SignInResult;
} // namespace rd

namespace rd::app {

struct CommandLineOptions;

// Who a headless command (export, import) signs in as, from its options.
struct HeadlessCredentials
{
    QString user;         // --user; empty: the RESELLERDESK_USER variable
    QString passwordFile; // --password-file
    QString membership;   // --membership: an id or a context name
};

// The sign-in of the headless commands, without a window. The user is the
// email of --user, else of RESELLERDESK_USER. The password comes from the
// first of: the RESELLERDESK_PASSWORD variable; --password-file (its first
// line; the file must be readable by its owner only); the system keychain
// (the entry keychainKey() names); a prompt without echo when standard input
// is a terminal. A user with one usable membership works in it; with several,
// --membership chooses one (its id, or the name of its reseller portal or
// client account), and without it the error lists them. A password that must
// still be changed (a setup code) is refused: the user chooses one in the
// desktop first. Every failure is an Error whose message says what to do;
// the commands exit with status 2 for them.
class HeadlessSignIn final
{
    Q_DECLARE_TR_FUNCTIONS(HeadlessSignIn)

public:
    // Where the user and password may come from besides the options.
    struct Sources
    {
        QString userVariable;                    // RESELLERDESK_USER
        std::optional<QString> passwordVariable; // RESELLERDESK_PASSWORD, when set
        CredentialStore *keychain = nullptr;     // nullptr: no keychain
        bool prompt = true;                      // ask on the terminal when standard input is one
    };
    // The process environment and the given keychain.
    static Sources fromEnvironment(CredentialStore *keychain);

    HeadlessSignIn(Authenticator &authenticator, ConnectionProfile database, Sources sources);

    Result<Session> signIn(const HeadlessCredentials &credentials) const;

    // The keychain entry of a user's password for one database:
    // "signin:EMAIL@postgresql:…" or "signin:EMAIL@sqlite:/path".
    static QString keychainKey(const ConnectionProfile &database, const QString &email);
    // "12  Reseller Admin — Northwind" for the list of memberships.
    static QString describe(const Membership &membership, const SignInResult &signedIn);

private:
    Result<QString> password(const QString &email, const QString &passwordFile) const;
    Result<Session> chooseMembership(const SignInResult &signedIn, const QString &choice) const;

    Authenticator &m_authenticator;
    ConnectionProfile m_database;
    Sources m_sources;
};

// What a headless command works with once signed in: its own connection,
// the clock, the access checks and the signed-in session. Build services
// from these (they are used in this thread only).
struct HeadlessConnection
{
    std::unique_ptr<Database> db;
    SystemClock clock;
    std::unique_ptr<AccessControl> access;
    std::unique_ptr<Authenticator> authenticator;
    std::optional<Session> session;

    HeadlessConnection();
    ~HeadlessConnection();
    Q_DISABLE_COPY_MOVE(HeadlessConnection)
};

// Opens the database of --database (a PostgreSQL address without a password
// takes the keychain's; the schema is never upgraded here, that is the
// desktop's job) and signs in with the options. On failure prints the
// error and sets *exitStatus: 2 for a sign-in mistake, 1 when the database
// cannot be used.
std::unique_ptr<HeadlessConnection> connectHeadless(
    const CommandLineOptions &options, CredentialStore &keychain, int *exitStatus);

// "resellerdesk: MESSAGE" on standard error.
void printHeadlessError(const QString &message);

} // namespace rd::app
