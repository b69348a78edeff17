#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

class RepositoryTest : public DatabaseTest
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
    }

    Catalogue m_catalogue;
};

} // namespace

TEST_P(RepositoryTest, CustomerRoundTripsEveryField)
{
    Result<qint64> userId = seedUser(db(), QStringLiteral("owner@acme.example"));
    ASSERT_TRUE(userId.has_value());
    CustomerRow c;
    c.companyName = QStringLiteral("Müller & Söhne GmbH");
    c.domain = QStringLiteral("xn--mller-kva.example");
    c.contactName = QStringLiteral("Jürgen Müller");
    c.contactEmail = QStringLiteral("jürgen@müller.example");
    c.contactPhone = QStringLiteral("+49301234567");
    c.planId = m_catalogue.planId;
    c.priceListId = m_catalogue.priceListId;
    c.ownerResellerId = m_catalogue.resellerId;
    c.primaryUserId = *userId;
    c.trialEndsAt = testNow().addDays(14);
    c.trialBudget = 500;
    c.noEmail = true;
    c.createdAt = testNow();
    c.createdBy = *userId;
    CustomerRepository customers(db());
    Result<qint64> id = customers.insert(c);
    ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();

    Result<CustomerRow> read = customers.find(*id);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->companyName, c.companyName);
    EXPECT_EQ(read->domain, c.domain);
    EXPECT_EQ(read->contactName, c.contactName);
    EXPECT_EQ(read->contactEmail, c.contactEmail);
    EXPECT_EQ(read->contactPhone, c.contactPhone);
    EXPECT_EQ(read->ownerResellerId, m_catalogue.resellerId);
    EXPECT_EQ(read->primaryUserId, *userId);
    EXPECT_EQ(read->billingStatus, BillingStatus::Trial);
    EXPECT_EQ(read->trialEndsAt, c.trialEndsAt) << "times keep millisecond precision";
    EXPECT_EQ(read->trialBudget, 500);
    EXPECT_TRUE(read->noEmail);
    EXPECT_TRUE(read->active);
    EXPECT_EQ(read->version, 1);
}

TEST_P(RepositoryTest, UpdateIncrementsTheVersion)
{
    Result<qint64> id = seedCustomer(db(), m_catalogue, QStringLiteral("Acme"));
    ASSERT_TRUE(id.has_value());
    CustomerRepository customers(db());
    CustomerRow c = *customers.find(*id);
    c.billingStatus = BillingStatus::Paid;
    c.convertedAt = testNow().addDays(3);
    Result<int> v2 = customers.update(c);
    ASSERT_TRUE(v2.has_value()) << v2.error().toString().toStdString();
    EXPECT_EQ(*v2, 2);
    c.version = *v2;
    c.active = false;
    EXPECT_EQ(customers.update(c).value_or(-1), 3);
    const CustomerRow read = *customers.find(*id);
    EXPECT_EQ(read.billingStatus, BillingStatus::Paid);
    EXPECT_FALSE(read.active);
    EXPECT_EQ(read.convertedAt, testNow().addDays(3));
}

TEST_P(RepositoryTest, UpdatingAMissingCustomerIsNotFound)
{
    CustomerRow ghost;
    ghost.id = 987654;
    ghost.companyName = QStringLiteral("Ghost");
    ghost.planId = m_catalogue.planId;
    ghost.priceListId = m_catalogue.priceListId;
    Result<int> result = CustomerRepository(db()).update(ghost);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::NotFound);
}

TEST_P(RepositoryTest, DuplicateEmailKeyIsRefused)
{
    ASSERT_TRUE(seedUser(db(), QStringLiteral("Joe@Example.com")).has_value());
    Result<qint64> again = seedUser(db(), QStringLiteral("joe@example.com"));
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code(), ErrorCode::Duplicate);
    EXPECT_EQ(again.error().field(), QStringLiteral("email"));
    EXPECT_TRUE(seedUser(db(), QStringLiteral("joe+consumer@example.com")).has_value())
        << "a +tag address is a different login";
}

TEST_P(RepositoryTest, MembershipContextMustMatchTheRole)
{
    Result<qint64> userId = seedUser(db(), QStringLiteral("staff@vendor.example"));
    ASSERT_TRUE(userId.has_value());
    UserRepository users(db());

    MembershipRow admin;
    admin.userId = *userId;
    admin.role = Role::Administrator;
    admin.createdAt = testNow();
    ASSERT_TRUE(users.insertMembership(admin).has_value());

    MembershipRow badClient = admin;
    badClient.role = Role::ClientAdmin; // no customer: refused by the CHECK constraint
    EXPECT_FALSE(users.insertMembership(badClient).has_value());

    MembershipRow reseller = admin;
    reseller.role = Role::ResellerAdmin;
    reseller.resellerId = m_catalogue.resellerId;
    ASSERT_TRUE(users.insertMembership(reseller).has_value());

    MembershipRow sameContext = reseller;
    sameContext.role = Role::ResellerUser;
    Result<qint64> dup = users.insertMembership(sameContext);
    ASSERT_FALSE(dup.has_value()) << "one membership per user and context";
    EXPECT_EQ(dup.error().code(), ErrorCode::Duplicate);

    Result<QList<MembershipRow>> all = users.memberships(*userId);
    ASSERT_TRUE(all.has_value());
    ASSERT_EQ(all->size(), 2);
    EXPECT_EQ(all->at(0).role, Role::Administrator);
    EXPECT_EQ(all->at(1).role, Role::ResellerAdmin);
    EXPECT_EQ(all->at(1).resellerId, m_catalogue.resellerId);
}

