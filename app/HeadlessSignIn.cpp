#include "HeadlessSignIn.h"

#include <cstdio>
#include <string>

#include <termios.h>
#include <unistd.h>

#include <QFile>
#include <QFileInfo>

#include "CommandLine.h"
#include "domain/Role.h"
#include "security/CredentialStore.h"
#include "security/LocalAuthenticator.h"
#include "security/PasswordHasher.h"
#include "services/AccessControl.h"
#include "storage/Database.h"

namespace rd::app {

namespace {

// The first line of an owner-only file.
Result<QString> readPasswordFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists() || !info.isFile()) {
        return fail(ErrorCode::InvalidInput,
            HeadlessSignIn::tr("There is no password file at “%1”.").arg(path));
    }
    const QFile::Permissions shared
        = QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
    if (info.permissions() & shared) {
        return fail(ErrorCode::InvalidInput,
            HeadlessSignIn::tr("The password file “%1” can be read or changed by other users. "
                               "Allow its owner only (chmod 600) and try again.")
                .arg(path));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::InvalidInput,
            HeadlessSignIn::tr("The password file “%1” cannot be read: %2")
                .arg(path, file.errorString()));
    }
    QByteArray line = file.readLine();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
            HeadlessSignIn::tr("The first line of the password file “%1” is empty.").arg(path));
    }
    return QString::fromUtf8(line);
}

// Asks on the terminal with echo off; nothing when standard input is not one.
std::optional<QString> promptOnTerminal(const QString &email)
{
    if (::isatty(STDIN_FILENO) != 1)
        return std::nullopt;
    std::fprintf(stderr, "%s", qPrintable(HeadlessSignIn::tr("Password for %1: ").arg(email)));
    std::fflush(stderr);
    termios saved = {};
    const bool quiet = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (quiet) {
        termios silent = saved;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }
    std::string line;
    int c = 0;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n')
        line.push_back(static_cast<char>(c));
    if (quiet)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fprintf(stderr, "\n");
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

} // namespace

HeadlessSignIn::Sources HeadlessSignIn::fromEnvironment(CredentialStore *keychain)
{
    Sources sources;
    sources.userVariable = qEnvironmentVariable("RESELLERDESK_USER");
    if (qEnvironmentVariableIsSet("RESELLERDESK_PASSWORD"))
        sources.passwordVariable = qEnvironmentVariable("RESELLERDESK_PASSWORD");
    sources.keychain = keychain;
    return sources;
}

HeadlessSignIn::HeadlessSignIn(
    Authenticator &authenticator, ConnectionProfile database, Sources sources)
    : m_authenticator(authenticator)
    , m_database(std::move(database))
    , m_sources(std::move(sources))
{ }

QString HeadlessSignIn::keychainKey(const ConnectionProfile &database, const QString &email)
{
    const QString where = database.dialect() == Dialect::SQLite
        ? QStringLiteral("sqlite:") + QFileInfo(database.filePath()).absoluteFilePath()
        : CredentialStore::databaseKey(database);
    return QStringLiteral("signin:%1@%2").arg(email.trimmed().toLower(), where);
}

QString HeadlessSignIn::describe(const Membership &membership, const SignInResult &signedIn)
{
    const QString context = signedIn.contextNames.value(membership.id());
    if (membership.contextKind() == ContextKind::Vendor || context.isEmpty())
        return tr("%1  %2").arg(membership.id()).arg(roleDisplayName(membership.role()));
    return tr("%1  %2 — %3").arg(membership.id()).arg(roleDisplayName(membership.role()), context);
}

Result<QString> HeadlessSignIn::password(const QString &email, const QString &passwordFile) const
{
    if (m_sources.passwordVariable) {
        if (m_sources.passwordVariable->isEmpty()) {
            return fail(ErrorCode::InvalidInput,
                tr("RESELLERDESK_PASSWORD is set but empty. Set it to the password of %1, or "
                   "unset it to use --password-file, the keychain or a prompt.")
                    .arg(email));
        }
        return *m_sources.passwordVariable;
    }
    if (!passwordFile.isEmpty())
        return readPasswordFile(passwordFile);
    QString keychainNote;
    if (m_sources.keychain) {
        const Result<QString> stored = m_sources.keychain->read(keychainKey(m_database, email));
        if (stored && !stored->isEmpty())
            return *stored;
        if (!stored && stored.error().code() != ErrorCode::NotFound)
            keychainNote = QLatin1Char(' ') + stored.error().message();
    }
    if (m_sources.prompt) {
        if (std::optional<QString> typed = promptOnTerminal(email); typed && !typed->isEmpty())
            return *typed;
    }
    return fail(ErrorCode::InvalidInput,
        tr("No password for %1: set RESELLERDESK_PASSWORD, give --password-file FILE, store it "
           "in the system keychain, or run the command on a terminal to be asked.%2")
            .arg(email, keychainNote));
}

