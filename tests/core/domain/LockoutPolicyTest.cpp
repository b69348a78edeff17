#include "domain/LockoutPolicy.h"

#include <limits>

#include <QDate>
#include <QDateTime>
#include <QTime>

#include <gtest/gtest.h>

using namespace rd;

namespace {

constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;

QDateTime failedAt()
{
    return QDateTime(QDate(2026, 3, 14), QTime(15, 9, 26, 535), Qt::UTC);
}

} // namespace

TEST(LockoutPolicyTest, DefaultsAreFiveFailuresThirtySecondsAndOneHour)
{
    const LockoutPolicy policy;
    EXPECT_EQ(policy.threshold(), 5);
    EXPECT_EQ(policy.baseMs(), 30 * Second);
    EXPECT_EQ(policy.capMs(), Hour);
    EXPECT_EQ(policy, LockoutPolicy::create(5, 30 * Second, Hour).value_or(LockoutPolicy()));
}

TEST(LockoutPolicyTest, TheFirstFourFailuresLockNothing)
{
    const LockoutPolicy policy;
    for (int failures = -1; failures <= 4; ++failures) {
        EXPECT_EQ(policy.lockDurationMs(failures), 0) << failures;
        EXPECT_FALSE(policy.lockedUntil(failures, failedAt()).isValid()) << failures;
    }
}

TEST(LockoutPolicyTest, TheFifthFailureLocksForThirtySeconds)
{
    const LockoutPolicy policy;
    EXPECT_EQ(policy.lockDurationMs(5), 30 * Second);
    EXPECT_EQ(policy.lockedUntil(5, failedAt()), failedAt().addMSecs(30 * Second));
}

TEST(LockoutPolicyTest, EachFurtherFailureDoublesTheLock)
{
    const LockoutPolicy policy;
    EXPECT_EQ(policy.lockDurationMs(6), Minute);
    EXPECT_EQ(policy.lockDurationMs(7), 2 * Minute);
    EXPECT_EQ(policy.lockDurationMs(8), 4 * Minute);
    EXPECT_EQ(policy.lockDurationMs(9), 8 * Minute);
    EXPECT_EQ(policy.lockDurationMs(10), 16 * Minute);
    EXPECT_EQ(policy.lockDurationMs(11), 32 * Minute);
}

TEST(LockoutPolicyTest, TheLockIsCappedAtOneHour)
{
    const LockoutPolicy policy;
    EXPECT_EQ(policy.lockDurationMs(12), Hour) << "64 min capped to 60";
    EXPECT_EQ(policy.lockDurationMs(13), Hour);
    EXPECT_EQ(policy.lockDurationMs(100), Hour);
    EXPECT_EQ(policy.lockDurationMs(std::numeric_limits<int>::max()), Hour) << "no overflow";
    EXPECT_EQ(policy.lockedUntil(1000, failedAt()), failedAt().addMSecs(Hour));
}

TEST(LockoutPolicyTest, ExactPowerOfTwoReachesTheCapExactly)
{
    const Result<LockoutPolicy> policy = LockoutPolicy::create(3, 15 * Second, Minute);
    ASSERT_TRUE(policy.has_value());
    EXPECT_EQ(policy->lockDurationMs(2), 0);
    EXPECT_EQ(policy->lockDurationMs(3), 15 * Second);
    EXPECT_EQ(policy->lockDurationMs(4), 30 * Second);
    EXPECT_EQ(policy->lockDurationMs(5), Minute);
    EXPECT_EQ(policy->lockDurationMs(6), Minute);
}

TEST(LockoutPolicyTest, ThresholdOneLocksFromTheFirstFailure)
{
    const Result<LockoutPolicy> policy = LockoutPolicy::create(1, Second, 10 * Second);
    ASSERT_TRUE(policy.has_value());
    EXPECT_EQ(policy->lockDurationMs(0), 0);
    EXPECT_EQ(policy->lockDurationMs(1), Second);
    EXPECT_EQ(policy->lockDurationMs(4), 8 * Second);
    EXPECT_EQ(policy->lockDurationMs(5), 10 * Second);
}

TEST(LockoutPolicyTest, BaseEqualToCapLocksForAFixedTime)
{
    const Result<LockoutPolicy> policy = LockoutPolicy::create(5, Minute, Minute);
    ASSERT_TRUE(policy.has_value());
    EXPECT_EQ(policy->lockDurationMs(5), Minute);
    EXPECT_EQ(policy->lockDurationMs(9), Minute);
}

