#include <latch>
#include <thread>

#include <QSet>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "MatrixTable.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "mail/MessageComposer.h"
#include "security/OneTimeCode.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "storage/CatalogueRepository.h"
#include "storage/OutboxRepository.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of the section 3 rows these services implement. A
// wrong permission table in the code cannot make this copy wrong too.
const char *const MatrixRows = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| see customers | all | all | scope | scope | scope | own | own |
| add customer (wizard), edit, (de)activate | ✓ | – | ✓ scope | – | – | – | – |
| audit log, outbox | all | all | own portal | – | – | – | – |
)";

const QList<Role> &Columns = matrixColumns();

QString cell(const char *action, Role role)
{
    return matrixCell(MatrixRows, action, role);
}

class CustomerServiceTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << world.error().toString().toStdString();
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db());
        m_service = std::make_unique<CustomerService>(db(), m_clock, *m_access);
    }

    NewCustomer newCustomer(const QString &company, qint64 resellerId) const
    {
        const QString slug = company.toLower().remove(QLatin1Char(' '));
        NewCustomer c;
        c.companyName = company;
        c.website = QStringLiteral("https://www.") + slug + QStringLiteral(".test/home");
        c.contactName = QStringLiteral("Grace Hopper");
        c.contactEmail = QStringLiteral("grace@") + slug + QStringLiteral(".test");
        c.contactPhone = QStringLiteral("+49 30 1234567");
        c.resellerId = resellerId;
        c.planId = m_world.catalogue.planId;
        return c;
    }

    int count(const char *table, const QString &where = {})
    {
        QSqlQuery q(db().connection());
        q.exec(QStringLiteral("SELECT count(*) FROM ") + QString::fromLatin1(table)
            + (where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where));
        return q.next() ? q.value(0).toInt() : -1;
    }

    // Every table a failed add could have touched.
    QList<int> footprint()
    {
        return {count("users"), count("customers"), count("memberships"),
            count("customer_assignments"), count("outbox"), count("audit_events")};
    }

    QSet<qint64> visibleIds(const Session &session)
    {
        Result<CustomerPage> page = m_service->listCustomers(session, CustomerQuery {});
        EXPECT_TRUE(page.has_value()) << page.error().toString().toStdString();
        QSet<qint64> ids;
        if (page) {
            for (const CustomerListRow &row : page->rows)
                ids.insert(row.id);
            EXPECT_EQ(page->total, ids.size());
        }
        return ids;
    }

    QSet<qint64> filteredIds(const Session &session, const CustomerQuery &query)
    {
        Result<CustomerPage> page = m_service->listCustomers(session, query);
        EXPECT_TRUE(page.has_value()) << page.error().toString().toStdString();
        QSet<qint64> ids;
        if (page) {
            for (const CustomerListRow &row : page->rows)
                ids.insert(row.id);
            EXPECT_EQ(page->total, ids.size()) << "count() applies the same filters";
        }
        return ids;
    }

    static CustomerQuery byReseller(qint64 resellerId)
    {
        CustomerQuery q;
        q.resellerFilter = resellerId;
        return q;
    }

    static CustomerQuery byStatus(CustomerStatusFilter status)
    {
        CustomerQuery q;
        q.status = status;
        return q;
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<CustomerService> m_service;
};

} // namespace

TEST_P(CustomerServiceTest, SeeCustomersFollowsTheMatrixAndTheScope)
{
    const QSet<qint64> all {m_world.customerA, m_world.customerB, m_world.customerAB,
        m_world.customerA1, m_world.customerDirect};
    const QSet<qint64> scopeOfA {m_world.customerA, m_world.customerAB};
    const QSet<qint64> own {m_world.customerA};
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("see customers", role);
        const QSet<qint64> ids = visibleIds(m_world.as(role));
        if (expected == QLatin1String("all"))
            EXPECT_EQ(ids, all);
        else if (expected == QLatin1String("scope"))
            EXPECT_EQ(ids, scopeOfA);
        else if (expected == QLatin1String("own"))
            EXPECT_EQ(ids, own);
        else
            ADD_FAILURE() << "unknown cell " << expected.toStdString();

        // Reading one customer agrees with the list, and out of scope looks
        // like "not found".
        for (qint64 id : all) {
            Result<CustomerRow> one = m_service->customer(m_world.as(role), id);
            EXPECT_EQ(one.has_value(), ids.contains(id)) << "customer " << id;
            if (!one) {
                EXPECT_EQ(one.error().code(), ErrorCode::NotFound);
            }
        }
    }
}

