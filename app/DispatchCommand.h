#pragma once

#include <QCoreApplication>
#include <QString>

#include "CommandLine.h"
#include "domain/Error.h"
#include "security/CredentialStore.h"
#include "services/Clock.h"

namespace rd {
class ConnectionProfile;
class Database;
struct DispatchCounts;
struct SmtpProfile;
struct SmtpSettings;
} // namespace rd

namespace rd::app {

// `resellerdesk dispatch [--once]`: delivers the outbox of one database
// without a window, for a server without a display. It reads the SMTP
// settings of the database (refusing when delivery is off or incomplete) and
// the SMTP password from --smtp-password-file (owner-readable only) or the
// system keychain; a PostgreSQL address without a password takes it from the
// keychain. --once delivers what is due and prints a summary; otherwise it
// runs a MailWorker until SIGTERM or SIGINT, which let the message in hand
// finish. It never prints a secret. Exit status 0 when done or stopped, 1
// when the database, the settings or the password cannot be used.
class DispatchCommand final
{
    Q_DECLARE_TR_FUNCTIONS(DispatchCommand)

public:
    explicit DispatchCommand(CommandLineOptions options);
    ~DispatchCommand();
    Q_DISABLE_COPY_MOVE(DispatchCommand)

    // Needs a QCoreApplication; returns the process exit status.
    int run();

    // One line: sent, retried, failed, unknown, recovered.
    static QString summary(const DispatchCounts &counts);

private:
    // A PostgreSQL address without a password gets the keychain's; when the
    // keychain has none, `keychainNote` says why (for a failed open).
    Result<ConnectionProfile> databaseProfile(QString *keychainNote) const;
    // Empty when the server needs no AUTH (no user).
    Result<QString> smtpPassword(const SmtpSettings &smtp) const;
    int deliverDue(Database &db, const SmtpProfile &smtp);
    int runUntilStopped(const ConnectionProfile &database, const SmtpProfile &smtp);

    CommandLineOptions m_options;
    SystemClock m_clock;
    CredentialStore m_credentials;
};

} // namespace rd::app
