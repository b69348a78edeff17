#pragma once

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"

namespace QKeychain {
class Job;
}

namespace rd {

class ConnectionProfile;

// Secrets at rest (DESIGN §4 "Secrets"): the SMTP password and PostgreSQL
// passwords, kept in the system keychain through QtKeychain (the Secret
// Service on Linux) under one service name, one entry per key. Nothing here
// ever writes a secret anywhere else.
//
// The calls are synchronous (QtKeychain's jobs run in a local event loop),
// so use them from a thread with a Qt event dispatcher, never while a
// transaction is open. QtKeychain runs its jobs one at a time through a
// process-wide queue: keep the calls on the GUI (main) thread and hand the
// secret to workers. Every keychain failure other than "no such entry" is
// ErrorCode::Unavailable with QtKeychain's own text in the message ("The
// system keychain cannot be used: <text>"): without a secret service the
// caller says so and asks for the password each time. The plain-text
// fallback QtKeychain offers is switched off, and neither a message nor an
// Error::detail() ever contains a secret (the detail names the key and the
// keychain's error).
class CredentialStore final
{
    Q_DECLARE_TR_FUNCTIONS(CredentialStore)

public:
    // `service` names the keychain collection entry; tests use their own.
    explicit CredentialStore(QString service = defaultService());

    // NotFound when there is no entry for the key; Unavailable when the
    // keychain cannot be used. An empty key (see databaseKey) is NotFound
    // without asking the keychain.
    Result<QString> read(const QString &key) const;
    // Stores or replaces. An empty key is InvalidInput.
    Status write(const QString &key, const QString &secret);
    // Succeeds when there was nothing to delete (also for an empty key).
    Status remove(const QString &key);

    const QString &service() const noexcept { return m_service; }

    static QString defaultService();
    // "smtp:user@host:port" (no user: "smtp:host:port").
    static QString smtpKey(const QString &host, int port, const QString &userName);
    // "postgresql:user@host:port/database" (no user: "postgresql:host:port/
    // database"). SQLite profiles have no password: their key is empty, and
    // read/write/remove treat an empty key as "nothing stored".
    static QString databaseKey(const ConnectionProfile &profile);
    // The same key from a PostgreSQL server's fields (for the connection
    // dialog, which has no profile yet).
    static QString postgresKey(
        const QString &host, int port, const QString &databaseName, const QString &userName);

private:
    static Error unavailable(const QKeychain::Job &job, const char *operation, const QString &key);
    // The wait for the job was ended from outside (the application quit).
    static Error interrupted(const char *operation, const QString &key);

    QString m_service;
};

} // namespace rd
