#include <QSqlQuery>

#include <gtest/gtest.h>

#include "MatrixTable.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "security/OneTimeCode.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/SettingsService.h"
#include "storage/CatalogueRepository.h"
#include "storage/OutboxRepository.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of the section 3 rows covered here.
const char *const MatrixRows = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| add customer (wizard), edit, (de)activate | ✓ | – | ✓ scope | – | – | – | – |
| convert / extend trial | ✓ | – | ✓ scope | – | – | – | – |
| plans, price lists, settings | ✓ | – | see | see | – | – | – |
)";

const QList<Role> &Columns = matrixColumns();

QString cell(const char *action, Role role)
{
    return matrixCell(MatrixRows, action, role);
}

class CustomerLifecycleTest : public DatabaseTest
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

    int versionOf(qint64 id) { return m_service->customer(*m_world.admin, id)->version; }

    // A trial customer of reseller A with its reminder queued.
    qint64 addTrialCustomer(const QString &company)
    {
        NewCustomer c;
        c.companyName = company;
        c.contactName = QStringLiteral("Kim");
        c.contactEmail = QStringLiteral("kim@") + company.toLower() + QStringLiteral(".test");
        c.resellerId = m_world.resellerA;
        c.planId = m_world.catalogue.planId;
        Result<CreatedCustomer> created = m_service->addCustomer(*m_world.admin, c);
        EXPECT_TRUE(created.has_value()) << created.error().toString().toStdString();
        return created ? created->customerId : 0;
    }

    QList<OutboxRow> reminders(qint64 customerId)
    {
        QList<OutboxRow> out;
        const Result<QList<OutboxRow>> all = OutboxRepository(db()).forCustomer(customerId);
        EXPECT_TRUE(all.has_value());
        for (const OutboxRow &r : all.value_or(QList<OutboxRow> {})) {
            if (r.kind == OutboxKind::TrialReminder)
                out.append(r);
        }
        return out;
    }

    int count(const char *table, const QString &where = {})
    {
        QSqlQuery q(db().connection());
        q.exec(QStringLiteral("SELECT count(*) FROM ") + QString::fromLatin1(table)
            + (where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where));
        return q.next() ? q.value(0).toInt() : -1;
    }

    QList<int> footprint()
    {
        QSqlQuery q(db().connection());
        q.exec(QStringLiteral("SELECT coalesce(sum(version), 0) FROM customers"));
        const int versions = q.next() ? q.value(0).toInt() : -1;
        return {versions, count("outbox"), count("outbox", QStringLiteral("status = 'cancelled'")),
            count("audit_events")};
    }

    void expectCell(
        const QString &expected, const Result<int> &inScope, const Result<int> &outOfScope)
    {
        if (expected == QString::fromUtf8("✓")) {
            EXPECT_TRUE(inScope.has_value()) << inScope.error().toString().toStdString();
            EXPECT_TRUE(outOfScope.has_value()) << outOfScope.error().toString().toStdString();
        } else if (expected == QString::fromUtf8("✓ scope")) {
            EXPECT_TRUE(inScope.has_value()) << inScope.error().toString().toStdString();
            ASSERT_FALSE(outOfScope.has_value());
            EXPECT_EQ(outOfScope.error().code(), ErrorCode::NotFound);
        } else if (expected == QString::fromUtf8("–")) {
            ASSERT_FALSE(inScope.has_value());
            ASSERT_FALSE(outOfScope.has_value());
            EXPECT_EQ(inScope.error().code(), ErrorCode::PermissionDenied);
        } else {
            ADD_FAILURE() << "unknown cell " << expected.toStdString();
        }
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<CustomerService> m_service;
};

} // namespace

