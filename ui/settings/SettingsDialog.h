#pragma once

#include <optional>

#include <QDialog>
#include <QHash>

#include "domain/Error.h"
#include "services/SettingsService.h"

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace rd {

class Session;
class SmtpSettingsPage;
struct UiServices;

// The domain settings shared by every desktop on the database: trial
// length and budget, reminder, extension limits, Login As session length
// and notice on the "General" tab, the mail server on the "Email" tab
// (SmtpSettingsPage, which also keeps this desktop's SMTP password in the
// keychain once the settings are saved). Administrators change them (Save calls SettingsService
// with the version read; Conflict offers a reload); Reseller Admins and Managers see them
// read-only, with a note saying so. An invalid combination keeps Save disabled with the reason
// beside the field, and so does a refusal of the service that names a field.
//
// objectNames: "settingsDialog", "loadError", "readOnlyNote", "trialDays",
// "trialBudget", "reminderDays", "maxExtensionDays", "maxTotalTrialDays",
// "maxTrialBudget", "loginAsMinutes", "notifyClientOnLoginAs", the reason
// labels "<input>Reason" (e.g. "reminderDaysReason"), "saveButton",
// "cancelButton" (labelled Close when read-only), the tabs "settingsTabs";
// the conflict box "conflictMessage" with "reloadButton"; the SMTP page's
// names are listed in SmtpSettingsPage.h.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    SettingsDialog(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    bool isReadOnly() const noexcept { return m_readOnly; }
    // The settings as entered.
    DomainSettings settings() const;
    // Why Save is disabled; empty when it is enabled (or read-only).
    QString problem() const;

    // Saves through the service; closes only when the service accepted.
    void accept() override;

private:
    struct Problem
    {
        QString field; // the service's field name
        QString message;
    };

    QSpinBox *addSpinBox(const QString &objectName, const QString &accessibleName, int minimum,
        int maximum, const QString &field);
    void load();
    void fill(const DomainSettings &settings);
    Problem firstProblem() const;
    void inputChanged();
    void updateState();
    void offerReload(const Error &error);
    void focusInput(QWidget *input);

    const Session &m_session;
    UiServices &m_services;
    bool m_readOnly = true;
    bool m_loaded = false;
    qint64 m_version = 0;
    // The last refusal of the service that names a field, until the next edit.
    std::optional<Error> m_serviceError;

    QLabel *m_loadError = nullptr;
    QSpinBox *m_trialDays = nullptr;
    QSpinBox *m_trialBudget = nullptr;
    QSpinBox *m_reminderDays = nullptr;
    QSpinBox *m_maxExtensionDays = nullptr;
    QSpinBox *m_maxTotalTrialDays = nullptr;
    QSpinBox *m_maxTrialBudget = nullptr;
    QSpinBox *m_loginAsMinutes = nullptr;
    QCheckBox *m_notify = nullptr;
    QTabWidget *m_tabs = nullptr;
    SmtpSettingsPage *m_smtpPage = nullptr;
    QPushButton *m_save = nullptr;
    // Reason labels and inputs by the field names Error::field() uses.
    QHash<QString, QLabel *> m_reasons;
    QHash<QString, QWidget *> m_inputs;
};

} // namespace rd
