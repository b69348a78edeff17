#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QHash>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "services/AccessControl.h"
#include "services/UserService.h"
#include "storage/Database.h"
#include "users/UserTableModel.h"

using namespace rd;
using namespace rd::test;

namespace {

const UserSort AllSorts[] {
    UserSort::Email, UserSort::Name, UserSort::Role, UserSort::Status, UserSort::LastSignIn};

// The windowed Users model on the demo installation (every client admin:
// over 300 memberships for the administrator), with small pages so that
// many are read and the cache bound bites.
class UserTableModelTest : public GuiBackendFixture
{
protected:
    // Every row of the query in one plain ORDER BY.
    QList<qint64> reference(const Session &session, const UserPageQuery &query)
    {
        Result<QList<UserListRow>> rows
            = m_users->membershipsAtRow(session, query, 0, UserService::MaxPageRows);
        EXPECT_TRUE(rows.has_value());
        QList<qint64> ids;
        for (const UserListRow &row : rows.value_or(QList<UserListRow>()))
            ids.append(row.membershipId);
        return ids;
    }

    // The most common first letter of the listed emails: a filter that
    // keeps many rows.
    QString commonPrefix(const Session &session)
    {
        Result<QList<UserListRow>> rows = m_users->listUsers(session);
        EXPECT_TRUE(rows.has_value());
        QHash<QChar, int> counts;
        QChar best;
        for (const UserListRow &row : rows.value_or(QList<UserListRow>())) {
            const QChar first = row.email.at(0).toLower();
            if (++counts[first] > counts.value(best))
                best = first;
        }
        return QString(best);
    }

    // Runs the event loop until the pages data() asked for have arrived.
    static bool waitForPages(const UserTableModel &model)
    {
        return QTest::qWaitFor([&model] { return !model.isReading(); }, 10000);
    }
    static bool waitForAnchors(const UserTableModel &model)
    {
        return QTest::qWaitFor([&model] { return model.anchorsComplete(); }, 10000);
    }

    // Shows rows first..first+count-1 as a view does (data(), then the
    // event loop until the worker's pages arrived) and returns their ids.
    static QList<qint64> showRows(UserTableModel &model, int first, int count)
    {
        const int last = qMin(first + count, model.rowCount()) - 1;
        for (int row = first; row <= last; ++row)
            (void)model.index(row, UserTableModel::Email).data();
        EXPECT_TRUE(waitForPages(model));
        QList<qint64> ids;
        for (int row = first; row <= last; ++row) {
            const UserListRow *user = model.cachedUserAt(row);
            ids.append(user ? user->membershipId : -1);
        }
        return ids;
    }
};

} // namespace

TEST_P(UserTableModelTest, RowsReadOnDemandEqualOnePlainOrderByWithinTheCacheBound)
{
    const Session session = admin();
    UserTableModel model(session, *m_users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 3, 21);
    for (const UserSort sort : AllSorts) {
        for (const bool ascending : {true, false}) {
            UserPageQuery query;
            query.sort = sort;
            query.ascending = ascending;
            const QList<qint64> plain = reference(session, query);
            ASSERT_GT(plain.size(), 300);

            // Down from the top: keyset after the previous page.
            ASSERT_TRUE(model.setQuery(query));
            ASSERT_EQ(model.rowCount(), plain.size());
            for (int row = 0; row < model.rowCount(); ++row) {
                const UserListRow *user = model.userAt(row);
                ASSERT_NE(user, nullptr) << row;
                ASSERT_EQ(user->membershipId, plain.at(row)) << row;
                ASSERT_LE(model.cachedPageCount(), 3);
            }
            EXPECT_EQ(model.readStats().offsetReads, 0);

            // Up from the end (Ctrl+End): the last rows, then keyset before.
            ASSERT_TRUE(model.setQuery(query));
            for (int row = model.rowCount() - 1; row >= 0; --row) {
                const UserListRow *user = model.userAt(row);
                ASSERT_NE(user, nullptr) << row;
                ASSERT_EQ(user->membershipId, plain.at(row)) << row;
                ASSERT_LE(model.cachedPageCount(), 3);
            }
            EXPECT_EQ(model.readStats().endReads, 1);
            EXPECT_EQ(model.readStats().offsetReads, 0);

            // A jump to the middle, then on from there.
            ASSERT_TRUE(model.setQuery(query));
            const int middle = model.rowCount() / 2;
            for (int row = middle; row < middle + 20; ++row)
                ASSERT_EQ(model.userAt(row)->membershipId, plain.at(row)) << row;
            EXPECT_EQ(model.readStats().offsetReads, 1);

            // The row of a membership: read, or counted by the database.
            EXPECT_EQ(model.rowOfMembership(plain.at(middle)), middle);
            EXPECT_EQ(model.rowOfMembership(plain.constFirst()), 0);
            EXPECT_EQ(model.rowOfMembership(-1), -1);
        }
    }
}

