#include "resellers/ResellerDialog.h"

#include <algorithm>

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/TextLimits.h"
#include "services/CatalogueService.h"
#include "services/Session.h"

namespace rd {

namespace {

constexpr int PlanIdRole = Qt::UserRole;

QDoubleSpinBox *createRateBox(
    const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setObjectName(objectName);
    box->setAccessibleName(accessibleName);
    box->setRange(0.0, 100.0);
    box->setDecimals(2);
    box->setSingleStep(0.5);
    box->setSuffix(ResellerDialog::tr(" %"));
    box->setAlignment(Qt::AlignRight);
    return box;
}

int toBasisPoints(double percent)
{
    return qRound(percent * 100.0);
}

} // namespace

ResellerDialog::ResellerDialog(
    const Session &session, UiServices &services, qint64 resellerId, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
    , m_resellerId(resellerId)
{
    setObjectName(QStringLiteral("resellerDialog"));
    setWindowTitle(resellerId > 0 ? tr("Edit Reseller") : tr("New Reseller"));

    m_loadError = createReasonLabel(QStringLiteral("loadError"), this);
    m_loadError->hide();

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setAccessibleName(tr("Name"));
    m_name->setMaxLength(static_cast<int>(TextLimits::ResellerName));
    m_name->setPlaceholderText(tr("The partner company's name, unique"));

    m_parent = new QComboBox(this);
    m_parent->setObjectName(QStringLiteral("parent"));
    m_parent->setAccessibleName(tr("Parent reseller"));

    m_commission = createRateBox(QStringLiteral("commissionRate"), tr("Commission rate"), this);
    m_override = createRateBox(QStringLiteral("overrideRate"), tr("Override rate"), this);
    m_overrideHint = new QLabel(this);
    m_overrideHint->setObjectName(QStringLiteral("overrideHint"));
    calmDown(m_overrideHint, palette());

    m_scopeAssigned = new QRadioButton(tr("&Assigned customers"), this);
    m_scopeAssigned->setObjectName(QStringLiteral("scopeAssigned"));
    m_scopeAll = new QRadioButton(tr("All c&ustomers"), this);
    m_scopeAll->setObjectName(QStringLiteral("scopeAll"));
    // Both radio groups share this dialog as parent: explicit groups keep
    // them apart.
    m_scope = new QButtonGroup(this);
    m_scope->addButton(m_scopeAssigned);
    m_scope->addButton(m_scopeAll);
    m_scopeAssigned->setChecked(true);
    m_scopeExplanation = new QLabel(this);
    m_scopeExplanation->setObjectName(QStringLiteral("scopeExplanation"));
    m_scopeExplanation->setWordWrap(true);
    m_scopeExplanation->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_scopeExplanation->setMinimumWidth(m_scopeExplanation->fontMetrics().averageCharWidth() * 60);
    calmDown(m_scopeExplanation, palette());

    m_pricingChannel = new QRadioButton(tr("C&hannel price list (the default)"), this);
    m_pricingChannel->setObjectName(QStringLiteral("pricingChannel"));
    m_pricingSelected = new QRadioButton(tr("Selec&ted price list:"), this);
    m_pricingSelected->setObjectName(QStringLiteral("pricingSelected"));
    auto *pricing = new QButtonGroup(this);
    pricing->addButton(m_pricingChannel);
    pricing->addButton(m_pricingSelected);
    m_pricingChannel->setChecked(true);
    m_priceList = new QComboBox(this);
    m_priceList->setObjectName(QStringLiteral("priceList"));
    m_priceList->setAccessibleName(tr("Selected price list"));

    m_plans = new QListWidget(this);
    m_plans->setObjectName(QStringLiteral("plans"));
    m_plans->setAccessibleName(tr("Plans offered"));

    for (const QString &field :
        {QStringLiteral("name"), QStringLiteral("parent"), QStringLiteral("commission"),
            QStringLiteral("override"), QStringLiteral("priceList"), QStringLiteral("plans")}) {
        QLabel *reason = createReasonLabel(field + QStringLiteral("Reason"), this);
        reason->hide();
        m_reasons.insert(field, reason);
    }

    auto *nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_name);
    auto *parentLabel = new QLabel(tr("&Parent reseller:"), this);
    parentLabel->setBuddy(m_parent);
    auto *commissionLabel = new QLabel(tr("&Commission rate:"), this);
    commissionLabel->setBuddy(m_commission);
    auto *overrideLabel = new QLabel(tr("&Override rate:"), this);
    overrideLabel->setBuddy(m_override);
    auto *plansLabel = new QLabel(tr("Plans o&ffered:"), this);
    plansLabel->setBuddy(m_plans);

    auto *scopeBox = new QVBoxLayout;
    scopeBox->addWidget(m_scopeAssigned);
    scopeBox->addWidget(m_scopeAll);
    scopeBox->addWidget(m_scopeExplanation);
    auto *selectedRow = new QHBoxLayout;
    selectedRow->addWidget(m_pricingSelected);
    selectedRow->addWidget(m_priceList, 1);
    auto *pricingBox = new QVBoxLayout;
    pricingBox->addWidget(m_pricingChannel);
    pricingBox->addLayout(selectedRow);

    auto *form = new QFormLayout;
    // Text and choices take the width; the rates stay number-sized.
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    for (QComboBox *combo : {m_parent, m_priceList})
        combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // The form sizes a wrapped label for its narrowest width: keep that
    // close to the real one, or the rows get blank lines.
    for (QLabel *text : m_reasons) {
        text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
        text->setMinimumWidth(text->fontMetrics().averageCharWidth() * 60);
    }
    m_overrideHint->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_scopeExplanation->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    form->addRow(nameLabel, m_name);
    form->addRow(nullptr, m_reasons.value(QStringLiteral("name")));
    form->addRow(parentLabel, m_parent);
    form->addRow(nullptr, m_reasons.value(QStringLiteral("parent")));
    form->addRow(commissionLabel, m_commission);
    form->addRow(nullptr, m_reasons.value(QStringLiteral("commission")));
    form->addRow(overrideLabel, m_override);
    form->addRow(nullptr, m_overrideHint);
    form->addRow(nullptr, m_reasons.value(QStringLiteral("override")));
    form->addRow(new QLabel(tr("Customer scope:"), this), scopeBox);
    form->addRow(new QLabel(tr("Pricing:"), this), pricingBox);
    form->addRow(nullptr, m_reasons.value(QStringLiteral("priceList")));
    form->addRow(plansLabel, m_plans);
    form->addRow(nullptr, m_reasons.value(QStringLiteral("plans")));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setText(resellerId > 0 ? tr("&Save") : tr("&Add Reseller"));
    m_save->setDefault(true);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ResellerDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ResellerDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_loadError);
    layout->addLayout(form);
    layout->addStretch(1); // any spare height goes here, not into the wrapped texts
    layout->addWidget(buttons);

