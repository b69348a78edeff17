#include "mail/RetryPolicy.h"

#include <algorithm>

namespace rd {

RetryPolicy::RetryPolicy(
    std::chrono::seconds firstDelay, std::chrono::seconds maxDelay, int maxAttempts)
    : m_firstDelay(firstDelay)
    , m_maxDelay(maxDelay)
    , m_maxAttempts(maxAttempts)
{ }

std::chrono::seconds RetryPolicy::delayAfter(int attempts) const
{
    std::chrono::seconds delay = m_firstDelay;
    // Doubling stops at the cap, so no overflow however large `attempts` is.
    for (int i = 1; i < attempts && delay < m_maxDelay; ++i)
        delay *= 2;
    return std::min(delay, m_maxDelay);
}

std::optional<QDateTime> RetryPolicy::nextAttempt(const QDateTime &failedAt, int attempts) const
{
    if (attempts >= m_maxAttempts)
        return std::nullopt;
    return failedAt.addSecs(delayAfter(attempts).count());
}

} // namespace rd