TEST_P(CustomerLifecycleTest, EditAndDeactivateFollowTheMatrix)
{
    const QString row = QStringLiteral("add customer (wizard), edit, (de)activate");
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const Session &s = m_world.as(role);
        const QList<int> before = footprint();
        CustomerEdit edit {QStringLiteral("Alpha renamed by ") + roleKey(role), QString(),
            QStringLiteral("Someone"), QString(), QStringLiteral("US"), false};
        Result<int> inScope
            = m_service->editCustomer(s, m_world.customerA, versionOf(m_world.customerA), edit);
        Result<int> outOfScope
            = m_service->editCustomer(s, m_world.customerB, versionOf(m_world.customerB), edit);
        expectCell(cell("add customer (wizard), edit, (de)activate", role), inScope, outOfScope);
        if (!inScope && !outOfScope) {
            EXPECT_EQ(footprint(), before) << "refused calls write nothing";
        }

        Result<int> off = m_service->setActive(
            s, m_world.customerA, versionOf(m_world.customerA), false, QStringLiteral("test"));
        Result<int> offB = m_service->setActive(
            s, m_world.customerB, versionOf(m_world.customerB), false, QStringLiteral("test"));
        expectCell(cell("add customer (wizard), edit, (de)activate", role), off, offB);
        // Back on for the next role.
        ASSERT_TRUE(m_service->setActive(
            *m_world.admin, m_world.customerA, versionOf(m_world.customerA), true, {}));
        ASSERT_TRUE(m_service->setActive(
            *m_world.admin, m_world.customerB, versionOf(m_world.customerB), true, {}));
    }
    Q_UNUSED(row);
}

TEST_P(CustomerLifecycleTest, ConvertAndExtendTrialFollowTheMatrix)
{
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const Session &s = m_world.as(role);
        const QList<int> before = footprint();
        Result<int> extendA
            = m_service->extendTrial(s, m_world.customerA, versionOf(m_world.customerA), 1, {});
        Result<int> extendB
            = m_service->extendTrial(s, m_world.customerB, versionOf(m_world.customerB), 1, {});
        expectCell(cell("convert / extend trial", role), extendA, extendB);
        if (!extendA && !extendB) {
            EXPECT_EQ(footprint(), before);
        }
    }
    // Convert: once per customer, so check the three kinds of cell directly.
    const qint64 a1 = addTrialCustomer(QStringLiteral("ConvertA"));
    Result<int> byUser = m_service->convertToPaid(*m_world.resellerUser, a1, versionOf(a1));
    ASSERT_FALSE(byUser.has_value());
    EXPECT_EQ(byUser.error().code(), ErrorCode::PermissionDenied);
    Result<int> byB = m_service->convertToPaid(*m_world.resellerAdminB, a1, versionOf(a1));
    ASSERT_FALSE(byB.has_value());
    EXPECT_EQ(byB.error().code(), ErrorCode::NotFound);
    EXPECT_TRUE(m_service->convertToPaid(*m_world.resellerAdmin, a1, versionOf(a1)).has_value());
}

TEST_P(CustomerLifecycleTest, ConvertToPaidRecordsWhoAndWhenAndCancelsTheReminder)
{
    const qint64 id = addTrialCustomer(QStringLiteral("Convertible"));
    ASSERT_EQ(reminders(id).size(), 1);
    m_clock.advanceMs(3 * 24 * 3600 * 1000LL);
    Result<int> v = m_service->convertToPaid(*m_world.resellerAdmin, id, versionOf(id));
    ASSERT_TRUE(v.has_value()) << v.error().toString().toStdString();
    const CustomerRow row = *m_service->customer(*m_world.admin, id);
    EXPECT_EQ(row.billingStatus, BillingStatus::Paid);
    EXPECT_EQ(row.convertedAt, m_clock.now());
    EXPECT_EQ(row.convertedBy, m_world.resellerAdmin->userId());
    const QList<OutboxRow> r = reminders(id);
    ASSERT_EQ(r.size(), 1);
    EXPECT_EQ(r.constFirst().status, OutboxStatus::Cancelled);
    EXPECT_EQ(count("audit_events", QStringLiteral("action = 'customer.convert_to_paid'")), 1);
    Result<int> again = m_service->convertToPaid(*m_world.resellerAdmin, id, row.version);
    EXPECT_FALSE(again.has_value()) << "already paid";
}

