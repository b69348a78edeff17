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
