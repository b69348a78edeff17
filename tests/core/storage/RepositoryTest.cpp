#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "storage/AuditRepository.h"
#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/SettingsRepository.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

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

TEST_P(RepositoryTest, SettingsCarryOneVersionForTheWholeSet)
{
    SettingsRepository settings(db());
    Result<StoredSettings> empty = settings.read();
    ASSERT_TRUE(empty.has_value()) << empty.error().toString().toStdString();
    EXPECT_TRUE(empty->values.isEmpty());
    EXPECT_EQ(empty->version, 0);

    Result<qint64> userId = seedUser(db(), QStringLiteral("admin@vendor.example"));
    ASSERT_TRUE(userId.has_value());
    {
        Result<WriteTransaction> tx = WriteTransaction::begin(db());
        ASSERT_TRUE(tx.has_value());
        EXPECT_EQ(settings.advanceVersion(0, testNow(), *userId).value_or(-1), 1);
        ASSERT_TRUE(
            settings.put(QStringLiteral("trial_days"), QStringLiteral("21"), testNow(), *userId));
        ASSERT_TRUE(
            settings.put(QStringLiteral("trial_days"), QStringLiteral("28"), testNow(), *userId));
        ASSERT_TRUE(tx->commit());
    }
    Result<StoredSettings> read = settings.read();
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->values,
        (QHash<QString, QString> {{QStringLiteral("trial_days"), QStringLiteral("28")}}))
        << "the version row is not a value";
    EXPECT_EQ(read->version, 1);

    for (qint64 stale : {qint64 {0}, qint64 {2}}) {
        Result<WriteTransaction> tx = WriteTransaction::begin(db());
        ASSERT_TRUE(tx.has_value());
        Result<qint64> refused = settings.advanceVersion(stale, testNow(), *userId);
        ASSERT_FALSE(refused.has_value()) << stale;
        EXPECT_EQ(refused.error().code(), ErrorCode::Conflict) << stale;
    }
    Result<WriteTransaction> tx = WriteTransaction::begin(db());
    ASSERT_TRUE(tx.has_value());
    EXPECT_EQ(settings.advanceVersion(1, testNow(), *userId).value_or(-1), 2);
    ASSERT_TRUE(tx->commit());
    EXPECT_EQ(settings.read()->version, 2);
}

TEST_P(RepositoryTest, PriceListsComeDefaultFirstWithTheirPrices)
{
    CatalogueRepository catalogue(db());
    PriceListRow list;
    list.currency = QStringLiteral("USD");
    list.createdAt = testNow();
    list.name = QStringLiteral("zeta");
    const qint64 zeta = catalogue.insertPriceList(list).value_or(0);
    list.name = QStringLiteral("Alpha");
    const qint64 alpha = catalogue.insertPriceList(list).value_or(0);
    ASSERT_TRUE(zeta && alpha);
    Result<QList<PriceListRow>> lists = catalogue.priceLists();
    ASSERT_TRUE(lists.has_value()) << lists.error().toString().toStdString();
    ASSERT_EQ(lists->size(), 3);
    EXPECT_EQ(lists->at(0).id, m_catalogue.priceListId);
    EXPECT_EQ(lists->at(1).id, alpha) << "by name, ignoring case";
    EXPECT_EQ(lists->at(2).id, zeta);
    EXPECT_EQ(
        catalogue.prices(m_catalogue.priceListId).value_or(QList<std::pair<qint64, qint64>> {}),
        (QList<std::pair<qint64, qint64>> {{m_catalogue.planId, 4900}}));
    EXPECT_TRUE(catalogue.prices(alpha)->isEmpty());
}