TEST_P(CustomerLifecycleTest, ExtendTrialMovesTheReminderAndKeepsTheLimits)
{
    const qint64 id = addTrialCustomer(QStringLiteral("Extendable"));
    const QDateTime end = m_service->customer(*m_world.admin, id)->trialEndsAt;
    Result<int> v
        = m_service->extendTrial(*m_world.admin, id, versionOf(id), 10, QStringLiteral("pilot"));
    ASSERT_TRUE(v.has_value()) << v.error().toString().toStdString();
    EXPECT_EQ(m_service->customer(*m_world.admin, id)->trialEndsAt, end.addDays(10));
    const QList<OutboxRow> r = reminders(id);
    ASSERT_EQ(r.size(), 2);
    EXPECT_EQ(r.at(0).status, OutboxStatus::Cancelled);
    EXPECT_EQ(r.at(1).status, OutboxStatus::Pending);
    EXPECT_EQ(r.at(1).notBefore, end.addDays(10).addDays(-3));

    const QList<int> before = footprint();
    Result<int> tooLong = m_service->extendTrial(*m_world.admin, id, versionOf(id), 31, {});
    ASSERT_FALSE(tooLong.has_value());
    EXPECT_EQ(tooLong.error().code(), ErrorCode::InvalidInput);
    Result<int> zero = m_service->extendTrial(*m_world.admin, id, versionOf(id), 0, {});
    EXPECT_FALSE(zero.has_value());
    EXPECT_EQ(footprint(), before);
    EXPECT_EQ(count("audit_events",
                  QStringLiteral("action = 'customer.extend_trial' AND reason = 'pilot'")),
        1);
}

TEST_P(CustomerLifecycleTest, RaiseTrialBudgetOnlyUpAndWithinTheLimit)
{
    const qint64 id = addTrialCustomer(QStringLiteral("Budget"));
    EXPECT_FALSE(
        m_service->raiseTrialBudget(*m_world.admin, id, versionOf(id), 400, {}).has_value());
    EXPECT_FALSE(
        m_service->raiseTrialBudget(*m_world.admin, id, versionOf(id), 10001, {}).has_value());
    Result<int> v = m_service->raiseTrialBudget(
        *m_world.admin, id, versionOf(id), 2000, QStringLiteral("big test"));
    ASSERT_TRUE(v.has_value()) << v.error().toString().toStdString();
    EXPECT_EQ(m_service->customer(*m_world.admin, id)->trialBudget, 2000);
}

TEST_P(CustomerLifecycleTest, AStaleVersionGetsAConflictAndKeepsTheOtherWrite)
{
    const int read = versionOf(m_world.customerA);
    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value());
    AccessControl otherAccess(**other);
    CustomerService otherDesk(**other, m_clock, otherAccess);
    CustomerEdit theirs {QStringLiteral("Alpha (their edit)"), QString(), QStringLiteral("Them"),
        QString(), QStringLiteral("US"), false};
    ASSERT_TRUE(
        otherDesk.editCustomer(*m_world.admin, m_world.customerA, read, theirs).has_value());

    CustomerEdit mine = theirs;
    mine.companyName = QStringLiteral("Alpha (my edit)");
    Result<int> stale = m_service->editCustomer(*m_world.admin, m_world.customerA, read, mine);
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
    EXPECT_EQ(m_service->customer(*m_world.admin, m_world.customerA)->companyName,
        QStringLiteral("Alpha (their edit)"));
}

TEST_P(CustomerLifecycleTest, EditValidatesAndAuditsOnlyWhatChanged)
{
    const QList<int> before = footprint();
    CustomerEdit bad {QStringLiteral("Alpha"), QStringLiteral("not a domain"), QStringLiteral("X"),
        QString(), QStringLiteral("US"), false};
    Result<int> refused = m_service->editCustomer(
        *m_world.admin, m_world.customerA, versionOf(m_world.customerA), bad);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field(), QStringLiteral("website"));
    EXPECT_EQ(footprint(), before);

    CustomerEdit good {QStringLiteral("Alpha AG"), QStringLiteral("https://www.alpha-ag.example/"),
        QStringLiteral("Contact of Alpha"), QStringLiteral("+41 44 668 18 00"),
        QStringLiteral("CH"), false};
    ASSERT_TRUE(m_service->editCustomer(
        *m_world.admin, m_world.customerA, versionOf(m_world.customerA), good));
    const CustomerRow row = *m_service->customer(*m_world.admin, m_world.customerA);
    EXPECT_EQ(row.domain, QStringLiteral("alpha-ag.example"));
    EXPECT_EQ(row.contactPhone, QStringLiteral("+41446681800"));
    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.exec(QStringLiteral(
        "SELECT before_json, after_json FROM audit_events WHERE action = 'customer.update'")));
    ASSERT_TRUE(audit.next());
    EXPECT_TRUE(audit.value(1).toString().contains(QStringLiteral("Alpha AG")));
    EXPECT_FALSE(audit.value(1).toString().contains(QStringLiteral("contact\"")))
        << "the unchanged contact name is not in the event";
}

