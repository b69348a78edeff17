#include "mainwindow/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

#include "customers/CustomersPage.h"
#include "domain/Permission.h"
#include "resellers/ResellersPage.h"
#include "services/Session.h"

namespace rd {

MainWindow::MainWindow(const MainWindowContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_session(context.session)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ResellerDesk"));
    resize(1200, 760);

    m_navigation = new QListWidget(this);
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setAccessibleName(tr("Sections"));
    m_pages = new QStackedWidget(this);

    // Only what the role may see appears (section 3); the services check again.
    const Role role = m_session.role();
    if (PermissionMatrix::allows(role, Capability::SeeResellers, Access::Read)) {
        m_resellers = new ResellersPage(m_session, context.resellers, m_pages);
        m_pages->addWidget(m_resellers);
        m_navigation->addItem(tr("Resellers"));
    }
    if (PermissionMatrix::allows(role, Capability::SeeCustomers, Access::Read)) {
        m_customers = new CustomersPage(m_session, context.customers, context.clock, m_pages);
        m_pages->addWidget(m_customers);
        m_navigation->addItem(tr("Customers"));
    }

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_navigation);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({180, 1020});
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);

    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        m_pages->setCurrentIndex(row);
        refreshCurrent();
    });

    auto *who = new QLabel(
        tr("Signed in as %1 (%2)").arg(m_session.userName(), roleDisplayName(role)), this);
    who->setObjectName(QStringLiteral("signedInLabel"));
    statusBar()->addWidget(who);
    auto *database = new QLabel(context.databaseName, this);
    database->setObjectName(QStringLiteral("databaseLabel"));
    statusBar()->addPermanentWidget(database);

    createActions();
    // Start where most work happens: the customers.
    m_navigation->setCurrentRow(m_customers ? m_navigation->count() - 1 : 0);
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent *event)
{
    QMainWindow::closeEvent(event);
    if (event->isAccepted())
        Q_EMIT closed();
}

void MainWindow::refreshCurrent()
{
    QWidget *current = m_pages->currentWidget();
    if (current && current == m_resellers)
        m_resellers->refresh();
    else if (current && current == m_customers)
        m_customers->refresh();
}

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *signOut = fileMenu->addAction(tr("Sign &out"));
    signOut->setObjectName(QStringLiteral("signOutAction"));
    connect(signOut, &QAction::triggered, this, &MainWindow::signOutRequested);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"));
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, qApp, &QApplication::closeAllWindows);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *refresh = viewMenu->addAction(tr("&Refresh"));
    refresh->setObjectName(QStringLiteral("refreshAction"));
    refresh->setShortcut(QKeySequence::Refresh);
    connect(refresh, &QAction::triggered, this, &MainWindow::refreshCurrent);
    if (m_customers) {
        QAction *find = viewMenu->addAction(tr("&Find Customers"));
        find->setObjectName(QStringLiteral("findAction"));
        find->setShortcut(QKeySequence::Find);
        connect(find, &QAction::triggered, this, [this] {
            m_navigation->setCurrentRow(m_pages->indexOf(m_customers));
            m_customers->focusSearch();
        });
    }

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About ResellerDesk"));
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About ResellerDesk"),
        tr("<h3>ResellerDesk %1</h3><p>Manage resellers and their customers.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

} // namespace rd
