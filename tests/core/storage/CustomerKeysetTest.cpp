#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/WriteTransaction.h"

using namespace rd;
using namespace rd::test;

namespace {

constexpr int CustomerCount = 1200;

const CustomerSort AllSorts[]
    = {CustomerSort::Company, CustomerSort::Domain, CustomerSort::Contact, CustomerSort::Email,
        CustomerSort::Reseller, CustomerSort::Plan, CustomerSort::TrialEnds, CustomerSort::Created};

// The sort value as the test's own reference query writes it: text
// lower-cased (what COLLATE NOCASE compares on SQLite), NULLs first
// ascending by a separate term.
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

std::string describe(CustomerSort sort, bool ascending)
{
    return "sort " + std::to_string(static_cast<int>(sort)) + (ascending ? " asc" : " desc");
}

// 1,200 customers with many ties (same company in other case, same
// domain, same trial end, same creation time) and NULL sort values (no
// domain, direct accounts, paid without a trial end), on two plans and
// three owners.
class CustomerKeysetTest : public DatabaseTest
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

        PlanRow plan;
        plan.code = QStringLiteral("basic");
        plan.name = QStringLiteral("basic");
        plan.monthlyBudget = 1000;
        plan.createdAt = testNow();
        Result<qint64> basic = CatalogueRepository(db()).insertPlan(plan);
        ASSERT_TRUE(basic.has_value()) << basic.error().toString().toStdString();
        m_basicPlan = *basic;
        ResellerRow reseller;
        reseller.name = QStringLiteral("contoso");
        reseller.createdAt = testNow();
        Result<qint64> contoso = ResellerRepository(db()).insert(reseller);
        ASSERT_TRUE(contoso.has_value()) << contoso.error().toString().toStdString();

        Result<WriteTransaction> tx = WriteTransaction::begin(db());
        ASSERT_TRUE(tx.has_value());
        CustomerRepository customers(db());
        const QStringList companies = {QStringLiteral("Acme"), QStringLiteral("ACME"),
            QStringLiteral("acme"), QStringLiteral("Zeta Ltd"), QStringLiteral("beta"),
            QStringLiteral("Beta"), QStringLiteral("_under"), QStringLiteral("Omega 9"),
            QStringLiteral("omega 10"), QStringLiteral("Delta")};
        for (int i = 0; i < CustomerCount; ++i) {
            CustomerRow c;
            c.companyName
                = companies.at(i % companies.size()) + QLatin1Char(' ') + QString::number(i % 13);
            if (i % 5 != 0)
                c.domain = QStringLiteral("d%1.example").arg(i % 50);
            c.contactName
                = (i % 2 ? QStringLiteral("Contact %1") : QStringLiteral("CONTACT %1")).arg(i % 41);
            c.contactEmail
                = (i % 2 ? QStringLiteral("User%1@x.example") : QStringLiteral("user%1@X.example"))
                      .arg(i % 600)
                + QString::number(i);
            c.planId = i % 3 == 0 ? m_basicPlan : m_catalogue.planId;
            c.priceListId = m_catalogue.priceListId;
            c.ownerResellerId = i % 3 == 0 ? 0 : (i % 3 == 1 ? m_catalogue.resellerId : *contoso);
            if (i % 4 == 0) {
                c.billingStatus = BillingStatus::Paid;
            } else {
                c.trialEndsAt = testNow().addDays(i % 10 - 5);
                c.trialBudget = 500;
            }
            c.createdAt = testNow().addSecs(-60 * (i % 7));
            Result<qint64> id = customers.insert(c);
            ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
        }
        ASSERT_TRUE(tx->commit().has_value());
    }

    // The ids in order, from one plain ORDER BY written independently of
    // the repository.
    std::vector<qint64> reference(CustomerSort sort, bool ascending, qint64 planFilter = 0)
    {
        const QString dir = ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
        const QString e = referenceExpression(sort);
        Result<QSqlQuery> q = db().prepare(
            QStringLiteral("SELECT c.id FROM customers c JOIN plans p ON p.id = c.plan_id "
                           "LEFT JOIN resellers r ON r.id = c.owner_reseller_id "
                           "WHERE c.archived_at IS NULL AND (? = 0 OR c.plan_id = ?) "
                           "ORDER BY CASE WHEN ")
            + e + QStringLiteral(" IS NULL THEN 0 ELSE 1 END") + dir + QStringLiteral(", ") + e
            + dir + QStringLiteral(", c.id") + dir);
        EXPECT_TRUE(q.has_value());
        q->addBindValue(planFilter);
        q->addBindValue(planFilter);
        EXPECT_TRUE(db().exec(*q, QStringLiteral("reference")).has_value());
        std::vector<qint64> ids;
        while (q->next())
            ids.push_back(q->value(0).toLongLong());
        return ids;
    }

    static std::vector<qint64> idsOf(const QList<CustomerListRow> &rows)
    {
        std::vector<qint64> ids;
        for (const CustomerListRow &row : rows)
            ids.push_back(row.id);
        return ids;
    }

    Catalogue m_catalogue;
    qint64 m_basicPlan = 0;
};

} // namespace