TEST_P(CustomerLifecycleTest, NoEmailCancelsTheReminderAndClearingItQueuesItAgain)
{
    const qint64 id = addTrialCustomer(QStringLiteral("Silent"));
    CustomerRow row = *m_service->customer(*m_world.admin, id);
    CustomerEdit edit {
        row.companyName, row.domain, row.contactName, row.contactPhone, QStringLiteral("US"), true};
    ASSERT_TRUE(m_service->editCustomer(*m_world.admin, id, row.version, edit));
    EXPECT_EQ(reminders(id).constFirst().status, OutboxStatus::Cancelled);
    edit.noEmail = false;
    ASSERT_TRUE(m_service->editCustomer(*m_world.admin, id, versionOf(id), edit));
    ASSERT_EQ(reminders(id).size(), 2);
    EXPECT_EQ(reminders(id).at(1).status, OutboxStatus::Pending);
}

TEST_P(CustomerLifecycleTest, ChangePlanOnlyToAnOfferedPlan)
{
    Result<int> refused = m_service->changePlan(
        *m_world.admin, m_world.customerA, versionOf(m_world.customerA), m_world.premiumPlanId);
    ASSERT_FALSE(refused.has_value()) << "reseller A does not offer premium";
    EXPECT_EQ(refused.error().field(), QStringLiteral("plan"));
    Result<int> ok = m_service->changePlan(
        *m_world.admin, m_world.customerB, versionOf(m_world.customerB), m_world.premiumPlanId);
    ASSERT_TRUE(ok.has_value()) << ok.error().toString().toStdString();
    EXPECT_EQ(
        m_service->customer(*m_world.admin, m_world.customerB)->planId, m_world.premiumPlanId);
}

TEST_P(CustomerLifecycleTest, DeactivateNeedsAReasonAndArchiveNeedsAnInactiveCustomer)
{
    const QList<int> before = footprint();
    EXPECT_FALSE(m_service->setActive(*m_world.admin, m_world.customerA,
        versionOf(m_world.customerA), false, QStringLiteral("  ")));
    EXPECT_FALSE(m_service->archive(
        *m_world.admin, m_world.customerA, versionOf(m_world.customerA), QStringLiteral("gone")));
    EXPECT_EQ(footprint(), before);

    ASSERT_TRUE(m_service->setActive(*m_world.admin, m_world.customerA,
        versionOf(m_world.customerA), false, QStringLiteral("unpaid")));
    EXPECT_EQ(count("audit_events",
                  QStringLiteral("action = 'customer.deactivate' AND reason = 'unpaid'")),
        1);
    ASSERT_TRUE(m_service->archive(
        *m_world.admin, m_world.customerA, versionOf(m_world.customerA), QStringLiteral("left")));
    EXPECT_EQ(count("customers", QStringLiteral("archived_at IS NOT NULL")), 1)
        << "archived, not deleted";
    EXPECT_FALSE(m_service->customer(*m_world.admin, m_world.customerA).has_value());
    EXPECT_EQ(m_service->listCustomers(*m_world.admin, CustomerQuery {})->total, 4);
}

