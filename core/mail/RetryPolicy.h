#pragma once

#include <chrono>
#include <optional>

#include <QDateTime>

namespace rd {

// Exponential back-off for temporary delivery failures: the first retry
// after one minute, each further wait doubled, capped at one hour; after
// twelve attempts (about six hours of trying) the message is failed. Long
// enough for a mail server restart or an overnight outage of a few hours;
// an administrator can resend a failed message.
class RetryPolicy final
{
public:
    RetryPolicy() = default;
    RetryPolicy(std::chrono::seconds firstDelay, std::chrono::seconds maxDelay, int maxAttempts);

    // The wait after the `attempts`-th attempt failed (attempts >= 1).
    std::chrono::seconds delayAfter(int attempts) const;
    // When to try again after the `attempts`-th attempt failed at `failedAt`,
    // or nothing when no attempt is left.
    std::optional<QDateTime> nextAttempt(const QDateTime &failedAt, int attempts) const;

    int maxAttempts() const noexcept { return m_maxAttempts; }

private:
    std::chrono::seconds m_firstDelay {60};
    std::chrono::seconds m_maxDelay {3600};
    int m_maxAttempts = 12;
};

} // namespace rd
