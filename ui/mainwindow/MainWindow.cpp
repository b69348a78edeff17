#include "mainwindow/MainWindow.h"

#include <utility>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>

#include "audit/AuditLogPage.h"
#include "client/LoginAsController.h"
#include "client/UsageImportDialog.h"
#include "common/Appearance.h"
#include "common/ThemedIcon.h"
#include "common/UiServices.h"
#include "customers/CustomersPage.h"
#include "domain/Permission.h"
#include "mail/MailWorker.h"
#include "mainwindow/AboutDialog.h"
#include "outbox/MailStatusIndicator.h"
#include "outbox/OutboxPage.h"
#include "resellers/ResellersPage.h"
#include "security/Authenticator.h"
#include "services/ImpersonationService.h"
#include "services/Session.h"
#include "settings/SettingsDialog.h"
#include "signin/ChangePasswordDialog.h"
#include "users/UsersPage.h"

namespace rd {

namespace {

const auto GeometryKey = QLatin1String("mainWindow/geometry");
const auto StateKey = QLatin1String("mainWindow/state");
const auto SplitterKey = QLatin1String("mainWindow/splitter");

// Refreshes a table page, its scroll position kept (the pages keep their
// selection themselves).
template<typename Refresh> void keepingScroll(QAbstractItemView *view, Refresh refresh)
{
    const int vertical = view->verticalScrollBar()->value();
    const int horizontal = view->horizontalScrollBar()->value();
    refresh();
    view->verticalScrollBar()->setValue(vertical);
    view->horizontalScrollBar()->setValue(horizontal);
}

void addActionsTo(QWidget *target, const QList<QAction *> &actions)
{
    for (QAction *action : actions) {
        if (action) {
            target->addAction(action);
        } else if (auto *menu = qobject_cast<QMenu *>(target)) {
            menu->addSeparator();
        } else if (auto *toolBar = qobject_cast<QToolBar *>(target)) {
            toolBar->addSeparator();
        }
    }
}

} // namespace

MainWindow::MainWindow(const MainWindowContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_session(context.session)
    , m_services(context.services)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ResellerDesk — %1").arg(context.databaseName));
    resize(1280, 800);

    m_navigation = new QListWidget(this);
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setAccessibleName(tr("Sections"));
    m_navigation->setSpacing(3);
    m_navigation->setIconSize(QSize(20, 20));
    QFont navigationFont = m_navigation->font();
    navigationFont.setPointSizeF(navigationFont.pointSizeF() * 1.1);
    m_navigation->setFont(navigationFont);
    m_pages = new QStackedWidget(this);

    m_toolBar = new QToolBar(tr("Actions"), this);
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(20, 20));
    m_toolBar->setMovable(false);
    addToolBar(Qt::TopToolBarArea, m_toolBar);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->setObjectName(QStringLiteral("fileMenu"));
    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    editMenu->setObjectName(QStringLiteral("editMenu"));
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("viewMenu"));

    // Only what the role may see appears (section 3); the services check again.
    const Role role = m_session.role();
    if (PermissionMatrix::allows(role, Capability::SeeResellers, Access::Read)) {
        m_resellers = new ResellersPage(m_session, m_services, m_pages);
        addPage(m_resellers, QStringLiteral("resellers"), tr("Resellers"), tr("&Reseller"),
            m_resellers->pageActions());
    }
    if (PermissionMatrix::allows(role, Capability::SeeCustomers, Access::Read)) {
        m_customers = new CustomersPage(m_session, m_services, m_pages);
        addPage(m_customers, QStringLiteral("customers"), tr("Customers"), tr("&Customer"),
            m_customers->pageActions());
        connect(m_customers, &CustomersPage::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    }
    if (PermissionMatrix::allows(role, Capability::LoginAs, Access::Write)) {
        m_loginAs = new LoginAsController(
            m_session, m_services, context.databaseName, this, context.changes);
        connect(m_loginAs, &LoginAsController::sessionEnded, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
        if (m_customers) {
            connect(m_customers, &CustomersPage::loginAsRequested, m_loginAs,
                &LoginAsController::loginAs);
        }
        // Sessions a crash or a lost connection left open past their limit
        // get their end recorded, so the audit log shows every session's end.
        if (Result<int> ended = m_services.impersonation.endExpiredOf(m_session); !ended)
            qWarning("Login As: %s", qPrintable(ended.error().toString()));
    }
    if (PermissionMatrix::allows(role, Capability::ManageUsers, Access::Read)) {
        m_users = new UsersPage(m_session, m_services, m_pages);
        addPage(m_users, QStringLiteral("users"), tr("Users"), tr("&User"), m_users->pageActions());
    }
    if (PermissionMatrix::allows(role, Capability::AuditAndOutbox, Access::Read)) {
        m_outbox = new OutboxPage(m_session, m_services, m_pages);
        addPage(m_outbox, QStringLiteral("outbox"), tr("Outbox"), tr("&Outbox"),
            m_outbox->pageActions());
        m_auditLog = new AuditLogPage(m_session, m_services, m_pages);
        addPage(m_auditLog, QStringLiteral("audit-log"), tr("Audit Log"), tr("Au&dit"),
            m_auditLog->pageActions());
    }

    auto *splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(m_navigation);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({150, 1130});
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);
    m_navigation->setMaximumWidth(260);

    createActions(context);
    // Section shortcuts: Alt+1, Alt+2, ... in navigation order.
    for (int i = 0; i < m_pageList.size() && i < 9; ++i) {
        auto *go = new QAction(m_navigation->item(i)->text(), this);
        go->setObjectName(QStringLiteral("goToSection%1Action").arg(i + 1));
        go->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(go, &QAction::triggered, this, [this, i] { m_navigation->setCurrentRow(i); });
        viewMenu->addAction(go);
    }

    auto *who = new QLabel(
        tr("Signed in as %1 — %2").arg(m_session.userName(), roleDisplayName(role)), this);
    who->setObjectName(QStringLiteral("signedInLabel"));
    statusBar()->addWidget(who);
    if (m_outbox) {
        m_mailIndicator
            = new MailStatusIndicator(m_session, m_services.outbox, context.mailWorker, this);
        statusBar()->addPermanentWidget(m_mailIndicator);
        connect(m_mailIndicator, &MailStatusIndicator::openRequested, this, [this](bool problems) {
            showPage(m_outbox);
            const bool pending = m_mailIndicator->summary().pending > 0;
            m_outbox->setFilter(problems ? OutboxPage::Filter::Problems
                    : pending            ? OutboxPage::Filter::Pending
                                         : OutboxPage::Filter::All);
            m_outbox->view()->setFocus();
        });
        connect(
            m_outbox, &OutboxPage::outboxChanged, m_mailIndicator, &MailStatusIndicator::refresh);
        if (MailWorker *worker = context.mailWorker)
            connect(m_outbox, &OutboxPage::mailQueued, worker, [worker] { worker->wake(); });
    }
    auto *database = new QLabel(tr("Database: %1").arg(context.databaseName), this);
    database->setObjectName(QStringLiteral("databaseLabel"));
    statusBar()->addPermanentWidget(database);

    connect(m_navigation, &QListWidget::currentRowChanged, this, &MainWindow::pageChanged);

    m_changesRetry = new QTimer(this);
    m_changesRetry->setSingleShot(true);
    m_changesRetry->setInterval(500);
    connect(m_changesRetry, &QTimer::timeout, this, &MainWindow::applyChangesFromElsewhere);
    if (ChangeFeed *changes = context.changes) {
        connect(changes, &ChangeFeed::changed, this, &MainWindow::changedElsewhere);
        connect(changes, &ChangeFeed::stopped, this,
            [this](const QString &message) { statusBar()->showMessage(message, 15000); });
    }

    QSettings settings;
    restoreGeometry(settings.value(GeometryKey).toByteArray());
    restoreState(settings.value(StateKey).toByteArray());
    splitter->restoreState(settings.value(SplitterKey).toByteArray());

    // Start where most work happens: the customers.
    m_navigation->setCurrentRow(m_customers ? m_pages->indexOf(m_customers) : 0);
}

