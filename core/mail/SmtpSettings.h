#pragma once

#include <optional>

#include <QCoreApplication>
#include <QHash>
#include <QString>

#include "domain/Error.h"
#include "mail/SmtpProfile.h"

namespace rd {

// The SMTP part of the shared domain settings (one per database, so every
// desktop and the headless dispatcher deliver through the same server). The
// password is not here: it lives in each delivering desktop's keychain
// under CredentialStore::smtpKey(host, port, userName).
//
// Stored keys (also the field() of a validation error): smtp_enabled,
// smtp_host, smtp_port, smtp_security ("starttls", "implicit_tls", "plain"),
// smtp_user, smtp_allow_plain_auth, smtp_sender_address, smtp_sender_name,
// smtp_ca_file.
struct SmtpSettings
{
    Q_DECLARE_TR_FUNCTIONS(SmtpSettings)

public:
    bool enabled = false; // false: mail stays queued, nothing is delivered
    QString host;
    int port = 587;
    SmtpProfile::Security security = SmtpProfile::Security::StartTls;
    QString userName; // empty: the server needs no AUTH
    bool allowCredentialsWithoutTls = false;
    QString senderAddress;
    QString senderName;
    QString caFile; // a PEM file on the delivering machine; empty: system CAs only

    // When enabled: host (a name or address), port 1..65535, a valid sender
    // address, and no credentials over plain text unless allowed. Disabled
    // settings are checked only for what is filled in. Also: host a DNS name,
    // a single-label local name ("localhost", "mailhub") or an IPv4/IPv6
    // address; user name and sender name without line breaks or other
    // control characters (the name goes into the From header); the CA file
    // not blank (it is a path on the delivering machine, so whether it can be
    // read is the transport's business). InvalidInput with a translated
    // message and field() = the stored key of the value at fault.
    Status validate() const;

    // The transport's profile with the password read from the keychain.
    SmtpProfile toProfile(const QString &password) const;

    // Every key above, as text: bools "true"/"false", the port a number, the
    // security mode its securityKey().
    QHash<QString, QString> toStored() const;
    // Stored values over the defaults; unreadable values keep the default.
    static SmtpSettings fromStored(const QHash<QString, QString> &values);
    // The same over given defaults (missing keys keep these).
    static SmtpSettings fromStored(const QHash<QString, QString> &values, SmtpSettings defaults);

    static QString securityKey(SmtpProfile::Security security);
    // The mode a securityKey() names; nullopt for any other text.
    static std::optional<SmtpProfile::Security> securityFromKey(const QString &key);
    // The usual port of a security mode: 587, 465 or 25.
    static int defaultPort(SmtpProfile::Security security);

    friend bool operator==(const SmtpSettings &, const SmtpSettings &) = default;
};

} // namespace rd
