#pragma once

#include <QCoreApplication>
#include <QDateTime>

#include "domain/Error.h"

namespace rd {

// Rule 4: the trial settings and the arithmetic on trial dates and budgets.
// Pure: every time-dependent function takes the current time explicitly.
// Times are UTC; results are returned in UTC. A day is a UTC calendar day
// (24 hours).
class TrialPolicy final
{
    Q_DECLARE_TR_FUNCTIONS(TrialPolicy)

public:
    static constexpr int DefaultTrialDays = 14;
    static constexpr int DefaultTrialBudget = 500;
    static constexpr int DefaultReminderDays = 3;
    static constexpr int DefaultMaxExtensionDays = 30;
    static constexpr int DefaultMaxTotalTrialDays = 90;
    static constexpr int DefaultMaxTrialBudget = 10000;

    // Upper bounds accepted for the day settings (ten years) and the budget
    // settings, so that no setting can overflow the date or int arithmetic.
    static constexpr int DaysSettingLimit = 3650;
    static constexpr int BudgetSettingLimit = 1000000000;

    // The defaults above.
    TrialPolicy() = default;

    // Validated settings; InvalidInput naming the setting in field()
    // ("trial_days", "trial_budget", "reminder_days", "max_extension_days",
    // "max_total_trial_days", "max_trial_budget"). Ranges:
    //   1 <= trialDays <= DaysSettingLimit
    //   1 <= trialBudget <= BudgetSettingLimit
    //   1 <= reminderDays < trialDays
    //   1 <= maxExtensionDays <= DaysSettingLimit
    //   trialDays <= maxTotalTrialDays <= DaysSettingLimit
    //   trialBudget <= maxTrialBudget <= BudgetSettingLimit
    static Result<TrialPolicy> create(int trialDays, int trialBudget, int reminderDays,
        int maxExtensionDays, int maxTotalTrialDays, int maxTrialBudget);

    // Length of a new trial in days.
    int trialDays() const { return m_trialDays; }
    // Identifications a new trial may use.
    int trialBudget() const { return m_trialBudget; }
    // How long before the end the reminder is due.
    int reminderDays() const { return m_reminderDays; }
    // The most days one extension may add.
    int maxExtensionDays() const { return m_maxExtensionDays; }
    // A trial never ends later than its creation plus this many days.
    int maxTotalTrialDays() const { return m_maxTotalTrialDays; }
    // The highest trial budget a raise may reach.
    int maxTrialBudget() const { return m_maxTrialBudget; }

    // createdAt + trialDays. Invalid when createdAt is invalid.
    QDateTime trialEnd(const QDateTime &createdAt) const;

    // The not-before time of the reminder: trialEnd − reminderDays.
    QDateTime reminderAt(const QDateTime &trialEnd) const;

    // A trial is expired at and after its end instant.
    static bool isExpired(const QDateTime &trialEnd, const QDateTime &now);

    // Whole days left, partial days rounded up (one second left is 1 day);
    // 0 when expired.
    static int daysLeft(const QDateTime &trialEnd, const QDateTime &now);

    // The new end after extending by days (1..maxExtensionDays). A running
    // trial is extended from its current end, an expired one from now. The
    // result never lies after createdAt + maxTotalTrialDays. InvalidInput with
    // field "days" otherwise (the message names the limit).
    Result<QDateTime> extend(const QDateTime &createdAt, const QDateTime &currentEnd, int days,
        const QDateTime &now) const;

    // A trial budget may only be raised: newBudget > currentBudget and
    // newBudget <= maxTrialBudget. InvalidInput with field "budget" otherwise.
    Status validateBudget(int newBudget, int currentBudget) const;

    friend bool operator==(const TrialPolicy &, const TrialPolicy &) = default;

private:
    int m_trialDays = DefaultTrialDays;
    int m_trialBudget = DefaultTrialBudget;
    int m_reminderDays = DefaultReminderDays;
    int m_maxExtensionDays = DefaultMaxExtensionDays;
    int m_maxTotalTrialDays = DefaultMaxTotalTrialDays;
    int m_maxTrialBudget = DefaultMaxTrialBudget;
};

} // namespace rd
