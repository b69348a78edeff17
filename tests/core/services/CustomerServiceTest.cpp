#include <latch>
#include <thread>

#include <QSet>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "mail/MessageComposer.h"
#include "security/OneTimeCode.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "storage/OutboxRepository.h"
#include "storage/UserRepository.h"

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
)";

const QList<Role> Columns {Role::Administrator, Role::Support, Role::ResellerAdmin,
    Role::ResellerManager, Role::ResellerUser, Role::ClientAdmin, Role::ClientUser};

QString cell(const char *action, Role role)
{
    for (const QString &line : QString::fromUtf8(MatrixRows).split(QLatin1Char('\n'))) {
        QStringList cells = line.split(QLatin1Char('|'));
        if (cells.size() < 9 || cells.at(1).trimmed() != QString::fromUtf8(action))
            continue;
        return cells.at(2 + static_cast<int>(Columns.indexOf(role))).trimmed();
    }
    ADD_FAILURE() << "no matrix row " << action;
    return {};
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

RD_INSTANTIATE_FOR_BACKENDS(CustomerServiceTest);