TEST_P(CustomerLifecycleTest, ResendSetupEmailReplacesTheUnsentOneWithANewCode)
{
    const qint64 id = addTrialCustomer(QStringLiteral("Resend"));
    const CustomerRow row = *m_service->customer(*m_world.admin, id);
    const QString firstHash = UserRepository(db()).find(row.primaryUserId)->setupCodeHash;

    Result<qint64> resent = m_service->resendSetupEmail(*m_world.resellerAdmin, id);
    ASSERT_TRUE(resent.has_value()) << resent.error().toString().toStdString();
    const QList<OutboxRow> mail = *OutboxRepository(db()).forCustomer(id);
    QList<OutboxRow> setups;
    for (const OutboxRow &m : mail) {
        if (m.kind == OutboxKind::Setup)
            setups.append(m);
    }
    ASSERT_EQ(setups.size(), 2);
    EXPECT_EQ(setups.at(0).status, OutboxStatus::Cancelled);
    EXPECT_TRUE(setups.at(0).secret.isEmpty()) << "a cancelled secret is redacted";
    EXPECT_EQ(setups.at(1).id, *resent);
    const UserRow user = *UserRepository(db()).find(row.primaryUserId);
    EXPECT_NE(user.setupCodeHash, firstHash);
    EXPECT_EQ(user.setupCodeHash, OneTimeCode::hashOf(setups.at(1).secret));
    EXPECT_EQ(count("audit_events", QStringLiteral("action = 'customer.resend_setup_email'")), 1);

    Result<qint64> outOfScope = m_service->resendSetupEmail(*m_world.resellerAdminB, id);
    ASSERT_FALSE(outOfScope.has_value());
    EXPECT_EQ(outOfScope.error().code(), ErrorCode::NotFound);
    Result<qint64> byManager = m_service->resendSetupEmail(*m_world.resellerManager, id);
    ASSERT_FALSE(byManager.has_value());
    EXPECT_EQ(byManager.error().code(), ErrorCode::PermissionDenied);
}

TEST_P(CustomerLifecycleTest, TrialsFollowTheSettingsSavedOnAnyDesktop)
{
    SettingsService settings(db(), m_clock, *m_access);
    DomainSettings s;
    s.trialDays = 21;
    s.trialBudget = 800;
    s.reminderDays = 5;
    s.maxExtensionDays = 5;
    s.maxTrialBudget = 1000;
    ASSERT_TRUE(settings.save(*m_world.admin, s, 0).has_value());

    const qint64 id = addTrialCustomer(QStringLiteral("Configured"));
    const CustomerRow row = *m_service->customer(*m_world.admin, id);
    EXPECT_EQ(row.trialEndsAt, testNow().addDays(21));
    EXPECT_EQ(row.trialBudget, 800);
    ASSERT_EQ(reminders(id).size(), 1);
    EXPECT_EQ(reminders(id).constFirst().notBefore, testNow().addDays(21 - 5));

    const QList<int> before = footprint();
    Result<int> tooLong = m_service->extendTrial(*m_world.admin, id, row.version, 6, {});
    ASSERT_FALSE(tooLong.has_value());
    EXPECT_EQ(tooLong.error().field(), QStringLiteral("days"));
    Result<int> tooMuch = m_service->raiseTrialBudget(*m_world.admin, id, row.version, 1001, {});
    ASSERT_FALSE(tooMuch.has_value());
    EXPECT_EQ(tooMuch.error().field(), QStringLiteral("budget"));
    EXPECT_EQ(footprint(), before);
    ASSERT_TRUE(m_service->extendTrial(*m_world.admin, id, row.version, 5, {}).has_value());
    ASSERT_TRUE(m_service->raiseTrialBudget(*m_world.admin, id, versionOf(id), 1000, {}));
    EXPECT_EQ(reminders(id).last().notBefore, testNow().addDays(21 + 5 - 5));

    // A change takes effect at once, also for a service made before it.
    s.trialDays = 7;
    s.reminderDays = 2;
    ASSERT_TRUE(settings.save(*m_world.admin, s, settings.settings(*m_world.admin)->version));
    const qint64 later = addTrialCustomer(QStringLiteral("Later"));
    EXPECT_EQ(m_service->customer(*m_world.admin, later)->trialEndsAt, testNow().addDays(7));
}