MainWindow::~MainWindow() = default;

void MainWindow::addPage(QWidget *page, const QString &icon, const QString &title,
    const QString &menuTitle, const QList<QAction *> &actions)
{
    Page entry;
    entry.widget = page;
    entry.actions = actions;
    // Pages share the standard keys (New, Delete): each page's shortcuts
    // work while the focus is inside that page.
    for (QAction *action : actions) {
        if (action) {
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            page->addAction(action);
        }
    }
    const bool any = std::any_of(actions.begin(), actions.end(), [](QAction *a) { return a; });
    if (any) {
        entry.menu = new QMenu(menuTitle, this);
        entry.menu->setObjectName(page->objectName() + QStringLiteral("Menu"));
        addActionsTo(entry.menu, actions);
        menuBar()->addMenu(entry.menu)->setVisible(false);
    }
    m_pageList.append(entry);
    m_pages->addWidget(page);
    m_navigation->addItem(new QListWidgetItem(themedIcon(icon), title));
}

void MainWindow::showPage(QWidget *page)
{
    const int index = m_pages->indexOf(page);
    if (index >= 0)
        m_navigation->setCurrentRow(index);
}

void MainWindow::pageChanged(int index)
{
    if (index < 0 || index >= m_pageList.size())
        return;
    m_pages->setCurrentIndex(index);
    // Keyboard users land in the page's table, where its shortcuts work.
    if (!m_navigation->hasFocus() && isVisible())
        m_pages->currentWidget()->setFocus();
    m_toolBar->clear();
    for (int i = 0; i < m_pageList.size(); ++i) {
        if (m_pageList.at(i).menu)
            m_pageList.at(i).menu->menuAction()->setVisible(i == index);
    }
    // The tool bar carries the page's everyday actions: those it marks
    // with the "toolBar" property, else its first group; the menu has all.
    const QList<QAction *> &actions = m_pageList.at(index).actions;
    QList<QAction *> everyday;
    for (QAction *action : actions) {
        if (action && action->property("toolBar").toBool())
            everyday.append(action);
    }
    if (everyday.isEmpty()) {
        for (QAction *action : actions) {
            if (!action)
                break;
            everyday.append(action);
        }
    }
    addActionsTo(m_toolBar, everyday);
    m_toolBar->setVisible(!m_toolBar->actions().isEmpty());
    refreshCurrent();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // The actor's window goes: so does any client view opened from it.
    if (m_loginAs)
        m_loginAs->endSession(ImpersonationEnd::AppExit);
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState());
    if (auto *splitter = qobject_cast<QSplitter *>(centralWidget()))
        settings.setValue(SplitterKey, splitter->saveState());
    QMainWindow::closeEvent(event);
    if (event->isAccepted())
        Q_EMIT closed();
}

