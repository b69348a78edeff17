#include <QAbstractItemModelTester>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "services/UserService.h"
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

RD_INSTANTIATE_FOR_BACKENDS(UserTableModelTest);
