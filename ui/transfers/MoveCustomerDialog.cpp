#include "transfers/MoveCustomerDialog.h"

#include <algorithm>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/Error.h"
#include "services/ResellerService.h"
#include "services/Session.h"

namespace rd {

namespace {

// The target combo's value when nothing is chosen; 0 is a direct account.
constexpr qint64 NoTarget = -1;

} // namespace

MoveCustomerDialog::MoveCustomerDialog(
    const Session &session, UiServices &services, qint64 customerId, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
    , m_customerId(customerId)
{
    setObjectName(QStringLiteral("moveCustomerDialog"));
    setWindowTitle(tr("Move customer"));

    auto *intro = new QLabel(tr("Give the customer another owner: a reseller, or nobody (a direct "
                                "account). The current owner's assignment ends and stays in the "
                                "history; additional assignments stay."),
        this);
    intro->setWordWrap(true);

    m_companyLabel = new QLabel(this);
    m_companyLabel->setObjectName(QStringLiteral("companyLabel"));
    m_companyLabel->setTextFormat(Qt::PlainText);
    m_ownerLabel = new QLabel(this);
    m_ownerLabel->setObjectName(QStringLiteral("currentOwnerLabel"));
    m_ownerLabel->setTextFormat(Qt::PlainText);
    m_planLabel = new QLabel(this);
    m_planLabel->setObjectName(QStringLiteral("currentPlanLabel"));
    m_planLabel->setTextFormat(Qt::PlainText);

    m_targetCombo = new QComboBox(this);
    m_targetCombo->setObjectName(QStringLiteral("targetCombo"));
    m_targetCombo->setAccessibleName(tr("New owner"));
    m_targetCombo->setPlaceholderText(tr("Choose the new owner"));
    m_targetCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_targetCombo->setMinimumContentsLength(28);
    m_targetReason = createHiddenReasonLabel(
        QStringLiteral("targetReason"), tr("Plan check for the new owner"), this);

    m_planCombo = new QComboBox(this);
    m_planCombo->setObjectName(QStringLiteral("planCombo"));
    m_planCombo->setAccessibleName(tr("Plan with the new owner"));
    m_planCombo->setPlaceholderText(tr("Choose a plan"));
    m_planReason
        = createHiddenReasonLabel(QStringLiteral("planReason"), tr("Problem with the plan"), this);

    auto *form = new QFormLayout;
    form->addRow(tr("Customer:"), m_companyLabel);
    form->addRow(tr("Current owner:"), m_ownerLabel);
    form->addRow(tr("Current plan:"), m_planLabel);
    auto *targetLabel = new QLabel(tr("&New owner:"), this);
    targetLabel->setBuddy(m_targetCombo);
    form->addRow(targetLabel, m_targetCombo);
    // Always shown: the plan check's place, so the form does not jump.
    m_targetReason->show();
    form->addRow(nullptr, m_targetReason);
    auto *planLabel = new QLabel(tr("&Plan:"), this);
    planLabel->setBuddy(m_planCombo);
    form->addRow(planLabel, m_planCombo);
    form->addRow(nullptr, m_planReason);

    m_reasonLabel = createHiddenReasonLabel(
        QStringLiteral("reasonLabel"), tr("Why Move is not available"), this);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_moveButton = buttons->button(QDialogButtonBox::Ok);
    m_moveButton->setText(tr("&Move"));
    m_moveButton->setObjectName(QStringLiteral("moveButton"));
    m_moveButton->setAccessibleName(tr("Move the customer"));
    m_moveButton->setDefault(true);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(layout->spacing());
    layout->addLayout(form);
    layout->addWidget(m_reasonLabel);
    layout->addStretch();
    layout->addWidget(buttons);

    setTabOrder(m_targetCombo, m_planCombo);
    setTabOrder(m_planCombo, m_moveButton);
    setTabOrder(m_moveButton, cancel);

    connect(buttons, &QDialogButtonBox::accepted, this, &MoveCustomerDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &MoveCustomerDialog::reject);
    connect(
        m_targetCombo, &QComboBox::currentIndexChanged, this, &MoveCustomerDialog::targetChanged);
    connect(m_planCombo, &QComboBox::currentIndexChanged, this, [this] {
        setReason(m_planReason, {});
        updateState();
    });

    setMinimumWidth(fontMetrics().averageCharWidth() * 90);
    reload();
    m_targetCombo->setFocus();
}

MoveCustomerDialog::~MoveCustomerDialog() = default;

void MoveCustomerDialog::reload()
{
    m_loadProblem.clear();
    Result<QList<TransferCandidate>> found
        = m_services.transfers.candidates(m_session, {m_customerId});
    if (!found)
        m_loadProblem = found.error().message();
    else if (found->isEmpty())
        m_loadProblem = tr("The customer no longer exists.");
    else
        m_customer = found->constFirst();

    m_companyLabel->setText(m_customer.companyName);
    m_ownerLabel->setText(m_customer.ownerResellerId > 0 ? m_customer.ownerResellerName
                                                         : tr("None (direct account)"));
    m_planLabel->setText(m_customer.planName);

    // Active resellers other than the owner, and a direct account unless it
    // already is one.
    const qint64 previous = chosenTarget();
    const QSignalBlocker blocker(m_targetCombo);
    m_targetCombo->clear();
    if (m_loadProblem.isEmpty()) {
        if (m_customer.ownerResellerId != 0)
            m_targetCombo->addItem(tr("Direct account (no reseller)"), QVariant(qint64 {0}));
        Result<QList<ResellerSummary>> resellers = m_services.resellers.listResellers(m_session);
        if (!resellers) {
            m_loadProblem = resellers.error().message();
        } else {
            for (const ResellerSummary &r : *resellers) {
                if (r.active && r.id != m_customer.ownerResellerId)
                    m_targetCombo->addItem(r.name, QVariant(r.id));
            }
        }
    }
    m_targetCombo->setCurrentIndex(
        previous == NoTarget ? -1 : m_targetCombo->findData(QVariant(previous)));
    targetChanged();
}

qint64 MoveCustomerDialog::chosenTarget() const
{
    return m_targetCombo->currentIndex() < 0 ? NoTarget : m_targetCombo->currentData().toLongLong();
}

qint64 MoveCustomerDialog::chosenPlan() const
{
    return m_planCombo->currentIndex() < 0 ? 0 : m_planCombo->currentData().toLongLong();
}

void MoveCustomerDialog::targetChanged()
{
    clearErrors();
    const QSignalBlocker blocker(m_planCombo);
    m_planCombo->clear();
    m_targetPlans.clear();
    const qint64 target = chosenTarget();
    if (target == NoTarget || !m_loadProblem.isEmpty()) {
        m_planCombo->setEnabled(false);
        updateState();
        return;
    }

    // Rule 7: the plan must be offered by the target, or a new one chosen.
    Result<QList<PlanRow>> plans = m_services.customers.plansFor(m_session, target);
    if (!plans) {
        m_targetReason->setText(plans.error().message());
        m_planCombo->setEnabled(false);
        updateState();
        return;
    }
    m_targetPlans = *plans;
    for (const PlanRow &plan : std::as_const(m_targetPlans)) {
        m_planCombo->addItem(
            plan.id == m_customer.planId ? tr("%1 (current plan)").arg(plan.name) : plan.name,
            QVariant(plan.id));
    }
    m_planCombo->setEnabled(true);
    const bool offered = std::any_of(m_targetPlans.cbegin(), m_targetPlans.cend(),
        [this](const PlanRow &plan) { return plan.id == m_customer.planId; });
    // Short enough for one line beside the combo, whatever the reseller's name.
    if (offered) {
        m_planCombo->setCurrentIndex(m_planCombo->findData(QVariant(m_customer.planId)));
        m_targetReason->setText(target == 0
                ? tr("A direct account keeps the plan %1.").arg(m_customer.planName)
                : tr("Offers the current plan %1.").arg(m_customer.planName));
    } else {
        m_planCombo->setCurrentIndex(-1);
        m_targetReason->setText(tr("Does not offer the current plan %1: choose one of its plans.")
                                    .arg(m_customer.planName));
    }
    updateState();
}

QString MoveCustomerDialog::problem() const
{
    if (!m_loadProblem.isEmpty())
        return m_loadProblem;
    if (chosenTarget() == NoTarget) {
        return m_targetCombo->count() == 0 ? tr("There is no other active reseller to move to.")
                                           : tr("Choose the new owner.");
    }
    if (m_targetPlans.isEmpty())
        return tr("The new owner offers no plans; a customer cannot move there.");
    if (chosenPlan() == 0)
        return tr("Choose the plan %1 will have.").arg(m_customer.companyName);
    return {};
}

void MoveCustomerDialog::updateState()
{
    const QString reason = problem();
    setReason(m_reasonLabel, reason);
    m_moveButton->setEnabled(reason.isEmpty());
    m_moveButton->setAccessibleDescription(reason);
}

void MoveCustomerDialog::clearErrors()
{
    m_targetReason->clear();
    setReason(m_planReason, {});
}

void MoveCustomerDialog::accept()
{
    if (!problem().isEmpty())
        return;
    const qint64 plan = chosenPlan();
    Result<int> moved = m_services.transfers.moveCustomer(m_session, m_customerId,
        m_customer.version, chosenTarget(), plan == m_customer.planId ? 0 : plan);
    if (!moved) {
        showFailure(moved.error());
        return;
    }
    m_newVersion = *moved;
    QDialog::accept();
}

void MoveCustomerDialog::showFailure(const Error &error)
{
    if (error.code() == ErrorCode::Conflict) {
        if (askToReload(this, tr("Move customer"), error))
            reload();
        return;
    }
    if (error.field() == QLatin1String("reseller")) {
        m_targetReason->setText(error.message());
        m_targetCombo->setFocus();
    } else if (error.field() == QLatin1String("plan")) {
        setReason(m_planReason, error.message());
        m_planCombo->setFocus();
    } else {
        showError(this, tr("Move customer"), error);
    }
}

} // namespace rd
