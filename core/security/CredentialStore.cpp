#include "security/CredentialStore.h"

#include "storage/ConnectionProfile.h"

namespace rd {

CredentialStore::CredentialStore(QString service)
    : m_service(std::move(service))
{ }

Result<QString> CredentialStore::read(const QString &) const
{
    return fail(ErrorCode::Unavailable, tr("The system keychain is not available."));
}

Status CredentialStore::write(const QString &, const QString &)
{
    return fail(ErrorCode::Unavailable, tr("The system keychain is not available."));
}

Status CredentialStore::remove(const QString &)
{
    return fail(ErrorCode::Unavailable, tr("The system keychain is not available."));
}

QString CredentialStore::defaultService()
{
    return QStringLiteral("ResellerDesk");
}

QString CredentialStore::smtpKey(const QString &host, int port, const QString &userName)
{
    const QString server = host + QLatin1Char(':') + QString::number(port);
    return QStringLiteral("smtp:")
        + (userName.isEmpty() ? server : userName + QLatin1Char('@') + server);
}

QString CredentialStore::databaseKey(const ConnectionProfile &)
{
    return {};
}

} // namespace rd
