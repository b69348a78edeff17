#include "transfers/CloneCustomersDialog.h"

#include <algorithm>

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSet>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/Error.h"
#include "services/CatalogueService.h"
#include "services/Session.h"

namespace rd {

namespace {

// Rows of the customer list visible without scrolling.
constexpr int VisibleCustomers = 6;

QTableWidgetItem *readOnlyItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(text);
    return item;
}

} // namespace

CloneCustomersDialog::CloneCustomersDialog(
    const Session &session, UiServices &services, const QList<qint64> &customerIds, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("cloneCustomersDialog"));
    setWindowTitle(tr("Clone customers to a reseller"));
    QSet<qint64> seen;
    for (const qint64 id : customerIds) {
        if (!seen.contains(id)) {
            seen.insert(id);
            m_customerIds.append(id);
        }
    }

    // Page 1: what to clone, and how.
    auto *setup = new QWidget(this);
    setup->setObjectName(QStringLiteral("setupPage"));
    m_heading = new QLabel(setup);
    m_heading->setObjectName(QStringLiteral("heading"));
    m_heading->setWordWrap(true);
    m_customerList = new QListWidget(setup);
    m_customerList->setObjectName(QStringLiteral("customerList"));
    m_customerList->setAccessibleName(tr("Customers to clone"));
    m_customerList->setSelectionMode(QAbstractItemView::NoSelection);
    m_customerList->setFixedHeight(m_customerList->fontMetrics().lineSpacing() * VisibleCustomers
        + 2 * m_customerList->frameWidth() + 4);
    auto *listLabel = new QLabel(tr("C&ustomers:"), setup);
    listLabel->setBuddy(m_customerList);

    m_targetCombo = new QComboBox(setup);
    m_targetCombo->setObjectName(QStringLiteral("targetCombo"));
    m_targetCombo->setAccessibleName(tr("Target reseller"));
    m_targetCombo->setPlaceholderText(tr("Choose a reseller"));
    m_targetCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_targetCombo->setMinimumContentsLength(28);
    m_targetReason = createHiddenReasonLabel(
        QStringLiteral("targetReason"), tr("Problem with the target reseller"), setup);

    m_endAssignments = new QCheckBox(tr("&End current assignments (hand ownership over)"), setup);
    m_endAssignments->setObjectName(QStringLiteral("endAssignmentsCheck"));
    m_endAssignments->setAccessibleName(tr("End current assignments"));
    m_endExplanation = new QLabel(
        tr("Checked, the target becomes each customer's only reseller and owner; the ended "
           "assignments stay in the history with their dates, and customers whose plan the "
           "target does not offer are skipped. Unchecked, the target is added as an additional "
           "reseller and the current owner stays."),
        setup);
    m_endExplanation->setObjectName(QStringLiteral("endExplanation"));
    m_endExplanation->setWordWrap(true);

    m_keepPriceList = new QRadioButton(tr("&Keep each customer's price list"), setup);
    m_keepPriceList->setObjectName(QStringLiteral("keepPriceListRadio"));
    m_keepPriceList->setAccessibleName(tr("Keep each customer's price list"));
    m_keepPriceList->setChecked(true);
    m_switchPriceList = new QRadioButton(tr("&Switch to the target's price list"), setup);
    m_switchPriceList->setObjectName(QStringLiteral("switchPriceListRadio"));
    m_switchPriceList->setAccessibleName(tr("Switch to the target's price list"));
    auto *priceGroup = new QButtonGroup(setup);
    priceGroup->addButton(m_keepPriceList);
    priceGroup->addButton(m_switchPriceList);
    m_priceListHint = createHiddenReasonLabel(
        QStringLiteral("priceListHint"), tr("About the price list"), setup);
    auto *priceBox = new QVBoxLayout;
    priceBox->setContentsMargins(0, 0, 0, 0);
    priceBox->addWidget(m_keepPriceList);
    priceBox->addWidget(m_switchPriceList);
    priceBox->addWidget(m_priceListHint);

    auto *form = new QFormLayout;
    form->addRow(listLabel, m_customerList);
    auto *targetLabel = new QLabel(tr("&Target reseller:"), setup);
    targetLabel->setBuddy(m_targetCombo);
    form->addRow(targetLabel, m_targetCombo);
    form->addRow(nullptr, m_targetReason);
    form->addRow(tr("Ownership:"), m_endAssignments);
    form->addRow(nullptr, m_endExplanation);
    form->addRow(tr("Price list:"), priceBox);

    m_reasonLabel = createHiddenReasonLabel(
        QStringLiteral("reasonLabel"), tr("Why Clone is not available"), setup);

    auto *setupButtons
        = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, setup);
    m_cloneButton = setupButtons->button(QDialogButtonBox::Ok);
    m_cloneButton->setText(tr("&Clone"));
    m_cloneButton->setObjectName(QStringLiteral("cloneButton"));
    m_cloneButton->setAccessibleName(tr("Clone the customers"));
    QPushButton *cancel = setupButtons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));

    auto *setupLayout = new QVBoxLayout(setup);
    setupLayout->setContentsMargins(0, 0, 0, 0);
    setupLayout->addWidget(m_heading);
    setupLayout->addLayout(form);
    setupLayout->addWidget(m_reasonLabel);
    setupLayout->addStretch();
    setupLayout->addWidget(setupButtons);

    // Page 2: the outcome per customer.
    auto *result = new QWidget(this);
    result->setObjectName(QStringLiteral("reportPage"));
    m_reportSummary = new QLabel(result);
    m_reportSummary->setObjectName(QStringLiteral("reportSummary"));
    m_reportSummary->setWordWrap(true);
    m_reportTable = new QTableWidget(0, 2, result);
    m_reportTable->setObjectName(QStringLiteral("reportTable"));
    m_reportTable->setAccessibleName(tr("Outcome per customer"));
    m_reportTable->setHorizontalHeaderLabels({tr("Company"), tr("Outcome")});
    m_reportTable->verticalHeader()->hide();
    m_reportTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_reportTable->horizontalHeader()->setStretchLastSection(true);
    m_reportTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_reportTable->setWordWrap(true);
    m_reportTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Rows as tall as their wrapped reasons, whatever the column's width.
    m_reportTable->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *resultButtons = new QDialogButtonBox(QDialogButtonBox::Close, result);
    m_closeButton = resultButtons->button(QDialogButtonBox::Close);
    m_closeButton->setObjectName(QStringLiteral("closeButton"));
    m_closeButton->setAccessibleName(tr("Close the report"));
    auto *resultLayout = new QVBoxLayout(result);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    resultLayout->addWidget(m_reportSummary);
    resultLayout->addWidget(m_reportTable, 1);
    resultLayout->addWidget(resultButtons);

    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->addWidget(setup);
    m_pages->addWidget(result);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);

    setTabOrder(m_customerList, m_targetCombo);
    setTabOrder(m_targetCombo, m_endAssignments);
    setTabOrder(m_endAssignments, m_keepPriceList);
    setTabOrder(m_keepPriceList, m_switchPriceList);
    setTabOrder(m_switchPriceList, m_cloneButton);
    setTabOrder(m_cloneButton, cancel);

    connect(setupButtons, &QDialogButtonBox::accepted, this, &CloneCustomersDialog::clone);
    connect(setupButtons, &QDialogButtonBox::rejected, this, &CloneCustomersDialog::reject);
    connect(resultButtons, &QDialogButtonBox::rejected, this, &CloneCustomersDialog::accept);
    connect(
        m_targetCombo, &QComboBox::currentIndexChanged, this, &CloneCustomersDialog::targetChanged);
    connect(m_endAssignments, &QCheckBox::toggled, this, &CloneCustomersDialog::targetChanged);
    connect(m_switchPriceList, &QRadioButton::toggled, this, [this] {
        setReason(m_targetReason, {});
        updateState();
    });

    calmDown(m_endExplanation, palette());
    setMinimumWidth(fontMetrics().averageCharWidth() * 84);
    load();
    m_cloneButton->setDefault(true);
    m_targetCombo->setFocus();
}