TEST_P(CustomerServiceTest, ScopeAllSeesEveryCustomerAndParentsDoNotSeeSubPortalCustomers)
{
    EXPECT_EQ(visibleIds(*m_world.resellerAdminC).size(), 5) << "customer scope 'all'";
    EXPECT_FALSE(visibleIds(*m_world.resellerAdmin).contains(m_world.customerA1));
    EXPECT_EQ(visibleIds(*m_world.resellerAdminA1), QSet<qint64> {m_world.customerA1});
    EXPECT_EQ(visibleIds(*m_world.resellerAdminB),
        (QSet<qint64> {m_world.customerB, m_world.customerAB}));
}

TEST_P(CustomerServiceTest, AddCustomerFollowsTheMatrix)
{
    int n = 0;
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("add customer (wizard), edit, (de)activate", role);
        const Session &session = m_world.as(role);
        const QString company = QStringLiteral("Matrix%1").arg(++n);
        const QList<int> before = footprint();

        // Into reseller A (the home portal of the reseller sessions).
        Result<CreatedCustomer> inA
            = m_service->addCustomer(session, newCustomer(company, m_world.resellerA));
        // Into reseller B: out of scope for A's staff.
        Result<CreatedCustomer> inB = m_service->addCustomer(
            session, newCustomer(company + QStringLiteral("b"), m_world.resellerB));

        if (expected == QString::fromUtf8("✓")) {
            EXPECT_TRUE(inA.has_value()) << inA.error().toString().toStdString();
            EXPECT_TRUE(inB.has_value()) << inB.error().toString().toStdString();
        } else if (expected == QString::fromUtf8("✓ scope")) {
            EXPECT_TRUE(inA.has_value()) << inA.error().toString().toStdString();
            ASSERT_FALSE(inB.has_value());
            EXPECT_EQ(inB.error().code(), ErrorCode::PermissionDenied);
        } else if (expected == QString::fromUtf8("–")) {
            ASSERT_FALSE(inA.has_value());
            ASSERT_FALSE(inB.has_value());
            EXPECT_EQ(inA.error().code(), ErrorCode::PermissionDenied);
            EXPECT_EQ(inB.error().code(), ErrorCode::PermissionDenied);
            EXPECT_EQ(footprint(), before) << "a refused call writes nothing";
        } else {
            ADD_FAILURE() << "unknown cell " << expected.toStdString();
        }
    }
}

TEST_P(CustomerServiceTest, AddWritesEverythingInOneGoWithAuditAndSetupEmail)
{
    const Session &admin = *m_world.resellerAdmin;
    Result<CreatedCustomer> created
        = m_service->addCustomer(admin, newCustomer(QStringLiteral("Initech"), 0));
    ASSERT_TRUE(created.has_value()) << created.error().toString().toStdString();

    Result<CustomerRow> row = m_service->customer(admin, created->customerId);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->companyName, QStringLiteral("Initech"));
    EXPECT_EQ(row->domain, QStringLiteral("initech.test")) << "rule 2 normalisation";
    EXPECT_EQ(row->contactPhone, QStringLiteral("+49301234567")) << "E.164";
    EXPECT_EQ(row->ownerResellerId, m_world.resellerA) << "a reseller adds to its own portal";
    EXPECT_EQ(row->billingStatus, BillingStatus::Trial);
    EXPECT_EQ(row->trialEndsAt, testNow().addDays(14));
    EXPECT_EQ(row->trialBudget, 500);
    EXPECT_EQ(row->priceListId, m_world.catalogue.priceListId) << "channel pricing";

    // The primary user is a Client Admin of the new account.
    Result<QList<MembershipRow>> memberships
        = UserRepository(db()).memberships(created->primaryUserId);
    ASSERT_TRUE(memberships.has_value());
    ASSERT_EQ(memberships->size(), 1);
    EXPECT_EQ(memberships->constFirst().role, Role::ClientAdmin);
    EXPECT_EQ(memberships->constFirst().customerId, created->customerId);

    // Rule 5: the setup email is queued; its body has a placeholder, the code
    // sits only in the secret column, and the user stores only its hash.
    Result<QList<OutboxRow>> mail = OutboxRepository(db()).forCustomer(created->customerId);
    ASSERT_TRUE(mail.has_value());
    ASSERT_EQ(mail->size(), 2);
    const OutboxRow &setup = mail->at(0);
    EXPECT_EQ(setup.kind, OutboxKind::Setup);
    EXPECT_EQ(setup.id, created->setupEmailId);
    EXPECT_EQ(setup.recipient, QStringLiteral("grace@initech.test"));
    EXPECT_TRUE(setup.body.contains(MessageComposer::secretPlaceholder()));
    EXPECT_GE(setup.secret.size(), 26);
    EXPECT_FALSE(setup.body.contains(setup.secret));
    Result<UserRow> user = UserRepository(db()).find(created->primaryUserId);
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(user->setupCodeHash, OneTimeCode::hashOf(setup.secret));
    EXPECT_EQ(user->setupCodeExpiresAt, testNow().addDays(7));
    EXPECT_TRUE(user->mustChangePassword);

    // Rule 4: the reminder waits until 3 days before the trial ends.
    const OutboxRow &reminder = mail->at(1);
    EXPECT_EQ(reminder.kind, OutboxKind::TrialReminder);
    EXPECT_EQ(reminder.notBefore, testNow().addDays(11));

    // Rule 12: one event per entity, one batch, and no secret anywhere.
    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.prepare(QStringLiteral(
        "SELECT action, batch_id, actor_user_id, actor_membership_id, coalesce(after_json, '') "
        "FROM audit_events WHERE customer_id = ? ORDER BY id")));
    audit.addBindValue(created->customerId);
    ASSERT_TRUE(audit.exec());
    QStringList actions;
    QSet<QString> batches;
    while (audit.next()) {
        actions << audit.value(0).toString();
        batches << audit.value(1).toString();
        EXPECT_EQ(audit.value(2).toLongLong(), admin.userId());
        EXPECT_EQ(audit.value(3).toLongLong(), admin.membershipId());
        EXPECT_FALSE(audit.value(4).toString().contains(setup.secret));
    }
    EXPECT_EQ(actions,
        (QStringList {QStringLiteral("customer.create"), QStringLiteral("user.create"),
            QStringLiteral("membership.create"), QStringLiteral("assignment.create")}));
    EXPECT_EQ(batches.size(), 1);
}

