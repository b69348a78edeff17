#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "client/ClientWindow.h"
#include "client/ImpersonationBanner.h"
#include "client/LoginAsController.h"
#include "client/LoginAsDialog.h"
#include "customers/CustomerDetailPanel.h"
#include "customers/CustomersPage.h"
#include "mainwindow/MainWindow.h"
#include "services/CustomerService.h"
#include "services/ImpersonationService.h"

using namespace rd;
using namespace rd::test;

namespace {

// Login As from the main window, as support staff and reseller admins use
// it: the action, the reason dialog, the client view with its banner, and
// every way the session ends.
class LoginAsTest : public GuiBackendFixture
{
protected:
    std::unique_ptr<MainWindow> window(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        auto w = std::make_unique<MainWindow>(
            MainWindowContext {*m_session, services(), QStringLiteral("test.sqlite")});
        w->show();
        return w;
    }

    qint64 alpineFoods(const Session &session)
    {
        CustomerQuery query;
        query.search = QStringLiteral("Alpine Foods");
        Result<CustomerPage> page = m_customers->listCustomers(session, query);
        EXPECT_TRUE(page.has_value() && !page->rows.isEmpty());
        return page && !page->rows.isEmpty() ? page->rows.constFirst().id : 0;
    }

    // Selects Alpine Foods in the table and triggers Login As.
    LoginAsDialog *openDialog(MainWindow &w)
    {
        CustomersPage *page = w.customersPage();
        page->selectCustomer(alpineFoods(*m_session));
        QAction *action = find<QAction>(*page, "loginAsAction");
        EXPECT_TRUE(action->isEnabled());
        action->trigger();
        return find<LoginAsDialog>(w, "loginAsDialog");
    }

    // The whole flow up to the open client view.
    ClientWindow *startSession(MainWindow &w, const QString &reason = QStringLiteral("Ticket 4711"))
    {
        LoginAsDialog *dialog = openDialog(w);
        QTest::keyClicks(find<QPlainTextEdit>(*dialog, "reasonEdit"), reason);
        QTest::mouseClick(find<QPushButton>(*dialog, "startButton"), Qt::LeftButton);
        return w.loginAsController()->clientWindow();
    }

    QString sessionColumn(const char *column)
    {
        QSqlQuery q(m_db->connection());
        q.exec(QStringLiteral("SELECT %1 FROM impersonation_sessions ORDER BY id DESC")
                   .arg(QString::fromLatin1(column)));
        return q.next() ? q.value(0).toString() : QString();
    }

    qint64 count(const QString &sql)
    {
        QSqlQuery q(m_db->connection());
        q.exec(sql);
        return q.next() ? q.value(0).toLongLong() : -1;
    }

    std::unique_ptr<Session> m_session;
};

} // namespace

TEST_P(LoginAsTest, OfferedOnlyToRolesThatMay)
{
    for (const char *email : {"admin@demo.resellerdesk.test", "support@demo.resellerdesk.test",
             "admin@northwind.test"}) {
        auto w = window(signIn(QString::fromLatin1(email)));
        EXPECT_NE(
            w->customersPage()->findChild<QAction *>(QStringLiteral("loginAsAction")), nullptr)
            << email;
        EXPECT_NE(w->loginAsController(), nullptr) << email;
    }
    for (const char *email : {"manager@northwind.test", "user@northwind.test"}) {
        auto w = window(signIn(QString::fromLatin1(email)));
        EXPECT_EQ(
            w->customersPage()->findChild<QAction *>(QStringLiteral("loginAsAction")), nullptr)
            << email;
        EXPECT_EQ(w->findChild<QToolButton *>(QStringLiteral("detailLoginAsButton")), nullptr);
        EXPECT_EQ(w->loginAsController(), nullptr) << email;
    }
}

