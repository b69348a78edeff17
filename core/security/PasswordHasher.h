#pragma once

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"

namespace rd {

// Argon2id cost: libsodium's opslimit (passes) and memlimit (bytes).
struct PasswordCost
{
    unsigned long long opsLimit = 0;
    std::size_t memLimitBytes = 0;

    // At least OWASP's Argon2id recommendation (m = 19 MiB, t = 2, p = 1):
    // libsodium's INTERACTIVE level, t = 2 with m = 64 MiB.
    static PasswordCost production();
    // libsodium's minimum: for tests only, where hundreds of hashes run.
    static PasswordCost minimum();

    friend bool operator==(const PasswordCost &, const PasswordCost &) = default;
};

// Hashes passwords people choose with Argon2id (libsodium's crypto_pwhash
// string format, which carries its own salt and parameters). The cost comes
// from configuration; a stored hash made with other parameters is reported
// by needsRehash() so sign-in can upgrade it.
class PasswordHasher final
{
    Q_DECLARE_TR_FUNCTIONS(PasswordHasher)

public:
    static constexpr qsizetype MinimumLength = 12;
    static constexpr qsizetype MaximumLength = 1024;

    explicit PasswordHasher(PasswordCost cost = PasswordCost::production());

    const PasswordCost &cost() const noexcept { return m_cost; }

    // Rule 10: at least 12 characters (counted as Unicode code points).
    static Status checkStrength(const QString &password);

    Result<QString> hash(const QString &password) const;
    bool verify(const QString &storedHash, const QString &password) const;
    bool needsRehash(const QString &storedHash) const;

private:
    PasswordCost m_cost;
};

} // namespace rd
