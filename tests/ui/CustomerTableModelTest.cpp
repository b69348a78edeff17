#include <QAbstractItemModelTester>
#include <QApplication>
#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollBar>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "customers/CustomerTableModel.h"
#include "customers/CustomersPage.h"
#include "storage/CustomerRepository.h"
#include "storage/WriteTransaction.h"

using namespace rd;
using namespace rd::test;

namespace {

constexpr int Generated = 1200;

const CustomerSort AllSorts[]
    = {CustomerSort::Company, CustomerSort::Domain, CustomerSort::Contact, CustomerSort::Email,
        CustomerSort::Reseller, CustomerSort::Plan, CustomerSort::TrialEnds, CustomerSort::Created};

QString referenceExpression(CustomerSort sort)
{
    switch (sort) {
    case CustomerSort::Company:
        return QStringLiteral("lower(c.company_name)");
    case CustomerSort::Domain:
        return QStringLiteral("lower(c.domain)");
    case CustomerSort::Contact:
        return QStringLiteral("lower(c.contact_name)");
    case CustomerSort::Email:
        return QStringLiteral("lower(c.contact_email)");
    case CustomerSort::Reseller:
        return QStringLiteral("lower(r.name)");
    case CustomerSort::Plan:
        return QStringLiteral("lower(p.name)");
    case CustomerSort::TrialEnds:
        return QStringLiteral("c.trial_ends_at");
    case CustomerSort::Created:
        break;
    }
    return QStringLiteral("c.created_at");
}

// The demo installation plus 1,200 generated customers with ties and NULL
// sort values: the administrator's table has more than six pages of 200.
class CustomerTableModelTest : public GuiBackendFixture
{
protected:
    void SetUp() override
    {
        GuiBackendFixture::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        m_admin = std::make_unique<Session>(admin());
        CustomerQuery any;
        any.limit = 1;
        Result<CustomerPage> sample = m_customers->listCustomers(*m_admin, any);
        ASSERT_TRUE(sample.has_value() && !sample->rows.isEmpty());
        Result<CustomerRow> model = CustomerRepository(*m_db).find(sample->rows.constFirst().id);
        ASSERT_TRUE(model.has_value());

        Result<WriteTransaction> tx = WriteTransaction::begin(*m_db);
        ASSERT_TRUE(tx.has_value());
        CustomerRepository customers(*m_db);
        for (int i = 0; i < Generated; ++i) {
            CustomerRow c;
            c.companyName
                = (i % 3 ? QStringLiteral("Generated %1") : QStringLiteral("GENERATED %1"))
                      .arg(i % 97);
            if (i % 5 != 0)
                c.domain = QStringLiteral("g%1.example").arg(i % 50);
            c.contactName = QStringLiteral("Contact %1").arg(i % 41);
            c.contactEmail = QStringLiteral("generated%1@x.example").arg(i);
            c.planId = model->planId;
            c.priceListId = model->priceListId;
            c.ownerResellerId = i % 2 ? model->ownerResellerId : 0;
            if (i % 4 == 0) {
                c.billingStatus = BillingStatus::Paid;
            } else {
                c.trialEndsAt = testNow().addDays(i % 10 - 5);
                c.trialBudget = 500;
            }
            c.createdAt = testNow().addSecs(-60 * (i % 7));
            Result<qint64> id = customers.insert(c);
            ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
            m_generated.push_back(*id);
        }
        ASSERT_TRUE(tx->commit().has_value());
    }

