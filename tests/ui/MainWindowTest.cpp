#include <QAbstractItemModelTester>
#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "customers/CustomerTableModel.h"
#include "customers/CustomersPage.h"
#include "mainwindow/MainWindow.h"
#include "resellers/ResellerTableModel.h"
#include "resellers/ResellersPage.h"
#include "security/LocalAuthenticator.h"
#include "security/PasswordHasher.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/DemoData.h"
#include "services/ResellerService.h"
#include "signin/SignInDialog.h"

using namespace rd;
using namespace rd::test;

namespace {

// A demo installation on SQLite, with the services the window uses.
class MainWindowTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        Result<std::unique_ptr<TestDatabase>> created = TestDatabase::create(Backend::SQLite);
        ASSERT_TRUE(created.has_value()) << created.error().toString().toStdString();
        m_testDatabase = std::move(*created);
        Result<std::unique_ptr<Database>> db = m_testDatabase->open();
        ASSERT_TRUE(db.has_value());
        m_db = std::move(*db);
        Result<DemoSummary> demo = DemoData::seedIfEmpty(*m_db, m_clock, m_hasher);
        ASSERT_TRUE(demo.has_value() && demo->seeded)
            << (demo ? "" : demo.error().toString().toStdString());
        m_access = std::make_unique<AccessControl>(*m_db);
        m_authenticator = std::make_unique<LocalAuthenticator>(*m_db, m_clock, m_hasher);
        m_resellers = std::make_unique<ResellerService>(*m_db, m_clock, *m_access);
        m_customers = std::make_unique<CustomerService>(*m_db, m_clock, *m_access);
    }

    Session signIn(const char *email)
    {
        Result<SignInResult> signedIn
            = m_authenticator->signIn(QString::fromLatin1(email), DemoData::demoPassword());
        EXPECT_TRUE(signedIn.has_value())
            << (signedIn ? "" : signedIn.error().toString().toStdString());
        Result<Session> session
            = m_authenticator->openSession(*signedIn, signedIn->memberships.constFirst().id());
        EXPECT_TRUE(session.has_value());
        return *session;
    }

    std::unique_ptr<MainWindow> window(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        return std::make_unique<MainWindow>(MainWindowContext {
            *m_session, *m_resellers, *m_customers, m_clock, QStringLiteral("test.sqlite")});
    }

    qint64 serviceTotal(const Session &session)
    {
        return m_customers->listCustomers(session, CustomerQuery {})->total;
    }

    ManualClock m_clock {testNow()};
    PasswordHasher m_hasher {PasswordCost::minimum()};
    std::unique_ptr<TestDatabase> m_testDatabase;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<LocalAuthenticator> m_authenticator;
    std::unique_ptr<ResellerService> m_resellers;
    std::unique_ptr<CustomerService> m_customers;
    std::unique_ptr<Session> m_session;
};

} // namespace

TEST_F(MainWindowTest, AdministratorSeesResellersAndEveryCustomer)
{
    const Session admin = signIn("admin@demo.resellerdesk.test");
    auto w = window(admin);
    w->show();
    ASSERT_EQ(w->navigation()->count(), 2);
    EXPECT_EQ(w->navigation()->item(0)->text(), QStringLiteral("Resellers"));

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

TEST_F(MainWindowTest, ResellerAdminSeesOnlyItsScope)
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

TEST_F(MainWindowTest, ClientAdminSeesNoResellersAndOnlyItsAccount)
{
    const Session manager = signIn("manager@northwind.test");
    auto managerWindow = window(manager);
    EXPECT_NE(managerWindow->resellersPage(), nullptr);

    const Session client = signIn(DemoData::demoClientEmail().toLatin1().constData());
    auto w = window(client);
    w->show();
    EXPECT_EQ(w->resellersPage(), nullptr);
    EXPECT_EQ(w->navigation()->count(), 1);
    EXPECT_EQ(w->customersPage()->model()->rowCount(), 1);
}

TEST_F(MainWindowTest, SearchAndSortAskTheDatabase)
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
    const QString first = page->model()->customerAt(0)->companyName;
    const QString last = page->model()->customerAt(page->model()->rowCount() - 1)->companyName;
    EXPECT_GE(first.compare(last, Qt::CaseInsensitive), 0);
}

TEST_F(MainWindowTest, ModelsPassTheModelTester)
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

TEST_F(MainWindowTest, StandardShortcuts)
{
    const Session admin = signIn("admin@demo.resellerdesk.test");
    auto w = window(admin);
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("quitAction"))->shortcut(),
        QKeySequence(QKeySequence::Quit));
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("refreshAction"))->shortcut(),
        QKeySequence(QKeySequence::Refresh));
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("findAction"))->shortcut(),
        QKeySequence(QKeySequence::Find));
}

TEST_F(MainWindowTest, SignInDialogShowsTheErrorAndThenSignsIn)
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
