#include "domain/TrialPolicy.h"

#include <string>
#include <vector>

#include <QDate>
#include <QDateTime>
#include <QTime>
#include <QTimeZone>

#include <gtest/gtest.h>

using namespace rd;

namespace {

std::string text(const QString &value)
{
    return value.toStdString();
}

QDateTime utc(
    int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int msec = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, msec), Qt::UTC);
}

constexpr qint64 Day = 24 * 60 * 60;

TrialPolicy policy(int trialDays, int trialBudget, int reminderDays, int maxExtensionDays,
    int maxTotalTrialDays, int maxTrialBudget)
{
    const Result<TrialPolicy> created = TrialPolicy::create(
        trialDays, trialBudget, reminderDays, maxExtensionDays, maxTotalTrialDays, maxTrialBudget);
    EXPECT_TRUE(created.has_value()) << text(created.error().message());
    return created.value_or(TrialPolicy());
}

} // namespace

// --- settings -------------------------------------------------------------

TEST(TrialPolicy, DefaultsAreTheDocumentedSettings)
{
    const TrialPolicy defaults;
    EXPECT_EQ(defaults.trialDays(), 14);
    EXPECT_EQ(defaults.trialBudget(), 500);
    EXPECT_EQ(defaults.reminderDays(), 3);
    EXPECT_EQ(defaults.maxExtensionDays(), 30);
    EXPECT_EQ(defaults.maxTotalTrialDays(), 90);
    EXPECT_EQ(defaults.maxTrialBudget(), 10000);
}

TEST(TrialPolicy, CreateWithTheDefaultsEqualsTheDefaultPolicy)
{
    const Result<TrialPolicy> created = TrialPolicy::create(14, 500, 3, 30, 90, 10000);
    ASSERT_TRUE(created.has_value());
    EXPECT_EQ(*created, TrialPolicy());
}

TEST(TrialPolicy, CreateKeepsEverySetting)
{
    const TrialPolicy custom = policy(30, 1000, 7, 10, 60, 5000);
    EXPECT_EQ(custom.trialDays(), 30);
    EXPECT_EQ(custom.trialBudget(), 1000);
    EXPECT_EQ(custom.reminderDays(), 7);
    EXPECT_EQ(custom.maxExtensionDays(), 10);
    EXPECT_EQ(custom.maxTotalTrialDays(), 60);
    EXPECT_EQ(custom.maxTrialBudget(), 5000);
    EXPECT_NE(custom, TrialPolicy());
}

