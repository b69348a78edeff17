#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QString>

#include "domain/Error.h"
#include "domain/TrialPolicy.h"
#include "mail/SmtpSettings.h"

namespace rd {

class AccessControl;
class Clock;
class Database;
class Session;

// The domain settings shared by every desktop on one database (DESIGN §4
// "Where settings live"): kept in the settings table, one row per key.
// Missing keys read as the defaults below.
struct DomainSettings
{
    int trialDays = TrialPolicy::DefaultTrialDays;
    int trialBudget = TrialPolicy::DefaultTrialBudget;
    int reminderDays = TrialPolicy::DefaultReminderDays;
    int maxExtensionDays = TrialPolicy::DefaultMaxExtensionDays;
    int maxTotalTrialDays = TrialPolicy::DefaultMaxTotalTrialDays;
    int maxTrialBudget = TrialPolicy::DefaultMaxTrialBudget;
    static constexpr int DefaultLoginAsMinutes = 60;
    int loginAsMinutes = DefaultLoginAsMinutes; // SettingsService::Min/MaxLoginAsMinutes
    bool notifyClientOnLoginAs = true;
    SmtpSettings smtp; // its keys: see SmtpSettings

    // The trial part as a validated policy.
    Result<TrialPolicy> trialPolicy() const;

    friend bool operator==(const DomainSettings &, const DomainSettings &) = default;
};

// Reads and changes the domain settings (§3 "plans, price lists, settings":
// Administrators change them, Reseller Admins and Managers see them). A
// change is validated as a whole (TrialPolicy::create, the Login As range
// and SmtpSettings::validate), written in one transaction with one audit
// event ("settings.update", before/after of the keys that changed, SMTP
// keys included: no password is among them, that lives in the keychain)
// and refused with Conflict when another desktop saved in between (rule 14:
// the settings read carry a version, see `version`). Stored keys, also the
// field() of a validation error: trial_days, trial_budget, reminder_days,
// max_extension_days, max_total_trial_days, max_trial_budget,
// login_as_minutes, notify_client_on_login_as, and the smtp_* keys of
// SmtpSettings.
class SettingsService final
{
    Q_DECLARE_TR_FUNCTIONS(SettingsService)

public:
    static constexpr int MinLoginAsMinutes = 5;
    static constexpr int MaxLoginAsMinutes = 480;

    SettingsService(Database &db, const Clock &clock, AccessControl &access);

    struct Versioned
    {
        DomainSettings settings;
        // Changes whenever any setting is saved; pass it back to save(). 0
        // while nothing has ever been saved (every setting at its default).
        qint64 version = 0;
    };

    Result<Versioned> settings(const Session &session) const;
    // Returns the new version. Saving unchanged settings writes nothing.
    Result<qint64> save(
        const Session &session, const DomainSettings &settings, qint64 expectedVersion);

    // For other services (no session, no permission check): the current
    // settings, defaults for missing keys.
    Result<DomainSettings> current() const;

    // The stored values (key -> text, as SettingsRepository reads them) over
    // defaults: a missing or unreadable key keeps its default.
    static DomainSettings fromStored(
        const QHash<QString, QString> &values, DomainSettings defaults);
    // The whole set: TrialPolicy::create, the Login As range, then the SMTP
    // settings.
    static Status validate(const DomainSettings &settings);

private:
    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
};

} // namespace rd
