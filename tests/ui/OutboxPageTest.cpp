#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSqlError>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QToolBar>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "mail/MessageComposer.h"
#include "mainwindow/MainWindow.h"
#include "outbox/MailStatusIndicator.h"
#include "outbox/OutboxPage.h"
#include "outbox/OutboxTableModel.h"
#include "storage/OutboxRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The demo installation with some mail in the outbox: setup emails of new
// customers of Northwind (the demo Reseller Admin's portal) and of Contoso,
// in several delivery states.
class OutboxPageTest : public GuiBackendFixture
{
protected:
    void SetUp() override
    {
        GuiBackendFixture::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        m_admin = std::make_unique<Session>(admin());
        Result<QList<ResellerSummary>> resellers = m_resellers->listResellers(*m_admin);
        ASSERT_TRUE(resellers.has_value());
        for (const ResellerSummary &r : std::as_const(*resellers)) {
            if (r.name == QStringLiteral("Northwind Partners"))
                m_northwind = r.id;
            if (r.name == QStringLiteral("Contoso Resellers"))
                m_contoso = r.id;
        }
        ASSERT_GT(m_northwind, 0);
        ASSERT_GT(m_contoso, 0);

        m_northwindFailed = addCustomerWithMail(QStringLiteral("Harbour Lights"), m_northwind);
        m_northwindPending = addCustomerWithMail(QStringLiteral("Quayside Bakery"), m_northwind);
        m_northwindSent = addCustomerWithMail(QStringLiteral("Tidewater Tools"), m_northwind);
        m_contosoFailed = addCustomerWithMail(QStringLiteral("Oakridge Dental"), m_contoso);
        m_contosoUnknown = addCustomerWithMail(QStringLiteral("Pinecrest Labs"), m_contoso);
        setState(m_northwindFailed, "failed",
            QStringLiteral("550 5.1.1 <contact@harbourlights.test>: mailbox unavailable"), 1);
        setState(m_northwindSent, "sent", {}, 1);
        setState(m_contosoFailed, "failed", QStringLiteral("554 rejected by policy"), 1);
        setState(m_contosoUnknown, "unknown",
            QStringLiteral("The connection was lost after the message was handed over"), 1);
    }

    qint64 addCustomerWithMail(const QString &company, qint64 resellerId)
    {
        Result<QList<PlanRow>> plans = m_customers->plansFor(*m_admin, resellerId);
        EXPECT_TRUE(plans && !plans->isEmpty());
        const QString slug = company.toLower().remove(QLatin1Char(' '));
        NewCustomer c;
        c.companyName = company;
        c.website = slug + QStringLiteral(".test");
        c.contactName = QStringLiteral("Robin Example");
        c.contactEmail = QStringLiteral("contact@") + slug + QStringLiteral(".test");
        c.resellerId = resellerId;
        c.planId = plans ? plans->constFirst().id : 0;
        c.sendSetupEmail = true;
        c.trial = false; // no trial reminder: one email per customer
        Result<CreatedCustomer> created = m_customers->addCustomer(*m_admin, c);
        EXPECT_TRUE(created.has_value()) << created.error().toString().toStdString();
        return created ? created->setupEmailId : 0;
    }

    // What the dispatcher leaves behind.
    void setState(qint64 id, const char *status, const QString &error, int attempts)
    {
        QSqlQuery q(m_db->connection());
        q.prepare(QStringLiteral(
            "UPDATE outbox SET status = ?, last_error = ?, attempts = ? WHERE id = ?"));
        q.addBindValue(QString::fromLatin1(status));
        q.addBindValue(error.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : error);
        q.addBindValue(attempts);
        q.addBindValue(id);
        ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();
        if (qstrcmp(status, "sent") != 0)
            return;
        q.prepare(QStringLiteral("UPDATE outbox SET secret = NULL, sent_at = ? WHERE id = ?"));
        q.addBindValue(m_clock.now().toMSecsSinceEpoch());
        q.addBindValue(id);
        ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();
    }

    std::unique_ptr<MainWindow> window(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        auto w = std::make_unique<MainWindow>(
            MainWindowContext {*m_session, services(), QStringLiteral("test.sqlite")});
        w->resize(1280, 800);
        return w;
    }