TEST_P(CustomerServiceTest, WithoutSetupEmailTheClientGetsNoNotification)
{
    NewCustomer input = newCustomer(QStringLiteral("Quiet"), m_world.resellerA);
    input.sendSetupEmail = false;
    input.trial = false;
    Result<CreatedCustomer> created = m_service->addCustomer(*m_world.admin, input);
    ASSERT_TRUE(created.has_value()) << created.error().toString().toStdString();
    EXPECT_EQ(created->setupEmailId, 0);
    EXPECT_EQ(OutboxRepository(db()).forCustomer(created->customerId)->size(), 0);
    EXPECT_TRUE(UserRepository(db()).find(created->primaryUserId)->setupCodeHash.isEmpty());
}

TEST_P(CustomerServiceTest, NoEmailFlagSilencesTheTrialReminder)
{
    NewCustomer input = newCustomer(QStringLiteral("Hush"), m_world.resellerA);
    input.noEmail = true;
    Result<CreatedCustomer> created = m_service->addCustomer(*m_world.admin, input);
    ASSERT_TRUE(created.has_value());
    const QList<OutboxRow> mail = *OutboxRepository(db()).forCustomer(created->customerId);
    ASSERT_EQ(mail.size(), 1) << "the explicitly requested setup email only";
    EXPECT_EQ(mail.constFirst().kind, OutboxKind::Setup);
}

TEST_P(CustomerServiceTest, DuplicateEmailIsRefusedWithAnAliasAndNothingWritten)
{
    ASSERT_TRUE(m_service->addCustomer(
        *m_world.resellerAdmin, newCustomer(QStringLiteral("Globex"), m_world.resellerA)));
    const QList<int> before = footprint();

    NewCustomer again = newCustomer(QStringLiteral("Globex Two"), m_world.resellerA);
    again.contactEmail = QStringLiteral("  GRACE@globex.TEST ");
    Result<CreatedCustomer> refused = m_service->addCustomer(*m_world.resellerAdmin, again);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::Duplicate);
    EXPECT_EQ(refused.error().field(), QStringLiteral("email"));
    EXPECT_TRUE(refused.error().message().contains(QStringLiteral("Globex")))
        << "names the conflict the actor can see: " << refused.error().message().toStdString();
    EXPECT_TRUE(refused.error().message().contains(QStringLiteral("GRACE+globextwo@globex.TEST")))
        << refused.error().message().toStdString();
    EXPECT_EQ(footprint(), before);

    // The suggested +alias is a different login (rule 1) and is accepted.
    again.contactEmail = QStringLiteral("grace+globextwo@globex.test");
    EXPECT_TRUE(m_service->addCustomer(*m_world.resellerAdmin, again).has_value());
}

