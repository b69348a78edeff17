#include <algorithm>

#include <QSet>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/UserService.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

std::string describe(const Error &error)
{
    return error.toString().toStdString();
}

const QList<UserSort> AllSorts {
    UserSort::Email, UserSort::Name, UserSort::Role, UserSort::Status, UserSort::LastSignIn};

// The paged listing of UserService (keyset pages, counts, filter) against
// a plain ORDER BY of the same rows (membershipsAtRow from row 0, one
// statement) and against listUsers(), on both databases.
class UserListPagingTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << describe(world.error());
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db(), m_clock);
        m_service = std::make_unique<UserService>(db(), m_clock, *m_access);

        // More rows than a few pages, with names that tie, mixed case, some
        // signed in, some deactivated, in reseller A and in customer A.
        const QStringList names {QStringLiteral("Zoe Quinn"), QStringLiteral("adam Smith"),
            QStringLiteral("Adam Smith"), QStringLiteral("Émile Zola"), QStringLiteral("bob")};
        for (int i = 0; i < 24; ++i) {
            NewUser u;
            u.email = QStringLiteral("%1.user%2@%3.test")
                          .arg(i % 2 ? QStringLiteral("Mixed") : QStringLiteral("lower"))
                          .arg(i)
                          .arg(i % 3 ? QStringLiteral("northwind") : QStringLiteral("example"));
            u.displayName = names.at(i % names.size());
            u.role = i % 4 == 0 ? Role::ResellerUser : Role::ClientUser;
            u.contextId = i % 4 == 0 ? m_world.resellerA : m_world.customerA;
            u.sendInvitation = false;
            Result<AddedUser> added = m_service->addUser(*m_world.admin, u);
            ASSERT_TRUE(added.has_value()) << describe(added.error());
            if (i % 5 == 1) {
                ASSERT_TRUE(UserRepository(db()).recordSuccessfulSignIn(
                    added->userId, testNow().addSecs(-3600 * i)));
            }
            if (i % 7 == 2) {
                ASSERT_TRUE(m_service->setMembershipActive(
                    *m_world.admin, added->membershipId, 1, false, QStringLiteral("test")));
            }
        }
    }

    // Every row of the query in one plain ORDER BY.
    QList<qint64> reference(const Session &session, const UserPageQuery &query)
    {
        Result<QList<UserListRow>> rows
            = m_service->membershipsAtRow(session, query, 0, UserService::MaxPageRows);
        EXPECT_TRUE(rows.has_value()) << describe(rows.error());
        return ids(rows.value_or(QList<UserListRow>()));
    }

    static QList<qint64> ids(const QList<UserListRow> &rows)
    {
        QList<qint64> result;
        for (const UserListRow &row : rows)
            result.append(row.membershipId);
        return result;
    }

    // The rows read forward page by page from the start.
    QList<qint64> forward(const Session &session, const UserPageQuery &query, int pageRows)
    {
        QList<qint64> result;
        std::optional<UserListKey> key;
        for (int guard = 0; guard < 1000; ++guard) {
            Result<QList<UserListRow>> page
                = m_service->membershipsAfter(session, query, key, pageRows);
            EXPECT_TRUE(page.has_value()) << describe(page.error());
            if (!page || page->isEmpty())
                break;
            result += ids(*page);
            key = UserListKey::of(page->constLast());
        }
        return result;
    }

    // The rows read backward page by page from the end.
    QList<qint64> backward(const Session &session, const UserPageQuery &query, int pageRows)
    {
        QList<qint64> result;
        std::optional<UserListKey> key;
        for (int guard = 0; guard < 1000; ++guard) {
            Result<QList<UserListRow>> page
                = m_service->membershipsBefore(session, query, key, pageRows);
            EXPECT_TRUE(page.has_value()) << describe(page.error());
            if (!page || page->isEmpty())
                break;
            result = ids(*page) + result;
            key = UserListKey::of(page->constFirst());
        }
        return result;
    }

    // The filter's rule, applied to listUsers() in C++.
    static bool matches(const UserListRow &row, const QString &term)
    {
        const QString email = row.email.toCaseFolded();
        return email.startsWith(term.toCaseFolded())
            || row.displayName.startsWith(term, Qt::CaseInsensitive)
            || (contextKindOf(row.role) != ContextKind::Vendor
                && row.contextName.startsWith(term, Qt::CaseInsensitive));
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<UserService> m_service;
};