    QWidget *order[] = {m_name, m_parent, m_commission, m_override, m_scopeAssigned, m_scopeAll,
        m_pricingChannel, m_pricingSelected, m_priceList, m_plans, m_save, cancel};
    for (std::size_t i = 1; i < std::size(order); ++i)
        setTabOrder(order[i - 1], order[i]);

    loadChoices();
    if (m_resellerId > 0) {
        loadReseller();
    } else {
        fillParents(m_resellers, 0);
        // A new reseller usually offers the whole catalogue; unticking is quicker.
        for (int row = 0; row < m_plans->count(); ++row)
            m_plans->item(row)->setCheckState(Qt::Checked);
    }

    connect(m_name, &QLineEdit::textChanged, this, &ResellerDialog::inputChanged);
    connect(m_parent, &QComboBox::currentIndexChanged, this, &ResellerDialog::inputChanged);
    connect(m_commission, &QDoubleSpinBox::valueChanged, this, &ResellerDialog::inputChanged);
    connect(m_override, &QDoubleSpinBox::valueChanged, this, &ResellerDialog::inputChanged);
    connect(m_scope, &QButtonGroup::buttonToggled, this, &ResellerDialog::inputChanged);
    connect(pricing, &QButtonGroup::buttonToggled, this, &ResellerDialog::inputChanged);
    connect(m_priceList, &QComboBox::currentIndexChanged, this, &ResellerDialog::inputChanged);
    connect(m_plans, &QListWidget::itemChanged, this, &ResellerDialog::inputChanged);

    setMinimumWidth(fontMetrics().averageCharWidth() * 90);
    updateState();
    m_name->setFocus();
}

ResellerDialog::~ResellerDialog() = default;

