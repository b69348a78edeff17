#include "mail/SmtpSettings.h"

#include <QHostAddress>

#include "domain/DomainName.h"
#include "domain/EmailAddress.h"
#include "domain/TextLimits.h"

namespace rd {

namespace {

const QString EnabledKey = QStringLiteral("smtp_enabled");
const QString HostKey = QStringLiteral("smtp_host");
const QString PortKey = QStringLiteral("smtp_port");
const QString SecurityKey = QStringLiteral("smtp_security");
const QString UserKey = QStringLiteral("smtp_user");
const QString AllowPlainAuthKey = QStringLiteral("smtp_allow_plain_auth");
const QString SenderAddressKey = QStringLiteral("smtp_sender_address");
const QString SenderNameKey = QStringLiteral("smtp_sender_name");
const QString CaFileKey = QStringLiteral("smtp_ca_file");

QString boolText(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

bool isAsciiLetterOrDigit(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
        || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
        || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

// One label of a host name on the local network ("localhost", "mailhub").
bool isSingleLabelHost(const QString &host)
{
    if (host.isEmpty() || host.size() > 63 || host.startsWith(QLatin1Char('-'))
        || host.endsWith(QLatin1Char('-')))
        return false;
    for (const QChar c : host) {
        if (!isAsciiLetterOrDigit(c) && c != QLatin1Char('-'))
            return false;
    }
    return true;
}

// A name the transport can resolve or an IPv4/IPv6 address (no brackets).
bool isPlausibleHost(const QString &host)
{
    QHostAddress address;
    if (address.setAddress(host))
        return true;
    if (!host.contains(QLatin1Char('.')) && !host.contains(QLatin1Char(':')))
        return isSingleLabelHost(host);
    return DomainName::parseHostName(host).has_value();
}

bool hasControlCharacter(const QString &text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

} // namespace

Status SmtpSettings::validate() const
{
    const auto invalid = [](const QString &message, const QString &field, const QString &detail) {
        return fail(ErrorCode::InvalidInput, message, field, detail);
    };

    if (host.isEmpty()) {
        if (enabled)
            return invalid(tr("Enter the mail server that delivers the email, like "
                              "smtp.example.com."),
                HostKey, QStringLiteral("smtp_host is empty"));
    } else if (host.size() > TextLimits::Domain || !isPlausibleHost(host)) {
        return invalid(tr("“%1” is not a server name or IP address, like smtp.example.com.")
                           .arg(host.left(TextLimits::Domain)),
            HostKey, QStringLiteral("smtp_host"));
    }

    if (port < 1 || port > 65535) {
        return invalid(tr("The port must be between 1 and 65535; %1 is usual for this "
                          "kind of connection.")
                           .arg(defaultPort(security)),
            PortKey, QStringLiteral("smtp_port=%1").arg(port));
    }

    if (userName.size() > TextLimits::Email || hasControlCharacter(userName)) {
        return invalid(tr("The user name may have at most %n characters and no line breaks.",
                           nullptr, static_cast<int>(TextLimits::Email)),
            UserKey, QStringLiteral("smtp_user"));
    }
    if (!userName.isEmpty() && security == SmtpProfile::Security::Plain
        && !allowCredentialsWithoutTls) {
        return invalid(tr("Without encryption the password would cross the network in plain "
                          "text. Choose STARTTLS or TLS, or allow this explicitly."),
            AllowPlainAuthKey, QStringLiteral("smtp_user set with security=plain"));
    }

    if (senderAddress.isEmpty()) {
        if (enabled)
            return invalid(tr("Enter the address the email is sent from."), SenderAddressKey,
                QStringLiteral("smtp_sender_address is empty"));
    } else {
        Result<EmailAddress> sender = EmailAddress::parse(senderAddress);
        if (!sender)
            return invalid(sender.error().message(), SenderAddressKey, sender.error().detail());
        if (sender->typed() != senderAddress)
            return invalid(tr("The sender address cannot begin or end with spaces."),
                SenderAddressKey, QStringLiteral("smtp_sender_address has surrounding spaces"));
    }

    // The name goes into the From header: a line break there would add headers.
    if (hasControlCharacter(senderName)) {
        return invalid(tr("The sender name cannot contain line breaks or control characters."),
            SenderNameKey, QStringLiteral("smtp_sender_name has a control character"));
    }
    if (TextLimits::characterCount(senderName) > TextLimits::ContactName) {
        return invalid(tr("The sender name may have at most %n characters.", nullptr,
                           static_cast<int>(TextLimits::ContactName)),
            SenderNameKey, QStringLiteral("smtp_sender_name too long"));
    }

    // The file is on the delivering machine, which may not be this one: only
    // the text is checked here, the transport reports a file it cannot read.
    if (!caFile.isEmpty()
        && (caFile.trimmed().isEmpty() || caFile.size() > TextLimits::SettingValue
            || hasControlCharacter(caFile))) {
        return invalid(tr("Enter the path of a PEM file with the extra certificates, or leave "
                          "it empty to trust the system's certificates only."),
            CaFileKey, QStringLiteral("smtp_ca_file"));
    }
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
    return {
        {EnabledKey, boolText(enabled)},
        {HostKey, host},
        {PortKey, QString::number(port)},
        {SecurityKey, securityKey(security)},
        {UserKey, userName},
        {AllowPlainAuthKey, boolText(allowCredentialsWithoutTls)},
        {SenderAddressKey, senderAddress},
        {SenderNameKey, senderName},
        {CaFileKey, caFile},
    };
}

SmtpSettings SmtpSettings::fromStored(const QHash<QString, QString> &values)
{
    return fromStored(values, SmtpSettings {});
}

SmtpSettings SmtpSettings::fromStored(const QHash<QString, QString> &values, SmtpSettings settings)
{
    const auto readBool = [&values](const QString &key, bool &member) {
        const QString value = values.value(key);
        if (value == QLatin1String("true"))
            member = true;
        else if (value == QLatin1String("false"))
            member = false;
    };
    const auto readText = [&values](const QString &key, QString &member) {
        const auto it = values.constFind(key);
        if (it != values.cend())
            member = *it;
    };

    readBool(EnabledKey, settings.enabled);
    readText(HostKey, settings.host);
    if (const std::optional<SmtpProfile::Security> parsed
        = securityFromKey(values.value(SecurityKey))) {
        settings.security = *parsed;
    }
    if (const auto it = values.constFind(PortKey); it != values.cend()) {
        bool ok = false;
        const int port = it->trimmed().toInt(&ok);
        if (ok)
            settings.port = port;
    }
    readText(UserKey, settings.userName);
    readBool(AllowPlainAuthKey, settings.allowCredentialsWithoutTls);
    readText(SenderAddressKey, settings.senderAddress);
    readText(SenderNameKey, settings.senderName);
    readText(CaFileKey, settings.caFile);
    return settings;
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

std::optional<SmtpProfile::Security> SmtpSettings::securityFromKey(const QString &key)
{
    for (const SmtpProfile::Security security : {SmtpProfile::Security::StartTls,
             SmtpProfile::Security::ImplicitTls, SmtpProfile::Security::Plain}) {
        if (key == securityKey(security))
            return security;
    }
    return std::nullopt;
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
