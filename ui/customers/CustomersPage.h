#pragma once

#include <QList>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;
class QTableView;
class QTimer;

namespace rd {

class CustomerDetailPanel;
class CustomerTableModel;
class ExportCustomersTask;
class Session;
struct CustomerListRow;
struct UiServices;

// The customers the session may see: a search box (debounced; the
// database filters), filters for reseller, status and plan, a table sorted
// by the database that scrolls through all of them however many there are
// (CustomerTableModel reads the rows a page at a time), a detail panel, and the customer actions —
// only those the session's role may take (§3); core checks each again.
class CustomersPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomersPage)

public:
    CustomersPage(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~CustomersPage() override;

    void refresh();
    // Live refresh (another desktop changed customers): refresh() that keeps
    // the view where the user left it. See the end of CustomersPage.cpp.
    void refreshKeepingView();
    void focusSearch();
    // Shows the customer in the table (clearing filters that hide it) and
    // selects it.
    void selectCustomer(qint64 customerId);
    // Opens the detail panel for the customer.
    void openDetails(qint64 customerId);

    // The actions for the menu bar and the tool bar, in menu order; a null
    // entry stands for a separator.
    QList<QAction *> pageActions() const { return m_pageActions; }
    // Show / hide columns; the choice is saved with the column layout.
    QMenu *columnsMenu() const noexcept { return m_columnsMenu; }

    CustomerTableModel *model() const noexcept { return m_model; }
    QTableView *view() const noexcept { return m_view; }
    QLineEdit *searchBox() const noexcept { return m_search; }
    CustomerDetailPanel *detailPanel() const noexcept { return m_detail; }
    QList<qint64> selectedIds() const;

Q_SIGNALS:
    // A short confirmation for the status bar ("Setup email queued …").
    void statusMessage(const QString &message);
    // Login As (rule 9) on this customer: the main window's LoginAsController
    // asks for the reason and opens the client view.
    void loginAsRequested(qint64 customerId, const QString &companyName);

private:
    void buildFilters();
    void createActions();
    void buildColumnsMenu();
    void restoreLayout();
    void saveLayout() const;
    void sortChanged(int column, Qt::SortOrder order);
    void updateActions();
    void showContextMenu(const QPoint &position);
    const CustomerListRow *currentRow() const;

    void addCustomer();
    void importCustomers();
    void editCustomer();
    void convertTrial();
    void extendTrial();
    void raiseTrialBudget();
    void resendSetupEmail();
    void setActive(bool active);
    void archiveCustomer();
    void moveCustomer();
    void cloneCustomers();
    void migrateCustomer();
    // Customers → Export…: the current view to CSV or Excel.
    void exportCustomers();
    // After a dialog changed a customer: reload and keep it selected.
    void changed(qint64 customerId);

    // What a live refresh keeps: the selected and current customers and the
    // customer in the top visible row, by id.
    struct ViewAnchor
    {
        QList<qint64> selected;
        qint64 currentId = 0;
        qint64 topId = 0;
        int topRow = -1;
    };
    ViewAnchor captureViewAnchor() const;
    void restoreViewAnchor(const ViewAnchor &anchor);

    const Session &m_session;
    UiServices &m_services;
    CustomerTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QSplitter *m_splitter = nullptr;
    CustomerDetailPanel *m_detail = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_resellerFilter = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QComboBox *m_planFilter = nullptr;
    QLabel *m_count = nullptr;
    QTimer *m_debounce = nullptr;
    QMenu *m_columnsMenu = nullptr;
    int m_sortColumn = 0;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    bool m_sized = false;

    QList<QAction *> m_pageActions;
    QAction *m_openAction = nullptr;
    QAction *m_addAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_convertAction = nullptr;
    QAction *m_extendAction = nullptr;
    QAction *m_raiseBudgetAction = nullptr;
    QAction *m_resendAction = nullptr;
    QAction *m_deactivateAction = nullptr;
    QAction *m_activateAction = nullptr;
    QAction *m_archiveAction = nullptr;
    QAction *m_moveAction = nullptr;
    QAction *m_cloneAction = nullptr;
    QAction *m_migrateAction = nullptr;
    QAction *m_loginAsAction = nullptr;
    QAction *m_exportAction = nullptr;
    ExportCustomersTask *m_export = nullptr;
};

} // namespace rd