Result<Session> HeadlessSignIn::signIn(const HeadlessCredentials &credentials) const
{
    const QString email
        = (credentials.user.isEmpty() ? m_sources.userVariable : credentials.user).trimmed();
    if (email.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
            tr("Who signs in? Give --user EMAIL or set RESELLERDESK_USER."),
            QStringLiteral("user"));
    }
    Result<QString> secret = password(email, credentials.passwordFile);
    if (!secret)
        return fail(secret.error());
    Result<SignInResult> signedIn = m_authenticator.signIn(email, *secret);
    if (!signedIn)
        return fail(signedIn.error());
    if (signedIn->mustChangePassword) {
        return fail(ErrorCode::PermissionDenied,
            tr("%1 signed in with a temporary password. Sign in once in the desktop to choose a "
               "password, then use that one here.")
                .arg(email));
    }
    return chooseMembership(*signedIn, credentials.membership.trimmed());
}

Result<Session> HeadlessSignIn::chooseMembership(
    const SignInResult &signedIn, const QString &choice) const
{
    const QList<Membership> &all = signedIn.memberships;
    QList<Membership> matching;
    if (choice.isEmpty()) {
        matching = all;
    } else {
        bool number = false;
        const qint64 id = choice.toLongLong(&number);
        for (const Membership &membership : all) {
            const bool byId = number && membership.id() == id;
            const bool byName
                = signedIn.contextNames.value(membership.id()).compare(choice, Qt::CaseInsensitive)
                == 0;
            const bool byRole = membership.contextKind() == ContextKind::Vendor
                && (roleDisplayName(membership.role()).compare(choice, Qt::CaseInsensitive) == 0
                    || roleKey(membership.role()).compare(choice, Qt::CaseInsensitive) == 0);
            if (byId || byName || byRole)
                matching.append(membership);
        }
    }
    if (matching.size() == 1)
        return m_authenticator.openSession(signedIn, matching.constFirst().id());

    QStringList lines;
    for (const Membership &membership : all)
        lines.append(QStringLiteral("  ") + describe(membership, signedIn));
    const QString list = lines.join(QLatin1Char('\n'));
    if (choice.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
            tr("%1 has several memberships. Choose one with --membership ID-or-name:\n%2")
                .arg(signedIn.email, list),
            QStringLiteral("membership"));
    }
    if (matching.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
            tr("%1 has no membership “%2”. Choose one of these with --membership ID-or-name:\n%3")
                .arg(signedIn.email, choice, list),
            QStringLiteral("membership"));
    }
    return fail(ErrorCode::InvalidInput,
        tr("“%1” names several memberships of %2. Choose one by its number:\n%3")
            .arg(choice, signedIn.email, list),
        QStringLiteral("membership"));
}

HeadlessConnection::HeadlessConnection() = default;

HeadlessConnection::~HeadlessConnection()
{
    // The services before the connection they use.
    authenticator.reset();
    access.reset();
    db.reset();
}

void printHeadlessError(const QString &message)
{
    std::fprintf(stderr, "resellerdesk: %s\n", qPrintable(message));
    std::fflush(stderr);
}

std::unique_ptr<HeadlessConnection> connectHeadless(
    const CommandLineOptions &options, CredentialStore &keychain, int *exitStatus)
{
    *exitStatus = 1;
    Result<ConnectionProfile> profile = ConnectionProfile::fromUrl(options.database);
    if (!profile) {
        *exitStatus = 2;
        printHeadlessError(profile.error().message());
        return nullptr;
    }
    QString keychainNote;
    if (profile->dialect() == Dialect::SQLite) {
        // Never create an empty database where there is none.
        if (!QFileInfo(profile->filePath()).isFile()) {
            printHeadlessError(
                HeadlessSignIn::tr("There is no database at “%1”.").arg(profile->filePath()));
            return nullptr;
        }
    } else if (profile->password().isEmpty()) {
        Result<QString> stored = keychain.read(CredentialStore::databaseKey(*profile));
        if (stored)
            profile = profile->withPassword(*stored);
        else
            keychainNote = QLatin1Char(' ')
                + HeadlessSignIn::tr("The address has no password and the system keychain has "
                                     "none for it: %1")
                      .arg(stored.error().message());
    }

    auto connection = std::make_unique<HeadlessConnection>();
    Database::Options openOptions;
    openOptions.migrate = false; // a schema upgrade is the desktop's job (with a backup)
    Result<std::unique_ptr<Database>> db = Database::open(*profile, openOptions);
    if (!db) {
        printHeadlessError(db.error().toString() + keychainNote);
        return nullptr;
    }
    connection->db = std::move(*db);
    connection->access = std::make_unique<AccessControl>(*connection->db, connection->clock);
    connection->authenticator = std::make_unique<LocalAuthenticator>(
        *connection->db, connection->clock, PasswordHasher(PasswordCost::production()));

    const HeadlessSignIn signIn(
        *connection->authenticator, *profile, HeadlessSignIn::fromEnvironment(&keychain));
    Result<Session> session
        = signIn.signIn({options.user, options.passwordFile, options.membership});
    if (!session) {
        *exitStatus = 2;
        printHeadlessError(session.error().message());
        return nullptr;
    }
    connection->session = *session;
    *exitStatus = 0;
    return connection;
}

} // namespace rd::app