TEST_P(RepositoryTest, CustomerFiltersAndCountAgree)
{
    Result<qint64> trial = seedCustomer(db(), m_catalogue, QStringLiteral("Trial Co"));
    Result<qint64> paid = seedCustomer(db(), m_catalogue, QStringLiteral("Paid Co"));
    Result<qint64> off = seedCustomer(db(), m_catalogue, QStringLiteral("Off Co"));
    ASSERT_TRUE(trial && paid && off);
    CustomerRepository customers(db());
    CustomerRow p = *customers.find(*paid);
    p.billingStatus = BillingStatus::Paid;
    ASSERT_TRUE(customers.update(p).has_value());
    CustomerRow o = *customers.find(*off);
    o.active = false;
    ASSERT_TRUE(customers.update(o).has_value());

    auto ids = [&](const CustomerQuery &q) {
        QList<qint64> out;
        for (const CustomerListRow &row : customers.page(q).value_or(QList<CustomerListRow> {}))
            out.append(row.id);
        EXPECT_EQ(customers.count(q).value_or(-1), out.size());
        return out;
    };
    CustomerQuery q;
    q.now = testNow();
    q.status = CustomerStatusFilter::Trial;
    EXPECT_EQ(ids(q), QList<qint64> {*trial});
    q.now = testNow().addDays(14);
    EXPECT_TRUE(ids(q).isEmpty()) << "ends at trial_ends_at";
    q.status = CustomerStatusFilter::TrialExpired;
    EXPECT_EQ(ids(q), QList<qint64> {*trial});
    q.status = CustomerStatusFilter::Active;
    EXPECT_EQ(ids(q), QList<qint64> {*paid});
    q.status = CustomerStatusFilter::Inactive;
    EXPECT_EQ(ids(q), QList<qint64> {*off});
    q.status = CustomerStatusFilter::Any;
    q.planFilter = m_catalogue.planId + 1000;
    EXPECT_TRUE(ids(q).isEmpty());
    q.planFilter = m_catalogue.planId;
    q.resellerFilter = 0;
    EXPECT_TRUE(ids(q).isEmpty()) << "seeded customers have an owner but no assignment row";
    q.resellerFilter.reset();
    q.search = QStringLiteral("' OR 1=1 --");
    EXPECT_TRUE(ids(q).isEmpty()) << "typed text is a bound value";
}

TEST_P(RepositoryTest, AssignmentHistoryAndLabelsCarryTheNames)
{
    Result<qint64> id = seedCustomer(db(), m_catalogue, QStringLiteral("Acme"));
    Result<qint64> userId = seedUser(db(), QStringLiteral("mover@vendor.example"));
    ASSERT_TRUE(id && userId);
    CustomerRepository customers(db());
    AssignmentRow first;
    first.customerId = *id;
    first.resellerId = m_catalogue.resellerId;
    first.kind = AssignmentKind::Owner;
    first.assignedAt = testNow();
    first.endedAt = testNow().addDays(1);
    first.endedBy = *userId;
    ASSERT_TRUE(customers.insertAssignment(first).has_value());
    AssignmentRow second = first;
    second.assignedAt = testNow().addDays(1);
    second.assignedBy = *userId;
    second.endedAt = {};
    second.endedBy = 0;
    ASSERT_TRUE(customers.insertAssignment(second).has_value());

    Result<QList<AssignmentHistoryRow>> history = customers.assignmentHistory(*id);
    ASSERT_TRUE(history.has_value()) << history.error().toString().toStdString();
    ASSERT_EQ(history->size(), 2);
    EXPECT_EQ(history->at(0).assignedAt, testNow().addDays(1)) << "newest first";
    EXPECT_EQ(history->at(0).assignedByName, QStringLiteral("Test User"));
    EXPECT_FALSE(history->at(0).endedAt.isValid());
    EXPECT_TRUE(history->at(1).assignedByName.isEmpty()) << "unknown";
    EXPECT_EQ(history->at(1).endedByName, QStringLiteral("Test User"));
    EXPECT_EQ(history->at(1).resellerName, QStringLiteral("Northwind Partners"));
    EXPECT_EQ(history->at(1).kind, AssignmentKind::Owner);

    Result<CustomerLabels> labels = customers.labels(*id);
    ASSERT_TRUE(labels.has_value());
    EXPECT_EQ(labels->ownerResellerName, QStringLiteral("Northwind Partners"));
    EXPECT_EQ(labels->planName, QStringLiteral("Standard"));
    EXPECT_EQ(labels->planMonthlyBudget, 5000);
    EXPECT_EQ(labels->priceListName, QStringLiteral("Channel"));
    EXPECT_EQ(labels->priceListCurrency, QStringLiteral("EUR"));
    EXPECT_EQ(labels->monthlyPriceMinor, std::optional<qint64>(4900));
    EXPECT_EQ(customers.labels(987654).error().code(), ErrorCode::NotFound);
}

