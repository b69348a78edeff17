#include <QSqlError>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "storage/CustomerRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/TransferRepository.h"
#include "storage/WriteTransaction.h"

using namespace rd;
using namespace rd::test;

namespace {

// Migration 4 keeps the counts of the unfiltered customer views in
// customer_counts; CustomerRepository::count reads them (or one reseller's
// assignments) instead of counting rows. Every check compares with a
// COUNT(*) the test writes itself, after each kind of change that moves a
// customer in or out of a view.
class CustomerCountTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<Catalogue> seeded = seedCatalogue(db());
        ASSERT_TRUE(seeded.has_value()) << seeded.error().toString().toStdString();
        m_catalogue = *seeded;
        ResellerRow everyone;
        everyone.name = QStringLiteral("Sees everyone");
        everyone.customerScope = CustomerScope::All;
        everyone.createdAt = testNow();
        Result<qint64> id = ResellerRepository(db()).insert(everyone);
        ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
        m_seesAll = *id;
        ResellerRow other;
        other.name = QStringLiteral("Contoso");
        other.createdAt = testNow();
        id = ResellerRepository(db()).insert(other);
        ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
        m_contoso = *id;
    }

    qint64 addCustomer(int n, qint64 owner)
    {
        CustomerRepository customers(db());
        CustomerRow c;
        c.companyName = QStringLiteral("Company %1").arg(n);
        c.contactName = QStringLiteral("Contact %1").arg(n);
        c.contactEmail = QStringLiteral("c%1@example.com").arg(n);
        c.planId = m_catalogue.planId;
        c.priceListId = m_catalogue.priceListId;
        c.ownerResellerId = owner;
        c.billingStatus = BillingStatus::Paid;
        c.createdAt = testNow();
        Result<qint64> id = customers.insert(c);
        EXPECT_TRUE(id.has_value()) << id.error().toString().toStdString();
        if (!id)
            return 0;
        if (owner > 0)
            assign(*id, owner, AssignmentKind::Owner);
        return *id;
    }

    qint64 assign(qint64 customerId, qint64 resellerId, AssignmentKind kind)
    {
        AssignmentRow a;
        a.customerId = customerId;
        a.resellerId = resellerId;
        a.kind = kind;
        a.assignedAt = testNow();
        Result<qint64> id = CustomerRepository(db()).insertAssignment(a);
        EXPECT_TRUE(id.has_value()) << id.error().toString().toStdString();
        return id.value_or(0);
    }

    qint64 kept(CustomerQuery query)
    {
        Result<qint64> n = CustomerRepository(db()).count(query);
        EXPECT_TRUE(n.has_value()) << n.error().toString().toStdString();
        return n.value_or(-1);
    }

    // The test's own counts, from the rows.
    qint64 reference(const QString &where, const QVariantList &values = {})
    {
        QSqlQuery q(db().connection());
        EXPECT_TRUE(q.prepare(QStringLiteral("SELECT count(*) FROM customers c WHERE "
                                             "c.archived_at IS NULL AND ")
            + where));
        for (const QVariant &v : values)
            q.addBindValue(v);
        EXPECT_TRUE(q.exec()) << q.lastError().text().toStdString();
        q.next();
        return q.value(0).toLongLong();
    }

    qint64 assignedReference(qint64 resellerId)
    {
        return reference(QStringLiteral("EXISTS (SELECT 1 FROM customer_assignments a WHERE "
                                        "a.customer_id = c.id AND a.reseller_id = ? AND "
                                        "a.ended_at IS NULL)"),
            {resellerId});
    }

    void expectCountsMatch(const std::string &when)
    {
        SCOPED_TRACE(when);
        CustomerQuery all;
        EXPECT_EQ(kept(all), reference(QStringLiteral("1 = 1")));
        CustomerQuery direct;
        direct.resellerFilter = 0;
        EXPECT_EQ(kept(direct), reference(QStringLiteral("c.owner_reseller_id IS NULL")));
        CustomerQuery ofSeed;
        ofSeed.resellerFilter = m_catalogue.resellerId;
        EXPECT_EQ(kept(ofSeed), assignedReference(m_catalogue.resellerId));

        // A reseller that sees only its assigned customers...
        CustomerQuery portal;
        portal.scope = CustomerQuery::Scope::Reseller;
        portal.scopeId = m_contoso;
        EXPECT_EQ(kept(portal), assignedReference(m_contoso));
        // ... and one whose scope is every customer.
        CustomerQuery everyone;
        everyone.scope = CustomerQuery::Scope::Reseller;
        everyone.scopeId = m_seesAll;
        EXPECT_EQ(kept(everyone), reference(QStringLiteral("1 = 1")));
        everyone.resellerFilter = 0;
        EXPECT_EQ(kept(everyone), reference(QStringLiteral("c.owner_reseller_id IS NULL")));
    }

    Catalogue m_catalogue;
    qint64 m_seesAll = 0;
    qint64 m_contoso = 0;
};

