#include "domain/DomainName.h"

#include <algorithm>

#include <QList>
#include <QStringView>
#include <QUrl>

#include "domain/TextLimits.h"

namespace rd {

namespace {

const QString Field = QStringLiteral("domain");

// Longer input cannot become a valid domain; refusing it early keeps the
// punycode conversion away from pathological input.
constexpr qsizetype MaxHostInput = 1024;

// The label separators IDNA maps to '.': full stop, ideographic full stop,
// full-width full stop and half-width ideographic full stop.
bool isLabelSeparator(QChar c)
{
    return c == QLatin1Char('.') || c == QChar(0x3002) || c == QChar(0xFF0E) || c == QChar(0xFF61);
}

bool isAsciiLetterOrDigit(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
}

bool isAsciiDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

QList<QStringView> splitLabels(QStringView host)
{
    QList<QStringView> labels;
    qsizetype start = 0;
    for (qsizetype i = 0; i < host.size(); ++i) {
        if (isLabelSeparator(host[i])) {
            labels.append(host.sliced(start, i - start));
            start = i + 1;
        }
    }
    labels.append(host.sliced(start));
    return labels;
}

bool isAllDigits(QStringView label)
{
    if (label.isEmpty())
        return false;
    for (const QChar c : label) {
        if (!isAsciiDigit(c))
            return false;
    }
    return true;
}

// "1.2.3.4" or "[::1]": an IP address where a domain name belongs.
bool looksLikeIpAddress(QStringView host)
{
    if (host.startsWith(QLatin1Char('[')))
        return true;
    const QList<QStringView> labels = splitLabels(host);
    return labels.size() == 4 && std::all_of(labels.cbegin(), labels.cend(), isAllDigits);
}

} // namespace

DomainName::DomainName(QString ascii)
    : m_ascii(std::move(ascii))
{ }

QString DomainName::display() const
{
    // Without IgnoreIDNWhitelist Qt shows punycode for top-level domains not
    // on its built-in list (e.g. ".xyz"); people want back what they typed.
    return QUrl::fromAce(m_ascii.toLatin1(), QUrl::IgnoreIDNWhitelist);
}

Result<DomainName> DomainName::parseHostName(const QString &hostName)
{
    const auto invalid = [&hostName](const QString &reason) {
        return fail(ErrorCode::InvalidInput,
            tr("“%1” is not a valid domain: %2").arg(hostName, reason), Field);
    };

    if (hostName.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Enter a domain, like example.com."), Field);
    if (hostName.size() > MaxHostInput)
        return invalid(tr("a domain may be at most %n characters.", nullptr,
            static_cast<int>(TextLimits::Domain)));
    if (looksLikeIpAddress(hostName))
        return fail(ErrorCode::InvalidInput,
            tr("“%1” is an IP address. Enter a domain name, like example.com.").arg(hostName),
            Field);

    // Checks on the text as typed, for messages that name the actual problem.
    for (const QChar c : hostName) {
        if (c.isSpace())
            return invalid(tr("it cannot contain spaces."));
        if (c.unicode() < 0x80 && !isAsciiLetterOrDigit(c) && c != QLatin1Char('-')
            && c != QLatin1Char('.'))
            return invalid(tr("it cannot contain “%1”.").arg(c));
    }
    const QList<QStringView> typedLabels = splitLabels(hostName);
    if (typedLabels.size() < 2)
        return invalid(tr("it needs at least one dot, like example.com."));
    for (const QStringView label : typedLabels) {
        if (label.isEmpty())
            return invalid(tr("it cannot start or end with a dot or have two dots in a row."));
        if (label.startsWith(QLatin1Char('-')) || label.endsWith(QLatin1Char('-')))
            return invalid(tr("a part between dots cannot start or end with a hyphen."));
        if (TextLimits::characterCount(label) > TextLimits::DomainLabel)
            return invalid(tr("each part between dots may be at most %n characters.", nullptr,
                static_cast<int>(TextLimits::DomainLabel)));
    }

    // Internationalised names are checked in their punycode (ACE) form. Qt
    // returns an empty result for anything IDNA refuses.
    const QByteArray ace = QUrl::toAce(hostName);
    if (ace.isEmpty()) {
        for (const QStringView label : typedLabels) {
            if (QUrl::toAce(label.toString()).isEmpty())
                return invalid(tr("“%1” cannot be part of a domain name: it is too long in "
                                  "its ASCII form or uses characters a domain cannot have.")
                                   .arg(label));
        }
        return invalid(tr("it contains characters that cannot be used in a domain name."));
    }
    const QString ascii = QString::fromLatin1(ace).toLower();

    // The ASCII form must be letters, digits and hyphens (LDH) only: IDNA
    // mapping can turn some characters (e.g. a full-width low line) into
    // ASCII ones that a host name may not contain.
    const QList<QStringView> labels = splitLabels(ascii);
    if (labels.size() < 2)
        return invalid(tr("it needs at least one dot, like example.com."));
    for (const QStringView label : labels) {
        if (label.isEmpty())
            return invalid(tr("it cannot start or end with a dot or have two dots in a row."));
        if (label.size() > TextLimits::DomainLabel)
            return invalid(tr("each part between dots may be at most %n characters.", nullptr,
                static_cast<int>(TextLimits::DomainLabel)));
        if (label.startsWith(QLatin1Char('-')) || label.endsWith(QLatin1Char('-')))
            return invalid(tr("a part between dots cannot start or end with a hyphen."));
        for (const QChar c : label) {
            if (!isAsciiLetterOrDigit(c) && c != QLatin1Char('-'))
                return invalid(tr("it cannot contain “%1”.").arg(c));
        }
    }
    if (ascii.size() > TextLimits::Domain)
        return invalid(tr("a domain may be at most %n characters.", nullptr,
            static_cast<int>(TextLimits::Domain)));
    if (isAllDigits(labels.constLast()))
        return invalid(tr("the last part cannot be digits only."));
    return DomainName(ascii);
}

Result<DomainName> DomainName::parse(const QString &input)
{
    const QString trimmed = input.trimmed();
    if (trimmed.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Enter a domain, like example.com."), Field);

    QStringView host(trimmed);

    // Scheme ("https://") or a scheme-relative "//".
    const qsizetype schemeEnd = host.indexOf(QLatin1String("://"));
    if (schemeEnd > 0) {
        const QStringView scheme = host.first(schemeEnd);
        bool isScheme = scheme.front().isLetter() && scheme.front().unicode() < 0x80;
        for (const QChar c : scheme) {
            if (!isAsciiLetterOrDigit(c) && c != QLatin1Char('+') && c != QLatin1Char('-')
                && c != QLatin1Char('.'))
                isScheme = false;
        }
        if (isScheme)
            host = host.sliced(schemeEnd + 3);
    } else if (host.startsWith(QLatin1String("//"))) {
        host = host.sliced(2);
    }

    // Path, query or fragment (a backslash counts as a path separator, as in
    // browsers).
    for (qsizetype i = 0; i < host.size(); ++i) {
        const QChar c = host[i];
        if (c == QLatin1Char('/') || c == QLatin1Char('?') || c == QLatin1Char('#')
            || c == QLatin1Char('\\')) {
            host = host.first(i);
            break;
        }
    }

    // User info ("user:password@").
    const qsizetype at = host.lastIndexOf(QLatin1Char('@'));
    if (at >= 0)
        host = host.sliced(at + 1);

    // Port (":8080"), unless this is an IPv6 literal, which is refused below.
    const qsizetype colon = host.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0 && !host.startsWith(QLatin1Char('['))) {
        const QStringView port = host.sliced(colon + 1);
        if (port.isEmpty() || isAllDigits(port))
            host = host.first(colon);
    }

    // A fully qualified name's trailing dot ("example.com.").
    if (!host.isEmpty() && isLabelSeparator(host.back()))
        host.chop(1);

    if (host.isEmpty())
        return fail(ErrorCode::InvalidInput,
            tr("“%1” does not contain a domain, like example.com.").arg(trimmed), Field);

    Result<DomainName> domain = parseHostName(host.toString());
    if (!domain)
        return domain;

    // "www." is a host inside the domain, not part of the customer's domain.
    const QString &ascii = domain->ascii();
    if (ascii.startsWith(QLatin1String("www.")) && ascii.count(QLatin1Char('.')) >= 2)
        return DomainName(ascii.sliced(4));
    return domain;
}

} // namespace rd
