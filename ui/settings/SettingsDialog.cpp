#include "settings/SettingsDialog.h"

#include <algorithm>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/Permission.h"
#include "services/Session.h"
#include "settings/SmtpSettingsPage.h"

namespace rd {

namespace {

const QString LoginAsField = QStringLiteral("login_as_minutes");

} // namespace

SettingsDialog::SettingsDialog(const Session &session, UiServices &services, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
    , m_readOnly(!PermissionMatrix::allows(session.role(), Capability::Catalogue, Access::Write))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));

    auto *intro
        = new QLabel(tr("Kept in the database, shared by every desktop that uses it."), this);
    intro->setWordWrap(true);

    auto *readOnlyNote
        = new QLabel(tr("You can see these settings; only administrators can change them."), this);
    readOnlyNote->setObjectName(QStringLiteral("readOnlyNote"));
    readOnlyNote->setWordWrap(true);
    readOnlyNote->setVisible(m_readOnly);

    m_loadError = createReasonLabel(QStringLiteral("loadError"), this);
    m_loadError->hide();

    auto *trials = new QGroupBox(tr("Trials"), this);
    auto *trialForm = new QFormLayout(trials);
    trialForm->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    const auto addRow = [this](QFormLayout *form, const QString &label, QWidget *input,
                            const QString &field, const QString &toolTip) {
        auto *caption = new QLabel(label, this);
        caption->setBuddy(input);
        input->setToolTip(toolTip);
        form->addRow(caption, input);
        form->addRow(nullptr, m_reasons.value(field));
    };

    m_trialDays = addSpinBox(QStringLiteral("trialDays"), tr("Trial length in days"), 1,
        TrialPolicy::DaysSettingLimit, QStringLiteral("trial_days"));
    m_trialBudget = addSpinBox(QStringLiteral("trialBudget"), tr("Trial budget"), 1,
        TrialPolicy::BudgetSettingLimit, QStringLiteral("trial_budget"));
    m_reminderDays = addSpinBox(QStringLiteral("reminderDays"), tr("Reminder days before the end"),
        1, TrialPolicy::DaysSettingLimit, QStringLiteral("reminder_days"));
    m_maxExtensionDays
        = addSpinBox(QStringLiteral("maxExtensionDays"), tr("Longest single extension in days"), 1,
            TrialPolicy::DaysSettingLimit, QStringLiteral("max_extension_days"));
    m_maxTotalTrialDays
        = addSpinBox(QStringLiteral("maxTotalTrialDays"), tr("Longest trial in total in days"), 1,
            TrialPolicy::DaysSettingLimit, QStringLiteral("max_total_trial_days"));
    m_maxTrialBudget = addSpinBox(QStringLiteral("maxTrialBudget"), tr("Highest trial budget"), 1,
        TrialPolicy::BudgetSettingLimit, QStringLiteral("max_trial_budget"));
    addRow(trialForm, tr("&Trial length (days):"), m_trialDays, QStringLiteral("trial_days"),
        tr("How long a new trial runs."));
    addRow(trialForm, tr("Trial &budget (identifications):"), m_trialBudget,
        QStringLiteral("trial_budget"), tr("The identifications a new trial may use."));
    addRow(trialForm, tr("&Reminder before the end (days):"), m_reminderDays,
        QStringLiteral("reminder_days"),
        tr("The reminder email is sent this many days before a trial ends."));
    addRow(trialForm, tr("Longest single &extension (days):"), m_maxExtensionDays,
        QStringLiteral("max_extension_days"), tr("The most days one extension may add."));
    addRow(trialForm, tr("Longest trial in t&otal (days):"), m_maxTotalTrialDays,
        QStringLiteral("max_total_trial_days"),
        tr("No trial, however often extended, ends later than this after it began."));
    addRow(trialForm, tr("&Highest trial budget (identifications):"), m_maxTrialBudget,
        QStringLiteral("max_trial_budget"), tr("The most a trial budget may be raised to."));

    auto *loginAs = new QGroupBox(tr("Login As"), this);
    auto *loginAsForm = new QFormLayout(loginAs);
    loginAsForm->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_loginAsMinutes
        = addSpinBox(QStringLiteral("loginAsMinutes"), tr("Login As session length in minutes"),
            SettingsService::MinLoginAsMinutes, SettingsService::MaxLoginAsMinutes, LoginAsField);
    addRow(loginAsForm, tr("Session le&ngth (minutes):"), m_loginAsMinutes, LoginAsField,
        tr("A Login As session closes by itself after this time."));
    m_notify = new QCheckBox(tr("Notif&y the client by email when someone logs in as them"), this);
    m_notify->setObjectName(QStringLiteral("notifyClientOnLoginAs"));
    m_notify->setAccessibleName(tr("Notify the client on Login As"));
    loginAsForm->addRow(m_notify);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *cancel = nullptr;
    if (m_readOnly) {
        cancel = buttons->addButton(QDialogButtonBox::Close);
    } else {
        m_save = buttons->addButton(QDialogButtonBox::Save);
        m_save->setObjectName(QStringLiteral("saveButton"));
        m_save->setText(tr("&Save"));
        m_save->setDefault(true);
        cancel = buttons->addButton(QDialogButtonBox::Cancel);
    }
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *general = new QWidget(this);
    auto *generalLayout = new QVBoxLayout(general);
    generalLayout->addWidget(trials);
    generalLayout->addWidget(loginAs);
    generalLayout->addStretch();

    m_smtpPage = new SmtpSettingsPage(session, services, m_readOnly, this);
    for (auto it = m_smtpPage->reasons().cbegin(); it != m_smtpPage->reasons().cend(); ++it)
        m_reasons.insert(it.key(), it.value());
    for (auto it = m_smtpPage->inputs().cbegin(); it != m_smtpPage->inputs().cend(); ++it)
        m_inputs.insert(it.key(), it.value());

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("settingsTabs"));
    m_tabs->addTab(general, tr("&General"));
    m_tabs->addTab(m_smtpPage, tr("E&mail"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(readOnlyNote);
    layout->addWidget(m_loadError);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);

    load();
    for (QSpinBox *box : {m_trialDays, m_trialBudget, m_reminderDays, m_maxExtensionDays,
             m_maxTotalTrialDays, m_maxTrialBudget, m_loginAsMinutes})
        connect(box, &QSpinBox::valueChanged, this, &SettingsDialog::inputChanged);
    connect(m_notify, &QCheckBox::toggled, this, &SettingsDialog::inputChanged);
    connect(m_smtpPage, &SmtpSettingsPage::changed, this, &SettingsDialog::inputChanged);

    // One width for every number, so the column reads as a column.
    int boxWidth = 0;
    for (QSpinBox *box : general->findChildren<QSpinBox *>())
        boxWidth = std::max(boxWidth, box->sizeHint().width());
    for (QSpinBox *box : general->findChildren<QSpinBox *>())
        box->setMinimumWidth(boxWidth);

    setMinimumWidth(fontMetrics().averageCharWidth() * 95);
    updateState();
}

