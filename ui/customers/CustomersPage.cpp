#include "customers/CustomersPage.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/ReasonDialog.h"
#include "common/ThemedIcon.h"
#include "common/UiServices.h"
#include "customers/ConvertTrialDialog.h"
#include "customers/CustomerDetailPanel.h"
#include "customers/CustomerTableModel.h"
#include "customers/EditCustomerDialog.h"
#include "customers/ExportCustomersTask.h"
#include "customers/ExtendTrialDialog.h"
#include "customers/ImportCustomersDialog.h"
#include "customers/RaiseTrialBudgetDialog.h"
#include "customers/wizard/AddCustomerWizard.h"
#include "domain/Permission.h"
#include "services/CatalogueService.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/ResellerService.h"
#include "services/Session.h"
#include "transfers/CloneCustomersDialog.h"
#include "transfers/MigrateCustomerDialog.h"
#include "transfers/MoveCustomerDialog.h"

namespace rd {

namespace {

const auto LayoutKey = QLatin1String("customers/headerState");
const auto SplitterKey = QLatin1String("customers/splitterState");

// Filter combo data: "any" and "direct accounts" for the reseller filter.
constexpr qint64 AnyReseller = -1;
constexpr qint64 DirectAccounts = 0;

// Opens a dialog without blocking (tests and other windows keep working)
// and deletes it when it closes.
template<typename Dialog> void openDialog(Dialog *dialog, QObject *context, auto onAccepted)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QDialog::accepted, context, onAccepted);
    dialog->open();
}

} // namespace

CustomersPage::CustomersPage(const Session &session, UiServices &services, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("customersPage"));
    m_model = new CustomerTableModel(m_session, m_services.customers, this);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("customerSearch"));
    m_search->setAccessibleName(tr("Search customers"));
    m_search->setPlaceholderText(tr("Search company, domain, contact or email"));
    m_search->setClearButtonEnabled(true);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("customerCount"));

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("customerTable"));
    m_view->setAccessibleName(tr("Customers"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSortIndicatorShown(true);
    header->setSectionsClickable(true);
    header->setSectionsMovable(true);
    header->setSortIndicator(CustomerTableModel::Company, Qt::AscendingOrder);
    header->setStretchLastSection(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);

    m_detail = new CustomerDetailPanel(m_session, m_services, this);
    m_detail->hide();

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("customerSplitter"));
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(200);

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    buildFilters();
    for (QComboBox *filter : {m_resellerFilter, m_statusFilter, m_planFilter}) {
        if (filter)
            top->addWidget(filter, 1);
    }
    top->addWidget(m_count);
    layout->addWidget(m_splitter, 1);

    createActions();
    buildColumnsMenu();
    restoreLayout();

    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &CustomersPage::refresh);
    connect(header, &QHeaderView::sortIndicatorChanged, this, &CustomersPage::sortChanged);
    connect(header, &QHeaderView::customContextMenuRequested, this, [this](const QPoint &position) {
        m_columnsMenu->popup(m_view->horizontalHeader()->mapToGlobal(position));
    });
    for (auto signal : {&QHeaderView::sectionResized, &QHeaderView::sectionMoved}) {
        connect(header, signal, this, [this] { saveLayout(); });
    }
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { saveLayout(); });
    connect(m_view, &QTableView::customContextMenuRequested, this, &CustomersPage::showContextMenu);
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (const CustomerListRow *row = m_model->customerAt(index.row()))
            openDetails(row->id);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &CustomersPage::updateActions);
    // A selected row whose page arrives later enables its actions then.
    connect(m_model, &QAbstractItemModel::dataChanged, this, &CustomersPage::updateActions);
    connect(m_model, &CustomerTableModel::loadFailed, this, &CustomersPage::statusMessage);
    connect(
        m_detail, &CustomerDetailPanel::loginAsRequested, this, &CustomersPage::loginAsRequested);
    connect(m_detail, &CustomerDetailPanel::closeRequested, this, [this] {
        m_detail->hide();
        m_view->setFocus();
    });
    updateActions();
}

CustomersPage::~CustomersPage() = default;