TEST_P(RepositoryTest, OneOpenOwnerPerCustomerAndOneOpenAssignmentPerReseller)
{
    Result<qint64> id = seedCustomer(db(), m_catalogue, QStringLiteral("Acme"));
    ASSERT_TRUE(id.has_value());
    ResellerRow second;
    second.name = QStringLiteral("Southwind");
    second.createdAt = testNow();
    Result<qint64> secondId = ResellerRepository(db()).insert(second);
    ASSERT_TRUE(secondId.has_value());

    CustomerRepository customers(db());
    AssignmentRow owner;
    owner.customerId = *id;
    owner.resellerId = m_catalogue.resellerId;
    owner.kind = AssignmentKind::Owner;
    owner.assignedAt = testNow();
    ASSERT_TRUE(customers.insertAssignment(owner).has_value());

    AssignmentRow secondOwner = owner;
    secondOwner.resellerId = *secondId;
    Result<qint64> refused = customers.insertAssignment(secondOwner);
    ASSERT_FALSE(refused.has_value()) << "two open owners";
    EXPECT_EQ(refused.error().code(), ErrorCode::Duplicate);

    AssignmentRow additional = secondOwner;
    additional.kind = AssignmentKind::Additional;
    ASSERT_TRUE(customers.insertAssignment(additional).has_value());
    EXPECT_FALSE(customers.insertAssignment(additional).has_value()) << "same reseller twice";

    AssignmentRow history = owner; // an ended one does not count
    history.endedAt = testNow().addDays(1);
    EXPECT_TRUE(customers.insertAssignment(history).has_value());
    EXPECT_EQ(customers.assignments(*id)->size(), 3);
}

TEST_P(RepositoryTest, ADomainUsedElsewhereIsFound)
{
    Result<qint64> a = seedCustomer(db(), m_catalogue, QStringLiteral("Acme"));
    Result<qint64> b = seedCustomer(db(), m_catalogue, QStringLiteral("Acme"));
    ASSERT_TRUE(a && b);
    Result<QList<qint64>> others
        = CustomerRepository(db()).idsWithDomain(QStringLiteral("acme.example"), *a);
    ASSERT_TRUE(others.has_value());
    EXPECT_EQ(*others, QList<qint64> {*b});
}

TEST_P(RepositoryTest, ResellerUpdateIsVersionChecked)
{
    ResellerRepository resellers(db());
    ResellerRow r = *resellers.find(m_catalogue.resellerId);
    EXPECT_EQ(r.commissionRateBp, 1500);
    r.commissionRateBp = 2000;
    r.customerScope = CustomerScope::All;
    ASSERT_EQ(resellers.update(r).value_or(-1), 2);
    Result<int> stale = resellers.update(r); // still version 1
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
    const ResellerRow read = *resellers.find(m_catalogue.resellerId);
    EXPECT_EQ(read.commissionRateBp, 2000);
    EXPECT_EQ(read.customerScope, CustomerScope::All);
    EXPECT_EQ(resellers.offeredPlans(m_catalogue.resellerId).value_or(QList<qint64> {}),
        QList<qint64> {m_catalogue.planId});
}

TEST_P(RepositoryTest, SelectedPricingNeedsAPriceList)
{
    ResellerRow r;
    r.name = QStringLiteral("No list");
    r.pricing = PricingMode::Selected;
    r.createdAt = testNow();
    EXPECT_FALSE(ResellerRepository(db()).insert(r).has_value());
}

TEST_P(RepositoryTest, OnlyOneDefaultPriceList)
{
    PriceListRow second;
    second.name = QStringLiteral("Another channel");
    second.currency = QStringLiteral("EUR");
    second.isDefault = true;
    second.createdAt = testNow();
    Result<qint64> refused = CatalogueRepository(db()).insertPriceList(second);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::Duplicate);
    Result<std::optional<PriceListRow>> def = CatalogueRepository(db()).defaultPriceList();
    ASSERT_TRUE(def.has_value() && def->has_value());
    EXPECT_EQ((*def)->id, m_catalogue.priceListId);
    EXPECT_EQ(CatalogueRepository(db())
                  .price(m_catalogue.priceListId, m_catalogue.planId)
                  .value_or(std::nullopt),
        std::optional<qint64>(4900));
}

TEST_P(RepositoryTest, ForeignKeysAreEnforced)
{
    CustomerRow c;
    c.companyName = QStringLiteral("Orphan");
    c.contactName = QStringLiteral("Nobody");
    c.contactEmail = QStringLiteral("nobody@orphan.example");
    c.planId = 999999; // no such plan
    c.priceListId = m_catalogue.priceListId;
    c.trialEndsAt = testNow();
    c.trialBudget = 500;
    c.createdAt = testNow();
    EXPECT_FALSE(CustomerRepository(db()).insert(c).has_value());
}

RD_INSTANTIATE_FOR_BACKENDS(RepositoryTest);