TEST_P(CustomerServiceTest, DuplicateAgainstAnotherResellersCustomerDoesNotNameIt)
{
    ASSERT_TRUE(m_service->addCustomer(
        *m_world.resellerAdmin, newCustomer(QStringLiteral("Hooli"), m_world.resellerA)));
    NewCustomer forB = newCustomer(QStringLiteral("Pied Piper"), m_world.resellerB);
    forB.contactEmail = QStringLiteral("grace@hooli.test");
    Result<CreatedCustomer> refused = m_service->addCustomer(*m_world.resellerAdminB, forB);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::Duplicate);
    EXPECT_FALSE(refused.error().message().contains(QStringLiteral("Hooli")))
        << "reseller B may not learn about reseller A's customer";
}

TEST_P(CustomerServiceTest, DuplicateOfAStaffLoginIsRefused)
{
    NewCustomer input = newCustomer(QStringLiteral("Staffed"), m_world.resellerA);
    input.contactEmail = QStringLiteral("Admin@Vendor.example");
    Result<CreatedCustomer> refused = m_service->addCustomer(*m_world.admin, input);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::Duplicate);
}

TEST_P(CustomerServiceTest, PlanNotOfferedByTheResellerIsRefused)
{
    NewCustomer input = newCustomer(QStringLiteral("Premium Co"), m_world.resellerA);
    input.planId = m_world.premiumPlanId; // offered only by B
    const QList<int> before = footprint();
    Result<CreatedCustomer> refused = m_service->addCustomer(*m_world.resellerAdmin, input);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field(), QStringLiteral("plan"));
    EXPECT_EQ(footprint(), before);

    Result<QList<PlanRow>> forA = m_service->plansFor(*m_world.resellerAdmin, m_world.resellerA);
    ASSERT_TRUE(forA.has_value());
    ASSERT_EQ(forA->size(), 1);
    EXPECT_EQ(forA->constFirst().id, m_world.catalogue.planId);
    EXPECT_EQ(m_service->plansFor(*m_world.admin, m_world.resellerB)->size(), 2);
    EXPECT_FALSE(m_service->plansFor(*m_world.resellerAdmin, m_world.resellerB).has_value());
}

TEST_P(CustomerServiceTest, DirectAccountsAndPriceListChoiceAreForAdministrators)
{
    Result<CreatedCustomer> direct
        = m_service->addCustomer(*m_world.admin, newCustomer(QStringLiteral("Solo"), 0));
    ASSERT_TRUE(direct.has_value()) << direct.error().toString().toStdString();
    EXPECT_EQ(m_service->customer(*m_world.admin, direct->customerId)->ownerResellerId, 0);

    NewCustomer chosen = newCustomer(QStringLiteral("Chosen"), m_world.resellerA);
    chosen.priceListId = m_world.catalogue.priceListId;
    Result<CreatedCustomer> refused = m_service->addCustomer(*m_world.resellerAdmin, chosen);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
    EXPECT_TRUE(m_service->addCustomer(*m_world.admin, chosen).has_value());
}

TEST_P(CustomerServiceTest, BadInputGetsAClearErrorOnItsFieldAndChangesNothing)
{
    struct Case
    {
        const char *field;
        std::function<void(NewCustomer &)> spoil;
    };
    const QList<Case> cases {
        {"company", [](NewCustomer &c) { c.companyName = QStringLiteral("   "); }},
        {"company", [](NewCustomer &c) { c.companyName = QString(201, QLatin1Char('x')); }},
        {"website", [](NewCustomer &c) { c.website = QStringLiteral("http://exa mple"); }},
        {"contactName", [](NewCustomer &c) { c.contactName.clear(); }},
        {"email", [](NewCustomer &c) { c.contactEmail = QStringLiteral("grace.example.com"); }},
        {"phone", [](NewCustomer &c) { c.contactPhone = QStringLiteral("12"); }},
        {"plan", [](NewCustomer &c) { c.planId = 987654; }},
    };
    const QList<int> before = footprint();
    for (const Case &c : cases) {
        SCOPED_TRACE(c.field);
        NewCustomer input = newCustomer(QStringLiteral("Broken"), m_world.resellerA);
        c.spoil(input);
        Result<CreatedCustomer> refused = m_service->addCustomer(*m_world.admin, input);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(refused.error().field(), QString::fromLatin1(c.field));
        EXPECT_FALSE(refused.error().message().isEmpty());
    }
    EXPECT_EQ(footprint(), before);
}