TEST_P(UserListPagingTest, PagesEqualOnePlainOrderByInEverySortForwardAndBackward)
{
    const Session &admin = *m_world.admin;
    Result<QList<UserListRow>> all = m_service->listUsers(admin);
    ASSERT_TRUE(all.has_value());
    QSet<qint64> expected;
    for (const UserListRow &row : std::as_const(*all))
        expected.insert(row.membershipId);
    ASSERT_GT(expected.size(), 30);

    for (const UserSort sort : AllSorts) {
        for (const bool ascending : {true, false}) {
            UserPageQuery query;
            query.sort = sort;
            query.ascending = ascending;
            const QList<qint64> plain = reference(admin, query);
            const QString what
                = QStringLiteral("sort %1 %2")
                      .arg(static_cast<int>(sort))
                      .arg(ascending ? QStringLiteral("asc") : QStringLiteral("desc"));
            EXPECT_EQ(QSet<qint64>(plain.cbegin(), plain.cend()), expected) << what.toStdString();
            for (const int pageRows : {1, 4, 7, 200}) {
                EXPECT_EQ(forward(admin, query, pageRows), plain) << what.toStdString();
                EXPECT_EQ(backward(admin, query, pageRows), plain) << what.toStdString();
            }
            Result<qint64> count = m_service->countMemberships(admin, query);
            ASSERT_TRUE(count.has_value());
            EXPECT_EQ(*count, plain.size());
            // A row's position is its index in the order.
            for (const qsizetype row : {qsizetype {0}, plain.size() / 2, plain.size() - 1}) {
                Result<std::optional<qint64>> position
                    = m_service->membershipPosition(admin, query, plain.at(row));
                ASSERT_TRUE(position.has_value());
                EXPECT_EQ(position->value_or(-1), row) << what.toStdString();
            }
            // OFFSET pages agree too.
            Result<QList<UserListRow>> middle = m_service->membershipsAtRow(admin, query, 5, 6);
            ASSERT_TRUE(middle.has_value());
            EXPECT_EQ(ids(*middle), plain.mid(5, 6));
        }
    }
}

TEST_P(UserListPagingTest, TheOrderIsTheSortValueThenTheMembershipForTies)
{
    const Session &admin = *m_world.admin;
    UserPageQuery query;
    query.sort = UserSort::Role;
    Result<QList<UserListRow>> rows
        = m_service->membershipsAtRow(admin, query, 0, UserService::MaxPageRows);
    ASSERT_TRUE(rows.has_value());
    for (qsizetype i = 1; i < rows->size(); ++i) {
        const UserListRow &a = rows->at(i - 1);
        const UserListRow &b = rows->at(i);
        ASSERT_LE(rank(a.role), rank(b.role));
        if (a.role == b.role) {
            EXPECT_LT(a.membershipId, b.membershipId);
        }
    }
    query.sort = UserSort::Status;
    rows = m_service->membershipsAtRow(admin, query, 0, UserService::MaxPageRows);
    ASSERT_TRUE(rows.has_value());
    bool sawInactive = false;
    for (const UserListRow &row : std::as_const(*rows)) {
        if (!row.active) {
            sawInactive = true;
        } else {
            EXPECT_FALSE(sawInactive) << "usable memberships come first";
        }
    }
    EXPECT_TRUE(sawInactive);
    query.sort = UserSort::LastSignIn;
    rows = m_service->membershipsAtRow(admin, query, 0, UserService::MaxPageRows);
    ASSERT_TRUE(rows.has_value());
    EXPECT_FALSE(rows->constFirst().lastLoginAt.isValid()) << "never signed in comes first";
    EXPECT_TRUE(rows->constLast().lastLoginAt.isValid());
}

TEST_P(UserListPagingTest, KeysetContinuesExactlyAfterInsertsAndDeletesByAnotherConnection)
{
    const Session &admin = *m_world.admin;
    for (const UserSort sort : AllSorts) {
        UserPageQuery query;
        query.sort = sort;
        Result<QList<UserListRow>> first = m_service->membershipsAfter(admin, query, {}, 6);
        ASSERT_TRUE(first.has_value());
        ASSERT_EQ(first->size(), 6);
        const UserListKey key = UserListKey::of(first->constLast());

        // Another desktop adds a login and removes a membership meanwhile.
        Result<std::unique_ptr<Database>> other = testDatabase().open();
        ASSERT_TRUE(other.has_value()) << describe(other.error());
        AccessControl otherAccess(**other, m_clock);
        UserService otherService(**other, m_clock, otherAccess);
        NewUser u;
        u.email = QStringLiteral("aaa.concurrent%1@northwind.test").arg(static_cast<int>(sort));
        u.displayName = QStringLiteral("Aaron Concurrent");
        u.role = Role::ClientUser;
        u.contextId = m_world.customerB;
        u.sendInvitation = false;
        ASSERT_TRUE(otherService.addUser(admin, u).has_value());
        const QList<qint64> before = reference(admin, query);
        const qint64 victim = before.at(before.size() / 2 + 1);
        {
            QSqlQuery del((*other)->connection());
            ASSERT_TRUE(del.prepare(QStringLiteral("UPDATE memberships SET archived_at = ? "
                                                   "WHERE id = ?")));
            del.addBindValue(testNow().toMSecsSinceEpoch());
            del.addBindValue(victim);
            ASSERT_TRUE(del.exec());
        }
        other->reset();

        const QList<qint64> now = reference(admin, query);
        ASSERT_FALSE(now.contains(victim));
        const qsizetype at = now.indexOf(first->constLast().membershipId);
        ASSERT_GE(at, 0);
        QList<qint64> rest;
        std::optional<UserListKey> next = key;
        for (int guard = 0; guard < 100; ++guard) {
            Result<QList<UserListRow>> page = m_service->membershipsAfter(admin, query, next, 5);
            ASSERT_TRUE(page.has_value());
            if (page->isEmpty())
                break;
            rest += ids(*page);
            next = UserListKey::of(page->constLast());
        }
        EXPECT_EQ(rest, now.mid(at + 1)) << "sort " << static_cast<int>(sort);
        Result<qint64> count = m_service->countMemberships(admin, query);
        ASSERT_TRUE(count.has_value());
        EXPECT_EQ(*count, now.size()) << "the kept counter follows both changes";
    }
}