TEST_P(CustomerCountTest, CountsFollowEveryChangeThatMovesACustomer)
{
    expectCountsMatch("empty");
    QList<qint64> ids;
    for (int i = 0; i < 30; ++i)
        ids.append(
            addCustomer(i, i % 3 == 0 ? 0 : (i % 3 == 1 ? m_catalogue.resellerId : m_contoso)));
    expectCountsMatch("after adding");
    EXPECT_EQ(kept(CustomerQuery()), 30);

    // An additional assignment, then its end.
    const qint64 extra = assign(ids.at(0), m_contoso, AssignmentKind::Additional);
    expectCountsMatch("after an additional assignment");
    TransferRepository transfers(db());
    ASSERT_TRUE(transfers.endAssignments({extra}, testNow(), 0).has_value());
    expectCountsMatch("after ending it");

    // Archiving a direct and an owned customer.
    CustomerRepository customers(db());
    for (const qint64 id : {ids.at(3), ids.at(4)}) {
        Result<CustomerRow> row = customers.find(id);
        ASSERT_TRUE(row.has_value());
        ASSERT_TRUE(customers.archive(id, row->version, testNow()).has_value());
    }
    expectCountsMatch("after archiving");
    EXPECT_EQ(kept(CustomerQuery()), 28);

    // A move to a direct account and back.
    Result<CustomerRow> moved = customers.find(ids.at(1));
    ASSERT_TRUE(moved.has_value());
    Result<int> v = transfers.setOwnership(
        ids.at(1), moved->version, 0, moved->planId, moved->priceListId, testNow());
    ASSERT_TRUE(v.has_value()) << v.error().toString().toStdString();
    expectCountsMatch("after a move to direct");
    v = transfers.setOwnership(
        ids.at(1), *v, m_contoso, moved->planId, moved->priceListId, testNow());
    ASSERT_TRUE(v.has_value()) << v.error().toString().toStdString();
    expectCountsMatch("after a move back");
}