CloneCustomersDialog::~CloneCustomersDialog() = default;

void CloneCustomersDialog::load()
{
    Result<QList<TransferCandidate>> found
        = m_services.transfers.candidates(m_session, m_customerIds);
    if (!found) {
        m_loadProblem = found.error().message();
    } else {
        m_customers = *found;
        if (m_customerIds.isEmpty())
            m_loadProblem = tr("Select at least one customer to clone.");
    }
    m_heading->setText(tr("Clone %n customer(s) to another reseller. Customers that cannot be "
                          "cloned are skipped and listed afterwards.",
        nullptr, static_cast<int>(m_customerIds.size())));
    for (const TransferCandidate &c : std::as_const(m_customers)) {
        const QString owner = c.ownerResellerId > 0 ? c.ownerResellerName : tr("direct account");
        QString line = tr("%1 — %2, %3").arg(c.companyName, owner, c.planName);
        if (!c.active)
            line += tr(" (inactive)");
        auto *item = new QListWidgetItem(line, m_customerList);
        item->setData(Qt::UserRole, QVariant(c.id));
    }

    if (m_loadProblem.isEmpty()) {
        Result<QList<ResellerSummary>> resellers = m_services.resellers.listResellers(m_session);
        if (!resellers) {
            m_loadProblem = resellers.error().message();
        } else {
            for (const ResellerSummary &r : *resellers) {
                if (r.active) {
                    m_targets.append(r);
                    m_targetCombo->addItem(r.name, QVariant(r.id));
                }
            }
        }
        // Only for naming the default list in the hint.
        if (Result<QList<PriceListSummary>> lists = m_services.catalogue.priceLists(m_session);
            lists) {
            for (const PriceListSummary &list : *lists) {
                if (list.priceList.isDefault)
                    m_defaultPriceList = list.priceList.name;
            }
        }
    }
    m_targetCombo->setCurrentIndex(-1);
    targetChanged();
}

qint64 CloneCustomersDialog::chosenTarget() const
{
    return m_targetCombo->currentIndex() < 0 ? 0 : m_targetCombo->currentData().toLongLong();
}

