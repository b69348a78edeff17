#pragma once

#include <QDateTime>
#include <QString>

namespace rd {

// A random one-time code (rule 5: the temporary password of a setup email).
// 130 random bits written as 26 Crockford base-32 characters in groups of
// five. Only its SHA-256 hash is stored: fast and safe because the code is
// random, so adding or importing customers never waits on Argon2id.
class OneTimeCode final
{
public:
    static constexpr int ValidityDays = 7;

    static OneTimeCode generate();

    // The code as shown in the email, e.g. "7K3QD-…".
    const QString &text() const noexcept { return m_text; }
    QString hash() const { return hashOf(m_text); }

    // The hash of what a person typed: case, spaces and dashes do not matter,
    // and the letters O, I and L read as 0, 1 and 1.
    static QString hashOf(const QString &typed);
    static QDateTime expiresAt(const QDateTime &issuedAt);

private:
    explicit OneTimeCode(QString text);

    QString m_text;
};

} // namespace rd