TEST_P(CustomerServiceTest, ADomainUsedByAnotherCustomerIsAWarning)
{
    NewCustomer input = newCustomer(QStringLiteral("Alpha Two"), m_world.resellerA);
    input.website = QStringLiteral("https://www.ALPHA.example/contact");
    EXPECT_EQ(m_service->domainUseCount(*m_world.admin, input.website).value_or(-1), 1);
    Result<CreatedCustomer> created = m_service->addCustomer(*m_world.admin, input);
    ASSERT_TRUE(created.has_value());
    ASSERT_EQ(created->warnings.size(), 1);
    EXPECT_TRUE(created->warnings.constFirst().contains(QStringLiteral("alpha.example")));
}

TEST_P(CustomerServiceTest, ConcurrentDuplicateFromTwoDesktopsOneWins)
{
    for (int round = 0; round < 4; ++round) {
        SCOPED_TRACE(round);
        NewCustomer input = newCustomer(QStringLiteral("Race%1").arg(round), m_world.resellerA);
        std::latch start(2);
        auto attempt = [&](const QString &company) {
            Result<std::unique_ptr<Database>> own = testDatabase().open();
            start.arrive_and_wait();
            if (!own)
                return Result<CreatedCustomer>(fail(own.error()));
            AccessControl access(**own);
            CustomerService service(**own, m_clock, access);
            NewCustomer mine = input;
            mine.companyName = company;
            return service.addCustomer(*m_world.admin, mine);
        };
        Result<CreatedCustomer> first = fail(ErrorCode::DatabaseError, QString());
        Result<CreatedCustomer> second = fail(ErrorCode::DatabaseError, QString());
        std::thread a([&] { first = attempt(QStringLiteral("Desk A")); });
        std::thread b([&] { second = attempt(QStringLiteral("Desk B")); });
        a.join();
        b.join();
        EXPECT_NE(first.has_value(), second.has_value()) << "exactly one wins";
        const Result<CreatedCustomer> &loser = first ? second : first;
        ASSERT_FALSE(loser.has_value());
        EXPECT_EQ(loser.error().code(), ErrorCode::Duplicate)
            << loser.error().toString().toStdString();
        EXPECT_TRUE(loser.error().message().contains(QStringLiteral("already")));
    }
    EXPECT_EQ(count("users", QStringLiteral("email_key LIKE 'grace@race%'")), 4);
}

TEST_P(CustomerServiceTest, SearchIsScopedAndEscapesWildcards)
{
    CustomerQuery query;
    query.search = QStringLiteral("bravo");
    EXPECT_EQ(m_service->listCustomers(*m_world.admin, query)->total, 1);
    EXPECT_EQ(m_service->listCustomers(*m_world.resellerAdmin, query)->total, 0)
        << "Bravo belongs to reseller B";
    query.search = QStringLiteral("%");
    EXPECT_EQ(m_service->listCustomers(*m_world.admin, query)->total, 0)
        << "a typed % is a character, not a wildcard";
    // The scope fields of the query cannot widen what a session sees.
    CustomerQuery sneaky;
    sneaky.scope = CustomerQuery::Scope::All;
    EXPECT_EQ(m_service->listCustomers(*m_world.resellerAdmin, sneaky)->total, 2);
}

