#pragma once

#include <QList>
#include <QWidget>

#include "domain/Error.h"

class QAction;
class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTimer;

namespace rd {

class AuditTableModel;
class ImpersonationSessionTableModel;
class Session;
struct AuditFilter;
struct ImpersonationLogFilter;
struct UiServices;

// The Audit log view (section 3 "audit log, outbox"): the events the
// session may see, newest first and loaded page by page, with a filter bar
// (actor, impersonator and "only Login As", customer, reseller, action,
// date range) whose filtering runs in the database; a second tab lists the
// Login As sessions. Double-click or Enter opens an event in full
// (AuditEventDialog). "Export CSV…" writes every matching event.
//
// objectNames: "auditLogPage", "auditActorFilter", "auditImpersonatorFilter",
// "auditOnlyLoginAs", "auditCustomerFilter", "auditResellerFilter",
// "auditActionFilter", "auditFromDate", "auditToDate", "auditClearFilters",
// "auditTabs", "auditTable", "auditSessionsTable", "auditCount",
// "auditMessage"; actions "exportAuditAction", "refreshAuditAction".
class AuditLogPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditLogPage)

public:
    enum Tab { EventsTab, SessionsTab };

    AuditLogPage(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~AuditLogPage() override;

    // Loads the current filters again (both tabs), and the drop-downs.
    void refresh();
    void clearFilters();
    // What the filter bar asks for.
    AuditFilter filter() const;
    ImpersonationLogFilter sessionFilter() const;

    // Opens the event in the given row of the events table in its dialog
    // (modal); what double-click and Enter do.
    void openEvent(int row);
    // Writes every event matching the filters to path as CSV (what "Export
    // CSV…" does after asking for the file). An error is shown to the user
    // and returned.
    Result<qint64> exportTo(const QString &path);

    AuditTableModel *model() const noexcept { return m_model; }
    ImpersonationSessionTableModel *sessionsModel() const noexcept { return m_sessionsModel; }
    QTableView *view() const noexcept { return m_view; }
    QTableView *sessionsView() const noexcept { return m_sessionsView; }
    QTabWidget *tabs() const noexcept { return m_tabs; }
    QList<QAction *> pageActions() const { return m_pageActions; }

private:
    void createActions();
    void loadChoices();
    void applyFilters();
    void updateCount();
    void updateFilterAvailability();
    void showMessage(const QString &text);
    void exportCsv();

    const Session &m_session;
    UiServices &m_services;
    AuditTableModel *m_model = nullptr;
    ImpersonationSessionTableModel *m_sessionsModel = nullptr;
    QLineEdit *m_actor = nullptr;
    QLineEdit *m_impersonator = nullptr;
    QCheckBox *m_onlyLoginAs = nullptr;
    QLineEdit *m_customer = nullptr;
    QComboBox *m_reseller = nullptr;
    QComboBox *m_action = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QPushButton *m_clear = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTableView *m_view = nullptr;
    QTableView *m_sessionsView = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_message = nullptr;
    QTimer *m_debounce = nullptr;
    QList<QAction *> m_pageActions;
    QAction *m_export = nullptr;
    QAction *m_refresh = nullptr;
    bool m_clearing = false; // clearFilters() is resetting the inputs
};

} // namespace rd