void CustomersPage::buildFilters()
{
    const Role role = m_session.role();
    // Filtering by reseller makes sense for those who see several.
    if (PermissionMatrix::grant(Capability::SeeCustomers, role).extent == Extent::All) {
        Result<QList<ResellerSummary>> resellers = m_services.resellers.listResellers(m_session);
        if (resellers) {
            m_resellerFilter = new QComboBox(this);
            m_resellerFilter->setObjectName(QStringLiteral("resellerFilter"));
            m_resellerFilter->setAccessibleName(tr("Filter by reseller"));
            m_resellerFilter->addItem(tr("All resellers"), AnyReseller);
            m_resellerFilter->addItem(tr("Direct accounts"), DirectAccounts);
            for (const ResellerSummary &reseller : std::as_const(*resellers))
                m_resellerFilter->addItem(reseller.name, reseller.id);
        }
    }

    m_statusFilter = new QComboBox(this);
    m_statusFilter->setObjectName(QStringLiteral("statusFilter"));
    m_statusFilter->setAccessibleName(tr("Filter by status"));
    m_statusFilter->addItem(tr("Any status"), int(CustomerStatusFilter::Any));
    m_statusFilter->addItem(tr("On trial"), int(CustomerStatusFilter::Trial));
    m_statusFilter->addItem(tr("Trial expired"), int(CustomerStatusFilter::TrialExpired));
    m_statusFilter->addItem(tr("Active (paid)"), int(CustomerStatusFilter::Active));
    m_statusFilter->addItem(tr("Inactive"), int(CustomerStatusFilter::Inactive));

    Result<QList<PlanRow>> plans = m_services.catalogue.plans(m_session);
    if (plans && plans->size() > 1) {
        m_planFilter = new QComboBox(this);
        m_planFilter->setObjectName(QStringLiteral("planFilter"));
        m_planFilter->setAccessibleName(tr("Filter by plan"));
        m_planFilter->addItem(tr("Any plan"), qint64(0));
        for (const PlanRow &plan : std::as_const(*plans))
            m_planFilter->addItem(plan.name, plan.id);
    }

    for (QComboBox *filter : {m_resellerFilter, m_statusFilter, m_planFilter}) {
        if (!filter)
            continue;
        filter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(filter, &QComboBox::currentIndexChanged, this, &CustomersPage::refresh);
    }
}

