#include "domain/TrialPolicy.h"

#include <algorithm>
#include <limits>

namespace rd {

namespace {

constexpr qint64 MsecsPerDay = 24 * 60 * 60 * 1000;

} // namespace

Result<TrialPolicy> TrialPolicy::create(int trialDays, int trialBudget, int reminderDays,
    int maxExtensionDays, int maxTotalTrialDays, int maxTrialBudget)
{
    if (trialDays < 1 || trialDays > DaysSettingLimit) {
        return fail(ErrorCode::InvalidInput,
            tr("The trial length must be between 1 and %1 days.").arg(DaysSettingLimit),
            QStringLiteral("trial_days"), QStringLiteral("trial_days=%1").arg(trialDays));
    }
    if (trialBudget < 1 || trialBudget > BudgetSettingLimit) {
        return fail(ErrorCode::InvalidInput,
            tr("The trial budget must be between 1 and %1 identifications.")
                .arg(BudgetSettingLimit),
            QStringLiteral("trial_budget"), QStringLiteral("trial_budget=%1").arg(trialBudget));
    }
    if (reminderDays < 1 || reminderDays >= trialDays) {
        return fail(ErrorCode::InvalidInput,
            tr("The reminder must be due at least 1 day before the trial ends and less "
               "than the trial length (%1 days) before it.")
                .arg(trialDays),
            QStringLiteral("reminder_days"),
            QStringLiteral("reminder_days=%1 trial_days=%2").arg(reminderDays).arg(trialDays));
    }
    if (maxExtensionDays < 1 || maxExtensionDays > DaysSettingLimit) {
        return fail(ErrorCode::InvalidInput,
            tr("The longest single trial extension must be between 1 and %1 days.")
                .arg(DaysSettingLimit),
            QStringLiteral("max_extension_days"),
            QStringLiteral("max_extension_days=%1").arg(maxExtensionDays));
    }
    if (maxTotalTrialDays < trialDays || maxTotalTrialDays > DaysSettingLimit) {
        return fail(ErrorCode::InvalidInput,
            tr("The longest total trial must be at least the trial length (%1 days) and at "
               "most %2 days.")
                .arg(QString::number(trialDays), QString::number(DaysSettingLimit)),
            QStringLiteral("max_total_trial_days"),
            QStringLiteral("max_total_trial_days=%1 trial_days=%2")
                .arg(maxTotalTrialDays)
                .arg(trialDays));
    }
    if (maxTrialBudget < trialBudget || maxTrialBudget > BudgetSettingLimit) {
        return fail(ErrorCode::InvalidInput,
            tr("The highest trial budget must be at least the trial budget (%1) and at "
               "most %2 identifications.")
                .arg(QString::number(trialBudget), QString::number(BudgetSettingLimit)),
            QStringLiteral("max_trial_budget"),
            QStringLiteral("max_trial_budget=%1 trial_budget=%2")
                .arg(maxTrialBudget)
                .arg(trialBudget));
    }

    TrialPolicy policy;
    policy.m_trialDays = trialDays;
    policy.m_trialBudget = trialBudget;
    policy.m_reminderDays = reminderDays;
    policy.m_maxExtensionDays = maxExtensionDays;
    policy.m_maxTotalTrialDays = maxTotalTrialDays;
    policy.m_maxTrialBudget = maxTrialBudget;
    return policy;
}

QDateTime TrialPolicy::trialEnd(const QDateTime &createdAt) const
{
    if (!createdAt.isValid())
        return {};
    return createdAt.toUTC().addDays(m_trialDays);
}

QDateTime TrialPolicy::reminderAt(const QDateTime &trialEnd) const
{
    if (!trialEnd.isValid())
        return {};
    return trialEnd.toUTC().addDays(-m_reminderDays);
}

bool TrialPolicy::isExpired(const QDateTime &trialEnd, const QDateTime &now)
{
    return now >= trialEnd;
}

int TrialPolicy::daysLeft(const QDateTime &trialEnd, const QDateTime &now)
{
    if (isExpired(trialEnd, now))
        return 0;
    const qint64 msecs = now.msecsTo(trialEnd);
    const qint64 wholeDays = (msecs + MsecsPerDay - 1) / MsecsPerDay;
    return static_cast<int>(std::min<qint64>(wholeDays, std::numeric_limits<int>::max()));
}

Result<QDateTime> TrialPolicy::extend(
    const QDateTime &createdAt, const QDateTime &currentEnd, int days, const QDateTime &now) const
{
    if (!createdAt.isValid() || !currentEnd.isValid() || !now.isValid()) {
        return fail(ErrorCode::InvalidInput, tr("The trial's dates are missing or invalid."),
            QString(),
            QStringLiteral("createdAt=%1 currentEnd=%2 now=%3")
                .arg(createdAt.toString(Qt::ISODate), currentEnd.toString(Qt::ISODate),
                    now.toString(Qt::ISODate)));
    }
    if (days < 1 || days > m_maxExtensionDays) {
        return fail(ErrorCode::InvalidInput,
            tr("A trial can be extended by 1 to %1 days at a time.").arg(m_maxExtensionDays),
            QStringLiteral("days"),
            QStringLiteral("days=%1 max_extension_days=%2").arg(days).arg(m_maxExtensionDays));
    }

    const QDateTime base = isExpired(currentEnd, now) ? now.toUTC() : currentEnd.toUTC();
    const QDateTime newEnd = base.addDays(days);
    const QDateTime latestEnd = createdAt.toUTC().addDays(m_maxTotalTrialDays);
    if (newEnd > latestEnd) {
        const qint64 room = std::max<qint64>(0, base.msecsTo(latestEnd) / MsecsPerDay);
        const QString detail
            = QStringLiteral("days=%1 new_end=%2 latest_end=%3 max_total_trial_days=%4")
                  .arg(QString::number(days), newEnd.toString(Qt::ISODate),
                      latestEnd.toString(Qt::ISODate), QString::number(m_maxTotalTrialDays));
        if (room == 0) {
            return fail(ErrorCode::InvalidInput,
                tr("A trial can last at most %1 days after the account was created; this "
                   "trial cannot be extended any further.")
                    .arg(m_maxTotalTrialDays),
                QStringLiteral("days"), detail);
        }
        return fail(ErrorCode::InvalidInput,
            tr("A trial can last at most %1 days after the account was created; this trial "
               "can be extended by at most %n more day(s).",
                nullptr, static_cast<int>(room))
                .arg(m_maxTotalTrialDays),
            QStringLiteral("days"), detail);
    }
    return newEnd;
}

Status TrialPolicy::validateBudget(int newBudget, int currentBudget) const
{
    const QString detail = QStringLiteral("budget=%1 current=%2 max_trial_budget=%3")
                               .arg(newBudget)
                               .arg(currentBudget)
                               .arg(m_maxTrialBudget);
    if (newBudget <= currentBudget) {
        return fail(ErrorCode::InvalidInput,
            tr("A trial budget can only be raised: enter more than the current %1 "
               "identifications.")
                .arg(currentBudget),
            QStringLiteral("budget"), detail);
    }
    if (newBudget > m_maxTrialBudget) {
        return fail(ErrorCode::InvalidInput,
            tr("A trial budget can be at most %1 identifications.").arg(m_maxTrialBudget),
            QStringLiteral("budget"), detail);
    }
    return {};
}

} // namespace rd
