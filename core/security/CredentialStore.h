#pragma once

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"

namespace rd {

class ConnectionProfile;

// Secrets at rest (DESIGN §4 "Secrets"): the SMTP password and PostgreSQL
// passwords, kept in the system keychain through QtKeychain (the Secret
// Service on Linux) under one service name, one entry per key. Nothing here
// ever writes a secret anywhere else.
//
// The calls are synchronous (QtKeychain's jobs run in a local event loop),
// so use them from a thread with a Qt event dispatcher, never while a
// transaction is open. Every keychain failure other than "no such entry" is
// ErrorCode::Unavailable with QtKeychain's own text in the message: without
// a secret service the caller says so and asks for the password each time.
class CredentialStore final
{
    Q_DECLARE_TR_FUNCTIONS(CredentialStore)

public:
    // `service` names the keychain collection entry; tests use their own.
    explicit CredentialStore(QString service = defaultService());

    // NotFound when there is no entry for the key; Unavailable when the
    // keychain cannot be used.
    Result<QString> read(const QString &key) const;
    // Stores or replaces.
    Status write(const QString &key, const QString &secret);
    // Succeeds when there was nothing to delete.
    Status remove(const QString &key);

    const QString &service() const noexcept { return m_service; }

    static QString defaultService();
    // "smtp:user@host:port" (no user: "smtp:host:port").
    static QString smtpKey(const QString &host, int port, const QString &userName);
    // "postgresql:user@host:port/database"; SQLite profiles have no password.
    static QString databaseKey(const ConnectionProfile &profile);

private:
    QString m_service;
};

} // namespace rd
