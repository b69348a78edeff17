#include "customers/RaiseTrialBudgetDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "common/ConflictBanner.h"
#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/Permission.h"
#include "domain/TextLimits.h"
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

RaiseTrialBudgetDialog::RaiseTrialBudgetDialog(
    const Session &session, UiServices &services, qint64 customerId, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
    , m_customerId(customerId)
    , m_mayRaise(PermissionMatrix::allows(session.role(), Capability::ManageTrials, Access::Write))
{
    setObjectName(QStringLiteral("raiseTrialBudgetDialog"));
    setWindowTitle(tr("Raise trial budget"));

    m_conflictBanner = new ConflictBanner(this);

    m_explanation = new QLabel(this);
    m_explanation->setObjectName(QStringLiteral("explanation"));
    m_explanation->setWordWrap(true);

    m_currentBudget = new QLabel(this);
    m_currentBudget->setObjectName(QStringLiteral("currentBudget"));
    m_newBudget = new QSpinBox(this);
    m_newBudget->setObjectName(QStringLiteral("newBudget"));
    m_newBudget->setAccessibleName(tr("New trial budget"));
    m_newBudget->setGroupSeparatorShown(true);
    m_newBudget->setSingleStep(100);
    m_budgetHint = createReasonLabel(QStringLiteral("budgetHint"), this);
    calmDown(m_budgetHint, palette());
    fillWidth(m_budgetHint);
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setAccessibleName(tr("Reason"));
    m_reason->setMaxLength(TextLimits::Reason);
    m_reason->setPlaceholderText(tr("Required: recorded in the audit log"));
    m_reasonHint = createReasonLabel(QStringLiteral("reasonHint"), this);
    calmDown(m_reasonHint, palette());
    fillWidth(m_reasonHint);

    auto *budgetLabel = new QLabel(tr("&New budget:"), this);
    budgetLabel->setBuddy(m_newBudget);
    auto *reasonLabel = new QLabel(tr("&Reason:"), this);
    reasonLabel->setBuddy(m_reason);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Current budget:"), m_currentBudget);
    form->addRow(budgetLabel, withHint(m_newBudget, m_budgetHint, this));
    form->addRow(reasonLabel, withHint(m_reason, m_reasonHint, this));

    m_hint = createReasonLabel(QStringLiteral("raiseHint"), this);
    calmDown(m_hint, palette());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_raise = buttons->addButton(tr("R&aise budget"), QDialogButtonBox::AcceptRole);
    m_raise->setObjectName(QStringLiteral("raiseButton"));
    m_raise->setDefault(true);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(m_raise, &QPushButton::clicked, this, &RaiseTrialBudgetDialog::raise);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(
        m_conflictBanner, &ConflictBanner::reloadRequested, this, &RaiseTrialBudgetDialog::load);
    connect(m_newBudget, &QSpinBox::valueChanged, this, &RaiseTrialBudgetDialog::updateState);
    connect(m_reason, &QLineEdit::textChanged, this, &RaiseTrialBudgetDialog::updateState);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_conflictBanner);
    layout->addWidget(m_explanation);
    layout->addSpacing(layout->spacing());
    layout->addLayout(form);
    layout->addSpacing(layout->spacing());
    layout->addStretch(1);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);

    setTabOrder(m_conflictBanner->reloadButton(), m_newBudget);
    setTabOrder(m_newBudget, m_reason);
    setTabOrder(m_reason, m_raise);
    setTabOrder(m_raise, cancel);

    load();
    setMinimumWidth(fontMetrics().averageCharWidth() * 70);
    resize(minimumWidth(), layout->totalHeightForWidth(minimumWidth()));
    m_newBudget->setFocus();
}

RaiseTrialBudgetDialog::~RaiseTrialBudgetDialog() = default;

