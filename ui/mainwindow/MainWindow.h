#pragma once

#include <QList>
#include <QMainWindow>

#include "domain/ChangeFeed.h"

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;
class QTimer;
class QToolBar;

namespace rd {

class AuditLogPage;
class CustomersPage;
class LoginAsController;
class MailStatusIndicator;
class MailWorker;
class OutboxPage;
class ResellersPage;
class Session;
class UsersPage;
struct UiServices;

// What the main window works with, created by the composition root.
struct MainWindowContext
{
    const Session &session;
    UiServices &services;
    QString databaseName;             // never contains a password
    bool canSwitchMembership = false; // the user holds more than one usable membership
    // This desktop's mail delivery, when it delivers (it holds the SMTP
    // password); null otherwise. Its signals refresh the mail indicator.
    MailWorker *mailWorker = nullptr;
    // Changes committed by other desktops (and this one's worker
    // connections), when followed; null otherwise. The visible page reads
    // again when a change concerns it; the others read when shown.
    ChangeFeed *changes = nullptr;
};

// The administrators' and resellers' window: navigation on the left, built
// from what the session's role may see (section 3), the pages on the right.
// Each page brings its own actions (already limited to what the role may
// do); the window puts the current page's actions in its menu, tool bar
// and context menus. Geometry, tool bar and column layouts are kept in
// QSettings.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(const MainWindowContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    ResellersPage *resellersPage() const noexcept { return m_resellers; }
    CustomersPage *customersPage() const noexcept { return m_customers; }
    UsersPage *usersPage() const noexcept { return m_users; }
    // The Outbox and the status bar's mail indicator exist for roles that
    // may read the outbox (section 3 "audit log, outbox"); else nullptr.
    OutboxPage *outboxPage() const noexcept { return m_outbox; }
    MailStatusIndicator *mailIndicator() const noexcept { return m_mailIndicator; }
    // Login As for roles that may (section 3); else nullptr.
    LoginAsController *loginAsController() const noexcept { return m_loginAs; }
    // The Audit Log, for roles that may read it (section 3); else nullptr.
    AuditLogPage *auditLogPage() const noexcept { return m_auditLog; }
    QListWidget *navigation() const noexcept { return m_navigation; }
    QToolBar *toolBar() const noexcept { return m_toolBar; }

    // Shows the page (one of the pages above).
    void showPage(QWidget *page);

Q_SIGNALS:
    void signOutRequested();
    void switchMembershipRequested();
    void closed();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // icon: the name of its icon (themedIcon()).
    void addPage(QWidget *page, const QString &icon, const QString &title, const QString &menuTitle,
        const QList<QAction *> &actions);
    void createActions(const MainWindowContext &context);
    void pageChanged(int index);
    void refreshCurrent();
    // Live refresh: remembers what changed elsewhere and refreshes the
    // visible page if it shows any of it — not under an open dialog or
    // menu (tried again once it is closed), keeping selection and scroll.
    void changedElsewhere(ChangeAreas areas);
    void applyChangesFromElsewhere();
    void changePassword();
    void openSettings();
    void showAbout();

    struct Page
    {
        QWidget *widget = nullptr;
        QMenu *menu = nullptr; // the page's actions; nullptr when it has none
        QList<QAction *> actions;
    };

    const Session &m_session;
    UiServices &m_services;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_pages = nullptr;
    QToolBar *m_toolBar = nullptr;
    QList<Page> m_pageList;
    ResellersPage *m_resellers = nullptr;
    CustomersPage *m_customers = nullptr;
    UsersPage *m_users = nullptr;
    OutboxPage *m_outbox = nullptr;
    MailStatusIndicator *m_mailIndicator = nullptr;
    LoginAsController *m_loginAs = nullptr;
    AuditLogPage *m_auditLog = nullptr;
    ChangeAreas m_changedElsewhere; // not yet shown on the visible page
    QTimer *m_changesRetry = nullptr;
};

} // namespace rd