void MainWindow::refreshCurrent()
{
    QWidget *current = m_pages->currentWidget();
    if (!current)
        return;
    if (current == m_resellers)
        m_resellers->refresh();
    else if (current == m_customers)
        m_customers->refresh();
    else if (current == m_users)
        m_users->refresh();
    else if (current == m_outbox)
        m_outbox->refresh();
    else if (current == m_auditLog)
        m_auditLog->refresh();
    if (m_mailIndicator)
        m_mailIndicator->refresh();
}

void MainWindow::changedElsewhere(ChangeAreas areas)
{
    m_changedElsewhere |= areas;
    applyChangesFromElsewhere();
}

void MainWindow::applyChangesFromElsewhere()
{
    if (m_changedElsewhere == ChangeAreas())
        return;
    // A dialog or a menu works with what it was opened on: refresh after.
    if (QApplication::activeModalWidget() || QApplication::activePopupWidget()) {
        m_changesRetry->start();
        return;
    }
    const ChangeAreas areas = std::exchange(m_changedElsewhere, ChangeAreas());
    // What each page shows (a customer row names its resellers and plan).
    const ChangeAreas customerList
        = ChangeAreas(ChangeArea::Customers) | ChangeArea::Resellers | ChangeArea::Catalogue;
    const ChangeAreas resellerList = customerList;
    const ChangeAreas userList
        = ChangeAreas(ChangeArea::Users) | ChangeArea::Customers | ChangeArea::Resellers;

    // The other pages read again when they are shown (pageChanged).
    QWidget *current = m_pages->currentWidget();
    bool refreshed = true;
    if (current && current == m_customers && (areas & customerList))
        m_customers->refreshKeepingView();
    else if (current && current == m_resellers && (areas & resellerList))
        keepingScroll(m_resellers->view(), [this] { m_resellers->refresh(); });
    else if (current && current == m_users && (areas & userList))
        keepingScroll(m_users->view(), [this] { m_users->refresh(); });
    else if (current && current == m_outbox && areas.testFlag(ChangeArea::Outbox))
        keepingScroll(m_outbox->view(), [this] { m_outbox->refresh(); });
    else if (current && current == m_auditLog && areas.testFlag(ChangeArea::Audit))
        keepingScroll(m_auditLog->view(), [this] { m_auditLog->refresh(); });
    else
        refreshed = false;
    if (m_mailIndicator && areas.testFlag(ChangeArea::Outbox))
        m_mailIndicator->refresh();
    // Said briefly, and never over a message of the user's own action.
    if (refreshed && statusBar()->currentMessage().isEmpty())
        statusBar()->showMessage(tr("Updated from another desktop"), 3000);
}

