#include "customers/ExtendTrialDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "common/ConflictBanner.h"
#include "common/Feedback.h"
#include "common/Formatting.h"
#include "common/UiServices.h"
#include "domain/Permission.h"
#include "domain/TextLimits.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "services/SettingsService.h"

namespace rd {

namespace {

// The limits in force: the shared settings, or the defaults when they
// cannot be read (the core applies its own limits either way).
TrialPolicy currentPolicy(const SettingsService &settings)
{
    const Result<DomainSettings> current = settings.current();
    if (!current)
        return {};
    return current->trialPolicy().value_or(TrialPolicy());
}

} // namespace

ExtendTrialDialog::ExtendTrialDialog(
    const Session &session, UiServices &services, qint64 customerId, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
    , m_customerId(customerId)
    , m_mayExtend(PermissionMatrix::allows(session.role(), Capability::ManageTrials, Access::Write))
{
    setObjectName(QStringLiteral("extendTrialDialog"));
    setWindowTitle(tr("Extend trial"));

    m_conflictBanner = new ConflictBanner(this);

    m_explanation = new QLabel(this);
    m_explanation->setObjectName(QStringLiteral("explanation"));
    m_explanation->setWordWrap(true);

    m_currentEnd = new QLabel(this);
    m_currentEnd->setObjectName(QStringLiteral("currentEnd"));
    m_currentEnd->setWordWrap(true);
    fillWidth(m_currentEnd);
    m_days = new QSpinBox(this);
    m_days->setObjectName(QStringLiteral("days"));
    m_days->setAccessibleName(tr("Days to add"));
    m_days->setValue(7);
    m_daysHint = createReasonLabel(QStringLiteral("daysHint"), this);
    calmDown(m_daysHint, palette());
    fillWidth(m_daysHint);
    m_newEnd = new QLabel(this);
    m_newEnd->setObjectName(QStringLiteral("newEnd"));
    m_newEnd->setAccessibleName(tr("New end of the trial"));
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setAccessibleName(tr("Reason"));
    m_reason->setMaxLength(TextLimits::Reason);
    m_reason->setPlaceholderText(tr("Required: recorded in the audit log"));
    m_reasonHint = createReasonLabel(QStringLiteral("reasonHint"), this);
    calmDown(m_reasonHint, palette());
    fillWidth(m_reasonHint);

    auto *daysLabel = new QLabel(tr("&Days to add:"), this);
    daysLabel->setBuddy(m_days);
    auto *reasonLabel = new QLabel(tr("&Reason:"), this);
    reasonLabel->setBuddy(m_reason);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Trial ends:"), m_currentEnd);
    form->addRow(daysLabel, withHint(m_days, m_daysHint, this));
    form->addRow(tr("New end:"), m_newEnd);
    form->addRow(reasonLabel, withHint(m_reason, m_reasonHint, this));

    m_hint = createReasonLabel(QStringLiteral("extendHint"), this);
    calmDown(m_hint, palette());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_extend = buttons->addButton(tr("&Extend trial"), QDialogButtonBox::AcceptRole);
    m_extend->setObjectName(QStringLiteral("extendButton"));
    m_extend->setDefault(true);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(m_extend, &QPushButton::clicked, this, &ExtendTrialDialog::extend);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_conflictBanner, &ConflictBanner::reloadRequested, this, &ExtendTrialDialog::load);
    connect(m_days, &QSpinBox::valueChanged, this, &ExtendTrialDialog::updateState);
    connect(m_reason, &QLineEdit::textChanged, this, &ExtendTrialDialog::updateState);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_conflictBanner);
    layout->addWidget(m_explanation);
    layout->addSpacing(layout->spacing());
    layout->addLayout(form);
    layout->addSpacing(layout->spacing());
    layout->addStretch(1);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);

    setTabOrder(m_conflictBanner->reloadButton(), m_days);
    setTabOrder(m_days, m_reason);
    setTabOrder(m_reason, m_extend);
    setTabOrder(m_extend, cancel);

    load();
    setMinimumWidth(fontMetrics().averageCharWidth() * 70);
    resize(minimumWidth(), layout->totalHeightForWidth(minimumWidth()));
    m_days->setFocus();
}

ExtendTrialDialog::~ExtendTrialDialog() = default;

