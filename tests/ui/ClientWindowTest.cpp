#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "client/ClientWindow.h"
#include "client/ImpersonationBanner.h"
#include "client/UsageImportDialog.h"
#include "mainwindow/MainWindow.h"
#include "services/ClientAccountService.h"
#include "storage/ChangeNotifier.h"
#include "storage/OrderRepository.h"
#include "storage/UsageRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

const auto AlpineAdmin = QStringLiteral("priya.costa@alpinefoods.test");
const auto AlpineUser = QStringLiteral("colleague@alpinefoods.test");

class ClientWindowTest : public GuiBackendFixture
{
protected:
    std::unique_ptr<ClientWindow> window(
        const Session &session, std::optional<ImpersonationInfo> impersonation = std::nullopt)
    {
        m_session = std::make_unique<Session>(session);
        return std::make_unique<ClientWindow>(ClientWindowContext {
            *m_session, services(), QStringLiteral("test.sqlite"), std::move(impersonation)});
    }

    ClientDashboard dashboard(qint64 customerId)
    {
        Result<ClientDashboard> d = m_clientAccount->dashboard(admin(), customerId);
        EXPECT_TRUE(d.has_value());
        return d ? *d : ClientDashboard {};
    }

    // Three orders for the account, the newest placed yesterday.
    void placeOrders(qint64 customerId)
    {
        const ClientDashboard d = dashboard(customerId);
        Result<CustomerRow> c = m_customers->customer(admin(), customerId);
        ASSERT_TRUE(c.has_value());
        OrderRepository orders(*m_db);
        for (int i = 0; i < 3; ++i) {
            OrderRow o;
            o.customerId = customerId;
            o.resellerId = c->ownerResellerId;
            o.planId = c->planId;
            o.priceListId = c->priceListId;
            o.quantity = i + 1;
            o.currency = QStringLiteral("EUR");
            o.unitPrice = 9900;
            o.total = 9900 * o.quantity;
            o.createdAt = testNow().addDays(-10 * (2 - i) - 1); // oldest first
            ASSERT_TRUE(orders.insert(o).has_value());
        }
    }

    std::unique_ptr<Session> m_session;
};

} // namespace

TEST_P(ClientWindowTest, TheClientAdminSeesHerAccountBudgetUsersAndOrders)
{
    const Session priya = signIn(AlpineAdmin);
    placeOrders(priya.customerId());
    ASSERT_TRUE(UsageRepository(*m_db).upsert(
        priya.customerId(), QStringLiteral("2026-03"), 312, testNow()));
    auto w = window(priya);
    w->show();
    EXPECT_EQ(w->objectName(), QStringLiteral("clientWindow"));
    EXPECT_EQ(text(*w, "companyLabel"), QStringLiteral("Alpine Foods GmbH"));
    EXPECT_EQ(text(*w, "statusLabel"), QStringLiteral("Trial"));
    EXPECT_FALSE(find<QLabel>(*w, "statusIcon")->pixmap().isNull());
    EXPECT_TRUE(text(*w, "trialLabel").startsWith(QStringLiteral("Trial — ")))
        << text(*w, "trialLabel").toStdString();
    EXPECT_TRUE(text(*w, "trialLabel").contains(QStringLiteral("days left")));
    EXPECT_TRUE(w->windowTitle().contains(QStringLiteral("Alpine Foods GmbH")));
    EXPECT_FALSE(find<QLabel>(*w, "inactiveNotice")->isVisible());
    EXPECT_EQ(w->banner(), nullptr);

    auto *bar = find<QProgressBar>(*w, "budgetBar");
    EXPECT_EQ(bar->maximum(), 500);
    EXPECT_EQ(bar->value(), 312);
    const QString month = QLocale().toString(QDate(2026, 3, 1), QStringLiteral("MMMM yyyy"));
    EXPECT_EQ(
        text(*w, "budgetLabel"), QStringLiteral("312 of 500 identifications used in ") + month);

    auto *users = find<QTableWidget>(*w, "usersTable");
    ASSERT_EQ(users->rowCount(), 2);
    QStringList names {users->item(0, 0)->text(), users->item(1, 0)->text()};
    names.sort();
    EXPECT_EQ(
        names, (QStringList {QStringLiteral("Casey Colleague"), QStringLiteral("Priya Costa")}));
    EXPECT_FALSE(users->accessibleName().isEmpty());

    auto *orders = find<QTableWidget>(*w, "ordersTable");
    ASSERT_EQ(orders->rowCount(), 3);
    EXPECT_TRUE(orders->isVisible());
    EXPECT_FALSE(find<QLabel>(*w, "noOrdersLabel")->isVisible());
    EXPECT_EQ(orders->item(0, 2)->text(), QLocale().toString(3)) << "newest first";
    EXPECT_TRUE(orders->item(0, 3)->text().contains(QStringLiteral("EUR")));

    EXPECT_TRUE(find<QPushButton>(*w, "saveSettingsButton")->isEnabled());
    EXPECT_TRUE(find<QLineEdit>(*w, "contactNameEdit")->isEnabled());
    EXPECT_NE(w->findChild<QAction *>(QStringLiteral("signOutAction")), nullptr);
    EXPECT_TRUE(find<QAction>(*w, "changePasswordAction")->isEnabled());
    EXPECT_EQ(find<QAction>(*w, "refreshAction")->shortcut(), QKeySequence(QKeySequence::Refresh));
    screenshot(w.get(), QStringLiteral("client-view"));
}