TEST_P(CustomerLifecycleTest, SettingsNeverSavedFallBackToTheServicesOwnPolicy)
{
    Result<TrialPolicy> own = TrialPolicy::create(30, 250, 4, 10, 60, 2000);
    ASSERT_TRUE(own.has_value());
    CustomerService service(db(), m_clock, *m_access, *own);
    // Only the budget is stored.
    SettingsService settings(db(), m_clock, *m_access);
    DomainSettings s;
    s.trialDays = 30;
    s.reminderDays = 4;
    s.maxExtensionDays = 10;
    s.maxTotalTrialDays = 60;
    s.maxTrialBudget = 2000;
    s.trialBudget = 400;
    ASSERT_TRUE(settings.save(*m_world.admin, s, 0).has_value());
    QSqlQuery drop(db().connection());
    ASSERT_TRUE(drop.prepare(QStringLiteral("DELETE FROM settings WHERE key <> ? AND key <> ?")));
    drop.addBindValue(QStringLiteral("trial_budget"));
    drop.addBindValue(QStringLiteral("settings_version"));
    ASSERT_TRUE(drop.exec());

    NewCustomer c;
    c.companyName = QStringLiteral("Fallback");
    c.contactName = QStringLiteral("Kim");
    c.contactEmail = QStringLiteral("kim@fallback.test");
    c.resellerId = m_world.resellerA;
    c.planId = m_world.catalogue.planId;
    Result<CreatedCustomer> created = service.addCustomer(*m_world.admin, c);
    ASSERT_TRUE(created.has_value()) << created.error().toString().toStdString();
    const CustomerRow row = *service.customer(*m_world.admin, created->customerId);
    EXPECT_EQ(row.trialEndsAt, testNow().addDays(30)) << "the constructor's trial length";
    EXPECT_EQ(row.trialBudget, 400) << "the stored budget";
    EXPECT_EQ(reminders(row.id).constFirst().notBefore, testNow().addDays(26));
    EXPECT_FALSE(service.extendTrial(*m_world.admin, row.id, row.version, 11, {}).has_value());
    EXPECT_TRUE(service.extendTrial(*m_world.admin, row.id, row.version, 10, {}).has_value());
}

TEST_P(CustomerLifecycleTest, InvalidStoredTrialSettingsAreReportedNotUsed)
{
    QSqlQuery bad(db().connection());
    ASSERT_TRUE(bad.prepare(
        QStringLiteral("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)")));
    bad.addBindValue(QStringLiteral("reminder_days"));
    bad.addBindValue(QStringLiteral("20"));
    bad.addBindValue(testNow().toMSecsSinceEpoch());
    ASSERT_TRUE(bad.exec());
    const QList<int> before = footprint();
    NewCustomer c;
    c.companyName = QStringLiteral("Broken");
    c.contactName = QStringLiteral("Kim");
    c.contactEmail = QStringLiteral("kim@broken.test");
    c.resellerId = m_world.resellerA;
    c.planId = m_world.catalogue.planId;
    Result<CreatedCustomer> created = m_service->addCustomer(*m_world.admin, c);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code(), ErrorCode::DatabaseError);
    EXPECT_TRUE(created.error().message().contains(QStringLiteral("settings")));
    EXPECT_EQ(footprint(), before);
}

TEST_P(CustomerLifecycleTest, ChangePriceListIsForAdministratorsOnly)
{
    PriceListRow special;
    special.name = QStringLiteral("Special");
    special.currency = QStringLiteral("EUR");
    special.createdAt = testNow();
    CatalogueRepository catalogue(db());
    const qint64 specialId = catalogue.insertPriceList(special).value_or(0);
    ASSERT_NE(specialId, 0);
    ASSERT_TRUE(catalogue.setPrice(specialId, m_world.catalogue.planId, 3900));

    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const Session &s = m_world.as(role);
        const QList<int> before = footprint();
        Result<int> changed = m_service->changePriceList(
            s, m_world.customerA, versionOf(m_world.customerA), specialId);
        if (cell("plans, price lists, settings", role) == QString::fromUtf8("✓")) {
            ASSERT_TRUE(changed.has_value()) << changed.error().toString().toStdString();
            EXPECT_EQ(m_service->customer(s, m_world.customerA)->priceListId, specialId);
            ASSERT_TRUE(m_service->changePriceList(
                s, m_world.customerA, *changed, m_world.catalogue.priceListId));
        } else {
            ASSERT_FALSE(changed.has_value());
            EXPECT_EQ(changed.error().code(), ErrorCode::PermissionDenied)
                << "a Reseller Admin may edit its customer, but not its price list";
            EXPECT_EQ(footprint(), before);
        }
    }
}

