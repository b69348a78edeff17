#include "storage/ConnectionProfile.h"

#include <QDir>
#include <QUrl>

namespace rd {

ConnectionProfile ConnectionProfile::sqlite(const QString &filePath)
{
    ConnectionProfile profile;
    profile.m_dialect = Dialect::SQLite;
    profile.m_filePath = filePath;
    return profile;
}

ConnectionProfile ConnectionProfile::postgres(const QString &host, int port,
    const QString &databaseName, const QString &userName, const QString &password)
{
    ConnectionProfile profile;
    profile.m_dialect = Dialect::PostgreSQL;
    profile.m_host = host;
    profile.m_port = port;
    profile.m_databaseName = databaseName;
    profile.m_userName = userName;
    profile.m_password = password;
    return profile;
}

Result<ConnectionProfile> ConnectionProfile::fromUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        return fail(
            ErrorCode::InvalidInput, tr("No database was given."), QStringLiteral("database"));
    }

    const bool isPostgres = trimmed.startsWith(QLatin1String("postgresql://"))
        || trimmed.startsWith(QLatin1String("postgres://"));
    if (!isPostgres) {
        QString path = trimmed;
        if (path.startsWith(QLatin1String("sqlite://")))
            path = QUrl::fromPercentEncoding(path.mid(9).toUtf8());
        else if (path.contains(QLatin1String("://")))
            return fail(ErrorCode::InvalidInput,
                tr("“%1” is neither a postgresql:// address nor an SQLite file path.").arg(trimmed),
                QStringLiteral("database"));
        if (path.isEmpty())
            return fail(ErrorCode::InvalidInput, tr("The SQLite file path is empty."),
                QStringLiteral("database"));
        return sqlite(QDir::cleanPath(QDir::current().absoluteFilePath(path)));
    }

    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        return fail(ErrorCode::InvalidInput,
            tr("The PostgreSQL address is not valid. Use "
               "postgresql://user:password@host:port/database."),
            QStringLiteral("database"), url.errorString());
    }
    const QString databaseName = url.path().mid(1); // without the leading '/'
    if (databaseName.isEmpty() || databaseName.contains(QLatin1Char('/'))) {
        return fail(ErrorCode::InvalidInput,
            tr("The PostgreSQL address names no database. Add it after the host, as in "
               "postgresql://user@host/resellerdesk."),
            QStringLiteral("database"));
    }
    const int port = url.port(DefaultPostgresPort);
    if (port <= 0 || port > 65535) {
        return fail(ErrorCode::InvalidInput, tr("The PostgreSQL port must be 1 to 65535."),
            QStringLiteral("database"));
    }
    return postgres(url.host(), port, databaseName, url.userName(QUrl::FullyDecoded),
        url.password(QUrl::FullyDecoded));
}

ConnectionProfile ConnectionProfile::withPassword(const QString &password) const
{
    ConnectionProfile copy = *this;
    copy.m_password = password;
    return copy;
}

ConnectionProfile ConnectionProfile::withDatabaseName(const QString &databaseName) const
{
    ConnectionProfile copy = *this;
    copy.m_databaseName = databaseName;
    return copy;
}

QString ConnectionProfile::displayName() const
{
    if (m_dialect == Dialect::SQLite)
        return QDir::toNativeSeparators(m_filePath);
    QString who = m_userName.isEmpty() ? QString() : m_userName + QLatin1Char('@');
    return QStringLiteral("postgresql://") + who + m_host + QLatin1Char(':')
        + QString::number(m_port) + QLatin1Char('/') + m_databaseName;
}

} // namespace rd
