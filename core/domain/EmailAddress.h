#pragma once

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"

namespace rd {

// An email address (DESIGN §2 rules 1–2): kept as typed (trimmed) for display
// and sending, plus the key that decides whether two addresses are the same
// login: the local part Unicode case-folded, '@', the domain in lower-case
// punycode. "+tag" sub-addresses and dots are significant, so
// "joe+news@x.com" and "j.oe@x.com" are other logins than "joe@x.com".
class EmailAddress final
{
    Q_DECLARE_TR_FUNCTIONS(EmailAddress)

public:
    // Practical (WHATWG-style) syntax without quoted local parts, IP-literal
    // domains or comments; internationalised local parts and domains are
    // accepted. The local part may be at most 64 UTF-8 bytes and the whole
    // address, with the domain in punycode, at most 254.
    static Result<EmailAddress> parse(const QString &input);

    // "local+tag@domain", to suggest when taken is already in use (rule 1).
    // The result is a suggestion to be parsed, not a checked address.
    static QString suggestAlias(const EmailAddress &taken, const QString &tag);

    // The input without surrounding whitespace, otherwise as typed.
    const QString &typed() const noexcept { return m_typed; }
    // The comparison key, stored with a unique index.
    const QString &key() const noexcept { return m_key; }
    // The part before the @, as typed.
    const QString &localPart() const noexcept { return m_localPart; }
    // The part after the @, as typed.
    const QString &domain() const noexcept { return m_domain; }
    // The part after the @ in lower-case punycode, e.g. "xn--bcher-kva.de".
    const QString &asciiDomain() const noexcept { return m_asciiDomain; }

    // Same login: equal keys, whatever the spelling.
    friend bool operator==(const EmailAddress &a, const EmailAddress &b)
    {
        return a.m_key == b.m_key;
    }

private:
    EmailAddress(QString typed, QString localPart, QString domain, QString asciiDomain);

    QString m_typed;
    QString m_localPart;
    QString m_domain;
    QString m_asciiDomain;
    QString m_key;
};

} // namespace rd