void ResellerDialog::loadChoices()
{
    const QSignalBlocker blockPlans(m_plans);
    m_plans->clear();
    m_plansProblem.clear();
    if (Result<QList<PlanRow>> plans = m_services.catalogue.plans(m_session); plans) {
        for (const PlanRow &plan : *plans) {
            auto *item = new QListWidgetItem(
                tr("%1 \u2014 %Ln identifications a month", nullptr, plan.monthlyBudget)
                    .arg(plan.name),
                m_plans);
            item->setData(PlanIdRole, plan.id);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Unchecked);
        }
    } else {
        m_plansProblem = tr("The plans could not be loaded: %1").arg(plans.error().message());
    }
    // Tall enough for the catalogue (a handful of plans) without a scroll bar.
    const int rowHeight
        = m_plans->count() > 0 ? m_plans->sizeHintForRow(0) : m_plans->fontMetrics().height() + 4;
    m_plans->setFixedHeight(std::clamp(static_cast<int>(m_plans->count()), 3, 8) * rowHeight
        + 2 * m_plans->frameWidth() + 4);

    const QSignalBlocker blockLists(m_priceList);
    m_priceList->clear();
    if (Result<QList<PriceListSummary>> lists = m_services.catalogue.priceLists(m_session); lists) {
        for (const PriceListSummary &list : *lists) {
            m_priceList->addItem(
                tr("%1 (%2)").arg(list.priceList.name, list.priceList.currency), list.priceList.id);
            if (list.priceList.isDefault) {
                m_pricingChannel->setText(
                    tr("C&hannel price list (the default, now %1)").arg(list.priceList.name));
            }
        }
    }
    m_pricingSelected->setEnabled(m_priceList->count() > 0);

    if (Result<QList<ResellerSummary>> resellers = m_services.resellers.listResellers(m_session);
        resellers) {
        m_resellers = *resellers;
    } else {
        m_resellers.clear();
    }
}

void ResellerDialog::loadReseller()
{
    Result<ResellerSummary> reseller = m_services.resellers.reseller(m_session, m_resellerId);
    if (!reseller) {
        m_loaded = false;
        m_loadError->setText(reseller.error().message());
        m_loadError->show();
        for (QWidget *input : std::initializer_list<QWidget *> {m_name, m_parent, m_commission,
                 m_override, m_scopeAssigned, m_scopeAll, m_pricingChannel, m_pricingSelected,
                 m_priceList, m_plans})
            input->setEnabled(false);
        return;
    }
    m_loaded = true;
    m_loadError->hide();
    fill(*reseller);
}

void ResellerDialog::fillParents(const QList<ResellerSummary> &resellers, qint64 currentParentId)
{
    // A reseller cannot become the parent of itself or of one of its
    // ancestors: leave out the reseller and everything below it.
    const auto below = [&resellers, this](const ResellerSummary &candidate) {
        if (m_resellerId <= 0)
            return false;
        qint64 id = candidate.id;
        for (int steps = 0; id > 0 && steps <= resellers.size(); ++steps) {
            if (id == m_resellerId)
                return true;
            const auto up = std::find_if(resellers.cbegin(), resellers.cend(),
                [id](const ResellerSummary &r) { return r.id == id; });
            id = up == resellers.cend() ? 0 : up->parentId;
        }
        return false;
    };

    const QSignalBlocker block(m_parent);
    m_parent->clear();
    m_parent->addItem(tr("None (a top-level reseller)"), qint64 {0});
    for (const ResellerSummary &r : resellers) {
        if (below(r))
            continue;
        if (r.active)
            m_parent->addItem(r.name, r.id);
        else if (r.id == currentParentId) // kept as it is; a new choice must be active
            m_parent->addItem(tr("%1 (inactive)").arg(r.name), r.id);
    }
    m_parent->setCurrentIndex(std::max(0, m_parent->findData(currentParentId)));
}

void ResellerDialog::fill(const ResellerSummary &reseller)
{
    setWindowTitle(tr("Edit Reseller \u2014 %1").arg(reseller.name));
    m_version = reseller.version;
    m_name->setText(reseller.name);
    fillParents(m_resellers, reseller.parentId);
    if (reseller.parentId > 0 && m_parent->findData(reseller.parentId) < 0) {
        m_parent->addItem(reseller.parentName, reseller.parentId);
        m_parent->setCurrentIndex(m_parent->count() - 1);
    }
    m_commission->setValue(reseller.commissionRateBp / 100.0);
    m_override->setValue(reseller.overrideRateBp / 100.0);
    (reseller.customerScope == CustomerScope::All ? m_scopeAll : m_scopeAssigned)->setChecked(true);
    if (reseller.pricing == PricingMode::Selected) {
        if (m_priceList->findData(reseller.priceListId) < 0)
            m_priceList->addItem(reseller.priceListName, reseller.priceListId);
        m_priceList->setCurrentIndex(m_priceList->findData(reseller.priceListId));
        m_pricingSelected->setEnabled(true);
        m_pricingSelected->setChecked(true);
    } else {
        m_pricingChannel->setChecked(true);
    }
    for (int row = 0; row < m_plans->count(); ++row) {
        QListWidgetItem *item = m_plans->item(row);
        item->setCheckState(reseller.planIds.contains(item->data(PlanIdRole).toLongLong())
                ? Qt::Checked
                : Qt::Unchecked);
    }
}