// Issue 7, live refresh: usage recorded by another desktop reaches the open
// client view through the change notifier (PostgreSQL NOTIFY, SQLite
// data_version), without View ▸ Refresh.
TEST_P(ClientWindowTest, ChangesMadeOnAnotherDesktopReachTheOpenView)
{
    const Session priya = signIn(AlpineAdmin);
    ChangeNotifier notifier(*m_db);
    Status started = notifier.start();
    ASSERT_TRUE(started.has_value()) << started.error().toString().toStdString();
    m_session = std::make_unique<Session>(priya);
    ClientWindow w(ClientWindowContext {
        *m_session, services(), QStringLiteral("test.sqlite"), std::nullopt, &notifier});
    w.show();
    auto *bar = find<QProgressBar>(w, "budgetBar");
    ASSERT_NE(bar->value(), 123) << "the fixture's usage this month differs from what is recorded";

    Result<std::unique_ptr<Database>> other = m_testDatabase->open();
    ASSERT_TRUE(other.has_value()) << other.error().toString().toStdString();
    ASSERT_TRUE(UsageRepository(**other).upsert(
        priya.customerId(), QStringLiteral("2026-03"), 123, testNow()));
    QElapsedTimer waited;
    waited.start();
    while (bar->value() != 123 && waited.elapsed() < 5000)
        QTest::qWait(20);
    EXPECT_EQ(bar->value(), 123) << "within a second or so, not " << waited.elapsed() << " ms";
}

TEST_P(ClientWindowTest, TheClientUserSeesTheSettingsReadOnly)
{
    auto w = window(signIn(AlpineUser));
    w->show();
    EXPECT_EQ(text(*w, "companyLabel"), QStringLiteral("Alpine Foods GmbH"));
    EXPECT_FALSE(find<QPushButton>(*w, "saveSettingsButton")->isEnabled());
    EXPECT_FALSE(find<QLineEdit>(*w, "contactNameEdit")->isEnabled());
    EXPECT_FALSE(find<QLineEdit>(*w, "contactPhoneEdit")->isEnabled());
    EXPECT_FALSE(find<QCheckBox>(*w, "noEmailCheck")->isEnabled());
    EXPECT_TRUE(shown(*w, "settingsReason"));
    EXPECT_TRUE(text(*w, "settingsReason").contains(QStringLiteral("Client Admin")));
    // Alpine Foods is on trial and has placed no orders.
    EXPECT_TRUE(find<QLabel>(*w, "noOrdersLabel")->isVisible());
    EXPECT_FALSE(find<QTableWidget>(*w, "ordersTable")->isVisible());
}

