#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QWizard>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "customers/CustomerDetailPanel.h"
#include "customers/CustomerTableModel.h"
#include "customers/CustomersPage.h"
#include "mainwindow/MainWindow.h"
#include "outbox/MailStatusIndicator.h"
#include "outbox/OutboxPage.h"
#include "outbox/OutboxTableModel.h"
#include "resellers/ResellerTableModel.h"
#include "resellers/ResellersPage.h"
#include "security/LocalAuthenticator.h"
#include "security/PasswordHasher.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/DemoData.h"
#include "services/ResellerService.h"
#include "signin/ChangePasswordDialog.h"
#include "signin/SignInDialog.h"
#include "users/UsersPage.h"

using namespace rd;
using namespace rd::test;

namespace {

// The demo installation with the main window on top.
class MainWindowTest : public GuiBackendFixture
{
protected:
    Session signIn(const char *email) { return GuiFixture::signIn(QString::fromLatin1(email)); }

    std::unique_ptr<MainWindow> window(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        return std::make_unique<MainWindow>(
            MainWindowContext {*m_session, services(), QStringLiteral("test.sqlite")});
    }

    qint64 serviceTotal(const Session &session)
    {
        return m_customers->listCustomers(session, CustomerQuery {})->total;
    }

    std::unique_ptr<Session> m_session;
};

} // namespace

TEST_P(MainWindowTest, AdministratorSeesResellersAndEveryCustomer)
{
    const Session admin = signIn("admin@demo.resellerdesk.test");
    auto w = window(admin);
    w->show();
    ASSERT_EQ(w->navigation()->count(), 5);
    EXPECT_EQ(w->navigation()->item(0)->text(), QStringLiteral("Resellers"));
    EXPECT_EQ(w->navigation()->item(2)->text(), QStringLiteral("Users"));
    EXPECT_EQ(w->navigation()->item(3)->text(), QStringLiteral("Outbox"));
    EXPECT_EQ(w->navigation()->item(4)->text(), QStringLiteral("Audit Log"));

    CustomersPage *customers = w->customersPage();
    ASSERT_NE(customers, nullptr);
    EXPECT_EQ(customers->model()->rowCount(), static_cast<int>(serviceTotal(admin)));
    EXPECT_GE(customers->model()->rowCount(), 300);
    EXPECT_TRUE(w->findChild<QLabel *>(QStringLiteral("customerCount"))
                    ->text()
                    .contains(QStringLiteral("320")));

    w->navigation()->setCurrentRow(0);
    EXPECT_EQ(w->resellersPage()->model()->rowCount(), 6);
    EXPECT_TRUE(w->findChild<QLabel *>(QStringLiteral("signedInLabel"))
                    ->text()
                    .contains(QStringLiteral("Avery Admin")));
}

TEST_P(MainWindowTest, ResellerAdminSeesOnlyItsScope)
{
    const Session reseller = signIn("admin@northwind.test");
    auto w = window(reseller);
    w->show();
    const qint64 scoped = serviceTotal(reseller);
    EXPECT_GT(scoped, 0);
    EXPECT_LT(scoped, 320);
    EXPECT_EQ(w->customersPage()->model()->rowCount(), static_cast<int>(scoped));
    for (int row = 0; row < w->customersPage()->model()->rowCount(); ++row) {
        const CustomerListRow *c = w->customersPage()->model()->customerAt(row);
        ASSERT_NE(c, nullptr);
        EXPECT_TRUE(c->ownerResellerName.startsWith(QStringLiteral("Northwind"))
            || c->otherResellerNames.contains(QStringLiteral("Northwind")))
            << c->companyName.toStdString();
    }
    w->navigation()->setCurrentRow(0);
    EXPECT_EQ(w->resellersPage()->model()->rowCount(), 2) << "own portal and its sub-portal";
}

TEST_P(MainWindowTest, ClientAdminSeesNoResellersAndOnlyItsAccount)
{
    const Session manager = signIn("manager@northwind.test");
    auto managerWindow = window(manager);
    EXPECT_NE(managerWindow->resellersPage(), nullptr);

    const Session client = signIn(DemoData::demoClientEmail().toLatin1().constData());
    auto w = window(client);
    w->show();
    EXPECT_EQ(w->resellersPage(), nullptr);
    EXPECT_EQ(w->navigation()->count(), 2) << "its account and its users";
    EXPECT_EQ(w->customersPage()->model()->rowCount(), 1);
}

