#include "mail/MimeMessage.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include <QCryptographicHash>
#include <QList>

#include "domain/DomainName.h"
#include "domain/EmailAddress.h"

namespace rd {

namespace {

// RFC 5322 §2.1.1: lines should stay within 78 characters, must within 998.
constexpr qsizetype FoldAt = 78;
constexpr qsizetype MaxLineOctets = 998;
// RFC 2045 §6.7: quoted-printable lines at most 76 characters, soft break included.
constexpr qsizetype QpLineLimit = 76;
// RFC 2047 §2: an encoded-word is at most 75 characters.
constexpr qsizetype MaxEncodedWord = 75;

const QByteArray Crlf = QByteArrayLiteral("\r\n");

bool hasControlCharacter(const QString &text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

bool isPlainAscii(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

// "Name:" followed by the tokens, one space apart; a token that would pass
// column 78 starts a continuation line (CRLF SP), which unfolds to the same
// single space. The first token always stays on the header's own line.
QByteArray foldedHeader(const QByteArray &name, const QList<QByteArray> &tokens)
{
    QByteArray out = name + ':';
    qsizetype lineLength = out.size();
    bool first = true;
    for (const QByteArray &token : tokens) {
        if (!first && !token.isEmpty() && lineLength + 1 + token.size() > FoldAt) {
            out += Crlf;
            lineLength = 0;
        }
        out += ' ' + token;
        lineLength += 1 + token.size();
        first = false;
    }
    return out + Crlf;
}

// The longest encoded-word that still fits on the header's first line.
qsizetype encodedWordLimit(const QByteArray &headerName)
{
    return std::min(MaxEncodedWord, FoldAt - headerName.size() - 2);
}

// RFC 2047 B encoded-words for text, each whole code points (§5: a
// multi-byte character is never split across words) and at most maxLength
// characters. Whitespace between adjacent encoded-words is dropped when
// decoding, so the text's own spaces travel inside the words.
QList<QByteArray> encodedWords(const QString &text, qsizetype maxLength)
{
    static const QByteArray prefix = QByteArrayLiteral("=?UTF-8?B?");
    static const QByteArray suffix = QByteArrayLiteral("?=");
    const qsizetype maxBase64 = maxLength - prefix.size() - suffix.size();
    const qsizetype maxOctets = maxBase64 / 4 * 3;

    QList<QByteArray> words;
    QByteArray chunk;
    const auto flush = [&] {
        if (!chunk.isEmpty())
            words.append(prefix + chunk.toBase64() + suffix);
        chunk.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        qsizetype units = 1;
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            units = 2;
        const QByteArray octets = text.mid(i, units).toUtf8();
        i += units - 1;
        if (chunk.size() + octets.size() > maxOctets)
            flush();
        chunk += octets;
    }
    flush();
    return words;
}

// An unstructured header (Subject): plain text when it is printable ASCII
// that folds cleanly at single spaces and cannot be mistaken for an
// encoded-word, otherwise encoded-words throughout.
QByteArray unstructuredHeader(const QByteArray &name, const QString &text)
{
    const QList<QByteArray> words = text.toLatin1().split(' ');
    bool plain = isPlainAscii(text) && !text.contains(QLatin1String("=?"));
    for (qsizetype i = 0; plain && i < words.size(); ++i) {
        const qsizetype room = i == 0 ? FoldAt - name.size() - 2 : FoldAt - 1;
        plain = !words.at(i).isEmpty() && words.at(i).size() <= room;
    }
    if (text.isEmpty() || plain)
        return foldedHeader(name, text.isEmpty() ? QList<QByteArray>() : words);
    return foldedHeader(name, encodedWords(text, encodedWordLimit(name)));
}

// An address header: an ASCII display name as a quoted-string, folded at
// its own spaces (unfolding gives them back); any other as encoded-words.
// Then <address>.
QByteArray addressHeader(
    const QByteArray &name, const QString &displayName, const QByteArray &address)
{
    if (displayName.isEmpty())
        return foldedHeader(name, {address});
    QList<QByteArray> tokens;
    if (isPlainAscii(displayName)) {
        QByteArray quoted = displayName.toLatin1();
        quoted.replace('\\', QByteArrayLiteral("\\\\")).replace('"', QByteArrayLiteral("\\\""));
        tokens = QByteArray('"' + quoted + '"').split(' ');
        const auto tooLong = [](const QByteArray &word) { return word.size() > FoldAt - 2; };
        if (std::ranges::any_of(tokens, tooLong))
            tokens.clear();
    }
    if (tokens.isEmpty())
        tokens = encodedWords(displayName, encodedWordLimit(name));
    tokens.append('<' + address + '>');
    return foldedHeader(name, tokens);
}

// Any line ending becomes CRLF and the text ends with one.
QByteArray canonicalBody(const QString &body)
{
    QByteArray octets = body.toUtf8();
    octets.replace(QByteArrayLiteral("\r\n"), QByteArrayLiteral("\n")).replace('\r', '\n');
    octets.replace(QByteArrayLiteral("\n"), Crlf);
    if (!octets.isEmpty() && !octets.endsWith(Crlf))
        octets += Crlf;
    return octets;
}

// 8bit needs lines within 998 octets and no NUL (RFC 6152, RFC 2045 §2.8).
bool fitsEightBit(const QByteArray &body)
{
    if (body.contains('\0'))
        return false;
    for (const QByteArray &line : body.split('\n')) {
        if (line.size() > MaxLineOctets + 1) // + the CR
            return false;
    }
    return true;
}

QByteArray quotedPrintable(const QByteArray &body)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    QByteArray out;
    QList<QByteArray> lines = body.split('\n');
    lines.removeLast(); // after the final CRLF
    for (QByteArray line : lines) {
        line.chop(1); // the CR
        qsizetype column = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const auto byte = static_cast<unsigned char>(line.at(i));
            const bool last = i == line.size() - 1;
            // Trailing blanks would be stripped in transit (§6.7 rule 3).
            const bool literal = (byte >= 33 && byte <= 126 && byte != '=')
                || ((byte == ' ' || byte == '\t') && !last);
            QByteArray token;
            if (literal)
                token = QByteArray(1, static_cast<char>(byte));
            else
                token = QByteArray(1, '=') + hex[byte >> 4] + hex[byte & 0x0f];
            // Room for the '=' of a soft break, unless this token ends the line.
            const qsizetype limit = last ? QpLineLimit : QpLineLimit - 1;
            if (column + token.size() > limit) {
                out += '=' + Crlf;
                column = 0;
            }
            out += token;
            column += token.size();
        }
        out += Crlf;
    }
    return out;
}

} // namespace

QByteArray MimeMessage::formatDate(const QDateTime &date)
{
    static constexpr std::array<const char *, 7> days
        = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr std::array<const char *, 12> months
        = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDate day = date.date();
    const QTime time = date.time();
    const int offsetMinutes = date.offsetFromUtc() / 60;
    const int absMinutes = std::abs(offsetMinutes);
    const auto two = [](int n) { return QByteArray::number(n).rightJustified(2, '0'); };
    return QByteArray(days.at(static_cast<std::size_t>(day.dayOfWeek() - 1))) + ", "
        + two(day.day()) + ' ' + months.at(static_cast<std::size_t>(day.month() - 1)) + ' '
        + QByteArray::number(day.year()).rightJustified(4, '0') + ' ' + two(time.hour()) + ':'
        + two(time.minute()) + ':' + two(time.second()) + ' ' + (offsetMinutes < 0 ? '-' : '+')
        + two(absMinutes / 60) + two(absMinutes % 60);
}

Result<MimeMessage> MimeMessage::create(const Fields &fields)
{
    const auto refuseControls = [](const QString &text, const QString &field) -> Status {
        if (hasControlCharacter(text))
            return fail(ErrorCode::InvalidInput,
                tr("This email header must not contain line breaks or control characters."), field,
                QStringLiteral("control character in %1").arg(field));
        return {};
    };
    const auto wireAddress
        = [&](const QString &address, const QString &field) -> Result<QByteArray> {
        if (auto ok = refuseControls(address, field); !ok)
            return fail(ok.error());
        Result<EmailAddress> parsed = EmailAddress::parse(address);
        if (!parsed)
            return fail(
                ErrorCode::InvalidInput, parsed.error().message(), field, parsed.error().detail());
        const QString &local = parsed->localPart();
        if (!isPlainAscii(local))
            return fail(ErrorCode::InvalidInput,
                tr("“%1” has non-ASCII letters before the @, which the mail server cannot "
                   "accept.")
                    .arg(address),
                field);
        // WHATWG syntax allows dots RFC 5322's dot-atom does not ("a..b", ".a").
        QByteArray wire = local.toLatin1();
        if (wire.startsWith('.') || wire.endsWith('.') || wire.contains(".."))
            wire = '"' + wire + '"';
        return wire + '@' + parsed->asciiDomain().toLatin1();
    };

    if (auto ok = refuseControls(fields.from.displayName, QStringLiteral("fromName")); !ok)
        return fail(ok.error());
    if (auto ok = refuseControls(fields.to.displayName, QStringLiteral("toName")); !ok)
        return fail(ok.error());
    if (auto ok = refuseControls(fields.subject, QStringLiteral("subject")); !ok)
        return fail(ok.error());
    Result<QByteArray> from = wireAddress(fields.from.address, QStringLiteral("fromAddress"));
    if (!from)
        return fail(from.error());
    Result<QByteArray> to = wireAddress(fields.to.address, QStringLiteral("toAddress"));
    if (!to)
        return fail(to.error());
    Result<DomainName> domain = DomainName::parseHostName(fields.messageIdDomain);
    if (!domain)
        return fail(ErrorCode::InvalidInput, domain.error().message(),
            QStringLiteral("messageIdDomain"), domain.error().detail());
    if (!fields.date.isValid())
        return fail(
            ErrorCode::InvalidInput, tr("The email has no valid date."), QStringLiteral("date"));
    if (fields.stableId < 1)
        return fail(ErrorCode::InvalidInput, tr("The email has no outbox id."),
            QStringLiteral("stableId"), QStringLiteral("stableId %1").arg(fields.stableId));

    MimeMessage message;
    message.m_fromAddress = *from;
    message.m_toAddress = *to;

    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArray(QByteArray::number(fields.stableId) + '\n' + fields.stableSeed.toUtf8()
        + '\n' + *to + '\n' + domain->ascii().toLatin1()));
    message.m_messageId = "<outbox-" + QByteArray::number(fields.stableId) + '.'
        + hash.result().toHex().left(16) + '@' + domain->ascii().toLatin1() + '>';

    message.m_headers = "Date: " + formatDate(fields.date) + Crlf
        + addressHeader("From", fields.from.displayName.trimmed(), *from)
        + addressHeader("To", fields.to.displayName.trimmed(), *to)
        + unstructuredHeader("Subject", fields.subject.trimmed())
        + "Message-ID: " + message.m_messageId + Crlf + "MIME-Version: 1.0" + Crlf
        + "Content-Type: text/plain; charset=UTF-8" + Crlf;
    message.m_body = canonicalBody(fields.body);
    return message;
}

QByteArray MimeMessage::toWire(bool eightBitMime) const
{
    if (eightBitMime && fitsEightBit(m_body))
        return m_headers + "Content-Transfer-Encoding: 8bit" + Crlf + Crlf + m_body;
    return m_headers + "Content-Transfer-Encoding: quoted-printable" + Crlf + Crlf
        + quotedPrintable(m_body);
}

QByteArray MimeMessage::dotStuffed(const QByteArray &data)
{
    QByteArray out = data;
    out.replace(QByteArrayLiteral("\r\n."), QByteArrayLiteral("\r\n.."));
    if (out.startsWith('.'))
        out.prepend('.');
    return out;
}

} // namespace rd