TEST_P(ClientWindowTest, SavingTheSettingsStoresThemAndBadInputIsExplained)
{
    const Session priya = signIn(AlpineAdmin);
    auto w = window(priya);
    w->show();
    const int before = dashboard(priya.customerId()).version;

    type(*w, "contactPhoneEdit", QStringLiteral("not a phone"));
    QTest::mouseClick(find<QPushButton>(*w, "saveSettingsButton"), Qt::LeftButton);
    EXPECT_TRUE(shown(*w, "settingsError"));
    EXPECT_EQ(dashboard(priya.customerId()).version, before) << "nothing saved";

    type(*w, "contactNameEdit", QStringLiteral("Priya C. Costa"));
    type(*w, "contactPhoneEdit", QStringLiteral("+41 44 668 18 00"));
    find<QCheckBox>(*w, "noEmailCheck")->setChecked(true);
    QTest::mouseClick(find<QPushButton>(*w, "saveSettingsButton"), Qt::LeftButton);
    EXPECT_FALSE(shown(*w, "settingsError"));
    const ClientDashboard after = dashboard(priya.customerId());
    EXPECT_EQ(after.version, before + 1);
    EXPECT_EQ(after.settings.contactName, QStringLiteral("Priya C. Costa"));
    EXPECT_EQ(after.settings.contactPhone, QStringLiteral("+41446681800"));
    EXPECT_TRUE(after.settings.noEmail);
    EXPECT_EQ(find<QLineEdit>(*w, "contactPhoneEdit")->text(), QStringLiteral("+41446681800"))
        << "the window shows what was stored";
}

TEST_P(ClientWindowTest, ADeactivatedAccountShowsTheNotice)
{
    const Session priya = signIn(AlpineAdmin);
    const ClientDashboard d = dashboard(priya.customerId());
    ASSERT_TRUE(m_customers->setActive(
        admin(), priya.customerId(), d.version, false, QStringLiteral("Unpaid invoice")));
    auto w = window(priya);
    w->show();
    EXPECT_TRUE(find<QLabel>(*w, "inactiveNotice")->isVisible());
    EXPECT_TRUE(text(*w, "inactiveNotice").contains(QStringLiteral("deactivated")));
    EXPECT_EQ(text(*w, "statusLabel"), QStringLiteral("Inactive"));
    EXPECT_FALSE(find<QPushButton>(*w, "saveSettingsButton")->isEnabled());
    EXPECT_TRUE(shown(*w, "settingsReason"));
}

TEST_P(ClientWindowTest, AFailedReadShowsTheErrorInsteadOfTheDashboard)
{
    const Session priya = signIn(AlpineAdmin);
    const ClientDashboard d = dashboard(priya.customerId());
    Result<int> off = m_customers->setActive(
        admin(), priya.customerId(), d.version, false, QStringLiteral("Closing"));
    ASSERT_TRUE(off.has_value());
    ASSERT_TRUE(m_customers->archive(admin(), priya.customerId(), *off, QStringLiteral("Closed")));
    auto w = window(priya);
    w->show();
    EXPECT_TRUE(find<QLabel>(*w, "readErrorLabel")->isVisible());
    EXPECT_TRUE(text(*w, "readErrorLabel").contains(QStringLiteral("no longer exists")))
        << text(*w, "readErrorLabel").toStdString();
    EXPECT_FALSE(find<QWidget>(*w, "clientDashboard")->isVisible());
    EXPECT_FALSE(w->dashboard().has_value());
}