// One statement that writes many rows (the import's multi-row INSERTs, the
// clone's and transfers' set-based UPDATEs) moves the counts by all of them:
// on PostgreSQL the counters change once per statement (migration 8).
TEST_P(CustomerCountTest, StatementsThatWriteManyRowsMoveTheCountsByAllOfThem)
{
    QSqlQuery q(db().connection());
    auto run = [&q](const QString &sql, const QVariantList &values) {
        ASSERT_TRUE(q.prepare(sql)) << q.lastError().text().toStdString();
        for (const QVariant &v : values)
            q.addBindValue(v);
        ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();
    };
    QString insert = QStringLiteral("INSERT INTO customers (company_name, contact_name, "
                                    "contact_email, plan_id, price_list_id, owner_reseller_id, "
                                    "billing_status, created_at, archived_at) VALUES ");
    QVariantList values;
    const QVariant none = QVariant(QMetaType::fromType<qint64>());
    for (int i = 0; i < 12; ++i) {
        insert += (i ? QStringLiteral(", ") : QString())
            + QStringLiteral("(?, ?, ?, ?, ?, ?, 'paid', ?, ?)");
        values << QStringLiteral("Bulk %1").arg(i) << QStringLiteral("Contact %1").arg(i)
               << QStringLiteral("bulk%1@example.com").arg(i) << m_catalogue.planId
               << m_catalogue.priceListId << (i % 2 ? QVariant(m_contoso) : none)
               << testNow().toMSecsSinceEpoch()
               << (i % 4 == 3 ? QVariant(testNow().toMSecsSinceEpoch()) : none);
    }
    run(insert, values);
    expectCountsMatch("after one INSERT of twelve rows, three archived");
    EXPECT_EQ(kept(CustomerQuery()), 9);

    run(QStringLiteral("UPDATE customers SET archived_at = ? WHERE company_name IN (?, ?, ?)"),
        {testNow().toMSecsSinceEpoch(), QStringLiteral("Bulk 0"), QStringLiteral("Bulk 1"),
            QStringLiteral("Bulk 3")});
    expectCountsMatch("after archiving two live rows and an archived one");
    EXPECT_EQ(kept(CustomerQuery()), 7);

    run(QStringLiteral("UPDATE customers SET owner_reseller_id = NULL WHERE owner_reseller_id = ?"),
        {m_contoso});
    expectCountsMatch("after making every owned row direct");
    run(QStringLiteral("UPDATE customers SET contact_name = ?"), {QStringLiteral("Renamed")});
    expectCountsMatch("after an UPDATE that moves nothing");

    run(QStringLiteral("DELETE FROM customers WHERE company_name IN (?, ?, ?)"),
        {QStringLiteral("Bulk 0"), QStringLiteral("Bulk 2"), QStringLiteral("Bulk 4")});
    expectCountsMatch("after deleting an archived and two live rows");
    EXPECT_EQ(kept(CustomerQuery()), 5);
}

// The same for the Users page's count (migration 7): memberships written
// many to a statement, and users archived and restored many to a statement.
TEST_P(CustomerCountTest, StatementsThatWriteManyMembershipsMoveTheirCountByAllOfThem)
{
    QSqlQuery q(db().connection());
    auto run = [&q](const QString &sql, const QVariantList &values) {
        ASSERT_TRUE(q.prepare(sql)) << q.lastError().text().toStdString();
        for (const QVariant &v : values)
            q.addBindValue(v);
        ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();
    };
    auto counted = [&q]() -> qint64 {
        EXPECT_TRUE(q.exec(QStringLiteral("SELECT n FROM membership_counts WHERE key = 0")));
        return q.next() ? q.value(0).toLongLong() : -1;
    };
    auto reference = [&q]() -> qint64 {
        EXPECT_TRUE(q.exec(
            QStringLiteral("SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id "
                           "WHERE m.archived_at IS NULL AND u.archived_at IS NULL")));
        return q.next() ? q.value(0).toLongLong() : -2;
    };
    const qint64 before = counted();
    ASSERT_EQ(before, reference());

    const qint64 now = testNow().toMSecsSinceEpoch();
    run(QStringLiteral("INSERT INTO users (email, email_key, display_name, created_at) VALUES "
                       "('a@bulk.test', 'a@bulk.test', 'A', ?), "
                       "('b@bulk.test', 'b@bulk.test', 'B', ?)"),
        {now, now});
    run(QStringLiteral("SELECT id FROM users WHERE email_key IN ('a@bulk.test', 'b@bulk.test') "
                       "ORDER BY email_key"),
        {});
    QList<qint64> users;
    while (q.next())
        users.append(q.value(0).toLongLong());
    ASSERT_EQ(users.size(), 2);

    const QVariant none = QVariant(QMetaType::fromType<qint64>());
    run(QStringLiteral("INSERT INTO memberships (user_id, role, reseller_id, created_at, "
                       "archived_at) VALUES (?, 'reseller_user', ?, ?, ?), "
                       "(?, 'reseller_user', ?, ?, ?), (?, 'reseller_admin', ?, ?, ?)"),
        {users.at(0), m_contoso, now, none, users.at(1), m_contoso, now, none, users.at(1),
            m_seesAll, now, now});
    EXPECT_EQ(counted(), before + 2) << "the archived membership is not listed";
    EXPECT_EQ(counted(), reference());

    run(QStringLiteral("UPDATE users SET archived_at = ? WHERE id IN (?, ?)"),
        {now, users.at(0), users.at(1)});
    EXPECT_EQ(counted(), before);
    EXPECT_EQ(counted(), reference());
    run(QStringLiteral("UPDATE users SET archived_at = NULL WHERE id IN (?, ?)"),
        {users.at(0), users.at(1)});
    EXPECT_EQ(counted(), before + 2);

    run(QStringLiteral("UPDATE memberships SET archived_at = NULL WHERE user_id IN (?, ?)"),
        {users.at(0), users.at(1)});
    EXPECT_EQ(counted(), before + 3);
    run(QStringLiteral("UPDATE users SET display_name = 'Renamed' WHERE id IN (?, ?)"),
        {users.at(0), users.at(1)});
    EXPECT_EQ(counted(), before + 3);
    run(QStringLiteral("DELETE FROM memberships WHERE user_id IN (?, ?)"),
        {users.at(0), users.at(1)});
    EXPECT_EQ(counted(), before);
    EXPECT_EQ(counted(), reference());
}