TEST(LockoutPolicyTest, LockedUntilIsUtcAndInvalidWithoutATime)
{
    const LockoutPolicy policy;
    const QDateTime local = failedAt().toOffsetFromUtc(2 * 3600);
    const QDateTime until = policy.lockedUntil(5, local);
    EXPECT_EQ(until.timeSpec(), Qt::UTC);
    EXPECT_EQ(until, failedAt().addMSecs(30 * Second));
    EXPECT_FALSE(policy.lockedUntil(5, QDateTime()).isValid());
}

TEST(LockoutPolicyTest, CreateRefusesAThresholdOutOfRange)
{
    for (int threshold : {0, -1, LockoutPolicy::MaxThreshold + 1}) {
        const Result<LockoutPolicy> policy = LockoutPolicy::create(threshold, 30 * Second, Hour);
        ASSERT_FALSE(policy.has_value()) << threshold;
        EXPECT_EQ(policy.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(policy.error().field(), QStringLiteral("threshold"));
        EXPECT_FALSE(policy.error().message().isEmpty());
    }
    EXPECT_TRUE(LockoutPolicy::create(1, 30 * Second, Hour).has_value());
    EXPECT_TRUE(LockoutPolicy::create(LockoutPolicy::MaxThreshold, 30 * Second, Hour).has_value());
}

TEST(LockoutPolicyTest, CreateRefusesABaseOutOfRange)
{
    const Result<LockoutPolicy> tooShort
        = LockoutPolicy::create(5, LockoutPolicy::MinBaseMs - 1, Hour);
    ASSERT_FALSE(tooShort.has_value());
    EXPECT_EQ(tooShort.error().field(), QStringLiteral("base"));
    const Result<LockoutPolicy> longerThanCap = LockoutPolicy::create(5, Hour + 1, Hour);
    ASSERT_FALSE(longerThanCap.has_value());
    EXPECT_EQ(longerThanCap.error().field(), QStringLiteral("base"));
    EXPECT_TRUE(LockoutPolicy::create(5, LockoutPolicy::MinBaseMs, Hour).has_value());
    EXPECT_TRUE(LockoutPolicy::create(5, Hour, Hour).has_value());
}

TEST(LockoutPolicyTest, CreateRefusesACapOutOfRange)
{
    const Result<LockoutPolicy> tooLong
        = LockoutPolicy::create(5, 30 * Second, LockoutPolicy::MaxCapMs + 1);
    ASSERT_FALSE(tooLong.has_value());
    EXPECT_EQ(tooLong.error().field(), QStringLiteral("cap"));
    const Result<LockoutPolicy> tooShort
        = LockoutPolicy::create(5, LockoutPolicy::MinBaseMs, LockoutPolicy::MinBaseMs - 1);
    ASSERT_FALSE(tooShort.has_value());
    EXPECT_EQ(tooShort.error().field(), QStringLiteral("cap"));
    EXPECT_TRUE(LockoutPolicy::create(5, 30 * Second, LockoutPolicy::MaxCapMs).has_value());
}

TEST(LockoutPolicyTest, LockedStrictlyBeforeTheEnd)
{
    const QDateTime until = failedAt().addMSecs(30 * Second);
    EXPECT_TRUE(LockoutPolicy::isLocked(until, failedAt()));
    EXPECT_TRUE(LockoutPolicy::isLocked(until, until.addMSecs(-1)));
    EXPECT_FALSE(LockoutPolicy::isLocked(until, until)) << "unlocked at the instant it ends";
    EXPECT_FALSE(LockoutPolicy::isLocked(until, until.addMSecs(1)));
    EXPECT_FALSE(LockoutPolicy::isLocked(QDateTime(), failedAt())) << "no lock";
}

TEST(LockoutPolicyTest, MinutesLeftRoundUp)
{
    const QDateTime until = failedAt().addMSecs(Hour);
    EXPECT_EQ(LockoutPolicy::minutesLeft(until, failedAt()), 60);
    EXPECT_EQ(LockoutPolicy::minutesLeft(until, failedAt().addMSecs(1)), 60);
    EXPECT_EQ(LockoutPolicy::minutesLeft(until, failedAt().addMSecs(Minute)), 59);
    EXPECT_EQ(LockoutPolicy::minutesLeft(until, until.addMSecs(-1)), 1);
    EXPECT_EQ(LockoutPolicy::minutesLeft(until, until), 0);
    EXPECT_EQ(LockoutPolicy::minutesLeft(until, until.addMSecs(Minute)), 0);
    EXPECT_EQ(LockoutPolicy::minutesLeft(QDateTime(), failedAt()), 0);
}