TEST_P(CustomerKeysetTest, KeysetWalksMatchOnePlainQueryInEveryOrder)
{
    CustomerRepository customers(db());
    for (const CustomerSort sort : AllSorts) {
        for (const bool ascending : {true, false}) {
            SCOPED_TRACE(describe(sort, ascending));
            const std::vector<qint64> expected = reference(sort, ascending);
            ASSERT_EQ(expected.size(), std::size_t(CustomerCount));
            CustomerQuery query;
            query.sort = sort;
            query.ascending = ascending;

            // Forward from the first page, in odd-sized pages that split ties.
            std::vector<qint64> forward;
            std::optional<CustomerKey> after;
            for (;;) {
                Result<QList<CustomerListRow>> page = customers.pageAfter(query, after, 97);
                ASSERT_TRUE(page.has_value()) << page.error().toString().toStdString();
                if (page->isEmpty())
                    break;
                const std::vector<qint64> ids = idsOf(*page);
                forward.insert(forward.end(), ids.begin(), ids.end());
                after = CustomerKey::of(page->constLast());
                ASSERT_LE(forward.size(), expected.size());
            }
            EXPECT_EQ(forward, expected);

            // Backward from the last page.
            std::vector<qint64> backward;
            std::optional<CustomerKey> before;
            for (;;) {
                Result<QList<CustomerListRow>> page = customers.pageBefore(query, before, 89);
                ASSERT_TRUE(page.has_value()) << page.error().toString().toStdString();
                if (page->isEmpty())
                    break;
                const std::vector<qint64> ids = idsOf(*page);
                backward.insert(backward.begin(), ids.begin(), ids.end());
                before = CustomerKey::of(page->constFirst());
                ASSERT_LE(backward.size(), expected.size());
            }
            EXPECT_EQ(backward, expected);

            // A jump to the middle (OFFSET) and the order page() uses.
            query.offset = 600;
            query.limit = 50;
            Result<QList<CustomerListRow>> middle = customers.page(query);
            ASSERT_TRUE(middle.has_value());
            EXPECT_EQ(idsOf(*middle),
                std::vector<qint64>(expected.begin() + 600, expected.begin() + 650));

            // The row index of a customer is the number of rows before it.
            for (std::size_t row = 0; row < expected.size(); row += 113) {
                Result<std::optional<qint64>> position
                    = customers.position(query, expected.at(row));
                ASSERT_TRUE(position.has_value()) << position.error().toString().toStdString();
                ASSERT_TRUE(position->has_value());
                EXPECT_EQ(**position, qint64(row));
            }
        }
    }
}

TEST_P(CustomerKeysetTest, FiltersApplyToKeysetPagesAndPositions)
{
    CustomerRepository customers(db());
    for (const bool ascending : {true, false}) {
        const std::vector<qint64> expected
            = reference(CustomerSort::Company, ascending, m_basicPlan);
        ASSERT_EQ(expected.size(), std::size_t(CustomerCount / 3));
        CustomerQuery query;
        query.ascending = ascending;
        query.planFilter = m_basicPlan;
        Result<QList<CustomerListRow>> first = customers.pageAfter(query, std::nullopt, 200);
        ASSERT_TRUE(first.has_value());
        Result<QList<CustomerListRow>> rest
            = customers.pageAfter(query, CustomerKey::of(first->constLast()), 500);
        ASSERT_TRUE(rest.has_value());
        std::vector<qint64> ids = idsOf(*first);
        const std::vector<qint64> more = idsOf(*rest);
        ids.insert(ids.end(), more.begin(), more.end());
        EXPECT_EQ(ids, expected);

        Result<QList<CustomerListRow>> last = customers.pageBefore(query, std::nullopt, 10);
        ASSERT_TRUE(last.has_value());
        EXPECT_EQ(idsOf(*last), std::vector<qint64>(expected.end() - 10, expected.end()));

        // A customer on the other plan is not in this list at all.
        const std::vector<qint64> all = reference(CustomerSort::Company, ascending);
        const auto other = std::find_if(all.begin(), all.end(), [&](qint64 id) {
            return std::find(expected.begin(), expected.end(), id) == expected.end();
        });
        ASSERT_NE(other, all.end());
        Result<std::optional<qint64>> none = customers.position(query, *other);
        ASSERT_TRUE(none.has_value());
        EXPECT_FALSE(none->has_value());
    }
}

TEST_P(CustomerKeysetTest, KeysOfNullSortValuesAreNull)
{
    CustomerQuery query;
    query.sort = CustomerSort::Domain;
    Result<QList<CustomerListRow>> first = CustomerRepository(db()).pageAfter(query, {}, 5);
    ASSERT_TRUE(first.has_value());
    ASSERT_EQ(first->size(), 5);
    for (const CustomerListRow &row : std::as_const(*first)) {
        EXPECT_TRUE(row.domain.isEmpty()) << "no domain sorts first ascending";
        EXPECT_TRUE(row.sortKey.isNull());
    }
}

RD_INSTANTIATE_FOR_BACKENDS(CustomerKeysetTest);