void CustomersPage::createActions()
{
    const Role role = m_session.role();
    const auto may = [role](Capability capability) {
        return PermissionMatrix::allows(role, capability, Access::Write);
    };
    const auto make = [this](const QString &text, const char *name, auto slot) {
        auto *action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        m_pageActions.append(action);
        return action;
    };
    const auto separator = [this] {
        if (!m_pageActions.isEmpty() && m_pageActions.constLast() != nullptr)
            m_pageActions.append(nullptr);
    };

    if (may(Capability::ManageCustomers)) {
        m_addAction = make(tr("&New Customer…"), "addCustomerAction", &CustomersPage::addCustomer);
        m_addAction->setProperty("toolBar", true);
        m_addAction->setIcon(themedIcon(QStringLiteral("customer-new")));
        m_addAction->setShortcut(QKeySequence::New);
        m_addAction->setToolTip(tr("Add a customer with the Add Customer wizard"));
        m_importAction = make(
            tr("&Import from CSV…"), "importCustomersAction", &CustomersPage::importCustomers);
        m_importAction->setProperty("toolBar", true);
        m_importAction->setIcon(themedIcon(QStringLiteral("import-csv")));
        m_importAction->setToolTip(tr("Add many customers at once from a CSV file"));
    }
    m_openAction = make(tr("&Open Details"), "openCustomerAction", [this] {
        if (const CustomerListRow *row = currentRow())
            openDetails(row->id);
    });
    if (may(Capability::ManageCustomers)) {
        m_editAction
            = make(tr("&Edit Customer…"), "editCustomerAction", &CustomersPage::editCustomer);
        m_editAction->setProperty("toolBar", true);
        m_editAction->setIcon(themedIcon(QStringLiteral("edit")));
    }
    if (may(Capability::ManageTrials)) {
        separator();
        m_convertAction = make(
            tr("&Convert Trial to Paid…"), "convertTrialAction", &CustomersPage::convertTrial);
        m_convertAction->setProperty("toolBar", true);
        m_convertAction->setIcon(themedIcon(QStringLiteral("convert-trial")));
        m_extendAction
            = make(tr("E&xtend Trial…"), "extendTrialAction", &CustomersPage::extendTrial);
        m_raiseBudgetAction = make(
            tr("Raise Trial &Budget…"), "raiseBudgetAction", &CustomersPage::raiseTrialBudget);
    }
    if (may(Capability::ManageCustomers)) {
        separator();
        m_resendAction = make(
            tr("Resend &Setup Email"), "resendSetupAction", &CustomersPage::resendSetupEmail);
        m_deactivateAction
            = make(tr("&Deactivate…"), "deactivateCustomerAction", [this] { setActive(false); });
        m_activateAction
            = make(tr("Re&activate…"), "activateCustomerAction", [this] { setActive(true); });
        m_archiveAction
            = make(tr("A&rchive…"), "archiveCustomerAction", &CustomersPage::archiveCustomer);
        m_archiveAction->setShortcut(QKeySequence::Delete);
        m_archiveAction->setIcon(themedIcon(QStringLiteral("archive")));
    }
    if (may(Capability::LoginAs)) {
        separator();
        m_loginAsAction = make(tr("&Login As…"), "loginAsAction", [this] {
            if (const CustomerListRow *row = currentRow())
                Q_EMIT loginAsRequested(row->id, row->companyName);
        });
        m_loginAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
        m_loginAsAction->setToolTip(
            tr("See this customer's own view, as one of its client users (audited)"));
        m_loginAsAction->setProperty("toolBar", true);
        m_loginAsAction->setIcon(themedIcon(QStringLiteral("login-as")));
    }
    if (may(Capability::TransferCustomers)) {
        separator();
        m_moveAction = make(tr("&Move…"), "moveCustomerAction", &CustomersPage::moveCustomer);
        m_moveAction->setIcon(themedIcon(QStringLiteral("move")));
        m_cloneAction = make(
            tr("C&lone to Reseller…"), "cloneCustomersAction", &CustomersPage::cloneCustomers);
        m_cloneAction->setProperty("toolBar", true);
        m_cloneAction->setIcon(themedIcon(QStringLiteral("clone")));
        m_migrateAction = make(
            tr("M&igrate to Reseller…"), "migrateCustomerAction", &CustomersPage::migrateCustomer);
        m_migrateAction->setIcon(themedIcon(QStringLiteral("migrate")));
    }
    // Whoever sees customers may export what they see (core scopes it).
    separator();
    m_exportAction = make(tr("Ex&port…"), "exportCustomersAction", &CustomersPage::exportCustomers);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportAction->setIcon(themedIcon(QStringLiteral("export")));
    m_exportAction->setToolTip(
        tr("Save the customers of this view, as filtered and sorted, to a CSV or Excel file"));
    m_export = new ExportCustomersTask(m_session, m_services, this);
    connect(m_export, &ExportCustomersTask::finished, this,
        [this](const QString &message, bool) { Q_EMIT statusMessage(message); });
}

void CustomersPage::exportCustomers()
{
    m_export->chooseFileAndStart(m_model->query());
}