    // Every visible customer's id in order, from one plain ORDER BY written
    // independently of the repository (the administrator sees them all).
    std::vector<qint64> reference(CustomerSort sort, bool ascending)
    {
        const QString dir = ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
        const QString e = referenceExpression(sort);
        Result<QSqlQuery> q = m_db->prepare(
            QStringLiteral("SELECT c.id FROM customers c JOIN plans p ON p.id = c.plan_id "
                           "LEFT JOIN resellers r ON r.id = c.owner_reseller_id "
                           "WHERE c.archived_at IS NULL ORDER BY CASE WHEN ")
            + e + QStringLiteral(" IS NULL THEN 0 ELSE 1 END") + dir + QStringLiteral(", ") + e
            + dir + QStringLiteral(", c.id") + dir);
        EXPECT_TRUE(q.has_value());
        EXPECT_TRUE(m_db->exec(*q, QStringLiteral("reference")).has_value());
        std::vector<qint64> ids;
        while (q->next())
            ids.push_back(q->value(0).toLongLong());
        return ids;
    }

    static CustomerQuery sorted(CustomerSort sort, bool ascending)
    {
        CustomerQuery query;
        query.sort = sort;
        query.ascending = ascending;
        return query;
    }

    // Runs the event loop until the pages the view asked for have arrived
    // from the worker.
    static bool waitForPages(const CustomerTableModel &model)
    {
        return QTest::qWaitFor([&model] { return !model.isReading(); }, 10000);
    }
    static bool waitForAnchors(const CustomerTableModel &model)
    {
        return QTest::qWaitFor([&model] { return model.anchorsComplete(); }, 10000);
    }

    // The ids of rows first..last, which must all be loaded.
    static std::vector<qint64> idsOf(const CustomerTableModel &model, int first, int last)
    {
        std::vector<qint64> ids;
        for (int row = first; row <= last; ++row) {
            const CustomerListRow *c = model.customerAt(row);
            EXPECT_NE(c, nullptr) << "row " << row;
            ids.push_back(c ? c->id : -1);
        }
        return ids;
    }

    std::unique_ptr<Session> m_admin;
    std::vector<qint64> m_generated;
};

} // namespace

TEST_P(CustomerTableModelTest, PagesReadForwardBackwardAndByJumpsGiveThePlainQueryOrder)
{
    CustomerTableModel model(*m_admin, *m_customers);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const int pageRows = model.pageRows();
    for (const CustomerSort sort : AllSorts) {
        for (const bool ascending : {true, false}) {
            SCOPED_TRACE(::testing::Message()
                << "sort " << static_cast<int>(sort) << (ascending ? " asc" : " desc"));
            const std::vector<qint64> expected = reference(sort, ascending);
            const int total = static_cast<int>(expected.size());
            ASSERT_GT(total, Generated);

            // Forward: the first page comes with the query, each next page
            // from the previous page's last key.
            ASSERT_TRUE(model.setQuery(sorted(sort, ascending), m_clock.now()).has_value());
            ASSERT_EQ(model.rowCount(), total);
            ASSERT_EQ(model.cachedPageCount(), 1);
            for (int first = pageRows; first < total; first += pageRows)
                ASSERT_TRUE(model.loadRows(first, first).has_value());
            EXPECT_EQ(idsOf(model, 0, total - 1), expected);

            // Backward: the last page from the end (a reverse query), each
            // earlier one before the next page's first key.
            ASSERT_TRUE(model.setQuery(sorted(sort, ascending), m_clock.now()).has_value());
            const int lastFirst = (total - 1) / pageRows * pageRows;
            for (int first = lastFirst; first > 0; first -= pageRows)
                ASSERT_TRUE(model.loadRows(first, first).has_value());
            EXPECT_EQ(idsOf(model, 0, total - 1), expected);

            // A jump to the middle (OFFSET), then on from there.
            ASSERT_TRUE(model.setQuery(sorted(sort, ascending), m_clock.now()).has_value());
            const int middle = total / 2;
            ASSERT_TRUE(model.loadRows(middle, middle + pageRows).has_value());
            const int from = middle / pageRows * pageRows;
            const int to = qMin(total, from + 2 * pageRows) - 1;
            EXPECT_EQ(idsOf(model, from, to),
                std::vector<qint64>(expected.begin() + from, expected.begin() + to + 1));
            // And to the end (Ctrl+End).
            ASSERT_TRUE(model.loadRows(total - 1, total - 1).has_value());
            EXPECT_EQ(model.customerAt(total - 1)->id, expected.back());
        }
    }
}