// On PostgreSQL a row trigger would update the counter row once per row, and
// the versions of that row pile up within the transaction: writing n rows
// costs O(n^2) (a 40,000-row transaction spent 15 s on it). Every counter
// trigger is a statement trigger there.
TEST_P(CustomerCountTest, PostgresCountersChangeOncePerStatement)
{
    if (db().dialect() != Dialect::PostgreSQL)
        GTEST_SKIP() << "SQLite updates a row in place; its row triggers stay";
    QSqlQuery q(db().connection());
    ASSERT_TRUE(q.exec(QStringLiteral(
        "SELECT tgname, (tgtype & 1) <> 0 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE NOT t.tgisinternal AND (p.proname LIKE '%count%') ORDER BY tgname")))
        << q.lastError().text().toStdString();
    QStringList triggers;
    while (q.next()) {
        triggers.append(q.value(0).toString());
        EXPECT_FALSE(q.value(1).toBool()) << q.value(0).toString().toStdString() << " is per row";
    }
    EXPECT_EQ(triggers,
        (QStringList {QStringLiteral("customers_count_delete"),
            QStringLiteral("customers_count_insert"), QStringLiteral("customers_count_update"),
            QStringLiteral("memberships_count_delete"), QStringLiteral("memberships_count_insert"),
            QStringLiteral("memberships_count_update"),
            QStringLiteral("users_membership_count_update")}));
}

TEST_P(CustomerCountTest, RolledBackInsertLeavesTheCountsAlone)
{
    addCustomer(1, 0);
    {
        Result<WriteTransaction> tx = WriteTransaction::begin(db());
        ASSERT_TRUE(tx.has_value());
        addCustomer(2, 0);
        addCustomer(3, m_contoso);
        tx->rollback();
    }
    expectCountsMatch("after the rollback");
    EXPECT_EQ(kept(CustomerQuery()), 1);
}

TEST_P(CustomerCountTest, FilteredViewsAreStillCountedFromTheRows)
{
    for (int i = 0; i < 12; ++i)
        addCustomer(i, i % 2 ? m_contoso : 0);
    CustomerQuery search;
    search.search = QStringLiteral("Company 1");
    EXPECT_EQ(kept(search), 3); // 1, 10, 11
    CustomerQuery status;
    status.status = CustomerStatusFilter::Active;
    EXPECT_EQ(kept(status), 12);
    CustomerQuery portalFilteredElsewhere;
    portalFilteredElsewhere.scope = CustomerQuery::Scope::Reseller;
    portalFilteredElsewhere.scopeId = m_contoso;
    portalFilteredElsewhere.resellerFilter = m_catalogue.resellerId;
    EXPECT_EQ(kept(portalFilteredElsewhere), 0);
}

TEST_P(CustomerCountTest, TheCountersCannotGoNegative)
{
    // A corrupted counter is refused by the database rather than shown.
    QSqlQuery q(db().connection());
    EXPECT_FALSE(q.exec(QStringLiteral("UPDATE customer_counts SET n = -1 WHERE key = 0")));
}

} // namespace

RD_INSTANTIATE_FOR_BACKENDS(CustomerCountTest);