void CustomersPage::buildColumnsMenu()
{
    m_columnsMenu = new QMenu(tr("&Columns"), this);
    m_columnsMenu->setObjectName(QStringLiteral("columnsMenu"));
    for (int column = 0; column < CustomerTableModel::ColumnCount; ++column) {
        QAction *toggle = m_columnsMenu->addAction(
            m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
        toggle->setObjectName(QStringLiteral("column%1Action").arg(column));
        toggle->setCheckable(true);
        toggle->setChecked(true);
        // The company identifies a row: it always stays.
        toggle->setEnabled(column != CustomerTableModel::Company);
        connect(toggle, &QAction::toggled, this, [this, column](bool shown) {
            m_view->setColumnHidden(column, !shown);
            saveLayout();
        });
    }
    connect(m_columnsMenu, &QMenu::aboutToShow, this, [this] {
        const QList<QAction *> toggles = m_columnsMenu->actions();
        for (int column = 0; column < toggles.size(); ++column) {
            QSignalBlocker block(toggles.at(column));
            toggles.at(column)->setChecked(!m_view->isColumnHidden(column));
        }
    });
}

void CustomersPage::restoreLayout()
{
    QSettings settings;
    const QByteArray state = settings.value(LayoutKey).toByteArray();
    QHeaderView *header = m_view->horizontalHeader();
    if (!state.isEmpty() && header->restoreState(state)) {
        m_sized = true; // the user's widths
        if (!CustomerTableModel::sortFor(header->sortIndicatorSection()))
            header->setSortIndicator(CustomerTableModel::Company, Qt::AscendingOrder);
        m_sortColumn = header->sortIndicatorSection();
        m_sortOrder = header->sortIndicatorOrder();
        m_view->setColumnHidden(CustomerTableModel::Company, false);
    }
    m_splitter->restoreState(settings.value(SplitterKey).toByteArray());
}

void CustomersPage::saveLayout() const
{
    QSettings settings;
    settings.setValue(LayoutKey, m_view->horizontalHeader()->saveState());
    if (m_detail->isVisible())
        settings.setValue(SplitterKey, m_splitter->saveState());
}

void CustomersPage::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void CustomersPage::sortChanged(int column, Qt::SortOrder order)
{
    if (!CustomerTableModel::sortFor(column)) {
        // This column cannot be sorted by the database: keep the last order.
        QSignalBlocker block(m_view->horizontalHeader());
        m_view->horizontalHeader()->setSortIndicator(m_sortColumn, m_sortOrder);
        return;
    }
    m_sortColumn = column;
    m_sortOrder = order;
    saveLayout();
    refresh();
}

QList<qint64> CustomersPage::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        if (const CustomerListRow *row = m_model->customerAt(index.row()))
            ids.append(row->id);
    }
    return ids;
}

const CustomerListRow *CustomersPage::currentRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.size() == 1 ? m_model->customerAt(rows.constFirst().row()) : nullptr;
}

void CustomersPage::refresh()
{
    const QList<qint64> selected = selectedIds();
    const CustomerListRow *current = m_model->customerAt(m_view->currentIndex().row());
    const qint64 currentId = current ? current->id : 0;
    const int scroll = m_view->verticalScrollBar() ? m_view->verticalScrollBar()->value() : 0;

    CustomerQuery query;
    query.search = m_search->text();
    query.sort = CustomerTableModel::sortFor(m_sortColumn).value_or(CustomerSort::Company);
    query.ascending = m_sortOrder == Qt::AscendingOrder;
    if (m_resellerFilter && m_resellerFilter->currentData().toLongLong() != AnyReseller)
        query.resellerFilter = m_resellerFilter->currentData().toLongLong();
    query.status = static_cast<CustomerStatusFilter>(m_statusFilter->currentData().toInt());
    if (m_planFilter)
        query.planFilter = m_planFilter->currentData().toLongLong();

    if (Status shown = m_model->setQuery(query, m_services.clock.now()); !shown) {
        m_count->setText(shown.error().message());
        updateActions();
        return;
    }
    const qint64 total = m_model->total();
    if (!m_sized && m_model->rowCount() > 0) {
        // Fit the columns once to the first page; later the user's widths stay.
        m_view->resizeColumnsToContents();
        for (int column = 0; column < CustomerTableModel::ColumnCount; ++column) {
            m_view->setColumnWidth(column, qMin(m_view->columnWidth(column), 280));
        }
        m_sized = true;
    }

    // Back where the user was: the rows in view are read now, and the
    // selected rows among those read stay selected. The current row is found
    // wherever it is (one count in the database) and read too.
    QScrollBar *bar = m_view->verticalScrollBar();
    if (bar)
        bar->setValue(scroll);
    const int top = m_view->rowAt(0);
    if (top >= 0) {
        const int bottom = m_view->rowAt(m_view->viewport()->height() - 1);
        m_model->loadRows(top, bottom >= 0 ? bottom : top + m_model->pageRows() - 1);
    }
    int currentRowIndex = -1;
    if (currentId != 0) {
        Result<std::optional<int>> row = m_model->rowOfCustomer(currentId);
        if (row && *row) {
            currentRowIndex = **row;
            m_model->loadRows(currentRowIndex, currentRowIndex);
        }
    }
    QItemSelection keep;
    for (const qint64 id : selected) {
        if (const std::optional<int> row = m_model->loadedRowOf(id)) {
            keep.select(
                m_model->index(*row, 0), m_model->index(*row, CustomerTableModel::ColumnCount - 1));
        }
    }
    if (currentRowIndex >= 0) {
        m_view->selectionModel()->setCurrentIndex(
            m_model->index(currentRowIndex, 0), QItemSelectionModel::NoUpdate);
    }
    m_view->selectionModel()->select(keep, QItemSelectionModel::ClearAndSelect);
    if (bar)
        bar->setValue(scroll);

    const QLocale locale;
    const bool filtered = !m_search->text().trimmed().isEmpty()
        || (m_resellerFilter && m_resellerFilter->currentIndex() > 0)
        || m_statusFilter->currentIndex() > 0 || (m_planFilter && m_planFilter->currentIndex() > 0);
    if (total == 0) {
        m_count->setText(filtered ? tr("No customer matches")
                : m_addAction     ? tr("No customers yet — add one with New Customer")
                                  : tr("No customers yet"));
    } else {
        m_count->setText(
            total == 1 ? tr("1 customer") : tr("%1 customers").arg(locale.toString(total)));
    }
    if (m_detail->isVisible() && m_detail->customerId() != 0)
        m_detail->reload();
    updateActions();
}

