#pragma once

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"

namespace rd {

// A domain name (DESIGN §2 rule 2), kept in its ASCII form: punycode for
// internationalised names, lower-case, no trailing dot. That form is what is
// stored and compared; display() gives the Unicode form back for people.
class DomainName final
{
    Q_DECLARE_TR_FUNCTIONS(DomainName)

public:
    // A customer's website as a user types or pastes it: a bare domain or a
    // URL. Scheme, user info, port, path, query, fragment, a trailing dot and a
    // leading "www." (when two labels remain) are dropped, so
    // "https://www.Example.com/x" gives "example.com". Blank input is an
    // error: callers treat the field as optional before calling.
    static Result<DomainName> parse(const QString &input);

    // A host name exactly as given, e.g. the part of an email address after
    // the @: no URL parts, no trailing dot and no "www." stripping.
    static Result<DomainName> parseHostName(const QString &hostName);

    // The ASCII (punycode) lower-case form, e.g. "xn--bcher-kva.de".
    const QString &ascii() const noexcept { return m_ascii; }
    // The Unicode form for display, e.g. "bücher.de".
    QString display() const;

    friend bool operator==(const DomainName &a, const DomainName &b)
    {
        return a.m_ascii == b.m_ascii;
    }

private:
    explicit DomainName(QString ascii);

    QString m_ascii;
};

} // namespace rd