TEST_P(MainWindowTest, SearchAndSortAskTheDatabase)
{
    const Session admin = signIn("admin@demo.resellerdesk.test");
    auto w = window(admin);
    w->show();
    CustomersPage *page = w->customersPage();
    page->searchBox()->setText(QStringLiteral("Litware"));
    page->refresh(); // what the debounce timer calls
    ASSERT_EQ(page->model()->rowCount(), 1);
    EXPECT_EQ(page->model()->customerAt(0)->companyName, QStringLiteral("Litware Inc."));

    page->searchBox()->clear();
    page->view()->horizontalHeader()->setSortIndicator(
        CustomerTableModel::Company, Qt::DescendingOrder);
    ASSERT_GT(page->model()->rowCount(), 2);
    // The table reads its rows a page at a time: read the last one (Ctrl+End).
    const int lastRow = page->model()->rowCount() - 1;
    ASSERT_TRUE(page->model()->loadRows(lastRow, lastRow).has_value());
    const QString first = page->model()->customerAt(0)->companyName;
    const QString last = page->model()->customerAt(page->model()->rowCount() - 1)->companyName;
    EXPECT_GE(first.compare(last, Qt::CaseInsensitive), 0);
}

TEST_P(MainWindowTest, ModelsPassTheModelTester)
{
    const Session admin = signIn("admin@demo.resellerdesk.test");
    auto w = window(admin);
    QAbstractItemModelTester customers(
        w->customersPage()->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester resellers(
        w->resellersPage()->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    w->customersPage()->refresh();
    w->resellersPage()->refresh();
    EXPECT_GT(w->customersPage()->model()->rowCount(), 0);
}

TEST_P(MainWindowTest, StandardShortcuts)
{
    const Session admin = signIn("admin@demo.resellerdesk.test");
    auto w = window(admin);
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("quitAction"))->shortcut(),
        QKeySequence(QKeySequence::Quit));
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("refreshAction"))->shortcut(),
        QKeySequence(QKeySequence::Refresh));
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("findAction"))->shortcut(),
        QKeySequence(QKeySequence::Find));
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("settingsAction"))->shortcut(),
        QKeySequence(QKeySequence::Preferences));
    // New and Delete on every page, each working within its own page.
    for (const char *name : {"addCustomerAction", "addResellerAction", "addUserAction"}) {
        auto *action = w->findChild<QAction *>(QString::fromLatin1(name));
        EXPECT_EQ(action->shortcut(), QKeySequence(QKeySequence::New)) << name;
        EXPECT_EQ(action->shortcutContext(), Qt::WidgetWithChildrenShortcut) << name;
    }
    for (const char *name :
        {"archiveCustomerAction", "deactivateResellerAction", "deactivateUserAction"}) {
        EXPECT_EQ(w->findChild<QAction *>(QString::fromLatin1(name))->shortcut(),
            QKeySequence(QKeySequence::Delete))
            << name;
    }
}

TEST_P(MainWindowTest, SignInDialogShowsTheErrorAndThenSignsIn)
{
    SignInDialog dialog(*m_authenticator, QStringLiteral("test.sqlite"));
    auto *email = dialog.findChild<QLineEdit *>(QStringLiteral("email"));
    auto *password = dialog.findChild<QLineEdit *>(QStringLiteral("password"));
    auto *button = dialog.findChild<QPushButton *>(QStringLiteral("signInButton"));
    auto *reason = dialog.findChild<QLabel *>(QStringLiteral("reasonLabel"));
    ASSERT_TRUE(email && password && button && reason);
    EXPECT_FALSE(button->isEnabled());

    email->setText(QStringLiteral("admin@northwind.test"));
    password->setText(QStringLiteral("wrong password!"));
    ASSERT_TRUE(button->isEnabled());
    button->click();
    EXPECT_EQ(dialog.QDialog::result(), QDialog::Rejected);
    EXPECT_FALSE(reason->text().isEmpty());
    EXPECT_FALSE(dialog.isVisible());

    password->setText(DemoData::demoPassword());
    button->click();
    EXPECT_EQ(dialog.QDialog::result(), QDialog::Accepted);
    EXPECT_GT(dialog.membershipId(), 0);
    EXPECT_EQ(dialog.signedIn().email, QStringLiteral("admin@northwind.test"));
}

namespace {

bool hasAction(const QWidget &window, const char *name)
{
    return window.findChild<QAction *>(QString::fromLatin1(name)) != nullptr;
}

} // namespace

