#include <QApplication>
#include <QDialog>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "customers/CustomerTableModel.h"
#include "customers/CustomersPage.h"
#include "mainwindow/MainWindow.h"
#include "resellers/ResellerTableModel.h"
#include "resellers/ResellersPage.h"
#include "services/AccessControl.h"
#include "services/CustomerService.h"
#include "services/ResellerService.h"
#include "storage/ChangeNotifier.h"

using namespace rd;
using namespace rd::test;

namespace {

// A desktop with the main window on the Customers page, and "another
// desktop": a second Database on the same database with its own services.
class LiveRefreshTest : public GuiBackendFixture
{
protected:
    void SetUp() override
    {
        GuiBackendFixture::SetUp();
        if (HasFatalFailure() || IsSkipped())
            return;
        m_session = std::make_unique<Session>(admin());

        Result<std::unique_ptr<Database>> other = m_testDatabase->open();
        ASSERT_TRUE(other.has_value()) << other.error().toString().toStdString();
        m_otherDb = std::move(*other);
        m_otherAccess = std::make_unique<AccessControl>(*m_otherDb, m_clock);
        m_otherCustomers = std::make_unique<CustomerService>(*m_otherDb, m_clock, *m_otherAccess);

        Result<QList<ResellerSummary>> resellers = m_resellers->listResellers(*m_session);
        ASSERT_TRUE(resellers && !resellers->isEmpty());
        m_resellerId = resellers->constFirst().id;
        // More customers than fit on the screen, so the table scrolls.
        for (int i = 0; i < 40; ++i) {
            addCustomer(
                *m_customers, QStringLiteral("Quokka Customer %1").arg(i, 2, 10, QLatin1Char('0')));
        }

        m_notifier = std::make_unique<ChangeNotifier>(*m_db);
        Status started = m_notifier->start();
        ASSERT_TRUE(started.has_value()) << started.error().toString().toStdString();

        MainWindowContext context {*m_session, services(), QStringLiteral("test database")};
        context.changes = m_notifier.get();
        m_window = std::make_unique<MainWindow>(context);
        m_window->resize(1000, 560);
        m_window->show();
        m_window->showPage(m_window->customersPage());
        ASSERT_TRUE(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void TearDown() override
    {
        m_window.reset();
        m_notifier.reset();
        m_otherCustomers.reset();
        m_otherAccess.reset();
        m_otherDb.reset();
    }

    qint64 addCustomer(CustomerService &customers, const QString &company)
    {
        const qint64 resellerId = m_resellerId;
        Result<QList<PlanRow>> plans = customers.plansFor(*m_session, resellerId);
        EXPECT_TRUE(plans && !plans->isEmpty());
        const QString slug = company.toLower().remove(QLatin1Char(' '));
        NewCustomer c;
        c.companyName = company;
        c.website = slug + QStringLiteral(".test");
        c.contactName = QStringLiteral("Robin Example");
        c.contactEmail = QStringLiteral("contact@") + slug + QStringLiteral(".test");
        c.resellerId = resellerId;
        c.planId = plans && !plans->isEmpty() ? plans->constFirst().id : 0;
        c.sendSetupEmail = false;
        Result<CreatedCustomer> created = customers.addCustomer(*m_session, c);
        EXPECT_TRUE(created.has_value()) << created.error().toString().toStdString();
        return created ? created->customerId : 0;
    }

    CustomersPage *page() const { return m_window->customersPage(); }
    QTableView *view() const { return page()->view(); }
    CustomerTableModel *model() const { return page()->model(); }

    qint64 idAt(int row) const
    {
        const CustomerListRow *customer = model()->customerAt(row);
        return customer ? customer->id : 0;
    }

    qint64 topId() const { return idAt(view()->rowAt(0)); }

    // Scrolls so that `top` is the first row shown and selects `selected`.
    void placeView(int top, int selected)
    {
        model()->loadRows(top, top + 40);
        view()->scrollTo(model()->index(top, 0), QAbstractItemView::PositionAtTop);
        view()->selectRow(selected);
        view()->scrollTo(model()->index(top, 0), QAbstractItemView::PositionAtTop);
        QApplication::processEvents();
    }

    std::unique_ptr<Session> m_session;
    qint64 m_resellerId = 0;
    std::unique_ptr<Database> m_otherDb;
    std::unique_ptr<AccessControl> m_otherAccess;
    std::unique_ptr<CustomerService> m_otherCustomers;
    std::unique_ptr<ChangeNotifier> m_notifier;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace

TEST_P(LiveRefreshTest, ACustomerAddedElsewhereAppearsAndTheViewStaysPut)
{
    ASSERT_GT(view()->verticalScrollBar()->maximum(), 5) << "the table must scroll for this test";
    placeView(10, 14);
    const qint64 selected = idAt(14);
    const qint64 top = topId();
    ASSERT_NE(selected, 0);
    ASSERT_NE(top, 0);
    ASSERT_EQ(page()->selectedIds(), QList<qint64> {selected});
    const qint64 before = model()->total();

    // Sorted by company, this one lands above everything in view.
    QElapsedTimer clock;
    clock.start();
    const qint64 added = addCustomer(*m_otherCustomers, QStringLiteral("AAA First Of All"));
    ASSERT_NE(added, 0);

    ASSERT_TRUE(QTest::qWaitFor([&] { return model()->total() == before + 1; }, 5000))
        << "the new customer never appeared";
    // Within about a second (SQLite polls twice a second; a loaded CI
    // machine gets some slack).
    EXPECT_LT(clock.elapsed(), 1500) << "appeared after " << clock.elapsed() << " ms";
    Result<std::optional<int>> row = model()->rowOfCustomer(added);
    ASSERT_TRUE(row && *row);
    EXPECT_LT(**row, 10) << "above the rows in view";

    // The same customers in view and selected, though every row moved by one.
    EXPECT_EQ(topId(), top);
    EXPECT_EQ(page()->selectedIds(), QList<qint64> {selected});
    EXPECT_EQ(idAt(view()->currentIndex().row()), selected);
    EXPECT_EQ(
        m_window->statusBar()->currentMessage(), QStringLiteral("Updated from another desktop"));
}

TEST_P(LiveRefreshTest, ACustomerEditedElsewhereIsShownAndStaysSelected)
{
    placeView(5, 8);
    const qint64 selected = idAt(8);
    const qint64 top = topId();
    const int scroll = view()->verticalScrollBar()->value();
    Result<CustomerRow> customer = m_otherCustomers->customer(*m_session, selected);
    ASSERT_TRUE(customer.has_value());

    CustomerEdit edit;
    edit.companyName = customer->companyName;
    edit.website = customer->domain;
    edit.contactName = QStringLiteral("Changed Elsewhere");
    Result<int> saved
        = m_otherCustomers->editCustomer(*m_session, selected, customer->version, edit);
    ASSERT_TRUE(saved.has_value()) << saved.error().toString().toStdString();

    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const std::optional<int> row = model()->loadedRowOf(selected);
            return row
                && model()->customerAt(*row)->contactName == QStringLiteral("Changed Elsewhere");
        },
        5000));
    EXPECT_EQ(page()->selectedIds(), QList<qint64> {selected});
    EXPECT_EQ(topId(), top);
    EXPECT_EQ(view()->verticalScrollBar()->value(), scroll);
}

TEST_P(LiveRefreshTest, NothingIsRefreshedUnderAnOpenDialogButRightAfterIt)
{
    const qint64 before = model()->total();
    QDialog dialog(m_window.get());
    dialog.open(); // window-modal, as the app's dialogs
    ASSERT_TRUE(QTest::qWaitFor([] { return QApplication::activeModalWidget() != nullptr; }, 2000));

    ASSERT_NE(addCustomer(*m_otherCustomers, QStringLiteral("While You Were Busy")), 0);
    QTest::qWait(1500);
    EXPECT_EQ(model()->total(), before) << "the page read again under the dialog";

    dialog.reject();
    EXPECT_TRUE(QTest::qWaitFor([&] { return model()->total() == before + 1; }, 3000));
}

TEST_P(LiveRefreshTest, TheSearchBeingTypedIsLeftAlone)
{
    QApplication::setActiveWindow(m_window.get());
    QLineEdit *search = page()->searchBox();
    search->setFocus();
    QTest::keyClicks(search, QStringLiteral("Quokka"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return model()->total() == 40; }, 3000));

