#include "security/PasswordHasher.h"

#include <sodium.h>

#include <QByteArray>

namespace rd {

namespace {

void ensureSodium()
{
    // Thread-safe and idempotent; returns -1 only if no randomness source exists.
    static const int initialised = sodium_init();
    Q_ASSERT(initialised >= 0);
    Q_UNUSED(initialised);
}

qsizetype codePointCount(const QString &text)
{
    return QStringView(text).toUcs4().size();
}

} // namespace

PasswordCost PasswordCost::production()
{
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::minimum()
{
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordCost cost)
    : m_cost(cost)
{
    ensureSodium();
}

Status PasswordHasher::checkStrength(const QString &password)
{
    const qsizetype length = codePointCount(password);
    if (length < MinimumLength) {
        return fail(ErrorCode::InvalidInput,
            tr("A password needs at least %n characters.", nullptr,
                static_cast<int>(MinimumLength)),
            QStringLiteral("password"));
    }
    if (length > MaximumLength) {
        return fail(ErrorCode::InvalidInput,
            tr("A password may be at most %n characters.", nullptr,
                static_cast<int>(MaximumLength)),
            QStringLiteral("password"));
    }
    return {};
}

Result<QString> PasswordHasher::hash(const QString &password) const
{
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, utf8.constData(), static_cast<unsigned long long>(utf8.size()),
            m_cost.opsLimit, m_cost.memLimitBytes, crypto_pwhash_ALG_ARGON2ID13)
        != 0) {
        return fail(
            ErrorCode::DatabaseError, tr("The password could not be hashed: not enough memory."));
    }
    return QString::fromLatin1(out);
}

bool PasswordHasher::verify(const QString &storedHash, const QString &password) const
{
    if (storedHash.isEmpty())
        return false;
    const QByteArray hashText = storedHash.toLatin1();
    const QByteArray utf8 = password.toUtf8();
    return crypto_pwhash_str_verify(
               hashText.constData(), utf8.constData(), static_cast<unsigned long long>(utf8.size()))
        == 0;
}

bool PasswordHasher::needsRehash(const QString &storedHash) const
{
    const QByteArray hashText = storedHash.toLatin1();
    // 1: other parameters, -1: not an Argon2id hash at all; both mean rehash.
    return crypto_pwhash_str_needs_rehash(
               hashText.constData(), m_cost.opsLimit, m_cost.memLimitBytes)
        != 0;
}

} // namespace rd