TEST_P(LoginAsTest, ReasonIsRequiredBeforeStarting)
{
    auto w = window(support());
    LoginAsDialog *dialog = openDialog(*w);
    screenshot(dialog, QStringLiteral("login-as-dialog"));
    auto *start = find<QPushButton>(*dialog, "startButton");
    EXPECT_FALSE(start->isEnabled());
    EXPECT_TRUE(
        find<QComboBox>(*dialog, "targetCombo")->currentText().contains(QStringLiteral("Priya")));
    EXPECT_TRUE(find<QComboBox>(*dialog, "targetCombo")
                    ->currentText()
                    .contains(QStringLiteral("(primary)")));
    QTest::keyClicks(find<QPlainTextEdit>(*dialog, "reasonEdit"), QStringLiteral("   "));
    EXPECT_FALSE(start->isEnabled()) << "blanks are no reason";
    QTest::keyClicks(find<QPlainTextEdit>(*dialog, "reasonEdit"), QStringLiteral("Ticket 1"));
    EXPECT_TRUE(start->isEnabled());
    QTest::mouseClick(find<QPushButton>(*dialog, "cancelButton"), Qt::LeftButton);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM impersonation_sessions")), 0);
    EXPECT_EQ(w->loginAsController()->clientWindow(), nullptr);
}

TEST_P(LoginAsTest, OpensTheClientViewWithABannerThatCannotBeDismissed)
{
    auto w = window(support());
    ClientWindow *client = startSession(*w);
    ASSERT_NE(client, nullptr) << "the client view opens";
    EXPECT_TRUE(client->isVisible());
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events WHERE action = "
                                   "'impersonation.start'")),
        1)
        << "the start was audited before the view opened";

    auto *banner = find<ImpersonationBanner>(*client, "impersonationBanner");
    EXPECT_TRUE(banner->isVisible());
    const QString text = banner->text();
    EXPECT_TRUE(text.contains(QStringLiteral("Alpine Foods"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("Priya"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("Support"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("60:00"))) << text.toStdString();
    // The only button on the banner ends the session; nothing closes or hides it.
    const QList<QAbstractButton *> buttons = banner->findChildren<QAbstractButton *>();
    ASSERT_EQ(buttons.size(), 1);
    EXPECT_EQ(buttons.constFirst()->objectName(), QStringLiteral("endSessionButton"));
    QTest::keyClick(client, Qt::Key_Escape);
    EXPECT_TRUE(banner->isVisible());
    EXPECT_TRUE(client->isVisible());

    // The countdown follows the clock.
    m_clock.advanceMs(65 * 1000);
    banner->tick();
    EXPECT_TRUE(banner->text().contains(QStringLiteral("58:55"))) << banner->text().toStdString();
    screenshot(client, QStringLiteral("client-view-login-as"));
}

TEST_P(LoginAsTest, EndSessionClosesTheViewAndWritesTheEnd)
{
    auto w = window(support());
    ClientWindow *client = startSession(*w);
    ASSERT_NE(client, nullptr);
    QPointer<ClientWindow> watched(client);
    m_clock.advanceMs(120 * 1000);
    QTest::mouseClick(find<QPushButton>(*find<ImpersonationBanner>(*client, "impersonationBanner"),
                          "endSessionButton"),
        Qt::LeftButton);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    EXPECT_TRUE(watched.isNull() || !watched->isVisible()) << "the view is gone";
    EXPECT_FALSE(w->loginAsController()->isActive());
    EXPECT_EQ(sessionColumn("end_reason"), QStringLiteral("closed"));
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events WHERE action = "
                                   "'impersonation.end'")),
        1);
    EXPECT_TRUE(w->statusBar()->currentMessage().contains(QStringLiteral("ended")));
}

TEST_P(LoginAsTest, ClosingTheViewEndsTheSession)
{
    auto w = window(resellerAdmin());
    ClientWindow *client = startSession(*w);
    ASSERT_NE(client, nullptr);
    client->close();
    EXPECT_EQ(sessionColumn("end_reason"), QStringLiteral("closed"));
}

TEST_P(LoginAsTest, SigningOutEndsTheSession)
{
    auto w = window(support());
    ASSERT_NE(startSession(*w), nullptr);
    find<QAction>(*w, "signOutAction")->trigger();
    EXPECT_EQ(sessionColumn("end_reason"), QStringLiteral("signed_out"));
}

