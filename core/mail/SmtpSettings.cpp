#include "mail/SmtpSettings.h"

namespace rd {

Status SmtpSettings::validate() const
{
    return {};
}

SmtpProfile SmtpSettings::toProfile(const QString &password) const
{
    SmtpProfile profile;
    profile.host = host;
    profile.port = static_cast<quint16>(port);
    profile.security = security;
    profile.userName = userName;
    profile.password = password;
    profile.allowCredentialsWithoutTls = allowCredentialsWithoutTls;
    profile.senderAddress = senderAddress;
    profile.senderName = senderName;
    profile.caFile = caFile;
    return profile;
}

QHash<QString, QString> SmtpSettings::toStored() const
{
    return {};
}

SmtpSettings SmtpSettings::fromStored(const QHash<QString, QString> &)
{
    return {};
}

QString SmtpSettings::securityKey(SmtpProfile::Security security)
{
    switch (security) {
    case SmtpProfile::Security::StartTls:
        return QStringLiteral("starttls");
    case SmtpProfile::Security::ImplicitTls:
        return QStringLiteral("implicit_tls");
    case SmtpProfile::Security::Plain:
        return QStringLiteral("plain");
    }
    Q_UNREACHABLE();
    return {};
}

int SmtpSettings::defaultPort(SmtpProfile::Security security)
{
    switch (security) {
    case SmtpProfile::Security::StartTls:
        return 587;
    case SmtpProfile::Security::ImplicitTls:
        return 465;
    case SmtpProfile::Security::Plain:
        return 25;
    }
    Q_UNREACHABLE();
    return 587;
}

} // namespace rd
