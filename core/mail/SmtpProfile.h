#pragma once

#include <chrono>

#include <QString>

namespace rd {

// Where and how SmtpTransport delivers. The password lives here in memory
// only (read from the keychain); it is never logged or shown.
struct SmtpProfile
{
    enum class Security {
        StartTls,    // plain connect, STARTTLS required before anything else
        ImplicitTls, // TLS from the first byte (port 465)
        Plain,       // no encryption at all: only when the admin chose it
    };

    QString host;
    quint16 port = 587;
    Security security = Security::StartTls;
    QString userName; // empty: no AUTH
    QString password;
    // With Security::Plain, credentials are refused unless this is set too.
    bool allowCredentialsWithoutTls = false;
    QString senderAddress;
    QString senderName; // may be non-ASCII
    // A PEM file with extra CA certificates to trust (e.g. a company CA).
    QString caFile;
    // Mixed into each Message-ID (MimeMessage::Fields::stableSeed) so that
    // two databases' row 1 differ, e.g. the database's instance id.
    QString messageIdSeed;
    // For every step: connect, handshake, each reply, each write.
    std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

} // namespace rd
