#include "domain/EmailAddress.h"

#include <QList>
#include <QStringView>

#include "domain/DomainName.h"
#include "domain/TextLimits.h"

namespace rd {

namespace {

const QString Field = QStringLiteral("email");

// ASCII characters WHATWG's "valid email address" allows before the @.
bool isAllowedAsciiInLocalPart(char32_t c)
{
    if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9'))
        return true;
    constexpr QStringView specials = u"!#$%&'*+/=?^_`{|}~.-";
    return specials.contains(QChar(static_cast<char16_t>(c)));
}

// Internationalised mailboxes (RFC 6531): letters, numbers and combining
// marks of any script.
bool isAllowedNonAsciiInLocalPart(char32_t c)
{
    return QChar::isLetterOrNumber(c) || QChar::isMark(c);
}

} // namespace

EmailAddress::EmailAddress(QString typed, QString localPart, QString domain, QString asciiDomain)
    : m_typed(std::move(typed))
    , m_localPart(std::move(localPart))
    , m_domain(std::move(domain))
    , m_asciiDomain(std::move(asciiDomain))
{
    // Canonical composition before and after folding, so that "é" typed as
    // one character or as "e" + combining accent gives the same key.
    const QString folded = m_localPart.normalized(QString::NormalizationForm_C)
                               .toCaseFolded()
                               .normalized(QString::NormalizationForm_C);
    m_key = folded + QLatin1Char('@') + m_asciiDomain;
}

Result<EmailAddress> EmailAddress::parse(const QString &input)
{
    const QString typed = input.trimmed();
    if (typed.isEmpty())
        return fail(
            ErrorCode::InvalidInput, tr("Enter an email address, like name@example.com."), Field);

    for (const QChar c : typed) {
        if (c.isSpace())
            return fail(
                ErrorCode::InvalidInput, tr("An email address cannot contain spaces."), Field);
    }

    const qsizetype at = typed.indexOf(QLatin1Char('@'));
    if (at < 0 || at == typed.size() - 1)
        return fail(ErrorCode::InvalidInput,
            tr("The email address needs an @ followed by a domain, like name@example.com."), Field);
    if (typed.indexOf(QLatin1Char('@'), at + 1) >= 0)
        return fail(ErrorCode::InvalidInput, tr("An email address can contain only one @."), Field);
    if (at == 0)
        return fail(ErrorCode::InvalidInput,
            tr("The email address needs a name before the @, like name@example.com."), Field);

    const QString localPart = typed.first(at);
    const QString domainPart = typed.sliced(at + 1);

    const QList<uint> codePoints = QStringView(localPart).toUcs4();
    for (const uint codePoint : codePoints) {
        const auto c = static_cast<char32_t>(codePoint);
        const bool allowed
            = c < 0x80 ? isAllowedAsciiInLocalPart(c) : isAllowedNonAsciiInLocalPart(c);
        if (!allowed)
            return fail(ErrorCode::InvalidInput,
                tr("The part before the @ cannot contain “%1”.").arg(QString::fromUcs4(&c, 1)),
                Field);
    }
    if (localPart.startsWith(QLatin1Char('.')) || localPart.endsWith(QLatin1Char('.')))
        return fail(ErrorCode::InvalidInput,
            tr("The part before the @ cannot start or end with a dot."), Field);
    if (localPart.contains(QLatin1String("..")))
        return fail(ErrorCode::InvalidInput,
            tr("The part before the @ cannot contain two dots in a row."), Field);

    const qsizetype localBytes = localPart.toUtf8().size();
    if (localBytes > TextLimits::EmailLocalPart)
        return fail(ErrorCode::InvalidInput,
            tr("The part before the @ may be at most %n characters (letters beyond A–Z "
               "count as two to four).",
                nullptr, static_cast<int>(TextLimits::EmailLocalPart)),
            Field, QStringLiteral("local part is %1 UTF-8 bytes").arg(localBytes));

    const Result<DomainName> domain = DomainName::parseHostName(domainPart);
    if (!domain)
        return fail(
            ErrorCode::InvalidInput, domain.error().message(), Field, domain.error().detail());

    const qsizetype totalBytes = localBytes + 1 + domain->ascii().size();
    if (totalBytes > TextLimits::Email)
        return fail(ErrorCode::InvalidInput,
            tr("An email address may be at most %n characters.", nullptr,
                static_cast<int>(TextLimits::Email)),
            Field, QStringLiteral("address is %1 bytes").arg(totalBytes));

    return EmailAddress(typed, localPart, domainPart, domain->ascii());
}

QString EmailAddress::suggestAlias(const EmailAddress &taken, const QString &tag)
{
    return taken.m_localPart + QLatin1Char('+') + tag.trimmed() + QLatin1Char('@') + taken.m_domain;
}

} // namespace rd
