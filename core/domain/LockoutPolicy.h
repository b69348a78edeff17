#pragma once

#include <QCoreApplication>
#include <QDateTime>

#include "domain/Error.h"

namespace rd {

// Rule 10: per-account exponential lock-out after failed sign-ins. Pure: the
// caller counts consecutive failures (reset by a successful sign-in) and
// passes the time of the failure.
//
// The first threshold − 1 consecutive failures lock nothing; failure number
// threshold locks for baseMs, each further failure doubles the time, and no
// lock is longer than capMs. Defaults: failures 1–4 lock nothing, the 5th
// locks for 30 s, the 6th for 1 min, …, the 12th and later for 1 hour.
class LockoutPolicy final
{
    Q_DECLARE_TR_FUNCTIONS(LockoutPolicy)

public:
    static constexpr int DefaultThreshold = 5;
    static constexpr qint64 DefaultBaseMs = 30 * 1000;
    static constexpr qint64 DefaultCapMs = 60 * 60 * 1000;

    // Bounds accepted by create().
    static constexpr int MaxThreshold = 100;
    static constexpr qint64 MinBaseMs = 1000;                     // 1 second
    static constexpr qint64 MaxCapMs = 7LL * 24 * 60 * 60 * 1000; // 1 week

    // The defaults above.
    LockoutPolicy() = default;

    // Validated settings; InvalidInput naming the setting in field()
    // ("threshold", "base", "cap"). Ranges:
    //   1 <= threshold <= MaxThreshold
    //   MinBaseMs <= baseMs <= capMs
    //   capMs <= MaxCapMs
    static Result<LockoutPolicy> create(int threshold, qint64 baseMs, qint64 capMs);

    // The consecutive failure that starts the first lock.
    int threshold() const noexcept { return m_threshold; }
    // The length of the first lock.
    qint64 baseMs() const noexcept { return m_baseMs; }
    // The longest lock.
    qint64 capMs() const noexcept { return m_capMs; }

    // How long consecutiveFailures failures lock the account, in
    // milliseconds: 0 below the threshold, otherwise
    // min(base × 2^(consecutiveFailures − threshold), cap).
    qint64 lockDurationMs(int consecutiveFailures) const;

    // failedAt + lockDurationMs(consecutiveFailures) in UTC; an invalid
    // QDateTime when the failures lock nothing or failedAt is invalid.
    QDateTime lockedUntil(int consecutiveFailures, const QDateTime &failedAt) const;

    // Locked while now is before lockedUntil; an invalid lockedUntil is no lock.
    static bool isLocked(const QDateTime &lockedUntil, const QDateTime &now);

    // Whole minutes until lockedUntil, partial minutes rounded up (one second
    // left is 1 minute); 0 when not locked.
    static int minutesLeft(const QDateTime &lockedUntil, const QDateTime &now);

    friend bool operator==(const LockoutPolicy &, const LockoutPolicy &) = default;

private:
    int m_threshold = DefaultThreshold;
    qint64 m_baseMs = DefaultBaseMs;
    qint64 m_capMs = DefaultCapMs;
};

} // namespace rd