TEST_P(CustomerServiceTest, TheResellerFilterNarrowsTheScopeAndNeverWidensIt)
{
    const TestWorld &w = m_world;
    EXPECT_EQ(
        filteredIds(*w.admin, byReseller(w.resellerA)), (QSet<qint64> {w.customerA, w.customerAB}))
        << "owner or additional assignment";
    EXPECT_EQ(
        filteredIds(*w.admin, byReseller(w.resellerB)), (QSet<qint64> {w.customerB, w.customerAB}));
    EXPECT_EQ(filteredIds(*w.admin, byReseller(0)), QSet<qint64> {w.customerDirect})
        << "0: direct accounts";
    EXPECT_EQ(filteredIds(*w.resellerAdmin, byReseller(w.resellerB)), QSet<qint64> {w.customerAB})
        << "only what A sees anyway";
    EXPECT_TRUE(filteredIds(*w.resellerAdmin, byReseller(w.resellerA1)).isEmpty())
        << "a parent does not see its sub-portal's customers through the filter";
    EXPECT_TRUE(filteredIds(*w.resellerAdmin, byReseller(0)).isEmpty());
    EXPECT_EQ(filteredIds(*w.resellerAdminC, byReseller(w.resellerA)),
        (QSet<qint64> {w.customerA, w.customerAB}));
    EXPECT_TRUE(filteredIds(*w.clientAdmin, byReseller(w.resellerB)).isEmpty());
    EXPECT_EQ(filteredIds(*w.clientUser, byReseller(w.resellerA)), QSet<qint64> {w.customerA});

    // An ended assignment no longer counts.
    QSqlQuery end(db().connection());
    ASSERT_TRUE(end.prepare(QStringLiteral(
        "UPDATE customer_assignments SET ended_at = ? WHERE customer_id = ? AND reseller_id = ?")));
    end.addBindValue(testNow().addSecs(1).toMSecsSinceEpoch());
    end.addBindValue(w.customerAB);
    end.addBindValue(w.resellerA);
    ASSERT_TRUE(end.exec());
    EXPECT_EQ(filteredIds(*w.admin, byReseller(w.resellerA)), QSet<qint64> {w.customerA});
}

TEST_P(CustomerServiceTest, TheStatusFilterUsesTheClockAndThePlanFilterThePlan)
{
    const TestWorld &w = m_world;
    auto versionOf = [&](qint64 id) { return m_service->customer(*w.admin, id)->version; };
    // B paid, AB inactive, A1's trial over; A and Direct still on trial.
    ASSERT_TRUE(m_service->convertToPaid(*w.admin, w.customerB, versionOf(w.customerB)));
    ASSERT_TRUE(m_service->setActive(
        *w.admin, w.customerAB, versionOf(w.customerAB), false, QStringLiteral("test")));
    CustomerRepository customers(db());
    CustomerRow a1 = *customers.find(w.customerA1);
    a1.trialEndsAt = testNow();
    ASSERT_TRUE(customers.update(a1).has_value());

    EXPECT_EQ(filteredIds(*w.admin, byStatus(CustomerStatusFilter::Trial)),
        (QSet<qint64> {w.customerA, w.customerDirect}));
    EXPECT_EQ(filteredIds(*w.admin, byStatus(CustomerStatusFilter::TrialExpired)),
        QSet<qint64> {w.customerA1})
        << "expired at its end instant";
    EXPECT_EQ(
        filteredIds(*w.admin, byStatus(CustomerStatusFilter::Active)), QSet<qint64> {w.customerB});
    EXPECT_EQ(filteredIds(*w.admin, byStatus(CustomerStatusFilter::Inactive)),
        QSet<qint64> {w.customerAB});
    EXPECT_EQ(filteredIds(*w.admin, byStatus(CustomerStatusFilter::Any)).size(), 5);
    EXPECT_EQ(filteredIds(*w.resellerAdmin, byStatus(CustomerStatusFilter::Inactive)),
        QSet<qint64> {w.customerAB});
    EXPECT_TRUE(filteredIds(*w.resellerAdmin, byStatus(CustomerStatusFilter::Active)).isEmpty());

    // The caller's "now" is replaced by the service's clock.
    CustomerQuery stale = byStatus(CustomerStatusFilter::TrialExpired);
    stale.now = testNow().addYears(-1);
    EXPECT_EQ(filteredIds(*w.admin, stale), QSet<qint64> {w.customerA1});
    m_clock.advanceMs(15LL * 24 * 3600 * 1000);
    EXPECT_EQ(filteredIds(*w.admin, byStatus(CustomerStatusFilter::TrialExpired)),
        (QSet<qint64> {w.customerA, w.customerDirect, w.customerA1}));
    EXPECT_TRUE(filteredIds(*w.admin, byStatus(CustomerStatusFilter::Trial)).isEmpty());

    ASSERT_TRUE(
        m_service->changePlan(*w.admin, w.customerB, versionOf(w.customerB), w.premiumPlanId));
    CustomerQuery premium;
    premium.planFilter = w.premiumPlanId;
    EXPECT_EQ(filteredIds(*w.admin, premium), QSet<qint64> {w.customerB});
    EXPECT_TRUE(filteredIds(*w.resellerAdmin, premium).isEmpty());
    premium.status = CustomerStatusFilter::Inactive;
    EXPECT_TRUE(filteredIds(*w.admin, premium).isEmpty()) << "filters combine";
    premium.status = CustomerStatusFilter::Active;
    premium.resellerFilter = w.resellerB;
    premium.search = QStringLiteral("bra");
    EXPECT_EQ(filteredIds(*w.admin, premium), QSet<qint64> {w.customerB});
    CustomerQuery standard;
    standard.planFilter = w.catalogue.planId;
    EXPECT_EQ(filteredIds(*w.admin, standard).size(), 4);
}