namespace {

struct CreateCase
{
    const char *name;
    int trialDays;
    int trialBudget;
    int reminderDays;
    int maxExtensionDays;
    int maxTotalTrialDays;
    int maxTrialBudget;
    const char *failingField; // nullptr: accepted
};

constexpr int DaysLimit = TrialPolicy::DaysSettingLimit;
constexpr int BudgetLimit = TrialPolicy::BudgetSettingLimit;

const std::vector<CreateCase> CreateCases = {
    // trial_days: 1..DaysLimit, and more than reminder_days
    {"trial days 0", 0, 500, 3, 30, 90, 10000, "trial_days"},
    {"trial days -1", -1, 500, 3, 30, 90, 10000, "trial_days"},
    {"trial days 2 (smallest with a reminder)", 2, 500, 1, 30, 90, 10000, nullptr},
    {"trial days at limit", DaysLimit, 500, 3, 30, DaysLimit, 10000, nullptr},
    {"trial days past limit", DaysLimit + 1, 500, 3, 30, DaysLimit, 10000, "trial_days"},
    // trial_budget: 1..BudgetLimit
    {"trial budget 0", 14, 0, 3, 30, 90, 10000, "trial_budget"},
    {"trial budget -5", 14, -5, 3, 30, 90, 10000, "trial_budget"},
    {"trial budget 1", 14, 1, 3, 30, 90, 10000, nullptr},
    {"trial budget at limit", 14, BudgetLimit, 3, 30, 90, BudgetLimit, nullptr},
    {"trial budget past limit", 14, BudgetLimit + 1, 3, 30, 90, BudgetLimit, "trial_budget"},
    // reminder_days: 1..trial_days-1
    {"reminder 0", 14, 500, 0, 30, 90, 10000, "reminder_days"},
    {"reminder -1", 14, 500, -1, 30, 90, 10000, "reminder_days"},
    {"reminder 1", 14, 500, 1, 30, 90, 10000, nullptr},
    {"reminder one less than trial", 14, 500, 13, 30, 90, 10000, nullptr},
    {"reminder equal to trial", 14, 500, 14, 30, 90, 10000, "reminder_days"},
    {"reminder longer than trial", 14, 500, 15, 30, 90, 10000, "reminder_days"},
    {"one-day trial leaves no room for a reminder", 1, 500, 1, 30, 90, 10000, "reminder_days"},
    // max_extension_days: 1..DaysLimit
    {"max extension 0", 14, 500, 3, 0, 90, 10000, "max_extension_days"},
    {"max extension 1", 14, 500, 3, 1, 90, 10000, nullptr},
    {"max extension at limit", 14, 500, 3, DaysLimit, 90, 10000, nullptr},
    {"max extension past limit", 14, 500, 3, DaysLimit + 1, 90, 10000, "max_extension_days"},
    // max_total_trial_days: trial_days..DaysLimit
    {"max total below trial", 14, 500, 3, 30, 13, 10000, "max_total_trial_days"},
    {"max total equal to trial", 14, 500, 3, 30, 14, 10000, nullptr},
    {"max total at limit", 14, 500, 3, 30, DaysLimit, 10000, nullptr},
    {"max total past limit", 14, 500, 3, 30, DaysLimit + 1, 10000, "max_total_trial_days"},
    {"max total 0", 14, 500, 3, 30, 0, 10000, "max_total_trial_days"},
    // max_trial_budget: trial_budget..BudgetLimit
    {"max budget below trial budget", 14, 500, 3, 30, 90, 499, "max_trial_budget"},
    {"max budget equal to trial budget", 14, 500, 3, 30, 90, 500, nullptr},
    {"max budget at limit", 14, 500, 3, 30, 90, BudgetLimit, nullptr},
    {"max budget past limit", 14, 500, 3, 30, 90, BudgetLimit + 1, "max_trial_budget"},
};

} // namespace

TEST(TrialPolicy, CreateValidatesEveryRangeAtAndPastItsLimits)
{
    for (const CreateCase &c : CreateCases) {
        SCOPED_TRACE(c.name);
        const Result<TrialPolicy> created = TrialPolicy::create(c.trialDays, c.trialBudget,
            c.reminderDays, c.maxExtensionDays, c.maxTotalTrialDays, c.maxTrialBudget);
        if (c.failingField == nullptr) {
            EXPECT_TRUE(created.has_value()) << text(created.error().message());
        } else {
            ASSERT_FALSE(created.has_value());
            EXPECT_EQ(created.error().code(), ErrorCode::InvalidInput);
            EXPECT_EQ(text(created.error().field()), c.failingField);
            EXPECT_FALSE(created.error().message().isEmpty());
        }
    }
}

// --- dates -----------------------------------------------------------------

TEST(TrialPolicy, TrialEndsTrialDaysAfterCreation)
{
    const TrialPolicy defaults;
    EXPECT_EQ(defaults.trialEnd(utc(2024, 1, 10, 8, 30)), utc(2024, 1, 24, 8, 30));
    EXPECT_EQ(defaults.trialEnd(utc(2023, 12, 25, 23, 59, 59)), utc(2024, 1, 8, 23, 59, 59));
    EXPECT_EQ(defaults.trialEnd(utc(2024, 2, 20)), utc(2024, 3, 5)); // leap year
    EXPECT_EQ(defaults.trialEnd(utc(2023, 2, 20)), utc(2023, 3, 6));
    EXPECT_EQ(policy(30, 500, 3, 30, 90, 10000).trialEnd(utc(2024, 1, 1)), utc(2024, 1, 31));
}

TEST(TrialPolicy, TrialEndIsExactlyTrialDaysOf24HoursInUtc)
{
    const QDateTime created = utc(2024, 3, 20, 12, 0); // across European DST change
    const QDateTime end = TrialPolicy().trialEnd(created);
    EXPECT_EQ(created.secsTo(end), 14 * Day);
    EXPECT_EQ(end.timeSpec(), Qt::UTC);
}