SettingsDialog::~SettingsDialog() = default;

QSpinBox *SettingsDialog::addSpinBox(const QString &objectName, const QString &accessibleName,
    int minimum, int maximum, const QString &field)
{
    auto *box = new QSpinBox(this);
    box->setObjectName(objectName);
    box->setAccessibleName(accessibleName);
    box->setRange(minimum, maximum);
    box->setGroupSeparatorShown(true);
    box->setAlignment(Qt::AlignRight);
    box->setReadOnly(m_readOnly);
    if (m_readOnly)
        box->setButtonSymbols(QAbstractSpinBox::NoButtons);
    QLabel *reason = createReasonLabel(objectName + QStringLiteral("Reason"), this);
    reason->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    // The form sizes a wrapped label for its narrowest width: keep that
    // close to the real one, or the row gets blank lines.
    reason->setMinimumWidth(reason->fontMetrics().averageCharWidth() * 40);
    reason->hide();
    m_reasons.insert(field, reason);
    m_inputs.insert(field, box);
    return box;
}

void SettingsDialog::load()
{
    Result<SettingsService::Versioned> read = m_services.settings.settings(m_session);
    m_loaded = read.has_value();
    for (QWidget *input : std::as_const(m_inputs))
        input->setEnabled(m_loaded);
    m_notify->setEnabled(m_loaded && !m_readOnly);
    m_smtpPage->setEnabled(m_loaded);
    if (!read) {
        m_loadError->setText(tr("The settings could not be read: %1").arg(read.error().message()));
        m_loadError->show();
        return;
    }
    m_loadError->hide();
    m_version = read->version;
    fill(read->settings);
}