// §3 as the menus show it: each role sees the actions it may take and no
// other (core refuses the rest; the dialog tests check that side).
TEST_P(MainWindowTest, ActionsFollowTheRole)
{
    const char *customerEdits[] = {"addCustomerAction", "editCustomerAction",
        "deactivateCustomerAction", "archiveCustomerAction", "resendSetupAction"};
    const char *trials[] = {"convertTrialAction", "extendTrialAction", "raiseBudgetAction"};
    const char *transfers[]
        = {"moveCustomerAction", "cloneCustomersAction", "migrateCustomerAction"};

    auto w = window(admin());
    for (const char *name : customerEdits)
        EXPECT_TRUE(hasAction(*w, name)) << name;
    for (const char *name : trials)
        EXPECT_TRUE(hasAction(*w, name)) << name;
    for (const char *name : transfers)
        EXPECT_TRUE(hasAction(*w, name)) << name;
    EXPECT_TRUE(hasAction(*w, "settingsAction"));
    EXPECT_TRUE(hasAction(*w, "addResellerAction"));
    EXPECT_TRUE(hasAction(*w, "addUserAction"));

    auto reseller = window(resellerAdmin());
    for (const char *name : customerEdits)
        EXPECT_TRUE(hasAction(*reseller, name)) << name;
    for (const char *name : trials)
        EXPECT_TRUE(hasAction(*reseller, name)) << name;
    for (const char *name : transfers)
        EXPECT_FALSE(hasAction(*reseller, name)) << name;
    EXPECT_FALSE(hasAction(*reseller, "addResellerAction"));
    EXPECT_TRUE(hasAction(*reseller, "addUserAction"));

    for (const Session &readOnly : {resellerUser(), support()}) {
        auto view = window(readOnly);
        for (const char *name : customerEdits)
            EXPECT_FALSE(hasAction(*view, name)) << name;
        for (const char *name : trials)
            EXPECT_FALSE(hasAction(*view, name)) << name;
        for (const char *name : transfers)
            EXPECT_FALSE(hasAction(*view, name)) << name;
        EXPECT_FALSE(hasAction(*view, "addResellerAction"));
        EXPECT_FALSE(hasAction(*view, "addUserAction"));
        EXPECT_FALSE(hasAction(*view, "settingsAction"));
        EXPECT_TRUE(hasAction(*view, "openCustomerAction"));
        EXPECT_EQ(view->usersPage(), nullptr);
    }
}

TEST_P(MainWindowTest, CtrlNInTheCustomerTableOpensTheWizard)
{
    auto w = window(resellerAdmin());
    w->show();
    QApplication::setActiveWindow(w.get());
    w->customersPage()->view()->setFocus();
    QTest::keySequence(w->customersPage()->view(), QKeySequence::New);
    auto *wizard = w->findChild<QWizard *>(QStringLiteral("addCustomerWizard"));
    ASSERT_NE(wizard, nullptr);
    EXPECT_TRUE(wizard->isVisible());
    wizard->reject();
}

TEST_P(MainWindowTest, SignInDialogCanAskForAnotherDatabase)
{
    SignInDialog dialog(*m_authenticator, QStringLiteral("test.sqlite"));
    dialog.show();
    auto *change = dialog.findChild<QPushButton *>(QStringLiteral("changeDatabaseButton"));
    ASSERT_NE(change, nullptr);
    EXPECT_FALSE(change->isDefault());
    change->click();
    EXPECT_EQ(dialog.result(), SignInDialog::ChangeDatabase);
}

TEST_P(MainWindowTest, SwitchMembershipOnlyForUsersWithSeveral)
{
    auto single = window(admin());
    EXPECT_EQ(single->findChild<QAction *>(QStringLiteral("switchMembershipAction")), nullptr);

    m_session = std::make_unique<Session>(admin());
    MainWindow several(
        MainWindowContext {*m_session, services(), QStringLiteral("test.sqlite"), true});
    QAction *switchAction = several.findChild<QAction *>(QStringLiteral("switchMembershipAction"));
    ASSERT_NE(switchAction, nullptr);
    bool requested = false;
    QObject::connect(&several, &MainWindow::switchMembershipRequested, &several,
        [&requested] { requested = true; });
    switchAction->trigger();
    EXPECT_TRUE(requested);
}