TEST_P(ClientWindowTest, LoginAsShowsTheBannerAboveEverythingAndNoSignOut)
{
    const Session support = this->support();
    const Session alpine = signIn(AlpineAdmin);
    Result<LoginAsStarted> started = m_impersonation->start(
        support, alpine.customerId(), alpine.membershipId(), QStringLiteral("Ticket 5"));
    ASSERT_TRUE(started.has_value()) << started.error().toString().toStdString();
    const Session viewed = started->session;
    auto w = window(viewed,
        ImpersonationInfo {QStringLiteral("Alpine Foods GmbH"), QStringLiteral("Priya Costa"),
            QStringLiteral("Sam Support (Support)"), testNow().addSecs(3600)});
    w->show();
    ImpersonationBanner *banner = w->banner();
    ASSERT_NE(banner, nullptr);
    EXPECT_TRUE(banner->isVisible());
    EXPECT_TRUE(banner->text().contains(QStringLiteral("Sam Support (Support)")));
    EXPECT_TRUE(banner->text().endsWith(QStringLiteral("ends in 60:00")));
    // Above everything: the first thing in the window's content.
    const int bannerBottom = banner->mapTo(w.get(), QPoint(0, banner->height())).y();
    EXPECT_LE(bannerBottom, find<QLabel>(*w, "companyLabel")->mapTo(w.get(), QPoint(0, 0)).y());
    EXPECT_LE(banner->mapTo(w.get(), QPoint(0, 0)).y(), w->centralWidget()->y() + 4);
    EXPECT_TRUE(w->windowTitle().contains(QStringLiteral("(Login As)")));
    EXPECT_TRUE(w->windowTitle().contains(QStringLiteral("Priya Costa")));
    EXPECT_TRUE(find<QWidget>(*w, "clientFrame")->styleSheet().contains(QStringLiteral("border")));
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("signOutAction")), nullptr);
    EXPECT_FALSE(find<QAction>(*w, "changePasswordAction")->isEnabled());
    EXPECT_TRUE(find<QPushButton>(*w, "saveSettingsButton")->isEnabled())
        << "settings stay editable; the audit records the impersonator";
    screenshot(w.get(), QStringLiteral("client-view-login-as"));

    QSignalSpy endRequested(w.get(), &ClientWindow::endSessionRequested);
    QSignalSpy expired(w.get(), &ClientWindow::sessionExpired);
    QTest::mouseClick(find<QPushButton>(*w, "endSessionButton"), Qt::LeftButton);
    EXPECT_EQ(endRequested.count(), 1);
    m_clock.advanceMs(3600 * 1000);
    banner->tick();
    EXPECT_EQ(expired.count(), 1);

    QSignalSpy closed(w.get(), &ClientWindow::closed);
    find<QAction>(*w, "closeAction")->trigger();
    EXPECT_EQ(closed.count(), 1);
}

TEST_P(ClientWindowTest, AdministratorsImportUsageFromTheFileMenu)
{
    const Session administrator = admin();
    const Session priya = signIn(AlpineAdmin);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("usage.csv"));
    {
        QFile file(path);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("\xEF\xBB\xBF"
                   "domain,month,used,note\n"
                   "alpinefoods.test,2026-03,421,from metering\n"
                   "nobody.test,2026-03,5,\n"
                   "alpinefoods.test,2026-3,5,\n");
    }
    m_session = std::make_unique<Session>(administrator);
    MainWindow main(MainWindowContext {*m_session, services(), QStringLiteral("test.sqlite")});
    main.show();
    find<QAction>(main, "importUsageAction")->trigger();
    auto *dialog = main.findChild<UsageImportDialog *>();
    ASSERT_NE(dialog, nullptr);
    dialog->setFile(path);
    ASSERT_TRUE(dialog->report().has_value());
    EXPECT_TRUE(dialog->report()->dryRun);
    EXPECT_TRUE(text(*dialog, "reportSummary").contains(QStringLiteral("Rows read: 3")))
        << text(*dialog, "reportSummary").toStdString();
    auto *refused = find<QTableWidget>(*dialog, "refusedTable");
    ASSERT_EQ(refused->rowCount(), 2);
    EXPECT_EQ(refused->item(0, 0)->text(), QLocale().toString(3));
    EXPECT_EQ(refused->item(1, 0)->text(), QLocale().toString(4));
    EXPECT_NE(dashboard(priya.customerId()).usedThisMonth, 421) << "a dry run writes nothing";
    screenshot(dialog, QStringLiteral("usage-import"));

    auto *import = find<QPushButton>(*dialog, "importButton");
    EXPECT_TRUE(import->isEnabled());
    QTest::mouseClick(import, Qt::LeftButton);
    EXPECT_EQ(dashboard(priya.customerId()).usedThisMonth, 421);

    // Other roles have no such action.
    m_session = std::make_unique<Session>(resellerAdmin());
    MainWindow reseller(MainWindowContext {*m_session, services(), QStringLiteral("test.sqlite")});
    EXPECT_EQ(reseller.findChild<QAction *>(QStringLiteral("importUsageAction")), nullptr);
}

RD_INSTANTIATE_FOR_BACKENDS(ClientWindowTest);