    // Opens the Outbox section as a user does (its Alt+number action).
    OutboxPage *openOutbox(MainWindow &w)
    {
        OutboxPage *page = w.outboxPage();
        if (!page)
            return nullptr;
        const int index = [&] {
            for (int i = 0; i < w.navigation()->count(); ++i) {
                if (w.navigation()->item(i)->text() == QStringLiteral("Outbox"))
                    return i;
            }
            return -1;
        }();
        EXPECT_GE(index, 0);
        auto *go = w.findChild<QAction *>(QStringLiteral("goToSection%1Action").arg(index + 1));
        EXPECT_NE(go, nullptr);
        if (go)
            go->trigger();
        EXPECT_TRUE(page->isVisible());
        return page;
    }

    QList<qint64> shownIds(const OutboxPage &page)
    {
        QList<qint64> ids;
        for (int row = 0; row < page.model()->rowCount(); ++row)
            ids.append(page.model()->entryAt(row)->id);
        return ids;
    }

    void selectId(OutboxPage &page, qint64 id)
    {
        const int row = page.model()->rowOfId(id);
        ASSERT_GE(row, 0) << "message " << id << " is not listed";
        page.view()->selectRow(row);
    }

    // Answers the next modal box (the cancel confirmation) with its button.
    static void answerNextBox(const char *button)
    {
        whenModal([button](QWidget *box) {
            EXPECT_EQ(box->objectName(), QStringLiteral("cancelMailConfirmation"));
            find<QPushButton>(*box, button)->click();
        });
    }

    OutboxStatus statusOf(qint64 id)
    {
        return OutboxRepository(*m_db).find(id).value_or(OutboxRow {}).status;
    }

    std::unique_ptr<Session> m_admin;
    std::unique_ptr<Session> m_session;
    qint64 m_northwind = 0;
    qint64 m_contoso = 0;
    qint64 m_northwindFailed = 0;
    qint64 m_northwindPending = 0;
    qint64 m_northwindSent = 0;
    qint64 m_contosoFailed = 0;
    qint64 m_contosoUnknown = 0;
};

} // namespace