TEST_P(UserListPagingTest, TheFilterIsAPrefixOfEmailNameOrContextApplied)
{
    const Session &admin = *m_world.admin;
    Result<QList<UserListRow>> all = m_service->listUsers(admin);
    ASSERT_TRUE(all.has_value());
    for (const QString &term : {QStringLiteral("mixed"), QStringLiteral("ADAM"),
             QStringLiteral("É"), QStringLiteral("Northwind"), QStringLiteral("x"),
             QStringLiteral("50%_\\"), QStringLiteral("lower.user1")}) {
        QList<qint64> expected;
        for (const UserListRow &row : std::as_const(*all)) {
            if (matches(row, term))
                expected.append(row.membershipId);
        }
        UserPageQuery query;
        query.filter = term;
        QList<qint64> got = forward(admin, query, 4);
        EXPECT_EQ(QSet<qint64>(got.cbegin(), got.cend()),
            QSet<qint64>(expected.cbegin(), expected.cend()))
            << term.toStdString();
        EXPECT_EQ(got, reference(admin, query)) << term.toStdString();
        EXPECT_EQ(backward(admin, query, 3), got) << term.toStdString();
        Result<qint64> count = m_service->countMemberships(admin, query);
        ASSERT_TRUE(count.has_value());
        EXPECT_EQ(*count, expected.size()) << term.toStdString();
    }

    UserPageQuery tooLong;
    tooLong.filter = QString(UserService::MaxFilterLength + 1, QLatin1Char('a'));
    Result<qint64> refused = m_service->countMemberships(admin, tooLong);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(
        m_service->membershipsAfter(admin, {}, {}, UserService::MaxPageRows + 1).error().code(),
        ErrorCode::InvalidInput);
}

TEST_P(UserListPagingTest, PagesKeepTheScopeOfListUsers)
{
    for (const Role role : allRoles()) {
        const Session &session = m_world.as(role);
        Result<QList<UserListRow>> all = m_service->listUsers(session);
        UserPageQuery query;
        Result<qint64> count = m_service->countMemberships(session, query);
        Result<QList<UserListRow>> page = m_service->membershipsAfter(session, query, {}, 1000);
        Result<QList<UserListRow>> last = m_service->membershipsBefore(session, query, {}, 10);
        Result<QList<UserListRow>> jump = m_service->membershipsAtRow(session, query, 1, 10);
        if (!all) {
            // Refused the same way, whatever the call.
            const ErrorCode code = all.error().code();
            EXPECT_EQ(count.error().code(), code) << roleKey(role).toStdString();
            EXPECT_EQ(page.error().code(), code) << roleKey(role).toStdString();
            EXPECT_EQ(last.error().code(), code) << roleKey(role).toStdString();
            EXPECT_EQ(jump.error().code(), code) << roleKey(role).toStdString();
            EXPECT_FALSE(m_service->findListed(session, session.membershipId()).has_value());
            continue;
        }
        ASSERT_TRUE(count.has_value() && page.has_value() && last.has_value() && jump.has_value())
            << roleKey(role).toStdString();
        QList<qint64> expected = ids(*all);
        QList<qint64> got = ids(*page);
        std::sort(expected.begin(), expected.end());
        std::sort(got.begin(), got.end());
        EXPECT_EQ(got, expected) << roleKey(role).toStdString();
        EXPECT_EQ(*count, all->size()) << roleKey(role).toStdString();
        // Out of scope is not found.
        for (const UserListRow &row : std::as_const(*all)) {
            Result<std::optional<UserListRow>> found
                = m_service->findListed(session, row.membershipId);
            ASSERT_TRUE(found.has_value());
            ASSERT_TRUE(found->has_value());
            EXPECT_EQ((*found)->email, row.email);
            EXPECT_EQ((*found)->contextName, row.contextName);
        }
        if (role != Role::Administrator) {
            Result<std::optional<qint64>> admin
                = m_service->membershipPosition(session, query, m_world.admin->membershipId());
            ASSERT_TRUE(admin.has_value());
            EXPECT_FALSE(admin->has_value()) << roleKey(role).toStdString();
            Result<std::optional<UserListRow>> found
                = m_service->findListed(session, m_world.admin->membershipId());
            ASSERT_TRUE(found.has_value());
            EXPECT_FALSE(found->has_value());
        }
    }
}

} // namespace

RD_INSTANTIATE_FOR_BACKENDS(UserListPagingTest);