TEST_P(CustomerServiceTest, DetailShowsNamesHistoryUsersAndTheAuditTrail)
{
    Result<CreatedCustomer> created = m_service->addCustomer(
        *m_world.resellerAdmin, newCustomer(QStringLiteral("Detail Co"), 0));
    ASSERT_TRUE(created.has_value()) << created.error().toString().toStdString();
    const qint64 id = created->customerId;
    // An ended additional assignment to B, by the administrator.
    CustomerRepository customers(db());
    AssignmentRow old;
    old.customerId = id;
    old.resellerId = m_world.resellerB;
    old.kind = AssignmentKind::Additional;
    old.assignedAt = testNow().addSecs(-3600);
    old.assignedBy = m_world.admin->userId();
    old.endedAt = testNow().addSecs(-60);
    old.endedBy = m_world.admin->userId();
    ASSERT_TRUE(customers.insertAssignment(old).has_value());
    // An event written during Login As.
    m_clock.advanceMs(1000);
    const Session impersonated = m_world.clientAdmin->impersonatedBy(
        m_world.support->userId(), m_world.support->userName(), 0);
    ASSERT_TRUE(AuditLog(db(), m_clock)
                    .record(impersonated,
                        AuditEntry {QStringLiteral("client.test"), QStringLiteral("customer"), id,
                            0, id, {}, {}, {}, {}}));

    Result<CustomerDetail> detail = m_service->customerDetail(*m_world.admin, id);
    ASSERT_TRUE(detail.has_value()) << detail.error().toString().toStdString();
    EXPECT_EQ(detail->customer.id, id);
    EXPECT_EQ(detail->customer.companyName, QStringLiteral("Detail Co"));
    EXPECT_EQ(detail->ownerResellerName, QStringLiteral("Northwind Partners"));
    EXPECT_EQ(detail->planName, QStringLiteral("Standard"));
    EXPECT_EQ(detail->planMonthlyBudget, 5000);
    EXPECT_EQ(detail->priceListName, QStringLiteral("Channel"));
    EXPECT_EQ(detail->priceListCurrency, QStringLiteral("EUR"));
    EXPECT_EQ(detail->monthlyPriceMinor, 4900);
    EXPECT_TRUE(detail->setupPending);

    ASSERT_EQ(detail->assignments.size(), 2);
    const AssignmentHistoryRow &owner = detail->assignments.at(0);
    EXPECT_EQ(owner.resellerId, m_world.resellerA);
    EXPECT_EQ(owner.kind, AssignmentKind::Owner);
    EXPECT_EQ(owner.assignedAt, testNow());
    EXPECT_EQ(owner.assignedByName, m_world.resellerAdmin->userName());
    EXPECT_FALSE(owner.endedAt.isValid());
    EXPECT_TRUE(owner.endedByName.isEmpty());
    const AssignmentHistoryRow &ended = detail->assignments.at(1);
    EXPECT_EQ(ended.resellerName, QStringLiteral("Reseller B"));
    EXPECT_EQ(ended.kind, AssignmentKind::Additional);
    EXPECT_EQ(ended.endedAt, testNow().addSecs(-60));
    EXPECT_EQ(ended.endedByName, m_world.admin->userName());

    ASSERT_EQ(detail->users.size(), 1);
    EXPECT_EQ(detail->users.constFirst().userId, created->primaryUserId);
    EXPECT_EQ(detail->users.constFirst().role, Role::ClientAdmin);
    EXPECT_EQ(detail->users.constFirst().contextName, QStringLiteral("Detail Co"));

    ASSERT_TRUE(detail->auditVisible);
    ASSERT_GE(detail->audit.size(), 5);
    const AuditListRow &latest = detail->audit.constFirst();
    EXPECT_EQ(latest.event.action, QStringLiteral("client.test")) << "newest first";
    EXPECT_EQ(latest.actorName, m_world.clientAdmin->userName());
    EXPECT_EQ(latest.impersonatorName, m_world.support->userName());
    QStringList actions;
    for (const AuditListRow &row : detail->audit) {
        actions.append(row.event.action);
        EXPECT_EQ(row.event.customerId, id);
    }
    EXPECT_TRUE(actions.contains(QStringLiteral("customer.create")));
    EXPECT_TRUE(actions.contains(QStringLiteral("membership.create")));
    const AuditListRow &create
        = detail->audit.at(actions.indexOf(QStringLiteral("customer.create")));
    EXPECT_EQ(create.actorName, m_world.resellerAdmin->userName());
    EXPECT_TRUE(create.impersonatorName.isEmpty());

    // Once the client chose a password the setup is no longer pending.
    ASSERT_TRUE(UserRepository(db()).setPassword(
        created->primaryUserId, 1, QStringLiteral("$argon2id$x"), testNow()));
    EXPECT_FALSE(m_service->customerDetail(*m_world.admin, id)->setupPending);
}