void ExtendTrialDialog::load()
{
    m_loaded = false;
    m_conflict = false;
    m_conflictBanner->hide();
    // The limits may have changed on another desktop too.
    m_policy = currentPolicy(m_services.settings);
    m_days->setRange(1, m_policy.maxExtensionDays());
    Result<CustomerRow> row = m_services.customers.customer(m_session, m_customerId);
    if (!row) {
        m_loadError = tr("The customer could not be read: %1").arg(row.error().message());
        updateState();
        return;
    }
    m_loadError.clear();
    m_customer = *row;

    const QDateTime now = m_services.clock.now();
    if (m_customer.billingStatus != BillingStatus::Trial) {
        m_explanation->setText(
            tr("%1 is a paid account; only trials can be extended.").arg(m_customer.companyName));
        m_currentEnd->setText(tr("No trial"));
    } else if (TrialPolicy::isExpired(m_customer.trialEndsAt, now)) {
        m_explanation->setText(tr("The trial of %1 has expired. An expired trial is extended "
                                  "from now, not from its old end.")
                                   .arg(m_customer.companyName));
        m_currentEnd->setText(tr("Expired on %1").arg(dateTimeText(m_customer.trialEndsAt)));
    } else {
        m_explanation->setText(
            tr("The trial of %1 is running; the days are added to its current end. The trial "
               "reminder moves with the end.")
                .arg(m_customer.companyName));
        m_currentEnd->setText(
            tr("%1 (%n day(s) left)", nullptr, TrialPolicy::daysLeft(m_customer.trialEndsAt, now))
                .arg(dateTimeText(m_customer.trialEndsAt)));
    }
    m_loaded = true;
    updateState();
}

Result<QDateTime> ExtendTrialDialog::newEnd() const
{
    return m_policy.extend(
        m_customer.createdAt, m_customer.trialEndsAt, m_days->value(), m_services.clock.now());
}

QString ExtendTrialDialog::generalProblem() const
{
    if (!m_loadError.isEmpty())
        return m_loadError;
    if (!m_loaded)
        return tr("Loading the customer…");
    if (!m_mayExtend)
        return tr("Your role cannot extend trials.");
    if (m_conflict)
        return tr("Reload the customer before extending.");
    if (m_customer.billingStatus != BillingStatus::Trial)
        return tr("%1 is not on a trial.").arg(m_customer.companyName);
    return {};
}

QString ExtendTrialDialog::problem() const
{
    if (const QString general = generalProblem(); !general.isEmpty())
        return general;
    if (const Result<QDateTime> end = newEnd(); !end)
        return end.error().message();
    if (m_reason->text().trimmed().isEmpty())
        return tr("Give a reason; it is kept in the audit log.");
    return {};
}

void ExtendTrialDialog::updateState()
{
    const bool trial = m_loaded && m_customer.billingStatus == BillingStatus::Trial;
    const Result<QDateTime> end = trial ? newEnd() : Result<QDateTime>(QDateTime());
    m_newEnd->setText(end && end->isValid() ? dateTimeText(*end) : tr("–"));
    setReason(m_daysHint,
        end ? tr("At most %n day(s) at a time.", nullptr, m_policy.maxExtensionDays())
            : end.error().message());
    setReason(m_reasonHint,
        trial && m_mayExtend && m_reason->text().trimmed().isEmpty()
            ? tr("Give a reason; it is kept in the audit log.")
            : QString());

    const QString general = generalProblem();
    m_hint->setText(general);
    m_hint->setVisible(!general.isEmpty());
    const QString reason = problem();
    m_extend->setEnabled(reason.isEmpty());
    m_extend->setAccessibleDescription(reason);
    m_days->setEnabled(trial && m_mayExtend);
    m_reason->setEnabled(trial && m_mayExtend);
    growToFit(this);
}

void ExtendTrialDialog::extend()
{
    if (!problem().isEmpty())
        return;
    Result<int> version = m_services.customers.extendTrial(
        m_session, m_customerId, m_customer.version, m_days->value(), m_reason->text());
    if (!version) {
        showFailure(version.error());
        return;
    }
    m_newVersion = *version;
    accept();
}

void ExtendTrialDialog::showFailure(const Error &error)
{
    if (error.code() == ErrorCode::Conflict) {
        m_conflict = true;
        m_conflictBanner->showConflict(error.message(),
            tr("Reload shows the trial as it is saved now; the days and reason you entered "
               "stay."));
        updateState();
        m_conflictBanner->reloadButton()->setFocus();
    } else if (error.field() == QLatin1String("days")) {
        setReason(m_daysHint, error.message());
        growToFit(this);
        m_days->setFocus();
    } else if (error.field() == QLatin1String("reason")) {
        setReason(m_reasonHint, error.message());
        growToFit(this);
        m_reason->setFocus();
    } else {
        showError(this, tr("Extend trial"), error);
    }
}

} // namespace rd