TEST_P(OutboxPageTest, AdministratorSeesAllMailAndCanResendAndCancel)
{
    auto w = window(*m_admin);
    w->show();
    OutboxPage *page = openOutbox(*w);
    ASSERT_NE(page, nullptr);
    const QList<qint64> ids = shownIds(*page);
    for (const qint64 id :
        {m_northwindFailed, m_northwindPending, m_northwindSent, m_contosoFailed, m_contosoUnknown})
        EXPECT_TRUE(ids.contains(id)) << id;
    EXPECT_EQ(ids.size(), m_outbox->list(*m_admin, {})->size());
    EXPECT_EQ(page->findChild<QLabel *>(QStringLiteral("outboxReadOnlyHint")), nullptr);
    EXPECT_EQ(text(*page, "outboxCount"), QStringLiteral("5 emails"));

    // Status in words, with an icon, and the error in a tooltip too.
    const int failedRow = page->model()->rowOfId(m_northwindFailed);
    const QModelIndex status = page->model()->index(failedRow, OutboxTableModel::Status);
    EXPECT_EQ(status.data().toString(), QStringLiteral("Failed"));
    EXPECT_FALSE(status.data(Qt::DecorationRole).isNull());
    EXPECT_TRUE(status.data(Qt::ToolTipRole).toString().contains(QStringLiteral("550 5.1.1")));
    EXPECT_EQ(page->model()->index(failedRow, OutboxTableModel::Customer).data().toString(),
        QStringLiteral("Harbour Lights"));
    screenshot(w.get(), QStringLiteral("outbox-admin"));

    auto *resend = w->findChild<QAction *>(QStringLiteral("resendMailAction"));
    auto *cancel = w->findChild<QAction *>(QStringLiteral("cancelMailAction"));
    ASSERT_TRUE(resend && cancel);
    EXPECT_FALSE(resend->isEnabled()) << "nothing selected";
    EXPECT_TRUE(w->toolBar()->actions().contains(resend));

    // A sent and a failed message together: resend fits only one of them.
    selectId(*page, m_northwindSent);
    page->view()->selectionModel()->select(
        page->model()->index(page->model()->rowOfId(m_contosoFailed), 0),
        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    EXPECT_FALSE(resend->isEnabled());
    EXPECT_FALSE(cancel->isEnabled());

    // Two failed ones: resend both.
    selectId(*page, m_northwindFailed);
    page->view()->selectionModel()->select(
        page->model()->index(page->model()->rowOfId(m_contosoFailed), 0),
        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    ASSERT_TRUE(resend->isEnabled());
    ASSERT_TRUE(cancel->isEnabled());
    resend->trigger();
    EXPECT_EQ(statusOf(m_northwindFailed), OutboxStatus::Pending);
    EXPECT_EQ(statusOf(m_contosoFailed), OutboxStatus::Pending);
    EXPECT_EQ(text(*page, "outboxMessage"), QStringLiteral("2 emails are queued again."));
    EXPECT_EQ(page->model()
                  ->index(page->model()->rowOfId(m_northwindFailed), OutboxTableModel::Status)
                  .data()
                  .toString(),
        QStringLiteral("Pending"));

    // Cancel asks first; Keep changes nothing, the confirm button cancels.
    selectId(*page, m_northwindPending);
    ASSERT_TRUE(cancel->isEnabled());
    EXPECT_FALSE(resend->isEnabled()) << "a pending email needs no resend";
    answerNextBox("keepButton");
    cancel->trigger();
    EXPECT_EQ(statusOf(m_northwindPending), OutboxStatus::Pending);
    answerNextBox("confirmButton");
    cancel->trigger();
    EXPECT_EQ(statusOf(m_northwindPending), OutboxStatus::Cancelled);
    EXPECT_TRUE(OutboxRepository(*m_db).find(m_northwindPending)->secret.isEmpty())
        << "the one-time code is erased";

    // And a cancelled setup email cannot come back: its code is gone.
    selectId(*page, m_northwindPending);
    EXPECT_FALSE(resend->isEnabled());
    EXPECT_FALSE(cancel->isEnabled());
    screenshot(w.get(), QStringLiteral("outbox-admin-after-actions"));
}

TEST_P(OutboxPageTest, SupportSeesTheOutboxButCannotAct)
{
    const Session supportSession = support();
    auto w = window(supportSession);
    w->show();
    OutboxPage *page = openOutbox(*w);
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(page->model()->rowCount(), 5);
    auto *resend = w->findChild<QAction *>(QStringLiteral("resendMailAction"));
    auto *cancel = w->findChild<QAction *>(QStringLiteral("cancelMailAction"));
    ASSERT_TRUE(resend && cancel);
    selectId(*page, m_northwindFailed);
    EXPECT_FALSE(resend->isEnabled());
    EXPECT_FALSE(cancel->isEnabled());
    EXPECT_TRUE(find<QLabel>(*page, "outboxReadOnlyHint")->isVisible()) << "says why";
    screenshot(w.get(), QStringLiteral("outbox-support"));

    // Core refuses too.
    Status resent = m_outbox->resend(supportSession, m_northwindFailed);
    ASSERT_FALSE(resent.has_value());
    EXPECT_EQ(resent.error().code(), ErrorCode::PermissionDenied);
    Status cancelled = m_outbox->cancel(supportSession, m_northwindPending);
    ASSERT_FALSE(cancelled.has_value());
    EXPECT_EQ(cancelled.error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(statusOf(m_northwindFailed), OutboxStatus::Failed);
    EXPECT_EQ(statusOf(m_northwindPending), OutboxStatus::Pending);
}

TEST_P(OutboxPageTest, ResellerAdminSeesOnlyItsOwnPortalsMail)
{
    const Session reseller = resellerAdmin();
    auto w = window(reseller);
    w->show();
    OutboxPage *page = openOutbox(*w);
    ASSERT_NE(page, nullptr);
    const QList<qint64> ids = shownIds(*page);
    EXPECT_TRUE(ids.contains(m_northwindFailed));
    EXPECT_TRUE(ids.contains(m_northwindPending));
    EXPECT_TRUE(ids.contains(m_northwindSent));
    EXPECT_FALSE(ids.contains(m_contosoFailed));
    EXPECT_FALSE(ids.contains(m_contosoUnknown));
    EXPECT_EQ(ids.size(), 3);

    // Its indicator counts only its own problems.
    ASSERT_NE(w->mailIndicator(), nullptr);
    EXPECT_EQ(w->mailIndicator()->text(), QStringLiteral("Mail: 1 failing"));

    // It may act on its own customers' mail; Contoso's does not exist for it.
    auto *resend = w->findChild<QAction *>(QStringLiteral("resendMailAction"));
    selectId(*page, m_northwindFailed);
    ASSERT_TRUE(resend->isEnabled());
    resend->trigger();
    EXPECT_EQ(statusOf(m_northwindFailed), OutboxStatus::Pending);
    Status foreign = m_outbox->resend(reseller, m_contosoFailed);
    ASSERT_FALSE(foreign.has_value());
    EXPECT_EQ(foreign.error().code(), ErrorCode::NotFound);
    EXPECT_EQ(statusOf(m_contosoFailed), OutboxStatus::Failed);
    screenshot(w.get(), QStringLiteral("outbox-reseller-admin"));
}

TEST_P(OutboxPageTest, ResellerManagerHasNoOutbox)
{
    const Session manager = resellerManager();
    auto w = window(manager);
    EXPECT_EQ(w->outboxPage(), nullptr);
    EXPECT_EQ(w->mailIndicator(), nullptr);
    for (int i = 0; i < w->navigation()->count(); ++i)
        EXPECT_NE(w->navigation()->item(i)->text(), QStringLiteral("Outbox"));
    EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("resendMailAction")), nullptr);
    Result<QList<OutboxEntry>> list = m_outbox->list(manager, {});
    ASSERT_FALSE(list.has_value());
    EXPECT_EQ(list.error().code(), ErrorCode::PermissionDenied);
}

TEST_P(OutboxPageTest, TheWholeOutboxIsCountedAndReadAPageAtATimeWithinTheBound)
{
    // Many reminders for one Northwind customer, written as the services do.
    const OutboxRow model = *OutboxRepository(*m_db).find(m_northwindPending);
    for (int i = 0; i < 120; ++i) {
        OutboxRow r = model;
        r.kind = OutboxKind::TrialReminder;
        r.subject = QStringLiteral("Reminder %1").arg(i);
        r.body = QStringLiteral("Your trial ends soon.");
        r.secret.clear();
        ASSERT_TRUE(OutboxRepository(*m_db).insert(r).has_value());
    }
    auto w = window(*m_admin);
    w->show();
    OutboxPage *page = w->outboxPage();
    ASSERT_NE(page, nullptr);
    QAbstractItemModelTester tester(
        page->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    page->model()->setPaging(20, 3);
    openOutbox(*w);
    EXPECT_EQ(page->model()->rowCount(), 125) << "the exact total at once";
    EXPECT_EQ(text(*page, "outboxCount"), QStringLiteral("125 emails"));
    EXPECT_LE(page->model()->cachedPageCount(), 3);

    // The view lays its rows out (and sets its scroll range) lazily.
    QCoreApplication::processEvents();
    page->view()->scrollToBottom();
    QCoreApplication::processEvents();
    EXPECT_NE(page->model()->entryAt(124), nullptr);
    EXPECT_LE(page->model()->cachedPageCount(), 3);

    // Newest first, each message once.
    const QList<qint64> ids = shownIds(*page);
    ASSERT_EQ(ids.size(), 125);
    for (int i = 1; i < ids.size(); ++i)
        EXPECT_LT(ids.at(i), ids.at(i - 1));
    EXPECT_LE(page->model()->cachedPageCount(), 3) << "after reading every row";

    // Filters start again from the newest page.
    type(*page, "outboxSearch", QStringLiteral("reminder 11"));
    page->refresh(); // what the debounce timer calls
    EXPECT_EQ(page->model()->rowCount(), 11) << "Reminder 11 and 110..119";
}

TEST_P(OutboxPageTest, FilterBarNarrowsByStatusAndSearch)
{
    auto w = window(*m_admin);
    w->show();
    OutboxPage *page = openOutbox(*w);
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(items(*page, "outboxStatusFilter"),
        (QStringList {QStringLiteral("All"), QStringLiteral("Pending"), QStringLiteral("Failed"),
            QStringLiteral("Outcome unknown"), QStringLiteral("Sent"), QStringLiteral("Cancelled"),
            QStringLiteral("Problems (failed or unknown)")}));

    choose(*page, "outboxStatusFilter", QStringLiteral("Failed"));
    const QList<qint64> failed = shownIds(*page);
    EXPECT_EQ(QSet<qint64>(failed.begin(), failed.end()),
        (QSet<qint64> {m_northwindFailed, m_contosoFailed}));
    choose(*page, "outboxStatusFilter", QStringLiteral("Problems"));
    EXPECT_EQ(shownIds(*page).size(), 3);
    choose(*page, "outboxStatusFilter", QStringLiteral("Sent"));
    EXPECT_EQ(shownIds(*page), (QList<qint64> {m_northwindSent}));

    choose(*page, "outboxStatusFilter", QStringLiteral("All"));
    type(*page, "outboxSearch", QStringLiteral("HARBOURLIGHTS"));
    page->refresh();
    EXPECT_EQ(shownIds(*page), (QList<qint64> {m_northwindFailed}));
    type(*page, "outboxSearch", QStringLiteral("nobody at all"));
    page->refresh();
    EXPECT_EQ(page->model()->rowCount(), 0);
    EXPECT_EQ(text(*page, "outboxCount"), QStringLiteral("No email matches"));
    screenshot(w.get(), QStringLiteral("outbox-no-match"));
}

TEST_P(OutboxPageTest, IndicatorShowsFailingMailAndOpensTheProblems)
{
    auto w = window(*m_admin);
    w->show();
    MailStatusIndicator *indicator = w->mailIndicator();
    ASSERT_NE(indicator, nullptr);
    EXPECT_EQ(indicator->text(), QStringLiteral("Mail: 3 failing"));
    EXPECT_TRUE(indicator->isHighlighted());
    EXPECT_TRUE(w->statusBar()->isAncestorOf(indicator));
    EXPECT_TRUE(indicator->toolTip().contains(QStringLiteral("another desktop or the dispatcher")))
        << "this desktop has no mail worker";
    EXPECT_TRUE(indicator->toolTip().contains(QStringLiteral("1 email waiting")));
    EXPECT_GT(indicator->timer()->interval(), 0);
    EXPECT_TRUE(indicator->timer()->isActive());
    screenshot(w.get(), QStringLiteral("outbox-indicator-failing"));

    QTest::mouseClick(indicator, Qt::LeftButton);
    OutboxPage *page = w->outboxPage();
    ASSERT_TRUE(page->isVisible());
    EXPECT_EQ(page->filter(), OutboxPage::Filter::Problems);
    ASSERT_EQ(page->model()->rowCount(), 3);
    for (int row = 0; row < page->model()->rowCount(); ++row) {
        const OutboxStatus s = page->model()->entryAt(row)->status;
        EXPECT_TRUE(s == OutboxStatus::Failed || s == OutboxStatus::Unknown);
    }
    screenshot(w.get(), QStringLiteral("outbox-problems"));

    // Once they are dealt with the indicator calms down (the page tells it).
    page->view()->selectAll();
    answerNextBox("confirmButton");
    w->findChild<QAction *>(QStringLiteral("cancelMailAction"))->trigger();
    EXPECT_EQ(page->model()->rowCount(), 0);
    EXPECT_FALSE(indicator->isHighlighted());
    EXPECT_EQ(indicator->text(), QStringLiteral("Mail: 1 pending"));

    // A pending-only indicator opens the pending mail.
    QTest::mouseClick(indicator, Qt::LeftButton);
    EXPECT_EQ(page->filter(), OutboxPage::Filter::Pending);
    EXPECT_EQ(shownIds(*page), (QList<qint64> {m_northwindPending}));
}

RD_INSTANTIATE_FOR_BACKENDS(OutboxPageTest);