void MainWindow::createActions(const MainWindowContext &context)
{
    QMenu *fileMenu = menuBar()->findChild<QMenu *>(QStringLiteral("fileMenu"));
    QMenu *editMenu = menuBar()->findChild<QMenu *>(QStringLiteral("editMenu"));
    QMenu *viewMenu = menuBar()->findChild<QMenu *>(QStringLiteral("viewMenu"));

    if (context.canSwitchMembership) {
        QAction *switchMembership = fileMenu->addAction(tr("S&witch Membership…"));
        switchMembership->setObjectName(QStringLiteral("switchMembershipAction"));
        switchMembership->setIcon(themedIcon(QStringLiteral("switch-membership")));
        switchMembership->setToolTip(tr("Work in another of your portals or accounts"));
        connect(switchMembership, &QAction::triggered, this, [this] {
            if (m_loginAs)
                m_loginAs->endSession(ImpersonationEnd::SignedOut);
            Q_EMIT switchMembershipRequested();
        });
    }
    if (PermissionMatrix::allows(m_session.role(), Capability::Catalogue, Access::Write)) {
        QAction *importUsage = fileMenu->addAction(tr("Import &Usage…"));
        importUsage->setObjectName(QStringLiteral("importUsageAction"));
        importUsage->setIcon(themedIcon(QStringLiteral("import-csv")));
        importUsage->setToolTip(tr("Import the metering system's monthly usage (CSV)"));
        connect(importUsage, &QAction::triggered, this, [this] {
            auto *dialog = new UsageImportDialog(m_session, m_services, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this, [this, dialog] {
                const int imported = dialog->report() ? dialog->report()->imported : 0;
                statusBar()->showMessage(
                    tr("Usage imported: %1 rows.").arg(QLocale().toString(imported)), 8000);
            });
            dialog->open();
        });
        fileMenu->addSeparator();
    }
    QAction *password = fileMenu->addAction(tr("Change &Password…"));
    password->setObjectName(QStringLiteral("changePasswordAction"));
    password->setIcon(themedIcon(QStringLiteral("key")));
    password->setEnabled(!m_session.isImpersonated());
    connect(password, &QAction::triggered, this, &MainWindow::changePassword);
    QAction *signOut = fileMenu->addAction(tr("Sign &Out"));
    signOut->setObjectName(QStringLiteral("signOutAction"));
    signOut->setIcon(themedIcon(QStringLiteral("sign-out")));
    signOut->setToolTip(tr("Sign out and sign in as another user"));
    connect(signOut, &QAction::triggered, this, [this] {
        if (m_loginAs)
            m_loginAs->endSession(ImpersonationEnd::SignedOut);
        Q_EMIT signOutRequested();
    });
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"));
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, [this] {
        if (m_loginAs)
            m_loginAs->endSession(ImpersonationEnd::AppExit);
        QApplication::closeAllWindows();
    });

    if (m_customers) {
        QAction *find = editMenu->addAction(tr("&Find Customers"));
        find->setObjectName(QStringLiteral("findAction"));
        find->setIcon(themedIcon(QStringLiteral("search")));
        find->setShortcut(QKeySequence::Find);
        connect(find, &QAction::triggered, this, [this] {
            showPage(m_customers);
            m_customers->focusSearch();
        });
    }
    if (PermissionMatrix::allows(m_session.role(), Capability::Catalogue, Access::Read)) {
        editMenu->addSeparator();
        QAction *settings = editMenu->addAction(tr("&Settings…"));
        settings->setObjectName(QStringLiteral("settingsAction"));
        settings->setIcon(themedIcon(QStringLiteral("settings")));
        settings->setShortcut(QKeySequence::Preferences);
        settings->setMenuRole(QAction::PreferencesRole);
        connect(settings, &QAction::triggered, this, &MainWindow::openSettings);
    }
    editMenu->menuAction()->setVisible(!editMenu->actions().isEmpty());

    QAction *refresh = viewMenu->addAction(tr("&Refresh"));
    refresh->setObjectName(QStringLiteral("refreshAction"));
    refresh->setIcon(themedIcon(QStringLiteral("refresh")));
    refresh->setShortcut(QKeySequence::Refresh);
    connect(refresh, &QAction::triggered, this, &MainWindow::refreshCurrent);
    if (m_customers)
        viewMenu->addMenu(m_customers->columnsMenu());
    if (m_outbox)
        viewMenu->addMenu(m_outbox->columnsMenu());
    QAction *toolBarToggle = m_toolBar->toggleViewAction();
    toolBarToggle->setText(tr("Show &Tool Bar"));
    toolBarToggle->setObjectName(QStringLiteral("toolBarAction"));
    viewMenu->addAction(toolBarToggle);
    viewMenu->addMenu(createAppearanceMenu(viewMenu));
    viewMenu->addSeparator();

    // Help comes last, after the page menus.
    QMenu *helpMenu = new QMenu(tr("&Help"), this);
    helpMenu->setObjectName(QStringLiteral("helpMenu"));
    QAction *about = helpMenu->addAction(tr("&About ResellerDesk"));
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setIcon(themedIcon(QStringLiteral("help")));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"));
    aboutQt->setObjectName(QStringLiteral("aboutQtAction"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    menuBar()->addMenu(helpMenu);
}

void MainWindow::changePassword()
{
    auto *dialog = new ChangePasswordDialog(this);
    dialog->requireCurrentPassword();
    // A refused change (e.g. a wrong current password) opens the dialog
    // again with the reason, until it succeeds or the user cancels.
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        Status set = m_services.authenticator.changeOwnPassword(
            m_session, dialog->currentPassword(), dialog->newPassword());
        if (!set) {
            dialog->setError(set.error().message());
            dialog->open();
            return;
        }
        dialog->deleteLater();
        statusBar()->showMessage(tr("Your password is changed."), 8000);
    });
    connect(dialog, &QDialog::rejected, dialog, &QObject::deleteLater);
    dialog->open();
}

void MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(m_session, m_services, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showAbout()
{
    auto *dialog = new AboutDialog(tr("Manage resellers and their customers."), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

} // namespace rd