void CustomersPage::selectCustomer(qint64 customerId)
{
    // Its row in the current order, counted by the database: the table
    // holds every customer, not only the rows read so far.
    const auto rowOf = [this, customerId] {
        Result<std::optional<int>> row = m_model->rowOfCustomer(customerId);
        return row && *row ? **row : -1;
    };
    int row = rowOf();
    if (row < 0) {
        // Hidden by a filter: show it by name.
        Result<CustomerRow> customer = m_services.customers.customer(m_session, customerId);
        if (!customer)
            return;
        for (QComboBox *filter : {m_resellerFilter, m_statusFilter, m_planFilter}) {
            if (filter) {
                QSignalBlocker block(filter);
                filter->setCurrentIndex(0);
            }
        }
        {
            QSignalBlocker block(m_search);
            m_search->setText(customer->companyName);
        }
        m_debounce->stop();
        refresh();
        row = rowOf();
    }
    if (row < 0)
        return;
    // Read its page now, so the actions know the row at once.
    m_model->loadRows(row, row);
    m_view->selectionModel()->select(
        m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->setCurrentIndex(m_model->index(row, 0));
    m_view->scrollTo(m_model->index(row, 0));
}

void CustomersPage::openDetails(qint64 customerId)
{
    m_detail->showCustomer(customerId);
    m_detail->show();
}

void CustomersPage::updateActions()
{
    const QList<qint64> selected = selectedIds();
    const CustomerListRow *row = currentRow();
    const bool one = row != nullptr;
    const bool trial = one && row->billingStatus == BillingStatus::Trial;
    const auto enable = [](QAction *action, bool enabled) {
        if (action)
            action->setEnabled(enabled);
    };
    enable(m_openAction, one);
    enable(m_editAction, one);
    enable(m_convertAction, trial);
    enable(m_extendAction, trial);
    enable(m_raiseBudgetAction, trial);
    enable(m_resendAction, one);
    enable(m_deactivateAction, one && row->active);
    enable(m_activateAction, one && !row->active);
    enable(m_archiveAction, one);
    enable(m_moveAction, one && row->active);
    enable(m_cloneAction, !selected.isEmpty());
    enable(m_migrateAction, one && row->active);
    enable(m_loginAsAction, one);
}

void CustomersPage::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (index.isValid() && !m_view->selectionModel()->isRowSelected(index.row(), {})) {
        m_view->selectionModel()->select(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    QMenu menu(this);
    for (QAction *action : std::as_const(m_pageActions)) {
        if (action)
            menu.addAction(action);
        else
            menu.addSeparator();
    }
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void CustomersPage::changed(qint64 customerId)
{
    refresh();
    selectCustomer(customerId);
    if (m_detail->isVisible() && m_detail->customerId() == customerId)
        m_detail->reload();
}

void CustomersPage::addCustomer()
{
    auto *wizard = new AddCustomerWizard(m_session, m_services, this);
    openDialog(wizard, this, [this, wizard] {
        const qint64 id = wizard->createdCustomerId();
        const QStringList warnings = wizard->warnings();
        changed(id);
        Q_EMIT statusMessage(warnings.isEmpty()
                ? tr("Customer added.")
                : tr("Customer added. %1").arg(warnings.join(QLatin1Char(' '))));
    });
}

void CustomersPage::importCustomers()
{
    auto *dialog = new ImportCustomersDialog(m_session, m_services, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportCustomersDialog::imported, this, [this](int customers) {
        refresh();
        Q_EMIT statusMessage(tr("%n customer(s) imported.", nullptr, customers));
    });
    dialog->open();
}

void CustomersPage::editCustomer()
{
    const CustomerListRow *row = currentRow();
    if (!row)
        return;
    const qint64 id = row->id;
    openDialog(
        new EditCustomerDialog(m_session, m_services, id, this), this, [this, id] { changed(id); });
}

void CustomersPage::convertTrial()
{
    const CustomerListRow *row = currentRow();
    if (!row)
        return;
    const qint64 id = row->id;
    openDialog(new ConvertTrialDialog(m_session, m_services, id, this), this, [this, id] {
        changed(id);
        Q_EMIT statusMessage(tr("Trial converted to a paid account."));
    });
}

void CustomersPage::extendTrial()
{
    const CustomerListRow *row = currentRow();
    if (!row)
        return;
    const qint64 id = row->id;
    openDialog(
        new ExtendTrialDialog(m_session, m_services, id, this), this, [this, id] { changed(id); });
}

void CustomersPage::raiseTrialBudget()
{
    const CustomerListRow *row = currentRow();
    if (!row)
        return;
    const qint64 id = row->id;
    openDialog(new RaiseTrialBudgetDialog(m_session, m_services, id, this), this,
        [this, id] { changed(id); });
}

void CustomersPage::resendSetupEmail()
{
    const CustomerListRow *row = currentRow();
    if (!row)
        return;
    const QString company = row->companyName;
    const QString email = row->contactEmail;
    Result<qint64> queued = m_services.customers.resendSetupEmail(m_session, row->id);
    if (!queued) {
        showError(this, tr("Resend Setup Email"), queued.error());
        return;
    }
    Q_EMIT statusMessage(tr("A new setup email for %1 is queued to %2.").arg(company, email));
}

void CustomersPage::setActive(bool active)
{
    const CustomerListRow *row = currentRow();
    if (!row)
        return;
    const qint64 id = row->id;
    const int version = row->version;
    auto *dialog = active
        ? new ReasonDialog(tr("Reactivate Customer"),
            tr("Reactivate %1? Its users can sign in again and its trial reminders resume.")
                .arg(row->companyName),
            tr("&Reactivate"), false, this)
        : new ReasonDialog(tr("Deactivate Customer"),
            tr("Deactivate %1? Its users can no longer sign in. Nothing is deleted; you "
               "can reactivate it later.")
                .arg(row->companyName),
            tr("&Deactivate"), true, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, id, version, active] {
        Result<int> done
            = m_services.customers.setActive(m_session, id, version, active, dialog->reason());
        if (!done) {
            showError(this, dialog->windowTitle(), done.error());
            refresh();
            return;
        }
        changed(id);
    });
    dialog->open();
}

void CustomersPage::archiveCustomer()
{
    const CustomerListRow *row = currentRow();
    if (!row)
        return;
    const qint64 id = row->id;
    const int version = row->version;
    auto *dialog = new ReasonDialog(tr("Archive Customer"),
        tr("Archive %1? It disappears from the lists and its users can no longer sign in. "
           "Its history and audit trail are kept.")
            .arg(row->companyName),
        tr("A&rchive"), true, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, id, version] {
        Result<int> done = m_services.customers.archive(m_session, id, version, dialog->reason());
        if (!done) {
            showError(this, dialog->windowTitle(), done.error());
            refresh();
            return;
        }
        if (m_detail->customerId() == id)
            m_detail->hide();
        refresh();
        Q_EMIT statusMessage(tr("Customer archived."));
    });
    dialog->open();
}

void CustomersPage::moveCustomer()
{
    const CustomerListRow *row = currentRow();
    if (!row)
        return;
    const qint64 id = row->id;
    openDialog(
        new MoveCustomerDialog(m_session, m_services, id, this), this, [this, id] { changed(id); });
}

void CustomersPage::cloneCustomers()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    auto *dialog = new CloneCustomersDialog(m_session, m_services, ids, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The dialog reports the outcome itself; the table shows it afterwards.
    connect(dialog, &QDialog::finished, this, &CustomersPage::refresh);
    dialog->open();
}

void CustomersPage::migrateCustomer()
{
    const CustomerListRow *row = currentRow();
    if (!row)
        return;
    const qint64 id = row->id;
    openDialog(new MigrateCustomerDialog(m_session, m_services, id, this), this, [this, id] {
        changed(id);
        Q_EMIT statusMessage(tr("Customer migrated to its own reseller portal."));
    });
}

// Live refresh ------------------------------------------------------------
// Kept apart from refresh() on purpose: refresh() reads the query again;
// these keep what the user looks at across it when the change came from
// elsewhere (MainWindow, on ChangeFeed::changed).

void CustomersPage::refreshKeepingView()
{
    // Typing in the search box: its own refresh follows in a moment and
    // will read the new rows too; reading now would only run a half-typed
    // term. Nothing here touches the search box or the focus.
    if (m_debounce->isActive())
        return;
    const ViewAnchor anchor = captureViewAnchor();
    refresh();
    restoreViewAnchor(anchor);
}

CustomersPage::ViewAnchor CustomersPage::captureViewAnchor() const
{
    ViewAnchor anchor;
    anchor.selected = selectedIds();
    if (const CustomerListRow *current = m_model->customerAt(m_view->currentIndex().row()))
        anchor.currentId = current->id;
    anchor.topRow = m_view->rowAt(0);
    if (const CustomerListRow *top = m_model->customerAt(anchor.topRow))
        anchor.topId = top->id;
    return anchor;
}

void CustomersPage::restoreViewAnchor(const ViewAnchor &anchor)
{
    if (m_model->rowCount() == 0)
        return;
    // refresh() put the scroll bar back at the same row number. When rows
    // were added or removed above it, that row is now another customer:
    // scroll to where the old top customer went (one count in the
    // database, for this one customer), so the view does not jump.
    const int top = m_view->rowAt(0);
    const CustomerListRow *nowTop = m_model->customerAt(top);
    if (anchor.topId != 0 && (!nowTop || nowTop->id != anchor.topId)) {
        std::optional<int> row = m_model->loadedRowOf(anchor.topId);
        if (!row) {
            if (Result<std::optional<int>> counted = m_model->rowOfCustomer(anchor.topId); counted)
                row = *counted;
        }
        if (row && *row != top)
            m_view->scrollTo(m_model->index(*row, 0), QAbstractItemView::PositionAtTop);
    }

    // The rows now in view are read, and every selected customer among
    // them (or read before) is selected again — by id, wherever it moved.
    const int first = m_view->rowAt(0);
    if (first >= 0) {
        const int last = m_view->rowAt(m_view->viewport()->height() - 1);
        m_model->loadRows(first, last >= 0 ? last : first + m_model->pageRows() - 1);
    }
    QItemSelection keep;
    for (const qint64 id : anchor.selected) {
        if (const std::optional<int> row = m_model->loadedRowOf(id)) {
            keep.select(
                m_model->index(*row, 0), m_model->index(*row, CustomerTableModel::ColumnCount - 1));
        }
    }
    // Setting the current index scrolls to it: keep the scroll bar still.
    QScrollBar *bar = m_view->verticalScrollBar();
    const int scroll = bar->value();
    const std::optional<int> current
        = anchor.currentId != 0 ? m_model->loadedRowOf(anchor.currentId) : std::nullopt;
    if (current && m_view->currentIndex().row() != *current) {
        m_view->selectionModel()->setCurrentIndex(
            m_model->index(*current, 0), QItemSelectionModel::NoUpdate);
    }
    m_view->selectionModel()->select(keep, QItemSelectionModel::ClearAndSelect);
    bar->setValue(scroll);
    updateActions();
}

} // namespace rd