TEST(TrialPolicy, TrialEndOfANonUtcTimeIsTheSameInstantInUtc)
{
    const QDateTime createdPlusTwo(QDate(2024, 1, 10), QTime(10, 30), Qt::OffsetFromUTC, 2 * 3600);
    const QDateTime end = TrialPolicy().trialEnd(createdPlusTwo);
    EXPECT_EQ(end, utc(2024, 1, 24, 8, 30));
    EXPECT_EQ(end.timeSpec(), Qt::UTC);
}

TEST(TrialPolicy, TrialEndOfAnInvalidTimeIsInvalid)
{
    EXPECT_FALSE(TrialPolicy().trialEnd(QDateTime()).isValid());
    EXPECT_FALSE(TrialPolicy().reminderAt(QDateTime()).isValid());
}

TEST(TrialPolicy, ReminderIsDueReminderDaysBeforeTheEnd)
{
    EXPECT_EQ(TrialPolicy().reminderAt(utc(2024, 1, 24, 8, 30)), utc(2024, 1, 21, 8, 30));
    EXPECT_EQ(TrialPolicy().reminderAt(utc(2024, 3, 1)), utc(2024, 2, 27));
    EXPECT_EQ(policy(14, 500, 1, 30, 90, 10000).reminderAt(utc(2024, 1, 1)), utc(2023, 12, 31));
    const TrialPolicy defaults;
    const QDateTime created = utc(2024, 5, 5, 5, 5);
    EXPECT_EQ(defaults.reminderAt(defaults.trialEnd(created)), utc(2024, 5, 16, 5, 5));
}

TEST(TrialPolicy, ExpiredAtAndAfterTheEndInstant)
{
    const QDateTime end = utc(2024, 1, 24, 8, 30);
    EXPECT_FALSE(TrialPolicy::isExpired(end, end.addMSecs(-1)));
    EXPECT_FALSE(TrialPolicy::isExpired(end, end.addDays(-14)));
    EXPECT_TRUE(TrialPolicy::isExpired(end, end));
    EXPECT_TRUE(TrialPolicy::isExpired(end, end.addMSecs(1)));
    EXPECT_TRUE(TrialPolicy::isExpired(end, end.addDays(100)));
}

TEST(TrialPolicy, DaysLeftRoundsPartialDaysUpAndIsZeroWhenExpired)
{
    const QDateTime end = utc(2024, 1, 24, 8, 30);
    struct Case
    {
        qint64 msecsBeforeEnd;
        int expected;
    };
    const qint64 dayMs = Day * 1000;
    const std::vector<Case> cases = {
        {-dayMs * 3, 0},
        {-1, 0},
        {0, 0},
        {1, 1},
        {dayMs - 1, 1},
        {dayMs, 1},
        {dayMs + 1, 2},
        {2 * dayMs, 2},
        {13 * dayMs + 1, 14},
        {14 * dayMs, 14},
        {14 * dayMs + 1, 15},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(std::to_string(c.msecsBeforeEnd) + " ms before the end");
        EXPECT_EQ(TrialPolicy::daysLeft(end, end.addMSecs(-c.msecsBeforeEnd)), c.expected);
    }
}

TEST(TrialPolicy, AFreshTrialHasAllItsDaysLeft)
{
    const TrialPolicy defaults;
    const QDateTime created = utc(2024, 1, 10, 8, 30);
    EXPECT_EQ(TrialPolicy::daysLeft(defaults.trialEnd(created), created), 14);
    EXPECT_EQ(TrialPolicy::daysLeft(defaults.trialEnd(created), created.addSecs(1)), 14);
}

// --- extend ---------------------------------------------------------------

namespace {

const QDateTime Created = utc(2024, 1, 10, 8, 30);
const QDateTime DefaultEnd = utc(2024, 1, 24, 8, 30); // Created + 14 days

} // namespace

TEST(TrialPolicy, ExtendARunningTrialFromItsCurrentEnd)
{
    const QDateTime now = Created.addDays(5);
    const Result<QDateTime> extended = TrialPolicy().extend(Created, DefaultEnd, 7, now);
    ASSERT_TRUE(extended.has_value()) << text(extended.error().message());
    EXPECT_EQ(*extended, DefaultEnd.addDays(7));
}