TEST_P(MainWindowTest, ChangePasswordAsksAgainUntilTheCurrentOneIsRight)
{
    const Session user = resellerUser();
    auto w = window(user);
    w->show();
    w->findChild<QAction *>(QStringLiteral("changePasswordAction"))->trigger();
    auto *dialog = w->findChild<ChangePasswordDialog *>();
    ASSERT_TRUE(dialog && dialog->isVisible());
    const QString newPassword = QStringLiteral("A much better passphrase 42");
    dialog->findChild<QLineEdit *>(QStringLiteral("currentPassword"))
        ->setText(QStringLiteral("not my password"));
    dialog->findChild<QLineEdit *>(QStringLiteral("newPassword"))->setText(newPassword);
    dialog->findChild<QLineEdit *>(QStringLiteral("confirm"))->setText(newPassword);
    dialog->findChild<QPushButton *>(QStringLiteral("okButton"))->click();
    ASSERT_TRUE(dialog->isVisible()) << "refused: asked again";
    EXPECT_FALSE(dialog->findChild<QLabel *>(QStringLiteral("reasonLabel"))->text().isEmpty());

    dialog->findChild<QLineEdit *>(QStringLiteral("currentPassword"))
        ->setText(DemoData::demoPassword());
    dialog->findChild<QPushButton *>(QStringLiteral("okButton"))->click();
    EXPECT_TRUE(w->statusBar()->currentMessage().contains(QStringLiteral("changed")));
    EXPECT_TRUE(m_authenticator->signIn(QStringLiteral("user@northwind.test"), newPassword))
        << "signs in with the new password";
}

TEST_P(MainWindowTest, AltAndANumberGoToASection)
{
    auto w = window(admin());
    w->show();
    auto *first = w->findChild<QAction *>(QStringLiteral("goToSection1Action"));
    auto *third = w->findChild<QAction *>(QStringLiteral("goToSection3Action"));
    ASSERT_TRUE(first && third);
    EXPECT_EQ(first->shortcut(), QKeySequence(Qt::ALT | Qt::Key_1));
    first->trigger();
    EXPECT_EQ(w->navigation()->currentRow(), 0);
    EXPECT_TRUE(w->resellersPage()->isVisible());
    third->trigger();
    EXPECT_TRUE(w->usersPage()->isVisible());
    auto *fourth = w->findChild<QAction *>(QStringLiteral("goToSection4Action"));
    ASSERT_NE(fourth, nullptr);
    EXPECT_EQ(fourth->shortcut(), QKeySequence(Qt::ALT | Qt::Key_4));
    fourth->trigger();
    EXPECT_TRUE(w->outboxPage()->isVisible());
    EXPECT_NE(w->findChild<QAction *>(QStringLiteral("goToSection5Action")), nullptr);
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("goToSection6Action")), nullptr);
}

TEST_P(MainWindowTest, PageMenuAndToolBarFollowTheCurrentPage)
{
    auto w = window(admin());
    w->show();
    auto *customerMenu = w->findChild<QMenu *>(QStringLiteral("customersPageMenu"));
    auto *resellerMenu = w->findChild<QMenu *>(QStringLiteral("resellersPageMenu"));
    ASSERT_TRUE(customerMenu && resellerMenu);
    EXPECT_TRUE(customerMenu->menuAction()->isVisible());
    EXPECT_FALSE(resellerMenu->menuAction()->isVisible());
    EXPECT_TRUE(w->toolBar()->actions().contains(
        w->findChild<QAction *>(QStringLiteral("addCustomerAction"))));

    w->showPage(w->resellersPage());
    EXPECT_FALSE(customerMenu->menuAction()->isVisible());
    EXPECT_TRUE(resellerMenu->menuAction()->isVisible());
    EXPECT_FALSE(w->toolBar()->actions().contains(
        w->findChild<QAction *>(QStringLiteral("addCustomerAction"))));
}