TEST_P(CustomerLifecycleTest, ChangePriceListNeedsAListPricingThePlanAndTheCurrentVersion)
{
    CatalogueRepository catalogue(db());
    PriceListRow list;
    list.currency = QStringLiteral("USD");
    list.createdAt = testNow();
    list.name = QStringLiteral("Standard only");
    const qint64 standardOnly = catalogue.insertPriceList(list).value_or(0);
    ASSERT_TRUE(catalogue.setPrice(standardOnly, m_world.catalogue.planId, 5900));
    list.name = QStringLiteral("Archived");
    const qint64 archived = catalogue.insertPriceList(list).value_or(0);
    ASSERT_TRUE(catalogue.setPrice(archived, m_world.catalogue.planId, 100));
    QSqlQuery archive(db().connection());
    ASSERT_TRUE(
        archive.prepare(QStringLiteral("UPDATE price_lists SET archived_at = ? WHERE id = ?")));
    archive.addBindValue(testNow().toMSecsSinceEpoch());
    archive.addBindValue(archived);
    ASSERT_TRUE(archive.exec());
    // Bravo moves to Premium, which the new list does not price.
    ASSERT_TRUE(m_service->changePlan(
        *m_world.admin, m_world.customerB, versionOf(m_world.customerB), m_world.premiumPlanId));

    const QList<int> before = footprint();
    auto refused = [&](qint64 customerId, int version, qint64 listId, ErrorCode code,
                       const char *field) {
        Result<int> r = m_service->changePriceList(*m_world.admin, customerId, version, listId);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code(), code) << r.error().toString().toStdString();
        EXPECT_EQ(r.error().field(), QString::fromLatin1(field));
    };
    refused(m_world.customerB, versionOf(m_world.customerB), standardOnly, ErrorCode::InvalidInput,
        "priceList");
    refused(m_world.customerA, versionOf(m_world.customerA), archived, ErrorCode::InvalidInput,
        "priceList");
    refused(m_world.customerA, versionOf(m_world.customerA), 987654, ErrorCode::InvalidInput,
        "priceList");
    refused(
        m_world.customerA, versionOf(m_world.customerA) + 1, standardOnly, ErrorCode::Conflict, "");
    refused(987654, 1, standardOnly, ErrorCode::NotFound, "");
    // The list it already has: nothing to do.
    EXPECT_EQ(m_service
                  ->changePriceList(*m_world.admin, m_world.customerA, versionOf(m_world.customerA),
                      m_world.catalogue.priceListId)
                  .value_or(-1),
        versionOf(m_world.customerA));
    EXPECT_EQ(footprint(), before) << "refused calls write nothing";

    const int read = versionOf(m_world.customerA);
    Result<int> changed
        = m_service->changePriceList(*m_world.admin, m_world.customerA, read, standardOnly);
    ASSERT_TRUE(changed.has_value()) << changed.error().toString().toStdString();
    EXPECT_EQ(*changed, read + 1);
    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.prepare(QStringLiteral("SELECT entity_id, before_json, after_json, "
                                             "customer_id FROM audit_events WHERE action = ?")));
    audit.addBindValue(QStringLiteral("customer.change_price_list"));
    ASSERT_TRUE(audit.exec());
    ASSERT_TRUE(audit.next());
    EXPECT_EQ(audit.value(0).toLongLong(), m_world.customerA);
    EXPECT_TRUE(audit.value(1).toString().contains(
        QStringLiteral("\"priceListId\":%1").arg(m_world.catalogue.priceListId)));
    EXPECT_TRUE(
        audit.value(2).toString().contains(QStringLiteral("\"priceListId\":%1").arg(standardOnly)));
    EXPECT_FALSE(audit.value(2).toString().contains(QStringLiteral("company")))
        << "only what changed";
    EXPECT_FALSE(audit.next());

    // A second desktop still holding the old version gets a conflict.
    Result<int> stale = m_service->changePriceList(
        *m_world.admin, m_world.customerA, read, m_world.catalogue.priceListId);
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
}

RD_INSTANTIATE_FOR_BACKENDS(CustomerLifecycleTest);
