#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include "domain/Error.h"

namespace rd {

// One outgoing email in its wire form (RFC 5322 + MIME): a single UTF-8
// text/plain part. Header inputs are checked once in create(), so a value
// always renders to a well-formed message; CR or LF in any header input is
// refused there, never passed on as a new header line. Display names and the
// subject are trimmed.
class MimeMessage final
{
    Q_DECLARE_TR_FUNCTIONS(MimeMessage)

public:
    struct Mailbox
    {
        QString displayName; // may be empty or non-ASCII
        QString address;     // parsed with EmailAddress; the local part must be ASCII
    };

    struct Fields
    {
        Mailbox from;
        Mailbox to;
        QString subject;
        QString body; // plain text; any line-ending convention
        QDateTime date;
        QString messageIdDomain; // e.g. the sender's domain; IDN is converted to punycode
        qint64 stableId = 0;     // the outbox row id
        // Mixed into the Message-ID hash so that row 1 of two databases gives
        // two ids: e.g. the row's creation time. Must not change between sends.
        QString stableSeed;
    };

    static Result<MimeMessage> create(const Fields &fields);

    // The whole message for SMTP DATA, CRLF line endings, ending in CRLF.
    // The body is sent as 8bit when the server offered 8BITMIME and no body
    // line exceeds 998 octets, otherwise as quoted-printable. Not dot-stuffed:
    // see dotStuffed().
    QByteArray toWire(bool eightBitMime) const;

    // SMTP transparency (RFC 5321 §4.5.2): every line starting with '.' gets
    // one more. Takes CRLF text such as toWire(). The transport sends the
    // result and then ".\r\n" (toWire() already ends in CRLF, which makes the
    // "\r\n.\r\n" terminator); adding the terminator is the transport's job.
    static QByteArray dotStuffed(const QByteArray &data);

    // RFC 5322 date-time, e.g. "Tue, 05 Mar 2024 14:07:09 +0100": English
    // names and the date's own numeric UTC offset, never the locale.
    static QByteArray formatDate(const QDateTime &date);

    // "<outbox-<id>.<hash>@domain>", the same for the same Fields id, seed,
    // recipient and domain, so a resend of an "unknown" row is recognisable.
    const QByteArray &messageId() const noexcept { return m_messageId; }
    // ASCII addresses for MAIL FROM / RCPT TO.
    const QByteArray &envelopeFrom() const noexcept { return m_fromAddress; }
    const QByteArray &envelopeTo() const noexcept { return m_toAddress; }

private:
    MimeMessage() = default;

    QByteArray m_headers; // everything up to Content-Transfer-Encoding
    QByteArray m_body;    // UTF-8, CRLF line endings, ending in CRLF
    QByteArray m_messageId;
    QByteArray m_fromAddress;
    QByteArray m_toAddress;
};

} // namespace rd