TEST_P(LoginAsTest, ClosingTheMainWindowEndsTheSessionAsAppExit)
{
    auto w = window(support());
    ASSERT_NE(startSession(*w), nullptr);
    w->close();
    EXPECT_EQ(sessionColumn("end_reason"), QStringLiteral("app_exit"));
}

TEST_P(LoginAsTest, TheTimeLimitEndsTheSession)
{
    auto w = window(support());
    ClientWindow *client = startSession(*w);
    ASSERT_NE(client, nullptr);
    QPointer<ClientWindow> watched(client);
    m_clock.advanceMs(60 * 60 * 1000);
    find<ImpersonationBanner>(*client, "impersonationBanner")->tick();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    EXPECT_TRUE(watched.isNull() || !watched->isVisible());
    EXPECT_EQ(sessionColumn("end_reason"), QStringLiteral("expired"));
    auto *notice = w->findChild<QMessageBox *>(QStringLiteral("loginAsExpiredMessage"));
    ASSERT_NE(notice, nullptr) << "the user is told why the view closed";
    notice->close();
}

TEST_P(LoginAsTest, NoWindowOpensWhenTheAuditCannotBeWritten)
{
    auto w = window(support());
    LoginAsDialog *dialog = openDialog(*w);
    QTest::keyClicks(find<QPlainTextEdit>(*dialog, "reasonEdit"), QStringLiteral("Ticket 9"));
    // The audit table made read-only for this test.
    if (GetParam() == Backend::SQLite) {
        ASSERT_TRUE(m_testDatabase
                        ->execRaw(QStringLiteral(
                            "CREATE TRIGGER test_audit_read_only BEFORE INSERT ON audit_events "
                            "BEGIN SELECT RAISE(ABORT, 'audit_events is read-only in this test'); "
                            "END"))
                        .has_value());
    } else {
        ASSERT_TRUE(m_testDatabase
                        ->execRaw(QStringLiteral(
                            "CREATE FUNCTION test_audit_read_only() RETURNS trigger LANGUAGE "
                            "plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is read-only in "
                            "this test'; END $$"))
                        .has_value());
        ASSERT_TRUE(m_testDatabase
                        ->execRaw(QStringLiteral(
                            "CREATE TRIGGER test_audit_read_only BEFORE INSERT ON audit_events "
                            "FOR EACH ROW EXECUTE FUNCTION test_audit_read_only()"))
                        .has_value());
    }
    QString shownError;
    whenModal([&](QWidget *modal) {
        if (auto *box = qobject_cast<QMessageBox *>(modal))
            shownError = box->text();
        modal->close();
    });
    QTest::mouseClick(find<QPushButton>(*dialog, "startButton"), Qt::LeftButton);
    EXPECT_FALSE(shownError.isEmpty()) << "the refusal is shown";
    EXPECT_EQ(w->loginAsController()->clientWindow(), nullptr) << "no client view opens";
    EXPECT_FALSE(w->loginAsController()->isActive());
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM impersonation_sessions")), 0);
    EXPECT_TRUE(dialog->isVisible()) << "the dialog stays, so the user can cancel";
}

TEST_P(LoginAsTest, DetailPanelOffersLoginAs)
{
    auto w = window(admin());
    CustomersPage *page = w->customersPage();
    page->openDetails(alpineFoods(*m_session));
    auto *button = find<QToolButton>(*page->detailPanel(), "detailLoginAsButton");
    ASSERT_TRUE(button->isVisible());
    QSignalSpy asked(page->detailPanel(), &CustomerDetailPanel::loginAsRequested);
    button->click();
    ASSERT_EQ(asked.count(), 1);
    EXPECT_EQ(asked.constFirst().at(1).toString(), QStringLiteral("Alpine Foods GmbH"));
    EXPECT_NE(w->findChild<LoginAsDialog *>(QStringLiteral("loginAsDialog")), nullptr);
}

RD_INSTANTIATE_FOR_BACKENDS(LoginAsTest);
