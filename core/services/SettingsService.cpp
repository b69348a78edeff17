#include "services/SettingsService.h"

#include <array>

#include <QJsonObject>

#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "storage/SettingsRepository.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

// The stored keys of the numeric settings; the key is also Error::field().
struct IntSetting
{
    const char *key;
    int DomainSettings::*member;
};

constexpr std::array<IntSetting, 7> IntSettings {{
    {"trial_days", &DomainSettings::trialDays},
    {"trial_budget", &DomainSettings::trialBudget},
    {"reminder_days", &DomainSettings::reminderDays},
    {"max_extension_days", &DomainSettings::maxExtensionDays},
    {"max_total_trial_days", &DomainSettings::maxTotalTrialDays},
    {"max_trial_budget", &DomainSettings::maxTrialBudget},
    {"login_as_minutes", &DomainSettings::loginAsMinutes},
}};

const char *const NotifyKey = "notify_client_on_login_as";
// The SMTP keys whose values are not text (SmtpSettings::toStored).
const char *const SmtpBoolKeys[] = {"smtp_enabled", "smtp_allow_plain_auth"};
const char *const SmtpPortKey = "smtp_port";

QString boolText(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

// The values as stored (text), one per key.
QHash<QString, QString> toStored(const DomainSettings &settings)
{
    QHash<QString, QString> values;
    for (const IntSetting &s : IntSettings)
        values.insert(QString::fromLatin1(s.key), QString::number(settings.*(s.member)));
    values.insert(QString::fromLatin1(NotifyKey), boolText(settings.notifyClientOnLoginAs));
    values.insert(settings.smtp.toStored());
    return values;
}

// For the audit: numbers and bools as JSON numbers and bools, text as text.
QJsonValue jsonValue(const QString &key, const QString &stored)
{
    if (key == QLatin1String(NotifyKey))
        return stored == QLatin1String("true");
    for (const char *boolKey : SmtpBoolKeys) {
        if (key == QLatin1String(boolKey))
            return stored == QLatin1String("true");
    }
    if (key == QLatin1String(SmtpPortKey))
        return stored.toInt();
    for (const IntSetting &s : IntSettings) {
        if (key == QLatin1String(s.key))
            return stored.toInt();
    }
    return stored;
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

DomainSettings SettingsService::fromStored(
    const QHash<QString, QString> &values, DomainSettings defaults)
{
    for (const IntSetting &s : IntSettings) {
        const auto it = values.constFind(QString::fromLatin1(s.key));
        if (it == values.cend())
            continue;
        bool ok = false;
        const int value = it->trimmed().toInt(&ok);
        if (ok)
            defaults.*(s.member) = value;
    }
    const auto notify = values.constFind(QString::fromLatin1(NotifyKey));
    if (notify != values.cend()) {
        if (*notify == QLatin1String("true"))
            defaults.notifyClientOnLoginAs = true;
        else if (*notify == QLatin1String("false"))
            defaults.notifyClientOnLoginAs = false;
    }
    defaults.smtp = SmtpSettings::fromStored(values, defaults.smtp);
    return defaults;
}

Status SettingsService::validate(const DomainSettings &settings)
{
    if (Result<TrialPolicy> policy = settings.trialPolicy(); !policy)
        return fail(policy.error());
    if (settings.loginAsMinutes < MinLoginAsMinutes
        || settings.loginAsMinutes > MaxLoginAsMinutes) {
        return fail(ErrorCode::InvalidInput,
            tr("A Login As session must last between %1 and %2 minutes.")
                .arg(MinLoginAsMinutes)
                .arg(MaxLoginAsMinutes),
            QStringLiteral("login_as_minutes"),
            QStringLiteral("login_as_minutes=%1").arg(settings.loginAsMinutes));
    }
    return settings.smtp.validate();
}

Result<SettingsService::Versioned> SettingsService::settings(const Session &session) const
{
    if (Status allowed = m_access.require(session, Capability::Catalogue, Access::Read); !allowed)
        return fail(allowed.error());
    Result<StoredSettings> stored = SettingsRepository(m_db).read();
    if (!stored)
        return fail(stored.error());
    return Versioned {fromStored(stored->values, {}), stored->version};
}

Result<qint64> SettingsService::save(
    const Session &session, const DomainSettings &settings, qint64 expectedVersion)
{
    if (Status allowed = m_access.require(session, Capability::Catalogue, Access::Write); !allowed)
        return fail(allowed.error());
    if (session.isImpersonated()) {
        // Rule 9: no security settings change during Login As (a client
        // role has no settings access anyway; said plainly all the same).
        return fail(ErrorCode::PermissionDenied, tr("Settings cannot be changed during Login As."),
            {}, QStringLiteral("impersonated session"));
    }
    if (Status valid = validate(settings); !valid)
        return fail(valid.error());

    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    SettingsRepository repository(m_db);
    Result<StoredSettings> stored = repository.read();
    if (!stored)
        return fail(stored.error());
    const QHash<QString, QString> before = toStored(fromStored(stored->values, {}));
    const QHash<QString, QString> after = toStored(settings);
    QJsonObject changedBefore;
    QJsonObject changedAfter;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (before.value(it.key()) != it.value()) {
            changedBefore.insert(it.key(), jsonValue(it.key(), before.value(it.key())));
            changedAfter.insert(it.key(), jsonValue(it.key(), it.value()));
        }
    }
    if (changedAfter.isEmpty())
        return stored->version; // nothing to write, nothing lost

    const QDateTime now = m_clock.now();
    Result<qint64> version = repository.advanceVersion(expectedVersion, now, session.userId());
    if (!version)
        return fail(version.error());
    for (auto it = changedAfter.constBegin(); it != changedAfter.constEnd(); ++it) {
        // A cleared text (an SMTP user, say) is stored as '': a null QString
        // would bind as NULL, which the value column refuses.
        const QString value = after.value(it.key());
        if (Status put = repository.put(
                it.key(), value.isNull() ? QStringLiteral("") : value, now, session.userId());
            !put)
            return fail(put.error());
    }
    AuditEntry entry;
    entry.action = QStringLiteral("settings.update");
    entry.entityType = QStringLiteral("settings");
    entry.before = changedBefore;
    entry.after = changedAfter;
    if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
        return fail(recorded.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<DomainSettings> SettingsService::current() const
{
    Result<StoredSettings> stored = SettingsRepository(m_db).read();
    if (!stored)
        return fail(stored.error());
    return fromStored(stored->values, {});
}

} // namespace rd
