#include "customers/wizard/PlanPage.h"

#include <algorithm>
#include <cmath>

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QRadioButton>

#include "common/Feedback.h"
#include "common/GridForm.h"
#include "common/UiServices.h"
#include "domain/Currency.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/ResellerService.h"
#include "services/Session.h"
#include "services/SettingsService.h"

namespace rd {

PlanPage::PlanPage(
    const Session &session, UiServices &services, NewCustomer &draft, QWidget *parent)
    : QWizardPage(parent)
    , m_session(session)
    , m_services(services)
    , m_draft(draft)
{
    setObjectName(QStringLiteral("planPage"));
    setTitle(tr("Plan and price list"));
    setSubTitle(tr("The plans offered depend on the reseller; the price list follows the "
                   "reseller's pricing."));

    m_form = new QGridLayout(this);

    if (choosesReseller()) {
        m_reseller = new QComboBox(this);
        m_reseller->setObjectName(QStringLiteral("reseller"));
        m_reseller->setAccessibleName(tr("Reseller"));
        addGridRow(m_form, tr("&Reseller:"), m_reseller, 2);
    } else {
        // A reseller adds customers to its own portal only (the core
        // enforces it as well).
        m_resellerName = new QLabel(this);
        m_resellerName->setObjectName(QStringLiteral("resellerName"));
        m_resellerName->setAccessibleName(tr("Reseller"));
        m_resellerName->setTextInteractionFlags(Qt::TextSelectableByMouse);
        addGridRow(m_form, tr("Reseller:"), m_resellerName, 2);
    }
    m_resellerReason = createReasonLabel(QStringLiteral("resellerReason"), this);
    addGridNote(m_form, m_resellerReason, 2);

    m_plan = new QComboBox(this);
    m_plan->setObjectName(QStringLiteral("plan"));
    m_plan->setAccessibleName(tr("Plan"));
    m_plan->setPlaceholderText(tr("Choose a plan"));
    addGridRow(m_form, tr("&Plan:"), m_plan, 2);
    m_planReason = createReasonLabel(QStringLiteral("planReason"), this);
    addGridNote(m_form, m_planReason, 2);

    if (choosesPriceList()) {
        m_priceList = new QComboBox(this);
        m_priceList->setObjectName(QStringLiteral("priceList"));
        m_priceList->setAccessibleName(tr("Price list"));
        addGridRow(m_form, tr("Price &list:"), m_priceList, 2);
    } else {
        m_priceListName = new QLabel(this);
        m_priceListName->setObjectName(QStringLiteral("priceListName"));
        m_priceListName->setAccessibleName(tr("Price list"));
        m_priceListName->setTextInteractionFlags(Qt::TextSelectableByMouse);
        addGridRow(m_form, tr("Price list:"), m_priceListName, 2);
    }
    m_priceListHint = createReasonLabel(QStringLiteral("priceListHint"), this);
    calmDown(m_priceListHint, palette());
    addGridNote(m_form, m_priceListHint, 2);

    m_price = new QLabel(this);
    m_price->setObjectName(QStringLiteral("price"));
    m_price->setAccessibleName(tr("Monthly price"));
    m_price->setTextInteractionFlags(Qt::TextSelectableByMouse);
    addGridRow(m_form, tr("Monthly price:"), m_price, 2);
    m_priceReason = createReasonLabel(QStringLiteral("priceReason"), this);
    addGridNote(m_form, m_priceReason, 2);

    m_trial = new QRadioButton(tr("&Trial"), this);
    m_trial->setObjectName(QStringLiteral("trial"));
    m_trial->setAccessibleName(tr("Trial"));
    m_trial->setChecked(true);
    m_trialTerms = createReasonLabel(QStringLiteral("trialTerms"), this);
    calmDown(m_trialTerms, palette());
    m_paid = new QRadioButton(tr("Pai&d"), this);
    m_paid->setObjectName(QStringLiteral("paid"));
    m_paid->setAccessibleName(tr("Paid"));
    m_paidTerms = createReasonLabel(QStringLiteral("paidTerms"), this);
    m_paidTerms->setText(tr("the plan's full monthly budget from the start"));
    calmDown(m_paidTerms, palette());
    for (QLabel *terms : {m_trialTerms, m_paidTerms}) {
        terms->setWordWrap(false);
        terms->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    }
    const int billingRow = m_form->rowCount();
    m_form->addWidget(new QLabel(tr("Billing:"), this), billingRow, 0);
    m_form->addWidget(m_trial, billingRow, 1);
    m_form->addWidget(m_trialTerms, billingRow, 2);
    m_form->addWidget(m_paid, billingRow + 1, 1);
    m_form->addWidget(m_paidTerms, billingRow + 1, 2);
    m_trialReason = createReasonLabel(QStringLiteral("trialReason"), this);
    addGridNote(m_form, m_trialReason, 2);
    m_form->setColumnStretch(2, 1);
    m_form->setRowStretch(m_form->rowCount(), 1);

    if (m_reseller != nullptr)
        setTabOrder(m_reseller, m_plan);
    setTabOrder(m_plan, m_priceList != nullptr ? static_cast<QWidget *>(m_priceList) : m_trial);
    if (m_priceList != nullptr)
        setTabOrder(m_priceList, m_trial);
    setTabOrder(m_trial, m_paid);

    connect(m_plan, &QComboBox::currentIndexChanged, this, &PlanPage::updateState);
    if (m_priceList != nullptr)
        connect(m_priceList, &QComboBox::currentIndexChanged, this, &PlanPage::updateState);

    for (QLabel *label :
        {m_resellerReason, m_planReason, m_priceListHint, m_priceReason, m_trialReason})
        label->setVisible(false);
}

PlanPage::~PlanPage() = default;

void PlanPage::initializePage()
{
    // Read once: going back and forth keeps the user's choices.
    if (m_loaded)
        return;
    m_loaded = true;
    loadResellers();
    loadPriceLists();
    loadTrialTerms();
    if (m_reseller != nullptr)
        connect(m_reseller, &QComboBox::currentIndexChanged, this, &PlanPage::resellerChanged);
    resellerChanged();
}

bool PlanPage::isComplete() const
{
    if (!m_resellerError.isEmpty() || !m_planError.isEmpty() || planId() == 0)
        return false;
    if (!monthlyPrice())
        return false;
    return !currentRefusal(QStringLiteral("reseller")) && !currentRefusal(QStringLiteral("plan"))
        && !currentRefusal(QStringLiteral("priceList"));
}

bool PlanPage::validatePage()
{
    if (!isComplete())
        return false;
    m_draft.resellerId = resellerId();
    m_draft.planId = planId();
    // 0 keeps the reseller's pricing; only an administrator's different
    // choice is passed on (the core refuses it from anyone else).
    const std::optional<PriceListSummary> list = priceList();
    const bool ownChoice = choosesPriceList() && list
        && (!m_resellerPricing || m_resellerPricing->priceList.id != list->priceList.id);
    m_draft.priceListId = ownChoice ? list->priceList.id : 0;
    m_draft.trial = m_trial->isChecked();
    return true;
}

bool PlanPage::hasField(const QString &field)
{
    return field == QLatin1String("reseller") || field == QLatin1String("plan")
        || field == QLatin1String("priceList");
}

bool PlanPage::showFieldError(const Error &error)
{
    const QString &field = error.field();
    QWidget *focus = nullptr;
    qint64 choice = 0;
    if (field == QLatin1String("reseller")) {
        choice = resellerId();
        focus = m_reseller != nullptr ? static_cast<QWidget *>(m_reseller) : m_plan;
    } else if (field == QLatin1String("plan")) {
        choice = planId();
        focus = m_plan;
    } else if (field == QLatin1String("priceList")) {
        const std::optional<PriceListSummary> list = priceList();
        choice = list ? list->priceList.id : 0;
        focus = m_priceList != nullptr ? static_cast<QWidget *>(m_priceList) : m_plan;
    } else {
        return false;
    }
    m_refusal = Refusal {field, choice, error.message()};
    updateState();
    focus->setFocus();
    return true;
}

QString PlanPage::resellerText() const
{
    return m_reseller != nullptr ? m_reseller->currentText() : m_resellerName->text();
}

QString PlanPage::planText() const
{
    return m_plan->currentIndex() >= 0 ? m_plan->currentText() : QString();
}

QString PlanPage::priceListText() const
{
    const std::optional<PriceListSummary> list = priceList();
    return list ? tr("%1 (%2)").arg(list->priceList.name, list->priceList.currency) : QString();
}

QString PlanPage::priceText() const
{
    const std::optional<qint64> price = monthlyPrice();
    return price ? formatPrice(*price, priceList()->priceList.currency) : QString();
}

QString PlanPage::billingText() const
{
    if (m_paid->isChecked())
        return tr("Paid: %1").arg(m_paidTerms->text());
    if (m_trialDays <= 0)
        return tr("Trial");
    const QDate end = m_services.clock.now().addDays(m_trialDays).date();
    return tr("Trial: %1, until %2")
        .arg(m_trialTerms->text(), QLocale().toString(end, QLocale::LongFormat));
}

bool PlanPage::choosesReseller() const
{
    return m_session.resellerId() == 0;
}

bool PlanPage::choosesPriceList() const
{
    return m_session.role() == Role::Administrator;
}

qint64 PlanPage::resellerId() const
{
    return m_reseller != nullptr ? m_reseller->currentData().toLongLong() : m_session.resellerId();
}

qint64 PlanPage::planId() const
{
    return m_plan->currentIndex() >= 0 ? m_plan->currentData().toLongLong() : 0;
}

std::optional<PriceListSummary> PlanPage::priceList() const
{
    if (m_priceList == nullptr)
        return m_resellerPricing;
    const qint64 id = m_priceList->currentData().toLongLong();
    const auto found = std::find_if(m_priceLists.cbegin(), m_priceLists.cend(),
        [id](const PriceListSummary &list) { return list.priceList.id == id; });
    if (found == m_priceLists.cend())
        return std::nullopt;
    return *found;
}

std::optional<qint64> PlanPage::monthlyPrice() const
{
    const std::optional<PriceListSummary> list = priceList();
    const qint64 plan = planId();
    if (!list || plan == 0)
        return std::nullopt;
    for (const auto &[pricedPlan, price] : list->prices) {
        if (pricedPlan == plan)
            return price;
    }
    return std::nullopt;
}

std::optional<PlanPage::Refusal> PlanPage::currentRefusal(const QString &field) const
{
    if (!m_refusal || m_refusal->field != field)
        return std::nullopt;
    qint64 choice = 0;
    if (field == QLatin1String("reseller")) {
        choice = resellerId();
    } else if (field == QLatin1String("plan")) {
        choice = planId();
    } else {
        const std::optional<PriceListSummary> list = priceList();
        choice = list ? list->priceList.id : 0;
    }
    return m_refusal->choice == choice ? m_refusal : std::nullopt;
}

void PlanPage::loadResellers()
{
    if (m_reseller == nullptr) {
        Result<ResellerSummary> own = m_services.resellers.reseller(m_session, resellerId());
        if (own)
            m_resellerName->setText(own->name);
        else
            m_resellerError = own.error().message();
        return;
    }
    m_reseller->addItem(tr("Direct account (no reseller)"), qint64 {0});
    Result<QList<ResellerSummary>> resellers = m_services.resellers.listResellers(m_session);
    if (!resellers) {
        m_resellerError = resellers.error().message();
        return;
    }
    // Deactivated resellers cannot take new customers.
    for (const ResellerSummary &reseller : *resellers) {
        if (reseller.active)
            m_reseller->addItem(reseller.name, reseller.id);
    }
    m_reseller->setCurrentIndex(std::max(0, m_reseller->findData(m_draft.resellerId)));
}

void PlanPage::loadPriceLists()
{
    if (m_priceList == nullptr)
        return;
    Result<QList<PriceListSummary>> lists = m_services.catalogue.priceLists(m_session);
    if (!lists) {
        m_priceListsError = lists.error().message();
        return;
    }
    m_priceLists = *lists;
    for (const PriceListSummary &list : m_priceLists)
        m_priceList->addItem(
            tr("%1 (%2)").arg(list.priceList.name, list.priceList.currency), list.priceList.id);
}

void PlanPage::loadTrialTerms()
{
    Result<DomainSettings> settings = m_services.settings.current();
    if (!settings) {
        setRowText(m_trialReason,
            tr("The trial terms could not be read: %1").arg(settings.error().message()));
        return;
    }
    m_trialDays = settings->trialDays;
    m_trialTerms->setText(
        tr("%1-day trial with %Ln identifications", nullptr, settings->trialBudget)
            .arg(settings->trialDays));
    m_trial->setAccessibleDescription(m_trialTerms->text());
    m_paid->setAccessibleDescription(m_paidTerms->text());
}

void PlanPage::resellerChanged()
{
    const qint64 reseller = resellerId();
    const qint64 previousPlan = planId() != 0 ? planId() : m_draft.planId;

    m_plans.clear();
    m_planError.clear();
    m_plan->clear();
    if (m_resellerError.isEmpty()) {
        // Rule 3: only the plans this reseller offers.
        Result<QList<PlanRow>> plans = m_services.customers.plansFor(m_session, reseller);
        if (plans)
            m_plans = *plans;
        else
            m_planError = plans.error().message();
    }
    for (const PlanRow &plan : m_plans)
        m_plan->addItem(
            tr("%1 \u2014 %Ln identifications a month", nullptr, plan.monthlyBudget).arg(plan.name),
            plan.id);
    m_plan->setCurrentIndex(m_plan->findData(previousPlan));

    m_resellerPricing.reset();
    m_pricingError.clear();
    if (m_resellerError.isEmpty()) {
        Result<PriceListSummary> pricing
            = m_services.catalogue.priceListForReseller(m_session, reseller);
        if (pricing)
            m_resellerPricing = *pricing;
        else
            m_pricingError = pricing.error().message();
    }
    // A new reseller starts from its own pricing, also for administrators.
    if (m_priceList != nullptr && m_resellerPricing)
        m_priceList->setCurrentIndex(m_priceList->findData(m_resellerPricing->priceList.id));
    updateState();
}

void PlanPage::updateState()
{
    const auto refusalText = [this](const QString &field) {
        const std::optional<Refusal> refusal = currentRefusal(field);
        return refusal ? refusal->message : QString();
    };
    const QString resellerRefusal = refusalText(QStringLiteral("reseller"));
    setRowText(m_resellerReason, !resellerRefusal.isEmpty() ? resellerRefusal : m_resellerError);
    const QString planRefusal = refusalText(QStringLiteral("plan"));
    setRowText(m_planReason, !planRefusal.isEmpty() ? planRefusal : m_planError);

    const std::optional<PriceListSummary> list = priceList();
    if (m_priceListName != nullptr)
        m_priceListName->setText(list ? priceListText() : QString(QChar(0x2014)));

    QString hint;
    if (m_priceList != nullptr && m_resellerPricing) {
        hint = resellerId() == 0 ? tr("Direct accounts get the default price list %1.")
                                       .arg(m_resellerPricing->priceList.name)
                                 : tr("%1 gives its customers the price list %2.")
                                       .arg(resellerText(), m_resellerPricing->priceList.name);
    }
    setRowText(m_priceListHint, hint);

    const std::optional<qint64> price = monthlyPrice();
    m_price->setText(
        price ? formatPrice(*price, list->priceList.currency) : QString(QChar(0x2014)));

    QString priceReason = refusalText(QStringLiteral("priceList"));
    if (priceReason.isEmpty())
        priceReason = !m_priceListsError.isEmpty() ? m_priceListsError : QString();
    if (priceReason.isEmpty() && !list && m_resellerError.isEmpty())
        priceReason = !m_pricingError.isEmpty() ? m_pricingError : tr("Choose a price list.");
    if (priceReason.isEmpty() && list && planId() != 0 && !price) {
        const auto plan = std::find_if(m_plans.cbegin(), m_plans.cend(),
            [id = planId()](const PlanRow &p) { return p.id == id; });
        const QString planName = plan != m_plans.cend() ? plan->name : m_plan->currentText();
        priceReason = m_priceList != nullptr
            ? tr("The price list %1 has no price for the plan %2. Choose another plan or price "
                 "list.")
                  .arg(list->priceList.name, planName)
            : tr("The price list %1 has no price for the plan %2. Choose another plan.")
                  .arg(list->priceList.name, planName);
    }
    setRowText(m_priceReason, priceReason);

    m_plan->setAccessibleDescription(m_planReason->text());
    m_price->setAccessibleDescription(m_priceReason->text());
    emit completeChanged();
}

void PlanPage::setRowText(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

QString PlanPage::formatPrice(qint64 minorUnits, const QString &currencyCode)
{
    // Money is integer minor units; a double is exact for display at these
    // magnitudes (Money::MaxMinorUnits).
    Result<Currency> currency = Currency::parse(currencyCode);
    const int digits = currency ? currency->minorDigits() : 2;
    const double amount = static_cast<double>(minorUnits) / std::pow(10.0, digits);
    // The ISO code rather than a symbol: "$" alone would not tell USD from CAD.
    return tr("%1 %2").arg(QLocale().toString(amount, 'f', digits), currencyCode);
}

} // namespace rd