TEST(TrialPolicy, ExtendAnExpiredTrialFromNow)
{
    const QDateTime now = DefaultEnd.addDays(3).addSecs(3600);
    const Result<QDateTime> extended = TrialPolicy().extend(Created, DefaultEnd, 7, now);
    ASSERT_TRUE(extended.has_value()) << text(extended.error().message());
    EXPECT_EQ(*extended, now.addDays(7));
}

TEST(TrialPolicy, ExtendAtTheEndInstantCountsFromThatInstant)
{
    const Result<QDateTime> extended = TrialPolicy().extend(Created, DefaultEnd, 1, DefaultEnd);
    ASSERT_TRUE(extended.has_value());
    EXPECT_EQ(*extended, DefaultEnd.addDays(1));
}

TEST(TrialPolicy, ExtendOneMillisecondBeforeTheEndCountsFromTheEnd)
{
    const Result<QDateTime> extended
        = TrialPolicy().extend(Created, DefaultEnd, 1, DefaultEnd.addMSecs(-1));
    ASSERT_TRUE(extended.has_value());
    EXPECT_EQ(*extended, DefaultEnd.addDays(1));
}

TEST(TrialPolicy, ExtendByOneToMaxExtensionDays)
{
    const QDateTime now = Created.addDays(1);
    struct Case
    {
        int days;
        bool ok;
    };
    for (const Case c : {Case {-1, false}, Case {0, false}, Case {1, true}, Case {29, true},
             Case {30, true}, Case {31, false}, Case {1000, false}}) {
        SCOPED_TRACE(c.days);
        const Result<QDateTime> extended = TrialPolicy().extend(Created, DefaultEnd, c.days, now);
        EXPECT_EQ(extended.has_value(), c.ok);
        if (c.ok) {
            EXPECT_EQ(*extended, DefaultEnd.addDays(c.days));
        } else {
            EXPECT_EQ(extended.error().code(), ErrorCode::InvalidInput);
            EXPECT_EQ(text(extended.error().field()), "days");
            EXPECT_TRUE(extended.error().message().contains(QStringLiteral("30")))
                << text(extended.error().message());
        }
    }
}

TEST(TrialPolicy, ExtendHonoursACustomMaxExtension)
{
    const TrialPolicy custom = policy(14, 500, 3, 7, 90, 10000);
    const QDateTime now = Created.addDays(1);
    EXPECT_TRUE(custom.extend(Created, DefaultEnd, 7, now).has_value());
    const Result<QDateTime> tooLong = custom.extend(Created, DefaultEnd, 8, now);
    ASSERT_FALSE(tooLong.has_value());
    EXPECT_EQ(text(tooLong.error().field()), "days");
    EXPECT_TRUE(tooLong.error().message().contains(QStringLiteral("7")));
}