TEST_P(CustomerServiceTest, DetailFollowsTheMatrixAndShowsTheAuditOnlyToItsReaders)
{
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const Session &session = m_world.as(role);
        Result<CustomerDetail> inScope = m_service->customerDetail(session, m_world.customerA);
        ASSERT_TRUE(inScope.has_value()) << inScope.error().toString().toStdString();
        const QString audit = cell("audit log, outbox", role);
        const bool readsAudit
            = audit == QLatin1String("all") || audit == QLatin1String("own portal");
        EXPECT_EQ(inScope->auditVisible, readsAudit);
        if (!readsAudit) {
            EXPECT_TRUE(inScope->audit.isEmpty());
        }
        Result<CustomerDetail> outOfScope = m_service->customerDetail(session, m_world.customerB);
        const QString see = cell("see customers", role);
        if (see == QLatin1String("all")) {
            EXPECT_TRUE(outOfScope.has_value());
        } else {
            ASSERT_FALSE(outOfScope.has_value());
            EXPECT_EQ(outOfScope.error().code(), ErrorCode::NotFound);
        }
    }
    // Another portal's admin sees the trail of its own customers only.
    EXPECT_TRUE(
        m_service->customerDetail(*m_world.resellerAdminB, m_world.customerAB)->auditVisible);
    EXPECT_FALSE(m_service->customerDetail(*m_world.resellerAdminB, m_world.customerA).has_value());
    Result<CustomerDetail> missing = m_service->customerDetail(*m_world.admin, 987654);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
}

TEST_P(CustomerServiceTest, DetailAuditIsCappedAndAPlanWithoutAPriceShowsNone)
{
    {
        Result<WriteTransaction> tx = WriteTransaction::begin(db());
        ASSERT_TRUE(tx.has_value());
        AuditLog audit(db(), m_clock);
        for (int i = 0; i < DetailAuditLimit + 10; ++i) {
            m_clock.advanceMs(1);
            ASSERT_TRUE(audit.record(*m_world.admin,
                AuditEntry {QStringLiteral("test.event"), QStringLiteral("customer"),
                    m_world.customerA, 0, m_world.customerA, {}, {}, QString::number(i), {}}));
        }
        ASSERT_TRUE(tx->commit());
    }
    // A list that has no price for the customer's plan.
    PriceListRow bare;
    bare.name = QStringLiteral("Bare");
    bare.currency = QStringLiteral("CHF");
    bare.createdAt = testNow();
    Result<qint64> bareId = CatalogueRepository(db()).insertPriceList(bare);
    ASSERT_TRUE(bareId.has_value());
    CustomerRepository customers(db());
    CustomerRow a = *customers.find(m_world.customerA);
    a.priceListId = *bareId;
    ASSERT_TRUE(customers.update(a).has_value());

    Result<CustomerDetail> detail = m_service->customerDetail(*m_world.support, m_world.customerA);
    ASSERT_TRUE(detail.has_value()) << detail.error().toString().toStdString();
    EXPECT_EQ(detail->audit.size(), DetailAuditLimit);
    EXPECT_EQ(detail->audit.constFirst().event.reason, QString::number(DetailAuditLimit + 9));
    EXPECT_EQ(detail->priceListName, QStringLiteral("Bare"));
    EXPECT_EQ(detail->priceListCurrency, QStringLiteral("CHF"));
    EXPECT_EQ(detail->monthlyPriceMinor, -1);
    EXPECT_TRUE(detail->ownerResellerName.size() > 0);
    EXPECT_TRUE(m_service->customerDetail(*m_world.admin, m_world.customerDirect)
                    ->ownerResellerName.isEmpty());
}

RD_INSTANTIATE_FOR_BACKENDS(CustomerServiceTest);
