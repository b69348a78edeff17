#include "services/SettingsService.h"

#include "services/AccessControl.h"

namespace rd {

namespace {
Error notYet()
{
    return Error(ErrorCode::DatabaseError, QStringLiteral("not implemented yet"));
}
} // namespace

Result<TrialPolicy> DomainSettings::trialPolicy() const
{
    return TrialPolicy::create(
        trialDays, trialBudget, reminderDays, maxExtensionDays, maxTotalTrialDays, maxTrialBudget);
}

SettingsService::SettingsService(Database &db, const Clock &clock, AccessControl &access)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
{ }

Result<SettingsService::Versioned> SettingsService::settings(const Session &) const
{
    return fail(notYet());
}

Result<qint64> SettingsService::save(const Session &, const DomainSettings &, qint64)
{
    return fail(notYet());
}

Result<DomainSettings> SettingsService::current() const
{
    return DomainSettings {};
}

} // namespace rd