TEST_P(RepositoryTest, CustomerAuditIsNewestFirstLimitedAndNamed)
{
    Result<qint64> id = seedCustomer(db(), m_catalogue, QStringLiteral("Acme"));
    Result<qint64> other = seedCustomer(db(), m_catalogue, QStringLiteral("Other"));
    Result<qint64> actor = seedUser(db(), QStringLiteral("actor@vendor.example"));
    Result<qint64> boss = seedUser(db(), QStringLiteral("boss@vendor.example"));
    ASSERT_TRUE(id && other && actor && boss);
    AuditRepository audit(db());
    for (int i = 0; i < 5; ++i) {
        AuditEventRow e;
        e.occurredAt = testNow().addSecs(i);
        e.actorUserId = i == 4 ? *actor : 0;
        e.impersonatorUserId = i == 4 ? *boss : 0;
        e.action = QStringLiteral("test.%1").arg(i);
        e.entityType = QStringLiteral("customer");
        e.entityId = *id;
        e.customerId = i == 2 ? *other : *id;
        ASSERT_TRUE(audit.append(e).has_value());
    }
    Result<QList<AuditListRow>> rows = audit.forCustomer(*id, 3);
    ASSERT_TRUE(rows.has_value()) << rows.error().toString().toStdString();
    ASSERT_EQ(rows->size(), 3);
    EXPECT_EQ(rows->at(0).event.action, QStringLiteral("test.4"));
    EXPECT_EQ(rows->at(0).actorName, QStringLiteral("Test User"));
    EXPECT_EQ(rows->at(0).impersonatorName, QStringLiteral("Test User"));
    EXPECT_EQ(rows->at(1).event.action, QStringLiteral("test.3"));
    EXPECT_TRUE(rows->at(1).actorName.isEmpty()) << "the system";
    EXPECT_EQ(rows->at(2).event.action, QStringLiteral("test.1"))
        << "another customer's event left out";
    EXPECT_EQ(audit.forCustomer(*id, 100)->size(), 4);
}

TEST_P(RepositoryTest, MembershipRoleAndPasswordResetAreVersioned)
{
    Result<qint64> userId = seedUser(db(), QStringLiteral("rep@northwind.example"));
    ASSERT_TRUE(userId.has_value());
    UserRepository users(db());
    MembershipRow m;
    m.userId = *userId;
    m.role = Role::ResellerUser;
    m.resellerId = m_catalogue.resellerId;
    m.createdAt = testNow();
    const qint64 id = users.insertMembership(m).value_or(0);
    ASSERT_NE(id, 0);
    EXPECT_EQ(users.setMembershipRole(id, 1, Role::ResellerManager).value_or(-1), 2);
    EXPECT_EQ(users.findMembership(id)->role, Role::ResellerManager);
    Result<int> stale = users.setMembershipRole(id, 1, Role::ResellerAdmin);
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
    EXPECT_FALSE(users.setMembershipRole(id, 2, Role::ClientUser).has_value())
        << "the table refuses a role of another kind of context";
    EXPECT_EQ(
        users.setMembershipRole(987654, 1, Role::ResellerUser).error().code(), ErrorCode::NotFound);

    ASSERT_TRUE(users.setPassword(*userId, 1, QStringLiteral("$argon2id$old"), testNow()));
    ASSERT_TRUE(users.setLockedUntil(*userId, testNow().addDays(1)));
    Result<int> reset
        = users.resetPassword(*userId, QStringLiteral("codehash"), testNow().addDays(7));
    ASSERT_TRUE(reset.has_value()) << reset.error().toString().toStdString();
    EXPECT_EQ(*reset, 3);
    const UserRow u = *users.find(*userId);
    EXPECT_TRUE(u.passwordHash.isEmpty());
    EXPECT_EQ(u.setupCodeHash, QStringLiteral("codehash"));
    EXPECT_EQ(u.setupCodeExpiresAt, testNow().addDays(7));
    EXPECT_TRUE(u.mustChangePassword);
    EXPECT_FALSE(u.lockedUntil.isValid());
    EXPECT_EQ(users.resetPassword(987654, QStringLiteral("x"), testNow()).error().code(),
        ErrorCode::NotFound);
}

RD_INSTANTIATE_FOR_BACKENDS(RepositoryTest);
