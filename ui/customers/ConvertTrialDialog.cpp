#include "customers/ConvertTrialDialog.h"

#include <algorithm>

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/ConflictBanner.h"
#include "common/Feedback.h"
#include "common/Formatting.h"
#include "common/UiServices.h"
#include "domain/Permission.h"
#include "domain/TrialPolicy.h"
#include "services/CatalogueService.h"
#include "services/Clock.h"
#include "services/Session.h"

namespace rd {

ConvertTrialDialog::ConvertTrialDialog(
    const Session &session, UiServices &services, qint64 customerId, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
    , m_customerId(customerId)
    , m_mayConvert(
          PermissionMatrix::allows(session.role(), Capability::ManageTrials, Access::Write))
{
    setObjectName(QStringLiteral("convertTrialDialog"));
    setWindowTitle(tr("Convert trial to paid"));

    m_conflictBanner = new ConflictBanner(this);

    m_explanation = new QLabel(this);
    m_explanation->setObjectName(QStringLiteral("explanation"));
    m_explanation->setWordWrap(true);

    const auto value = [this](const char *name) {
        auto *label = new QLabel(this);
        label->setObjectName(QString::fromLatin1(name));
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        fillWidth(label);
        return label;
    };
    m_company = value("company");
    m_plan = value("plan");
    m_budget = value("budget");
    m_price = value("price");
    m_trialEnd = value("trialEnd");

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Company:"), m_company);
    form->addRow(tr("Plan:"), m_plan);
    form->addRow(tr("Monthly budget:"), m_budget);
    form->addRow(tr("Price:"), m_price);
    form->addRow(tr("Trial:"), m_trialEnd);

    m_hint = createReasonLabel(QStringLiteral("convertHint"), this);
    calmDown(m_hint, palette());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_convert = buttons->addButton(tr("Con&vert to paid"), QDialogButtonBox::AcceptRole);
    m_convert->setObjectName(QStringLiteral("convertButton"));
    m_convert->setDefault(true);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(m_convert, &QPushButton::clicked, this, &ConvertTrialDialog::convert);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_conflictBanner, &ConflictBanner::reloadRequested, this, &ConvertTrialDialog::load);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_conflictBanner);
    layout->addWidget(m_explanation);
    layout->addSpacing(layout->spacing());
    layout->addLayout(form);
    layout->addSpacing(layout->spacing());
    layout->addStretch(1);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);

    load();
    setMinimumWidth(fontMetrics().averageCharWidth() * 80);
    resize(minimumWidth(), layout->totalHeightForWidth(minimumWidth()));
}

ConvertTrialDialog::~ConvertTrialDialog() = default;