TEST_P(UserTableModelTest, SortingIsANewDatabaseQueryAndTheContextIsNotSorted)
{
    const Session session = admin();
    UserTableModel model(session, *m_users);
    QTableView view;
    view.setModel(&model);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ASSERT_TRUE(model.setQuery({}));
    view.setSortingEnabled(true);

    view.sortByColumn(UserTableModel::Name, Qt::DescendingOrder);
    EXPECT_EQ(model.query().sort, UserSort::Name);
    EXPECT_FALSE(model.query().ascending);
    UserPageQuery byName;
    byName.sort = UserSort::Name;
    byName.ascending = false;
    EXPECT_EQ(model.userAt(0)->membershipId, reference(session, byName).constFirst());

    model.sort(UserTableModel::Context, Qt::AscendingOrder);
    EXPECT_EQ(model.query().sort, UserSort::Name) << "no database order for the context";
    EXPECT_FALSE(UserTableModel::sortFor(UserTableModel::Context).has_value());
}

TEST_P(UserTableModelTest, AReloadCountsAgainAndShowsAnotherDesktopsNewUser)
{
    const Session session = admin();
    UserTableModel model(session, *m_users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ASSERT_TRUE(model.setQuery({}));
    const int before = model.rowCount();

    NewUser user;
    user.email = QStringLiteral("aaaa.first@northwind.test");
    user.displayName = QStringLiteral("First In Line");
    user.role = Role::Support;
    user.sendInvitation = false;
    ASSERT_TRUE(m_users->addUser(session, user).has_value());
    EXPECT_EQ(model.rowCount(), before) << "until the reload";
    ASSERT_TRUE(model.reload());
    EXPECT_EQ(model.rowCount(), before + 1);
    EXPECT_EQ(model.userAt(0)->email, user.email);
    EXPECT_EQ(model.index(0, UserTableModel::Context).data().toString(),
        UserService::vendorContextName());
}

TEST_P(UserTableModelTest, JumpsReadOnTheWorkerGiveThePlainOrderInEverySortAndFilter)
{
    const Session session = admin();
    UserTableModel model(session, *m_users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_TRUE(model.readsOnWorker()) << "a database file: pages are read off the GUI thread";
    model.setPaging(7, 4, 21);
    for (const QString &filter : {QString(), commonPrefix(session)}) {
        for (const UserSort sort : AllSorts) {
            for (const bool ascending : {true, false}) {
                SCOPED_TRACE(QStringLiteral("filter '%1' sort %2 %3")
                                 .arg(filter)
                                 .arg(static_cast<int>(sort))
                                 .arg(ascending ? QStringLiteral("asc") : QStringLiteral("desc"))
                                 .toStdString());
                UserPageQuery query;
                query.sort = sort;
                query.ascending = ascending;
                query.filter = filter;
                const QList<qint64> plain = reference(session, query);
                ASSERT_GT(plain.size(), 30);
                ASSERT_TRUE(model.setQuery(query));
                ASSERT_EQ(model.rowCount(), plain.size());

                // Before the anchors: a jump is an OFFSET read on the worker.
                const int middle = model.rowCount() / 2;
                EXPECT_EQ(showRows(model, middle, 10), plain.mid(middle, 10));

                // With them: one keyset page after the nearest anchor.
                ASSERT_TRUE(waitForAnchors(model));
                EXPECT_EQ(model.anchorCount(), model.rowCount() / 7);
                const int offsets = model.workerOffsetReads();
                for (const int row : {model.rowCount() / 3, model.rowCount() - 40, 9, 23}) {
                    EXPECT_EQ(showRows(model, row, 12), plain.mid(row, 12)) << "row " << row;
                }
                EXPECT_EQ(model.workerOffsetReads(), offsets) << "no OFFSET once anchors exist";
                EXPECT_LE(model.cachedPageCount(), 4);
            }
        }
    }
}

TEST_P(UserTableModelTest, AJumpNeverRunsOnTheGuiThreadAndItsRowsArriveWithASignal)
{
    const Session session = admin();
    UserTableModel model(session, *m_users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 4, 21);
    UserPageQuery query;
    query.sort = UserSort::Name;
    const QList<qint64> plain = reference(session, query);
    ASSERT_TRUE(model.setQuery(query));
    const auto statsBefore = model.readStats();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // The placeholder at once: nothing read on this thread.
    const int middle = model.rowCount() / 2;
    QElapsedTimer clock;
    clock.start();
    EXPECT_FALSE(model.index(middle, UserTableModel::Email).data().isValid());
    EXPECT_LT(clock.elapsed(), 50);
    EXPECT_EQ(model.cachedUserAt(middle), nullptr);
    EXPECT_TRUE(model.isReading());
    EXPECT_EQ(model.workerPageReads(), 0);
    EXPECT_EQ(changed.count(), 0);

    // The worker reads it; dataChanged repaints the page's rows.
    ASSERT_TRUE(waitForPages(model));
    ASSERT_GE(changed.count(), 1);
    const QModelIndex topLeft = changed.constLast().at(0).toModelIndex();
    const QModelIndex bottomRight = changed.constLast().at(1).toModelIndex();
    EXPECT_LE(topLeft.row(), middle);
    EXPECT_GE(bottomRight.row(), middle);
    EXPECT_EQ(topLeft.column(), 0);
    EXPECT_EQ(bottomRight.column(), UserTableModel::ColumnCount - 1);
    EXPECT_GE(model.workerPageReads(), 1);
    ASSERT_NE(model.cachedUserAt(middle), nullptr);
    EXPECT_EQ(model.cachedUserAt(middle)->membershipId, plain.at(middle));
    EXPECT_EQ(model.index(middle, UserTableModel::Email).data().toString(),
        model.cachedUserAt(middle)->email);
    // The cache planned the read; none was made here.
    EXPECT_EQ(model.readStats().keysetReads, statsBefore.keysetReads);
}

TEST_P(UserTableModelTest, AReplyForTheQueryBeforeAFilterChangeNeverShows)
{
    const Session session = admin();
    UserTableModel model(session, *m_users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 40, 21);
    UserPageQuery filtered;
    filtered.filter = commonPrefix(session);
    const QList<qint64> expected = reference(session, filtered);
    ASSERT_TRUE(model.setQuery({}));
    ASSERT_GT(model.rowCount(), expected.size());

    // PostgreSQL: another desktop holds the memberships, so the worker's
    // read of the old query is still running when the filter changes.
    std::unique_ptr<Database> other;
    const bool locked = GetParam() == Backend::PostgreSQL;
    if (locked) {
        Result<std::unique_ptr<Database>> opened = m_testDatabase->open();
        ASSERT_TRUE(opened.has_value()) << opened.error().toString().toStdString();
        other = std::move(*opened);
        ASSERT_TRUE(other->execDirect(QStringLiteral("BEGIN"), QStringLiteral("begin")));
        ASSERT_TRUE(
            other->execDirect(QStringLiteral("LOCK TABLE memberships IN ACCESS EXCLUSIVE MODE"),
                QStringLiteral("lock")));
    }
    // Rows far down the old list are asked for and sent to the worker...
    for (int page = 20; page < 26; ++page)
        (void)model.index(page * 7, UserTableModel::Email).data();
    QTest::qWait(locked ? 300 : 0);
    if (locked) {
        EXPECT_TRUE(model.isReading());
        EXPECT_EQ(model.cachedUserAt(25 * 7), nullptr) << "still waiting on the lock";
        // The lock ends; the old read finishes (or is cancelled) while the
        // filter changes: its reply is dropped either way.
        ASSERT_TRUE(other->execDirect(QStringLiteral("COMMIT"), QStringLiteral("commit")));
    }
    // ...then the filter changes before (or while) they are read.
    ASSERT_TRUE(model.setQuery(filtered));
    ASSERT_EQ(model.rowCount(), expected.size());
    QTest::qWait(300);
    if (locked) {
        EXPECT_GE(model.staleRepliesDropped() + model.interruptedReads(), 1)
            << "the old query's reply was dropped or its read cancelled";
    }
    // Nothing of the old query was stored: only the new first page.
    EXPECT_EQ(model.cachedPageCount(), 1);
    for (int row = 0; row < model.rowCount(); ++row) {
        if (const UserListRow *user = model.cachedUserAt(row)) {
            EXPECT_EQ(user->membershipId, expected.at(row)) << "row " << row;
        }
    }
    EXPECT_EQ(showRows(model, 0, static_cast<int>(expected.size())), expected);
}

TEST_P(UserTableModelTest, AfterAnotherDesktopAddsUsersAReloadJumpsToTheRightRows)
{
    const Session session = admin();
    UserTableModel model(session, *m_users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 4, 21);
    UserPageQuery query;
    query.sort = UserSort::Email;
    ASSERT_TRUE(model.setQuery(query));
    ASSERT_TRUE(waitForAnchors(model));
    const int before = model.rowCount();

    // Another desktop: its own connection, its own service.
    Result<std::unique_ptr<Database>> other = m_testDatabase->open();
    ASSERT_TRUE(other.has_value()) << other.error().toString().toStdString();
    AccessControl otherAccess(**other, m_clock);
    UserService otherUsers(**other, m_clock, otherAccess);
    const Session otherAdmin = admin();
    for (int i = 0; i < 10; ++i) {
        NewUser user;
        user.email = QStringLiteral("b%1.added@northwind.test").arg(i);
        user.displayName = QStringLiteral("Added %1").arg(i);
        user.role = Role::Support;
        user.sendInvitation = false;
        Result<AddedUser> added = otherUsers.addUser(otherAdmin, user);
        ASSERT_TRUE(added.has_value()) << added.error().toString().toStdString();
    }

    ASSERT_TRUE(model.reload());
    EXPECT_EQ(model.rowCount(), before + 10);
    const QList<qint64> plain = reference(session, query);
    const int middle = model.rowCount() / 2;
    EXPECT_EQ(showRows(model, middle, 10), plain.mid(middle, 10));
    ASSERT_TRUE(waitForAnchors(model));
    for (const int row : {model.rowCount() / 4, model.rowCount() - 30})
        EXPECT_EQ(showRows(model, row, 10), plain.mid(row, 10)) << "row " << row;
}

RD_INSTANTIATE_FOR_BACKENDS(UserTableModelTest);