void CloneCustomersDialog::targetChanged()
{
    setReason(m_targetReason, {});
    // The price list goes with ownership (see CloneOptions).
    const bool handOver = m_endAssignments->isChecked();
    m_switchPriceList->setEnabled(handOver);
    if (!handOver)
        m_keepPriceList->setChecked(true);

    const qint64 target = chosenTarget();
    const auto found = std::find_if(m_targets.cbegin(), m_targets.cend(),
        [target](const ResellerSummary &r) { return r.id == target; });
    if (!handOver) {
        setReason(m_priceListHint,
            tr("Switching needs \"End current assignments\": the price list goes with the owner."));
    } else if (found == m_targets.cend()) {
        setReason(m_priceListHint, {});
    } else if (found->pricing == PricingMode::Selected) {
        setReason(m_priceListHint,
            tr("%1 prices its customers on %2.").arg(found->name, found->priceListName));
    } else if (!m_defaultPriceList.isEmpty()) {
        setReason(m_priceListHint,
            tr("%1 prices its customers on the default list, %2.")
                .arg(found->name, m_defaultPriceList));
    } else {
        setReason(
            m_priceListHint, tr("%1 prices its customers on the default list.").arg(found->name));
    }
    updateState();
}

QString CloneCustomersDialog::problem() const
{
    if (!m_loadProblem.isEmpty())
        return m_loadProblem;
    if (m_customers.isEmpty())
        return tr("None of the selected customers exists any more.");
    if (chosenTarget() == 0) {
        return m_targetCombo->count() == 0 ? tr("There is no active reseller to clone to.")
                                           : tr("Choose the target reseller.");
    }
    return {};
}

void CloneCustomersDialog::updateState()
{
    const QString reason = problem();
    setReason(m_reasonLabel, reason);
    m_cloneButton->setEnabled(reason.isEmpty());
    m_cloneButton->setAccessibleDescription(reason);
}

void CloneCustomersDialog::clone()
{
    if (!problem().isEmpty())
        return;
    CloneOptions options;
    options.endCurrentAssignments = m_endAssignments->isChecked();
    options.switchToTargetPriceList = m_switchPriceList->isChecked();
    Result<CloneReport> done
        = m_services.transfers.cloneToReseller(m_session, m_customerIds, chosenTarget(), options);
    if (!done) {
        showFailure(done.error());
        return;
    }
    m_report = *done;
    m_hasReport = true;
    showReport();
}

void CloneCustomersDialog::showFailure(const Error &error)
{
    if (error.field() == QLatin1String("reseller")) {
        setReason(m_targetReason, error.message());
        m_targetCombo->setFocus();
    } else if (error.field() == QLatin1String("priceList")) {
        setReason(m_priceListHint, error.message());
        m_keepPriceList->setFocus();
    } else {
        showError(this, tr("Clone customers"), error);
    }
}

void CloneCustomersDialog::showReport()
{
    QHash<qint64, QString> companies;
    for (const TransferCandidate &c : std::as_const(m_customers))
        companies.insert(c.id, c.companyName);
    QHash<qint64, const SkippedCustomer *> skipped;
    for (const SkippedCustomer &s : std::as_const(m_report.skipped)) {
        skipped.insert(s.customerId, &s);
        if (!s.companyName.isEmpty())
            companies.insert(s.customerId, s.companyName);
    }

    m_reportTable->setRowCount(0);
    for (const qint64 id : std::as_const(m_customerIds)) {
        const int row = m_reportTable->rowCount();
        m_reportTable->insertRow(row);
        const QString company = companies.value(id, tr("Customer #%1").arg(id));
        QString outcome;
        if (m_report.cloned.contains(id))
            outcome = tr("Cloned");
        else if (const SkippedCustomer *s = skipped.value(id); s != nullptr)
            outcome = tr("Skipped: %1").arg(s->reason);
        else
            outcome = tr("Skipped");
        m_reportTable->setItem(row, 0, readOnlyItem(company));
        m_reportTable->setItem(row, 1, readOnlyItem(outcome));
    }
    m_reportTable->resizeColumnToContents(0);
    m_reportTable->setColumnWidth(
        0, std::min(m_reportTable->columnWidth(0), fontMetrics().averageCharWidth() * 32));

    const int cloned = static_cast<int>(m_report.cloned.size());
    const int left = static_cast<int>(m_report.skipped.size());
    QString summary
        = tr("%n customer(s) cloned to %1.", nullptr, cloned).arg(m_targetCombo->currentText());
    if (left > 0)
        summary += QLatin1Char(' ') + tr("%n skipped, as listed below.", nullptr, left);
    m_reportSummary->setText(summary);

    m_pages->setCurrentIndex(1);
    m_closeButton->setDefault(true);
    m_closeButton->setFocus();
}

void CloneCustomersDialog::reject()
{
    if (m_hasReport)
        QDialog::accept();
    else
        QDialog::reject();
}

void CloneCustomersDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        calmDown(m_endExplanation, palette());
}

} // namespace rd
