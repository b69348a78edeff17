#pragma once

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"

namespace rd {

enum class Dialect { SQLite, PostgreSQL };

// Where a database lives: an SQLite file, or a PostgreSQL server. The
// password is carried for the connection only; it is never written to
// settings or logs (see displayName()). Passwords at rest live in the
// system keychain.
class ConnectionProfile final
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionProfile)

public:
    static constexpr int DefaultPostgresPort = 5432;

    static ConnectionProfile sqlite(const QString &filePath);
    static ConnectionProfile postgres(const QString &host, int port, const QString &databaseName,
        const QString &userName, const QString &password = {});

    // Accepts "postgresql://user:password@host:port/db" (also "postgres://"),
    // "sqlite:///absolute/path" and a plain file path (SQLite).
    static Result<ConnectionProfile> fromUrl(const QString &url);

    Dialect dialect() const noexcept { return m_dialect; }
    const QString &filePath() const noexcept { return m_filePath; }
    const QString &host() const noexcept { return m_host; }
    int port() const noexcept { return m_port; }
    const QString &databaseName() const noexcept { return m_databaseName; }
    const QString &userName() const noexcept { return m_userName; }
    const QString &password() const noexcept { return m_password; }

    ConnectionProfile withPassword(const QString &password) const;
    ConnectionProfile withDatabaseName(const QString &databaseName) const;

    // For status bars and logs: never contains the password.
    QString displayName() const;

private:
    Dialect m_dialect = Dialect::SQLite;
    QString m_filePath;
    QString m_host;
    int m_port = DefaultPostgresPort;
    QString m_databaseName;
    QString m_userName;
    QString m_password;
};

} // namespace rd