void RaiseTrialBudgetDialog::load()
{
    m_loaded = false;
    m_conflict = false;
    m_conflictBanner->hide();
    // The limits may have changed on another desktop too.
    m_policy = currentPolicy(m_services.settings);
    Result<CustomerRow> row = m_services.customers.customer(m_session, m_customerId);
    if (!row) {
        m_loadError = tr("The customer could not be read: %1").arg(row.error().message());
        updateState();
        return;
    }
    m_loadError.clear();
    m_customer = *row;

    if (m_customer.billingStatus != BillingStatus::Trial) {
        m_explanation->setText(
            tr("%1 is a paid account; its budget is the plan's.").arg(m_customer.companyName));
        m_currentBudget->setText(tr("No trial"));
    } else {
        m_explanation->setText(tr("The trial of %1 may use more identifications; the new budget "
                                  "applies at once.")
                                   .arg(m_customer.companyName));
        m_currentBudget->setText(tr("%Ln identification(s)", nullptr, m_customer.trialBudget));
    }
    // The spin box cannot leave the allowed range: above the current budget,
    // at most the setting. A budget already at the limit leaves it disabled.
    const int lowest = qMin(m_customer.trialBudget + 1, m_policy.maxTrialBudget());
    const QSignalBlocker blocker(m_newBudget);
    m_newBudget->setRange(lowest, m_policy.maxTrialBudget());
    m_newBudget->setValue(qBound(lowest, m_customer.trialBudget * 2, m_policy.maxTrialBudget()));
    m_loaded = true;
    updateState();
}

QString RaiseTrialBudgetDialog::generalProblem() const
{
    if (!m_loadError.isEmpty())
        return m_loadError;
    if (!m_loaded)
        return tr("Loading the customer…");
    if (!m_mayRaise)
        return tr("Your role cannot change trials.");
    if (m_conflict)
        return tr("Reload the customer before raising the budget.");
    if (m_customer.billingStatus != BillingStatus::Trial)
        return tr("%1 is not on a trial.").arg(m_customer.companyName);
    if (m_customer.trialBudget >= m_policy.maxTrialBudget())
        return tr("The trial budget is already at the maximum of %Ln identification(s).", nullptr,
            m_policy.maxTrialBudget());
    return {};
}

QString RaiseTrialBudgetDialog::problem() const
{
    if (const QString general = generalProblem(); !general.isEmpty())
        return general;
    if (const Status valid = m_policy.validateBudget(m_newBudget->value(), m_customer.trialBudget);
        !valid)
        return valid.error().message();
    if (m_reason->text().trimmed().isEmpty())
        return tr("Give a reason; it is kept in the audit log.");
    return {};
}

void RaiseTrialBudgetDialog::updateState()
{
    const QString general = generalProblem();
    const bool editable = general.isEmpty();
    const Status valid = m_policy.validateBudget(m_newBudget->value(), m_customer.trialBudget);
    setReason(m_budgetHint,
        !editable   ? QString()
            : valid ? tr("At most %Ln identification(s).", nullptr, m_policy.maxTrialBudget())
                    : valid.error().message());
    setReason(m_reasonHint,
        editable && m_reason->text().trimmed().isEmpty()
            ? tr("Give a reason; it is kept in the audit log.")
            : QString());

    m_hint->setText(general);
    m_hint->setVisible(!general.isEmpty());
    const QString reason = problem();
    m_raise->setEnabled(reason.isEmpty());
    m_raise->setAccessibleDescription(reason);
    m_newBudget->setEnabled(editable || m_conflict);
    m_reason->setEnabled(editable || m_conflict);
    growToFit(this);
}

void RaiseTrialBudgetDialog::raise()
{
    if (!problem().isEmpty())
        return;
    Result<int> version = m_services.customers.raiseTrialBudget(
        m_session, m_customerId, m_customer.version, m_newBudget->value(), m_reason->text());
    if (!version) {
        showFailure(version.error());
        return;
    }
    m_newVersion = *version;
    accept();
}

void RaiseTrialBudgetDialog::showFailure(const Error &error)
{
    if (error.code() == ErrorCode::Conflict) {
        m_conflict = true;
        m_conflictBanner->showConflict(error.message(),
            tr("Reload shows the trial as it is saved now; the reason you entered stays."));
        updateState();
        m_conflictBanner->reloadButton()->setFocus();
    } else if (error.field() == QLatin1String("budget")) {
        setReason(m_budgetHint, error.message());
        growToFit(this);
        m_newBudget->setFocus();
    } else if (error.field() == QLatin1String("reason")) {
        setReason(m_reasonHint, error.message());
        growToFit(this);
        m_reason->setFocus();
    } else {
        showError(this, tr("Raise trial budget"), error);
    }
}

} // namespace rd