ResellerInput ResellerDialog::input() const
{
    ResellerInput in;
    in.name = m_name->text().trimmed();
    in.parentId = m_parent->currentData().toLongLong();
    in.commissionRateBp = toBasisPoints(m_commission->value());
    in.overrideRateBp = toBasisPoints(m_override->value());
    in.customerScope = m_scopeAll->isChecked() ? CustomerScope::All : CustomerScope::Assigned;
    in.pricing = m_pricingSelected->isChecked() ? PricingMode::Selected : PricingMode::Channel;
    in.priceListId
        = in.pricing == PricingMode::Selected ? m_priceList->currentData().toLongLong() : 0;
    for (int row = 0; row < m_plans->count(); ++row) {
        const QListWidgetItem *item = m_plans->item(row);
        if (item->checkState() == Qt::Checked)
            in.planIds.append(item->data(PlanIdRole).toLongLong());
    }
    return in;
}

ResellerDialog::Problem ResellerDialog::firstProblem() const
{
    if (!m_loaded)
        return {QString(), m_loadError->text()};
    const ResellerInput in = input();
    if (in.name.isEmpty())
        return {QStringLiteral("name"), tr("Enter the reseller's name.")};
    if (in.pricing == PricingMode::Selected && in.priceListId <= 0) {
        return {QStringLiteral("priceList"),
            tr("Choose the price list this reseller's customers are priced on.")};
    }
    if (in.planIds.isEmpty()) {
        return {QStringLiteral("plans"),
            m_plansProblem.isEmpty() ? tr("Choose at least one plan the reseller offers.")
                                     : m_plansProblem};
    }
    return {};
}

QString ResellerDialog::problem() const
{
    return firstProblem().message;
}

void ResellerDialog::inputChanged()
{
    m_serviceError.reset();
    updateState();
}

void ResellerDialog::updateState()
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
    m_save->setEnabled(problem.message.isEmpty());
    m_save->setToolTip(problem.message);
    m_save->setAccessibleDescription(problem.message);

    const bool subPortal = m_parent->currentData().toLongLong() > 0;
    m_override->setEnabled(m_loaded && subPortal);
    m_overrideHint->setText(subPortal
            ? tr("What the parent reseller earns on this portal's orders.")
            : tr("Only for a sub-portal: choose a parent reseller first."));
    m_priceList->setEnabled(m_loaded && m_pricingSelected->isChecked());
    m_scopeExplanation->setText(m_scopeAll->isChecked()
            ? tr("The reseller's users see every customer of the installation, whoever it is "
                 "assigned to. Meant for a portal the vendor runs itself.")
            : tr("The reseller's users see the customers assigned to this reseller, as owner or "
                 "in addition. The usual choice."));
}

void ResellerDialog::accept()
{
    if (!firstProblem().message.isEmpty())
        return;
    const ResellerInput in = input();
    std::optional<Error> refused;
    if (m_resellerId > 0) {
        Result<int> version
            = m_services.resellers.editReseller(m_session, m_resellerId, m_version, in);
        if (version)
            m_version = *version;
        else
            refused = version.error();
    } else {
        Result<qint64> id = m_services.resellers.addReseller(m_session, in);
        if (id)
            m_resellerId = *id;
        else
            refused = id.error();
    }
    if (!refused) {
        QDialog::accept();
        return;
    }
    if (refused->code() == ErrorCode::Conflict) {
        offerReload(*refused);
    } else if (m_reasons.contains(refused->field())) {
        m_serviceError = refused;
        updateState();
        if (refused->field() == QStringLiteral("name"))
            m_name->setFocus();
    } else {
        showError(this, windowTitle(), *refused);
    }
}

void ResellerDialog::offerReload(const Error &error)
{
    if (!askToReload(this, tr("Reseller Changed"), error,
            tr("Reload shows the reseller as it is now and discards the changes you made in this "
               "dialog.")))
        return;
    loadChoices();
    loadReseller();
    m_serviceError.reset();
    updateState();
}

} // namespace rd