void SettingsDialog::fill(const DomainSettings &settings)
{
    m_trialDays->setValue(settings.trialDays);
    m_trialBudget->setValue(settings.trialBudget);
    m_reminderDays->setValue(settings.reminderDays);
    m_maxExtensionDays->setValue(settings.maxExtensionDays);
    m_maxTotalTrialDays->setValue(settings.maxTotalTrialDays);
    m_maxTrialBudget->setValue(settings.maxTrialBudget);
    m_loginAsMinutes->setValue(settings.loginAsMinutes);
    m_notify->setChecked(settings.notifyClientOnLoginAs);
    m_smtpPage->setSettings(settings.smtp);
}

DomainSettings SettingsDialog::settings() const
{
    DomainSettings s;
    s.trialDays = m_trialDays->value();
    s.trialBudget = m_trialBudget->value();
    s.reminderDays = m_reminderDays->value();
    s.maxExtensionDays = m_maxExtensionDays->value();
    s.maxTotalTrialDays = m_maxTotalTrialDays->value();
    s.maxTrialBudget = m_maxTrialBudget->value();
    s.loginAsMinutes = m_loginAsMinutes->value();
    s.notifyClientOnLoginAs = m_notify->isChecked();
    s.smtp = m_smtpPage->settings();
    return s;
}

SettingsDialog::Problem SettingsDialog::firstProblem() const
{
    if (!m_loaded)
        return {QString(), m_loadError->text()};
    if (m_readOnly)
        return {};
    // The same rule the service applies, so Save stays disabled until the
    // combination is valid (e.g. a reminder inside the trial).
    if (Status valid = SettingsService::validate(settings()); !valid)
        return {valid.error().field(), valid.error().message()};
    if (const SmtpSettingsPage::Problem smtp = m_smtpPage->problem(); !smtp.message.isEmpty())
        return {smtp.field, smtp.message};
    return {};
}

QString SettingsDialog::problem() const
{
    return firstProblem().message;
}

void SettingsDialog::inputChanged()
{
    m_serviceError.reset();
    updateState();
}

void SettingsDialog::updateState()
{
    const Problem problem = firstProblem();
    for (auto it = m_reasons.cbegin(); it != m_reasons.cend(); ++it) {
        QString text;
        if (problem.field == it.key())
            text = problem.message;
        else if (m_serviceError && m_serviceError->field() == it.key())
            text = m_serviceError->message();
        setReason(it.value(), text);
    }
    growToFit(this);
    if (m_save) {
        m_save->setEnabled(problem.message.isEmpty());
        m_save->setToolTip(problem.message);
        m_save->setAccessibleDescription(problem.message);
    }
}

void SettingsDialog::accept()
{
    if (m_readOnly || !firstProblem().message.isEmpty())
        return;
    Result<qint64> saved = m_services.settings.save(m_session, settings(), m_version);
    if (saved) {
        m_version = *saved;
        // The settings are saved; a keychain failure is shown on the Email
        // tab and the dialog stays open so that it is seen.
        if (Status stored = m_smtpPage->storePassword(); !stored) {
            m_tabs->setCurrentWidget(m_smtpPage);
            return;
        }
        QDialog::accept();
        return;
    }
    const Error &error = saved.error();
    if (error.code() == ErrorCode::Conflict) {
        offerReload(error);
    } else if (m_reasons.contains(error.field())) {
        m_serviceError = error;
        updateState();
        focusInput(m_inputs.value(error.field()));
    } else {
        showError(this, windowTitle(), error);
    }
}

void SettingsDialog::offerReload(const Error &error)
{
    if (!askToReload(this, tr("Settings Changed"), error,
            tr("Reload shows the settings as they are now and discards the changes you made in "
               "this dialog.")))
        return;
    load();
    m_serviceError.reset();
    updateState();
}

void SettingsDialog::focusInput(QWidget *input)
{
    if (m_smtpPage->isAncestorOf(input))
        m_tabs->setCurrentWidget(m_smtpPage);
    else
        m_tabs->setCurrentIndex(0);
    input->setFocus();
}

} // namespace rd
