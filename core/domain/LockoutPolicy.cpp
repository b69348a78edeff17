#include "domain/LockoutPolicy.h"

#include <algorithm>
#include <limits>

namespace rd {

namespace {

constexpr qint64 MsecsPerMinute = 60 * 1000;

} // namespace

Result<LockoutPolicy> LockoutPolicy::create(int threshold, qint64 baseMs, qint64 capMs)
{
    if (threshold < 1 || threshold > MaxThreshold) {
        return fail(ErrorCode::InvalidInput,
            tr("The number of failed sign-ins before an account is locked must be between 1 "
               "and %1.")
                .arg(MaxThreshold),
            QStringLiteral("threshold"), QStringLiteral("threshold=%1").arg(threshold));
    }
    const int minSeconds = static_cast<int>(MinBaseMs / 1000);
    const int maxDays = static_cast<int>(MaxCapMs / (24 * 60 * MsecsPerMinute));
    if (capMs < MinBaseMs || capMs > MaxCapMs) {
        return fail(ErrorCode::InvalidInput,
            tr("The longest lock-out must be between %1 and %2.")
                .arg(tr("%n second(s)", nullptr, minSeconds), tr("%n day(s)", nullptr, maxDays)),
            QStringLiteral("cap"), QStringLiteral("cap_ms=%1").arg(capMs));
    }
    if (baseMs < MinBaseMs || baseMs > capMs) {
        return fail(ErrorCode::InvalidInput,
            tr("The first lock-out must last at least %1 and no longer than the longest "
               "lock-out.")
                .arg(tr("%n second(s)", nullptr, minSeconds)),
            QStringLiteral("base"), QStringLiteral("base_ms=%1 cap_ms=%2").arg(baseMs).arg(capMs));
    }
    LockoutPolicy policy;
    policy.m_threshold = threshold;
    policy.m_baseMs = baseMs;
    policy.m_capMs = capMs;
    return policy;
}

qint64 LockoutPolicy::lockDurationMs(int consecutiveFailures) const
{
    if (consecutiveFailures < m_threshold)
        return 0;
    // Doubling stops at the cap, so this never overflows, whatever the count.
    qint64 duration = m_baseMs;
    for (int doublings = consecutiveFailures - m_threshold; doublings > 0 && duration < m_capMs;
         --doublings)
        duration *= 2;
    return std::min(duration, m_capMs);
}

QDateTime LockoutPolicy::lockedUntil(int consecutiveFailures, const QDateTime &failedAt) const
{
    const qint64 duration = lockDurationMs(consecutiveFailures);
    if (duration == 0 || !failedAt.isValid())
        return {};
    return failedAt.toUTC().addMSecs(duration);
}

bool LockoutPolicy::isLocked(const QDateTime &lockedUntil, const QDateTime &now)
{
    return lockedUntil.isValid() && now < lockedUntil;
}

int LockoutPolicy::minutesLeft(const QDateTime &lockedUntil, const QDateTime &now)
{
    if (!isLocked(lockedUntil, now))
        return 0;
    const qint64 msecs = now.msecsTo(lockedUntil);
    const qint64 minutes = (msecs + MsecsPerMinute - 1) / MsecsPerMinute;
    return static_cast<int>(std::min<qint64>(minutes, std::numeric_limits<int>::max()));
}

} // namespace rd