void ConvertTrialDialog::load()
{
    m_loaded = false;
    m_conflict = false;
    m_conflictBanner->hide();
    Result<CustomerRow> row = m_services.customers.customer(m_session, m_customerId);
    if (!row) {
        m_loadError = tr("The customer could not be read: %1").arg(row.error().message());
        updateState();
        return;
    }
    m_loadError.clear();
    m_customer = *row;

    // What the customer gets: the detail read knows it all; without it the
    // plans of the customer's reseller and the price lists are the fallback.
    QString planName;
    int budget = -1;
    QString priceText = tr("Not available");
    if (Result<CustomerDetail> detail
        = m_services.customers.customerDetail(m_session, m_customerId);
        detail) {
        planName = detail->planName;
        budget = detail->planMonthlyBudget;
        if (detail->monthlyPriceMinor >= 0)
            priceText = tr("%1 a month on the price list %2")
                            .arg(moneyText(detail->monthlyPriceMinor, detail->priceListCurrency),
                                detail->priceListName);
    } else {
        const QList<PlanRow> plans
            = m_services.customers.plansFor(m_session, m_customer.ownerResellerId)
                  .value_or(QList<PlanRow>());
        const auto plan = std::find_if(plans.cbegin(), plans.cend(),
            [this](const PlanRow &p) { return p.id == m_customer.planId; });
        if (plan != plans.cend()) {
            planName = plan->name;
            budget = plan->monthlyBudget;
        }
        const QList<PriceListSummary> lists
            = m_services.catalogue.priceLists(m_session).value_or(QList<PriceListSummary>());
        for (const PriceListSummary &list : lists) {
            if (list.priceList.id != m_customer.priceListId)
                continue;
            for (const auto &[planId, price] : list.prices) {
                if (planId == m_customer.planId)
                    priceText
                        = tr("%1 a month on the price list %2")
                              .arg(moneyText(price, list.priceList.currency), list.priceList.name);
            }
        }
    }

    m_company->setText(m_customer.companyName);
    m_plan->setText(planName.isEmpty() ? tr("Not available") : planName);
    if (budget < 0)
        m_budget->setText(tr("Not available"));
    else if (m_customer.billingStatus == BillingStatus::Trial)
        m_budget->setText(tr("%Ln identification(s) a month (the trial has %1)", nullptr, budget)
                              .arg(QLocale().toString(m_customer.trialBudget)));
    else
        m_budget->setText(tr("%Ln identification(s) a month", nullptr, budget));
    m_price->setText(priceText);

    const QDateTime now = m_services.clock.now();
    if (m_customer.billingStatus == BillingStatus::Paid) {
        m_trialEnd->setText(m_customer.convertedAt.isValid()
                ? tr("Converted to paid on %1").arg(dateTimeText(m_customer.convertedAt))
                : tr("Paid account"));
    } else if (TrialPolicy::isExpired(m_customer.trialEndsAt, now)) {
        m_trialEnd->setText(tr("Expired on %1").arg(dateTimeText(m_customer.trialEndsAt)));
    } else {
        m_trialEnd->setText(tr("Ends on %1 (%n day(s) left)", nullptr,
            TrialPolicy::daysLeft(m_customer.trialEndsAt, now))
                                .arg(dateTimeText(m_customer.trialEndsAt)));
    }

    QString explanation = tr("Converting %1 to a paid account ends the trial: the plan's full "
                             "monthly budget applies from now on, and the trial reminder is "
                             "cancelled.")
                              .arg(m_customer.companyName);
    if (!m_customer.active && m_customer.billingStatus == BillingStatus::Trial)
        explanation += QLatin1Char(' ') + tr("The account is inactive; converting reactivates it.");
    m_explanation->setText(explanation);

    m_loaded = true;
    updateState();
}

QString ConvertTrialDialog::problem() const
{
    if (!m_loadError.isEmpty())
        return m_loadError;
    if (!m_loaded)
        return tr("Loading the customer…");
    if (!m_mayConvert)
        return tr("Your role cannot convert trials.");
    if (m_conflict)
        return tr("Reload the customer before converting.");
    if (m_customer.billingStatus == BillingStatus::Paid)
        return tr("%1 is already a paid account.").arg(m_customer.companyName);
    return {};
}

void ConvertTrialDialog::updateState()
{
    const QString reason = problem();
    m_hint->setText(reason);
    m_hint->setVisible(!reason.isEmpty());
    m_convert->setEnabled(reason.isEmpty());
    m_convert->setAccessibleDescription(reason);
    growToFit(this);
}

void ConvertTrialDialog::convert()
{
    if (!problem().isEmpty())
        return;
    Result<int> version
        = m_services.customers.convertToPaid(m_session, m_customerId, m_customer.version);
    if (!version) {
        showFailure(version.error());
        return;
    }
    m_newVersion = *version;
    accept();
}

void ConvertTrialDialog::showFailure(const Error &error)
{
    if (error.code() != ErrorCode::Conflict) {
        showError(this, tr("Convert trial to paid"), error);
        return;
    }
    m_conflict = true;
    m_conflictBanner->showConflict(
        error.message(), tr("Reload shows the customer as it is saved now."));
    updateState();
    m_conflictBanner->reloadButton()->setFocus();
}

} // namespace rd
