#include "security/OneTimeCode.h"

#include <sodium.h>

#include <QCryptographicHash>

namespace rd {

namespace {

constexpr char Alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base 32
constexpr int Characters = 26;                                  // 26 x 5 = 130 bits
constexpr int GroupSize = 5;

QString normalised(const QString &typed)
{
    QString out;
    out.reserve(typed.size());
    for (QChar c : typed) {
        if (c.isSpace() || c == QLatin1Char('-'))
            continue;
        c = c.toUpper();
        if (c == QLatin1Char('O'))
            c = QLatin1Char('0');
        else if (c == QLatin1Char('I') || c == QLatin1Char('L'))
            c = QLatin1Char('1');
        out.append(c);
    }
    return out;
}

} // namespace

OneTimeCode::OneTimeCode(QString text)
    : m_text(std::move(text))
{ }

OneTimeCode OneTimeCode::generate()
{
    static const int initialised = sodium_init();
    Q_ASSERT(initialised >= 0);
    Q_UNUSED(initialised);

    QString text;
    for (int i = 0; i < Characters; ++i) {
        if (i > 0 && i % GroupSize == 0)
            text.append(QLatin1Char('-'));
        // Uniform over the 32 symbols (randombytes_uniform avoids modulo bias).
        text.append(QLatin1Char(Alphabet[randombytes_uniform(32)]));
    }
    return OneTimeCode(text);
}

QString OneTimeCode::hashOf(const QString &typed)
{
    const QByteArray digest
        = QCryptographicHash::hash(normalised(typed).toUtf8(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex());
}

QDateTime OneTimeCode::expiresAt(const QDateTime &issuedAt)
{
    return issuedAt.toUTC().addDays(ValidityDays);
}

} // namespace rd