TEST_P(CustomerTableModelTest, ScrollingTheWholeTableKeepsTheCacheBoundedAndLoadsWhatIsShown)
{
    CustomerTableModel model(*m_admin, *m_customers);
    model.setPaging(50, 4);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QTableView view;
    view.setModel(&model);
    view.resize(800, 400);
    view.show();
    ASSERT_TRUE(model.setQuery(sorted(CustomerSort::Company, true), m_clock.now()).has_value());
    const std::vector<qint64> expected = reference(CustomerSort::Company, true);
    ASSERT_EQ(model.rowCount(), static_cast<int>(expected.size()));

    // Unread rows show a placeholder and are loaded from the event loop.
    const QModelIndex far = model.index(model.rowCount() - 1, CustomerTableModel::Company);
    EXPECT_EQ(model.customerAt(far.row()), nullptr);
    EXPECT_EQ(far.data().toString(), QStringLiteral("…"));
    ASSERT_TRUE(waitForPages(model));
    ASSERT_NE(model.customerAt(far.row()), nullptr);
    EXPECT_EQ(model.customerAt(far.row())->id, expected.back());

    QScrollBar *bar = view.verticalScrollBar();
    int maxPages = 0;
    for (int value = 0; value <= bar->maximum(); value += 20) {
        bar->setValue(value);
        view.viewport()->repaint();
        ASSERT_TRUE(waitForPages(model));
        maxPages = qMax(maxPages, model.cachedPageCount());
        const int top = view.rowAt(0);
        ASSERT_GE(top, 0);
        ASSERT_NE(model.customerAt(top), nullptr) << "row " << top << " is shown, so read";
        EXPECT_EQ(model.customerAt(top)->id, expected.at(top));
    }
    EXPECT_LE(maxPages, 4);
    EXPECT_GE(maxPages, 2);
    // Back to the top after the cache forgot it.
    bar->setValue(0);
    view.viewport()->repaint();
    ASSERT_TRUE(waitForPages(model));
    ASSERT_NE(model.customerAt(0), nullptr);
    EXPECT_EQ(model.customerAt(0)->id, expected.front());
    EXPECT_LE(model.cachedPageCount(), 4);
}

TEST_P(CustomerTableModelTest, ARefreshShowsWhatAnotherConnectionInsertedAndDeleted)
{
    CustomerTableModel model(*m_admin, *m_customers);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ASSERT_TRUE(model.setQuery(sorted(CustomerSort::Company, true), m_clock.now()).has_value());
    const int before = model.rowCount();

    // Another desktop: its own connection to the same database.
    Result<std::unique_ptr<Database>> other = m_testDatabase->open();
    ASSERT_TRUE(other.has_value()) << other.error().toString().toStdString();
    Result<CustomerRow> template_ = CustomerRepository(**other).find(m_generated.front());
    ASSERT_TRUE(template_.has_value());
    CustomerRow added = *template_;
    added.companyName = QStringLiteral("0000 First Of All");
    added.contactEmail = QStringLiteral("first@x.example");
    Result<qint64> addedId = CustomerRepository(**other).insert(added);
    ASSERT_TRUE(addedId.has_value()) << addedId.error().toString().toStdString();
    const qint64 deletedId = m_generated.at(700);
    Result<QSqlQuery> remove
        = (*other)->prepare(QStringLiteral("DELETE FROM customers WHERE id = ?"));
    ASSERT_TRUE(remove.has_value());
    remove->addBindValue(deletedId);
    ASSERT_TRUE((*other)->exec(*remove, QStringLiteral("deleting")).has_value());

    ASSERT_TRUE(model.setQuery(model.query(), m_clock.now()).has_value());
    EXPECT_EQ(model.rowCount(), before);
    EXPECT_EQ(model.customerAt(0)->id, *addedId);
    ASSERT_TRUE(model.loadRows(0, model.rowCount() - 1).has_value());
    const std::vector<qint64> shown = idsOf(model, 0, model.rowCount() - 1);
    EXPECT_EQ(shown, reference(CustomerSort::Company, true));
    EXPECT_EQ(std::find(shown.begin(), shown.end(), deletedId), shown.end());
    Result<std::optional<int>> gone = model.rowOfCustomer(deletedId);
    ASSERT_TRUE(gone.has_value());
    EXPECT_FALSE(gone->has_value());
}