TEST_P(MainWindowTest, SelectionEnablesTheActionsThatFit)
{
    auto w = window(admin());
    w->show();
    CustomersPage *page = w->customersPage();
    auto *edit = w->findChild<QAction *>(QStringLiteral("editCustomerAction"));
    auto *clone = w->findChild<QAction *>(QStringLiteral("cloneCustomersAction"));
    auto *convert = w->findChild<QAction *>(QStringLiteral("convertTrialAction"));
    EXPECT_FALSE(edit->isEnabled());
    EXPECT_FALSE(clone->isEnabled());

    page->view()->selectRow(0);
    EXPECT_TRUE(edit->isEnabled());
    EXPECT_TRUE(clone->isEnabled());
    EXPECT_EQ(
        convert->isEnabled(), page->model()->customerAt(0)->billingStatus == BillingStatus::Trial);

    // Several rows: bulk Clone yes, single-customer Edit no.
    page->view()->selectionModel()->select(
        page->model()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    EXPECT_EQ(page->selectedIds().size(), 2);
    EXPECT_FALSE(edit->isEnabled());
    EXPECT_TRUE(clone->isEnabled());
}

TEST_P(MainWindowTest, FiltersNarrowInTheDatabase)
{
    const Session session = admin();
    auto w = window(session);
    w->show();
    CustomersPage *page = w->customersPage();
    auto *status = page->findChild<QComboBox *>(QStringLiteral("statusFilter"));
    auto *reseller = page->findChild<QComboBox *>(QStringLiteral("resellerFilter"));
    auto *plan = page->findChild<QComboBox *>(QStringLiteral("planFilter"));
    ASSERT_TRUE(status && reseller && plan);

    status->setCurrentIndex(status->findData(int(CustomerStatusFilter::Inactive)));
    ASSERT_GT(page->model()->rowCount(), 0);
    for (int row = 0; row < page->model()->rowCount(); ++row)
        EXPECT_FALSE(page->model()->customerAt(row)->active);
    CustomerQuery inactive;
    inactive.status = CustomerStatusFilter::Inactive;
    EXPECT_EQ(page->model()->total(), m_customers->listCustomers(session, inactive)->total);

    status->setCurrentIndex(0);
    const int northwind = reseller->findText(QStringLiteral("Northwind Partners"));
    ASSERT_GE(northwind, 0);
    reseller->setCurrentIndex(northwind);
    ASSERT_GT(page->model()->rowCount(), 0);
    for (int row = 0; row < page->model()->rowCount(); ++row) {
        const CustomerListRow *c = page->model()->customerAt(row);
        EXPECT_TRUE(c->ownerResellerName == QStringLiteral("Northwind Partners")
            || c->otherResellerNames.contains(QStringLiteral("Northwind Partners")))
            << c->companyName.toStdString();
    }

    reseller->setCurrentIndex(reseller->findData(qint64(0)));
    for (int row = 0; row < page->model()->rowCount(); ++row)
        EXPECT_EQ(page->model()->customerAt(row)->ownerResellerId, 0);

    reseller->setCurrentIndex(0);
    plan->setCurrentIndex(1);
    const qint64 planId = plan->currentData().toLongLong();
    ASSERT_GT(page->model()->rowCount(), 0);
    for (int row = 0; row < page->model()->rowCount(); ++row)
        EXPECT_EQ(page->model()->customerAt(row)->planId, planId);
    EXPECT_TRUE(page->findChild<QLabel *>(QStringLiteral("customerCount"))->isVisible());
}

TEST_P(MainWindowTest, ColumnChoiceAndLayoutSurviveARestart)
{
    {
        auto w = window(admin());
        w->show();
        QMenu *columns = w->customersPage()->columnsMenu();
        auto *domain = columns->findChild<QAction *>(
            QStringLiteral("column%1Action").arg(CustomerTableModel::Domain));
        ASSERT_NE(domain, nullptr);
        domain->setChecked(false);
        EXPECT_TRUE(w->customersPage()->view()->isColumnHidden(CustomerTableModel::Domain));
        // The company always stays.
        EXPECT_FALSE(columns
                         ->findChild<QAction *>(
                             QStringLiteral("column%1Action").arg(CustomerTableModel::Company))
                         ->isEnabled());
        w->resize(1000, 700);
        w->close();
    }
    auto again = window(admin());
    EXPECT_TRUE(again->customersPage()->view()->isColumnHidden(CustomerTableModel::Domain));
    EXPECT_FALSE(again->customersPage()->view()->isColumnHidden(CustomerTableModel::Email));
    EXPECT_EQ(again->size(), QSize(1000, 700));
}

TEST_P(MainWindowTest, DoubleClickOpensTheDetailPanel)
{
    auto w = window(admin());
    w->show();
    CustomersPage *page = w->customersPage();
    page->searchBox()->setText(QStringLiteral("Alpine Foods GmbH"));
    page->refresh();
    int row = 0;
    while (row < page->model()->rowCount()
        && page->model()->customerAt(row)->companyName != QStringLiteral("Alpine Foods GmbH"))
        ++row;
    ASSERT_LT(row, page->model()->rowCount());
    const qint64 id = page->model()->customerAt(row)->id;
    page->view()->selectRow(row);
    Q_EMIT page->view()->activated(page->model()->index(row, 0));

    CustomerDetailPanel *detail = page->detailPanel();
    ASSERT_TRUE(detail->isVisible());
    EXPECT_EQ(detail->customerId(), id);
    EXPECT_EQ(detail->findChild<QLabel *>(QStringLiteral("detailTitle"))->text(),
        QStringLiteral("Alpine Foods GmbH"));
    EXPECT_GT(detail->findChild<QTableWidget *>(QStringLiteral("assignmentTable"))->rowCount(), 0);
    EXPECT_GT(
        detail->findChild<QTableWidget *>(QStringLiteral("customerUsersTable"))->rowCount(), 0);
    // Administrators read the audit trail.
    EXPECT_TRUE(detail->tabs()->isTabVisible(detail->tabs()->count() - 1));
    screenshot(w.get(), QStringLiteral("main-customers-detail-admin"));

    QTest::keyClick(detail, Qt::Key_Escape);
    EXPECT_FALSE(detail->isVisible());
}

TEST_P(MainWindowTest, ResellerUserSeesDetailsWithoutTheAuditTrail)
{
    auto w = window(resellerUser());
    w->show();
    CustomersPage *page = w->customersPage();
    ASSERT_GT(page->model()->rowCount(), 0);
    page->openDetails(page->model()->customerAt(0)->id);
    CustomerDetailPanel *detail = page->detailPanel();
    EXPECT_TRUE(detail->tabs()->isEnabled());
    EXPECT_FALSE(detail->tabs()->isTabVisible(detail->tabs()->count() - 1));
}

TEST_P(MainWindowTest, ScreenshotsOfEachRole)
{
    for (const auto &[session, name] : {std::pair {admin(), "main-customers-admin"},
             std::pair {resellerAdmin(), "main-customers-reseller-admin"},
             std::pair {support(), "main-customers-support"}}) {
        auto w = window(session);
        w->resize(1280, 800);
        screenshot(w.get(), QString::fromLatin1(name));
        if (w->resellersPage()) {
            w->showPage(w->resellersPage());
            screenshot(w.get(),
                QString::fromLatin1(name).replace(
                    QStringLiteral("customers"), QStringLiteral("resellers")));
        }
        if (w->usersPage()) {
            w->showPage(w->usersPage());
            screenshot(w.get(),
                QString::fromLatin1(name).replace(
                    QStringLiteral("customers"), QStringLiteral("users")));
        }
    }
}

// §3 "audit log, outbox": all, all, own portal, then nobody.
TEST_P(MainWindowTest, OutboxSectionAndMailIndicatorFollowTheRole)
{
    for (const Session &reader : {admin(), support(), resellerAdmin()}) {
        auto w = window(reader);
        ASSERT_NE(w->outboxPage(), nullptr) << roleKey(reader.role()).toStdString();
        ASSERT_NE(w->mailIndicator(), nullptr);
        const int last = w->navigation()->count() - 2; // the Audit Log comes after it
        EXPECT_EQ(w->navigation()->item(last)->text(), QStringLiteral("Outbox"));
        auto *go = w->findChild<QAction *>(QStringLiteral("goToSection%1Action").arg(last + 1));
        ASSERT_NE(go, nullptr);
        EXPECT_EQ(go->shortcut(), QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + last)));
        EXPECT_TRUE(w->findChild<QAction *>(QStringLiteral("resendMailAction")));
        EXPECT_EQ(w->mailIndicator()->text(), QStringLiteral("Mail: all sent"))
            << "the demo has no mail";
    }
    for (const Session &other : {resellerManager(), resellerUser()}) {
        auto w = window(other);
        EXPECT_EQ(w->outboxPage(), nullptr);
        EXPECT_EQ(w->mailIndicator(), nullptr);
    }
    auto client = window(GuiFixture::signIn(DemoData::demoClientEmail()));
    EXPECT_EQ(client->outboxPage(), nullptr);
}

TEST_P(MainWindowTest, OutboxModelPassesTheModelTester)
{
    auto w = window(admin());
    QAbstractItemModelTester outbox(
        w->outboxPage()->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    w->outboxPage()->refresh();
    w->outboxPage()->setFilter(OutboxPage::Filter::Problems);
    EXPECT_EQ(w->outboxPage()->model()->columnCount(), OutboxTableModel::ColumnCount);
}

RD_INSTANTIATE_FOR_BACKENDS(MainWindowTest);