TEST(TrialPolicy, ExtendNeverPastCreationPlusMaxTotalTrialDays)
{
    const QDateTime latest = Created.addDays(90);
    const QDateTime currentEnd = Created.addDays(80);
    const QDateTime now = Created.addDays(70);

    const Result<QDateTime> exactly = TrialPolicy().extend(Created, currentEnd, 10, now);
    ASSERT_TRUE(exactly.has_value()) << text(exactly.error().message());
    EXPECT_EQ(*exactly, latest);

    const Result<QDateTime> onePast = TrialPolicy().extend(Created, currentEnd, 11, now);
    ASSERT_FALSE(onePast.has_value());
    EXPECT_EQ(onePast.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(text(onePast.error().field()), "days");
    EXPECT_TRUE(onePast.error().message().contains(QStringLiteral("90")))
        << text(onePast.error().message());
    EXPECT_TRUE(onePast.error().message().contains(QStringLiteral("10")))
        << text(onePast.error().message());
}

TEST(TrialPolicy, ExtendOfAnExpiredTrialIsAlsoCappedByTheTotal)
{
    const QDateTime now = Created.addDays(85);
    EXPECT_EQ(TrialPolicy().extend(Created, DefaultEnd, 5, now).value_or(QDateTime()),
        Created.addDays(90));
    EXPECT_FALSE(TrialPolicy().extend(Created, DefaultEnd, 6, now).has_value());
}

TEST(TrialPolicy, ATrialAtItsTotalLimitCannotBeExtendedAnyFurther)
{
    for (const QDateTime &now : {Created.addDays(50), Created.addDays(90), Created.addDays(200)}) {
        const QDateTime currentEnd = Created.addDays(90);
        const Result<QDateTime> extended = TrialPolicy().extend(Created, currentEnd, 1, now);
        ASSERT_FALSE(extended.has_value());
        EXPECT_EQ(text(extended.error().field()), "days");
        EXPECT_TRUE(extended.error().message().contains(QStringLiteral("90")));
    }
}

TEST(TrialPolicy, ExtendRepeatedlyStopsAtTheTotalLimit)
{
    const TrialPolicy defaults;
    QDateTime end = defaults.trialEnd(Created);
    const QDateTime now = Created.addDays(1);
    int extensions = 0;
    for (int attempt = 0; attempt < 10; ++attempt) { // bounded: a broken extend must not hang
        const Result<QDateTime> extended = defaults.extend(Created, end, 30, now);
        if (!extended)
            break;
        EXPECT_GT(*extended, end);
        end = *extended;
        ++extensions;
    }
    EXPECT_EQ(extensions, 2); // 14 + 30 + 30 = 74; one more would be 104 > 90
    EXPECT_LE(end, Created.addDays(90));
    const Result<QDateTime> rest = defaults.extend(Created, end, 16, now);
    ASSERT_TRUE(rest.has_value());
    EXPECT_EQ(*rest, Created.addDays(90));
}

TEST(TrialPolicy, ExtendRefusesInvalidDates)
{
    const QDateTime now = Created.addDays(1);
    EXPECT_FALSE(TrialPolicy().extend(QDateTime(), DefaultEnd, 1, now).has_value());
    EXPECT_FALSE(TrialPolicy().extend(Created, QDateTime(), 1, now).has_value());
    const Result<QDateTime> noNow = TrialPolicy().extend(Created, DefaultEnd, 1, QDateTime());
    ASSERT_FALSE(noNow.has_value());
    EXPECT_EQ(noNow.error().code(), ErrorCode::InvalidInput);
}

TEST(TrialPolicy, ExtendReturnsUtc)
{
    const QDateTime nowPlusTwo = Created.addDays(1).toOffsetFromUtc(2 * 3600);
    const Result<QDateTime> extended = TrialPolicy().extend(Created, DefaultEnd, 2, nowPlusTwo);
    ASSERT_TRUE(extended.has_value());
    EXPECT_EQ(extended->timeSpec(), Qt::UTC);
    EXPECT_EQ(*extended, DefaultEnd.addDays(2));
}

// --- budget ---------------------------------------------------------------

TEST(TrialPolicy, BudgetCanOnlyBeRaisedUpToTheMaximum)
{
    struct Case
    {
        int newBudget;
        int currentBudget;
        bool ok;
    };
    const std::vector<Case> cases = {
        {501, 500, true},
        {1000, 500, true},
        {10000, 500, true},
        {10000, 9999, true},
        {500, 500, false},
        {499, 500, false},
        {0, 500, false},
        {-1, 500, false},
        {10001, 500, false},
        {10001, 10000, false},
        {20000, 500, false},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(std::to_string(c.currentBudget) + " -> " + std::to_string(c.newBudget));
        const Status status = TrialPolicy().validateBudget(c.newBudget, c.currentBudget);
        EXPECT_EQ(status.has_value(), c.ok);
        if (!c.ok) {
            EXPECT_EQ(status.error().code(), ErrorCode::InvalidInput);
            EXPECT_EQ(text(status.error().field()), "budget");
        }
    }
}

TEST(TrialPolicy, BudgetMessagesNameTheLimit)
{
    const Status tooHigh = TrialPolicy().validateBudget(10001, 500);
    ASSERT_FALSE(tooHigh.has_value());
    EXPECT_TRUE(tooHigh.error().message().contains(QStringLiteral("10000")))
        << text(tooHigh.error().message());

    const Status notARaise = TrialPolicy().validateBudget(400, 500);
    ASSERT_FALSE(notARaise.has_value());
    EXPECT_TRUE(notARaise.error().message().contains(QStringLiteral("500")))
        << text(notARaise.error().message());
}

TEST(TrialPolicy, BudgetHonoursACustomMaximum)
{
    const TrialPolicy custom = policy(14, 500, 3, 30, 90, 2000);
    EXPECT_TRUE(custom.validateBudget(2000, 500).has_value());
    EXPECT_FALSE(custom.validateBudget(2001, 500).has_value());
}