TEST_P(CustomerTableModelTest, AResellerSeesItsScopeInTheOrderOfListCustomers)
{
    const Session reseller = resellerAdmin();
    CustomerTableModel model(reseller, *m_customers);
    model.setPaging(7, 3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (const bool ascending : {true, false}) {
        CustomerQuery query = sorted(CustomerSort::Reseller, ascending);
        ASSERT_TRUE(model.setQuery(query, m_clock.now()).has_value());
        query.limit = 1000;
        Result<CustomerPage> listed = m_customers->listCustomers(reseller, query);
        ASSERT_TRUE(listed.has_value());
        ASSERT_EQ(model.total(), listed->total);
        ASSERT_LT(listed->total, Generated) << "scoped to the portal";
        for (int row = 0; row < model.rowCount(); ++row) {
            ASSERT_TRUE(model.loadRows(row, row).has_value());
            ASSERT_NE(model.customerAt(row), nullptr);
            EXPECT_EQ(model.customerAt(row)->id, listed->rows.at(row).id) << "row " << row;
            EXPECT_LE(model.cachedPageCount(), 3);
        }
    }
}

TEST_P(CustomerTableModelTest, ThePageScrollsEveryCustomerAndSelectsOneFarDown)
{
    CustomersPage page(*m_admin, services());
    page.resize(1000, 600);
    page.show();
    page.refresh();
    const std::vector<qint64> expected = reference(CustomerSort::Company, true);
    EXPECT_EQ(page.model()->rowCount(), static_cast<int>(expected.size())) << "no 1,000-row cap";
    EXPECT_EQ(page.findChild<QLabel *>(QStringLiteral("customerCount"))->text(),
        QStringLiteral("%1 customers").arg(QLocale().toString(qint64(expected.size()))));

    const int far = static_cast<int>(expected.size()) - 3;
    page.selectCustomer(expected.at(far));
    ASSERT_EQ(page.selectedIds(), QList<qint64> {expected.at(far)});
    EXPECT_EQ(page.view()->currentIndex().row(), far);
    QApplication::processEvents();
    EXPECT_GE(page.view()->rowAt(page.view()->viewport()->height() / 2), far - 40)
        << "scrolled to it";

    // A refresh keeps the selection and the scroll position.
    const int scroll = page.view()->verticalScrollBar()->value();
    page.refresh();
    EXPECT_EQ(page.selectedIds(), QList<qint64> {expected.at(far)});
    EXPECT_EQ(page.view()->currentIndex().row(), far);
    EXPECT_EQ(page.view()->verticalScrollBar()->value(), scroll);
}

TEST_P(CustomerTableModelTest, OnceTheAnchorsExistAJumpReadsOneKeysetPageAndNoOffset)
{
    CustomerTableModel model(*m_admin, *m_customers);
    // Pages of 50, two kept: every other page has no neighbour in the cache.
    model.setPaging(50, 2);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_TRUE(model.readsOnWorker()) << "a database file: pages are read off the GUI thread";
    for (const CustomerSort sort : AllSorts) {
        for (const bool ascending : {true, false}) {
            SCOPED_TRACE(::testing::Message()
                << "sort " << static_cast<int>(sort) << (ascending ? " asc" : " desc"));
            const std::vector<qint64> expected = reference(sort, ascending);
            const int total = static_cast<int>(expected.size());
            ASSERT_TRUE(model.setQuery(sorted(sort, ascending), m_clock.now()).has_value());
            ASSERT_TRUE(waitForAnchors(model));
            EXPECT_EQ(model.anchorCount(), total / 50) << "the last key of every full page";

            const int offsetsBefore = model.offsetReads();
            for (int first = 50; first < total; first += 100) {
                ASSERT_TRUE(model.loadRows(first, first).has_value());
                const int last = qMin(total, first + 50) - 1;
                ASSERT_EQ(idsOf(model, first, last),
                    std::vector<qint64>(expected.begin() + first, expected.begin() + last + 1))
                    << "rows " << first << "-" << last;
            }
            // The view's way: a placeholder, then the page from the worker.
            const int middle = total / 2 + 25;
            EXPECT_EQ(model.customerAt(middle), nullptr);
            EXPECT_EQ(model.index(middle, CustomerTableModel::Company).data().toString(),
                QStringLiteral("…"));
            ASSERT_TRUE(waitForPages(model));
            ASSERT_NE(model.customerAt(middle), nullptr);
            EXPECT_EQ(model.customerAt(middle)->id, expected.at(middle));
            EXPECT_EQ(model.offsetReads(), offsetsBefore) << "no OFFSET once the anchors exist";
        }
    }
}

TEST_P(CustomerTableModelTest, ARefreshJumpsFromTheOldAnchorsUntilTheNewOnesAreRead)
{
    CustomerTableModel model(*m_admin, *m_customers);
    model.setPaging(50, 2);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ASSERT_TRUE(model.setQuery(sorted(CustomerSort::Email, false), m_clock.now()).has_value());
    ASSERT_TRUE(waitForAnchors(model));
    const int anchors = model.anchorCount();
    ASSERT_GT(anchors, 10);

    // The same query again (a refresh): the anchors are being rebuilt, and
    // a jump meanwhile still reads one keyset page from an old one.
    ASSERT_TRUE(model.setQuery(model.query(), m_clock.now()).has_value());
    EXPECT_EQ(model.anchorCount(), anchors);
    const std::vector<qint64> expected = reference(CustomerSort::Email, false);
    const int offsetsBefore = model.offsetReads();
    const int first = 5 * 50;
    ASSERT_TRUE(model.loadRows(first, first).has_value());
    EXPECT_EQ(idsOf(model, first, first + 49),
        std::vector<qint64>(expected.begin() + first, expected.begin() + first + 50));
    EXPECT_EQ(model.offsetReads(), offsetsBefore);
    ASSERT_TRUE(waitForAnchors(model));
    EXPECT_EQ(model.anchorCount(), anchors);

    // Another order drops them: they would point into the wrong order.
    ASSERT_TRUE(model.setQuery(sorted(CustomerSort::Email, true), m_clock.now()).has_value());
    EXPECT_EQ(model.anchorCount(), 0);
}

TEST_P(CustomerTableModelTest, WhenTheQueryChangesOnlyTheNewQuerysRowsAppear)
{
    CustomerTableModel model(*m_admin, *m_customers);
    model.setPaging(50, 8);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ASSERT_TRUE(model.setQuery(sorted(CustomerSort::Company, true), m_clock.now()).has_value());
    const int far = model.rowCount() / 2;
    // The ascending query's far page is asked for and read on the worker;
    // its reply waits in the event queue while the order changes.
    EXPECT_EQ(model.index(far, CustomerTableModel::Company).data().toString(), QStringLiteral("…"));
    QCoreApplication::processEvents();
    QThread::msleep(300);
    ASSERT_TRUE(model.setQuery(sorted(CustomerSort::Company, false), m_clock.now()).has_value());
    ASSERT_TRUE(QTest::qWaitFor([&model] { return model.staleRepliesDropped() > 0; }, 5000))
        << "the ascending page arrived late and was dropped";
    ASSERT_TRUE(waitForAnchors(model));
    ASSERT_TRUE(waitForPages(model));

    const std::vector<qint64> expected = reference(CustomerSort::Company, false);
    EXPECT_EQ(model.customerAt(far), nullptr) << "not the old query's row";
    for (int row = 0; row < model.rowCount(); ++row) {
        if (const CustomerListRow *c = model.customerAt(row)) {
            EXPECT_EQ(c->id, expected.at(row)) << "row " << row;
        }
    }
    // And the descending far page, asked for now, is the descending one.
    model.index(far, CustomerTableModel::Company).data();
    ASSERT_TRUE(waitForPages(model));
    ASSERT_NE(model.customerAt(far), nullptr);
    EXPECT_EQ(model.customerAt(far)->id, expected.at(far));
}

TEST_P(CustomerTableModelTest, ASlowPageNeverBlocksTheWindowAndAStaleOneIsInterrupted)
{
    CustomerTableModel model(*m_admin, *m_customers);
    model.setPaging(50, 12);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ASSERT_TRUE(model.setQuery(sorted(CustomerSort::Company, true), m_clock.now()).has_value());
    ASSERT_TRUE(waitForAnchors(model));
    const std::vector<qint64> expected = reference(CustomerSort::Company, true);

    // PostgreSQL: another desktop holds the table, so the worker's reads
    // wait on the lock for as long as it lasts. (SQLite in WAL mode never
    // makes a reader wait; there the same steps run with quick reads.)
    std::unique_ptr<Database> other;
    const bool locked = GetParam() == Backend::PostgreSQL;
    if (locked) {
        Result<std::unique_ptr<Database>> opened = m_testDatabase->open();
        ASSERT_TRUE(opened.has_value()) << opened.error().toString().toStdString();
        other = std::move(*opened);
        ASSERT_TRUE(other->execDirect(QStringLiteral("BEGIN"), QStringLiteral("begin")));
        ASSERT_TRUE(
            other->execDirect(QStringLiteral("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE"),
                QStringLiteral("lock")));
    }

    // Asking for a page costs the window nothing: a placeholder at once.
    const int firstWanted = 150;
    QElapsedTimer clock;
    clock.start();
    EXPECT_EQ(model.index(firstWanted, CustomerTableModel::Company).data().toString(),
        QStringLiteral("…"));
    EXPECT_LT(clock.elapsed(), 50);
    int ticks = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
    ticker.start(5);
    QTest::qWait(300);
    EXPECT_GE(ticks, 10) << "the event loop kept running";
    if (locked) {
        EXPECT_TRUE(model.isReading());
        EXPECT_EQ(model.customerAt(firstWanted), nullptr) << "still waiting on the lock";
    }

    // The user scrolls on past it: eight newer pages make it stale.
    for (int page = 4; page < 12; ++page)
        model.index(page * 50, CustomerTableModel::Company).data();
    QTest::qWait(300);
    EXPECT_GE(ticks, 20);
    if (locked) {
        EXPECT_GE(model.interruptedReads(), 1) << "the stale read was cancelled";
        ASSERT_TRUE(other->execDirect(QStringLiteral("COMMIT"), QStringLiteral("commit")));
    }
    ASSERT_TRUE(waitForPages(model));
    for (int page = 4; page < 12; ++page) {
        const int row = page * 50;
        if (const CustomerListRow *c = model.customerAt(row)) {
            EXPECT_EQ(c->id, expected.at(row)) << "row " << row;
        }
    }
    ASSERT_NE(model.customerAt(11 * 50), nullptr) << "the most wanted page was read";
}

RD_INSTANTIATE_FOR_BACKENDS(CustomerTableModelTest);