    ASSERT_NE(addCustomer(*m_otherCustomers, QStringLiteral("Quokka Newcomer")), 0);
    ASSERT_TRUE(QTest::qWaitFor([&] { return model()->total() == 41; }, 5000));
    EXPECT_EQ(search->text(), QStringLiteral("Quokka"));
    EXPECT_TRUE(search->hasFocus());
}

TEST_P(LiveRefreshTest, TheResellersPageFollowsToo)
{
    m_window->showPage(m_window->resellersPage());
    QTableView *table = m_window->resellersPage()->view();
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(table->model());
    ASSERT_NE(proxy, nullptr);
    auto *model = qobject_cast<ResellerTableModel *>(proxy->sourceModel());
    ASSERT_NE(model, nullptr);
    const auto currentId = [&]() -> qint64 {
        const ResellerSummary *r
            = model->resellerAt(proxy->mapToSource(table->currentIndex()).row());
        return r ? r->id : 0;
    };
    const int before = model->rowCount();
    table->selectRow(1);
    const qint64 selected = currentId();
    ASSERT_NE(selected, 0);

    ResellerService otherResellers(*m_otherDb, m_clock, *m_otherAccess);
    Result<QList<PlanRow>> plans = m_otherCustomers->plansFor(*m_session, m_resellerId);
    ASSERT_TRUE(plans && !plans->isEmpty());
    ResellerInput input;
    input.name = QStringLiteral("Aardvark Partners From Elsewhere"); // sorts first
    input.commissionRateBp = 1000;
    input.planIds = {plans->constFirst().id};
    Result<qint64> added = otherResellers.addReseller(*m_session, input);
    ASSERT_TRUE(added.has_value()) << added.error().toString().toStdString();

    ASSERT_TRUE(QTest::qWaitFor([&] { return model->rowCount() == before + 1; }, 5000));
    EXPECT_GE(model->rowOf(*added), 0);
    EXPECT_EQ(currentId(), selected) << "the selected reseller stays selected";
}

RD_INSTANTIATE_FOR_BACKENDS(LiveRefreshTest);
