#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "MatrixTable.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "services/AccessControl.h"
#include "services/ClientAccountService.h"
#include "services/Clock.h"
#include "services/ImpersonationService.h"
#include "storage/CustomerRepository.h"
#include "storage/OrderRepository.h"
#include "storage/UsageRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of the section 3 rows this service implements. A
// wrong permission table in the code cannot make this copy wrong too. The
// client settings follow "add customer (wizard), edit" for vendor and
// reseller roles; the account's own Client Admin may change them too (the
// client view, DESIGN §5), its Client Users may not.
const char *const MatrixRows = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| see customers | all | all | scope | scope | scope | own | own |
| add customer (wizard), edit, (de)activate | ✓ | – | ✓ scope | – | – | – | – |
| plans, price lists, settings | ✓ | – | see | see | – | – | – |
)";

const QList<Role> &Columns = matrixColumns();

QString cell(const char *action, Role role)
{
    return matrixCell(MatrixRows, action, role);
}

class ClientAccountServiceTest : public DatabaseTest
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
        m_access = std::make_unique<AccessControl>(db(), m_clock);
        m_service = std::make_unique<ClientAccountService>(db(), m_clock, *m_access);
    }

    int count(const QString &sql)
    {
        QSqlQuery q(db().connection());
        if (!q.exec(sql) || !q.next()) {
            ADD_FAILURE() << sql.toStdString();
            return -1;
        }
        return q.value(0).toInt();
    }

    int usage(qint64 customerId, const QString &month)
    {
        Result<std::optional<UsageRow>> row = UsageRepository(db()).find(customerId, month);
        EXPECT_TRUE(row.has_value());
        return row && row->has_value() ? (*row)->used : -1;
    }

    ClientDashboard dashboardOf(qint64 customerId)
    {
        Result<ClientDashboard> d = m_service->dashboard(*m_world.admin, customerId);
        EXPECT_TRUE(d.has_value()) << d.error().toString().toStdString();
        return d ? *d : ClientDashboard {};
    }

    ClientSettings settingsOf(qint64 customerId) { return dashboardOf(customerId).settings; }

    Result<UsageImportReport> import(const QByteArray &csv, bool dryRun = false)
    {
        return m_service->importUsageCsv(*m_world.admin, csv, dryRun);
    }

    QByteArray id(qint64 customerId) { return QByteArray::number(customerId); }

    ManualClock m_clock {testNow()}; // 2026-03-14 15:09 UTC
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<ClientAccountService> m_service;
};

} // namespace

TEST_P(ClientAccountServiceTest, DashboardFollowsTheMatrixAndTheScope)
{
    const QList<qint64> all {m_world.customerA, m_world.customerB, m_world.customerAB,
        m_world.customerA1, m_world.customerDirect};
    const QSet<qint64> scopeOfA {m_world.customerA, m_world.customerAB};
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("see customers", role);
        for (qint64 customerId : all) {
            bool visible = false;
            if (expected == QLatin1String("all"))
                visible = true;
            else if (expected == QLatin1String("scope"))
                visible = scopeOfA.contains(customerId);
            else if (expected == QLatin1String("own"))
                visible = customerId == m_world.customerA;
            else
                ADD_FAILURE() << "unknown cell " << expected.toStdString();
            Result<ClientDashboard> d = m_service->dashboard(m_world.as(role), customerId);
            EXPECT_EQ(d.has_value(), visible) << "customer " << customerId;
            if (d) {
                EXPECT_EQ(d->customerId, customerId);
            } else {
                EXPECT_EQ(d.error().code(), ErrorCode::NotFound) << "out of scope is not found";
            }
        }
    }
    // A parent portal does not see its sub-portal's customers; scope "all" sees everyone.
    EXPECT_FALSE(m_service->dashboard(*m_world.resellerAdmin, m_world.customerA1).has_value());
    EXPECT_TRUE(m_service->dashboard(*m_world.resellerAdminA1, m_world.customerA1).has_value());
    EXPECT_TRUE(m_service->dashboard(*m_world.resellerAdminC, m_world.customerB).has_value());
}

TEST_P(ClientAccountServiceTest, TrialDashboardCountsDaysLeftAndThisMonthsUsage)
{
    UsageRepository usageRepository(db());
    ASSERT_TRUE(
        usageRepository.upsert(m_world.customerA, QStringLiteral("2026-03"), 312, testNow()));
    ASSERT_TRUE(
        usageRepository.upsert(m_world.customerA, QStringLiteral("2026-02"), 499, testNow()));

    Result<ClientDashboard> d = m_service->dashboard(*m_world.clientAdmin, m_world.customerA);
    ASSERT_TRUE(d.has_value()) << d.error().toString().toStdString();
    EXPECT_EQ(d->companyName, QStringLiteral("Alpha"));
    EXPECT_EQ(d->domain, QStringLiteral("alpha.example"));
    EXPECT_EQ(d->planName, QStringLiteral("Standard"));
    EXPECT_EQ(d->status, ClientAccountStatus::Trial);
    EXPECT_TRUE(d->trial);
    EXPECT_EQ(d->trialEndsAt, testNow().addDays(14));
    EXPECT_EQ(d->trialDaysLeft, 14);
    EXPECT_EQ(d->monthlyBudget, 500) << "the trial budget, not the plan's 5000";
    EXPECT_EQ(d->usedThisMonth, 312);
    EXPECT_EQ(d->usageMonthKey, QStringLiteral("2026-03"));
    EXPECT_EQ(d->usageMonth, QDate(2026, 3, 1));

    // Ten days and an hour later: 3 days 23 hours left count as 4.
    m_clock.advanceMs((10LL * 24 + 1) * 3600 * 1000);
    d = m_service->dashboard(*m_world.clientAdmin, m_world.customerA);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->trialDaysLeft, 4);
    EXPECT_EQ(d->status, ClientAccountStatus::Trial);

    // In April: the trial has ended, and metering has reported nothing yet.
    m_clock.set(QDateTime(QDate(2026, 4, 2), QTime(8, 0), Qt::UTC));
    d = m_service->dashboard(*m_world.clientAdmin, m_world.customerA);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->status, ClientAccountStatus::TrialExpired);
    EXPECT_EQ(d->trialDaysLeft, 0);
    EXPECT_EQ(d->usedThisMonth, 0);
    EXPECT_EQ(d->usageMonthKey, QStringLiteral("2026-04"));
    EXPECT_EQ(d->monthlyBudget, 500);
}

TEST_P(ClientAccountServiceTest, PaidDashboardUsesThePlanBudgetAndListsUsersAndNewestOrders)
{
    CustomerRepository customers(db());
    Result<CustomerRow> row = customers.find(m_world.customerA);
    ASSERT_TRUE(row.has_value());
    row->billingStatus = BillingStatus::Paid;
    row->convertedAt = testNow();
    ASSERT_TRUE(customers.update(*row).has_value());

    OrderRepository orders(db());
    for (int i = 0; i < 12; ++i) {
        OrderRow o;
        o.customerId = m_world.customerA;
        o.resellerId = m_world.resellerA;
        o.planId = m_world.catalogue.planId;
        o.priceListId = m_world.catalogue.priceListId;
        o.quantity = 1 + i % 3;
        o.currency = QStringLiteral("EUR");
        o.unitPrice = 4900;
        o.total = 4900 * o.quantity;
        // Not inserted in date order.
        o.createdAt = testNow().addDays(-((i * 7) % 12) - 1);
        ASSERT_TRUE(orders.insert(o).has_value());
    }
    // Another customer's order never shows.
    OrderRow other;
    other.customerId = m_world.customerB;
    other.planId = m_world.catalogue.planId;
    other.priceListId = m_world.catalogue.priceListId;
    other.currency = QStringLiteral("EUR");
    other.createdAt = testNow();
    ASSERT_TRUE(orders.insert(other).has_value());

    Result<ClientDashboard> d = m_service->dashboard(*m_world.clientUser, m_world.customerA);
    ASSERT_TRUE(d.has_value()) << d.error().toString().toStdString();
    EXPECT_EQ(d->status, ClientAccountStatus::Active);
    EXPECT_FALSE(d->trial);
    EXPECT_EQ(d->monthlyBudget, 5000) << "the plan's monthly budget";
    EXPECT_EQ(d->trialDaysLeft, 0);
    ASSERT_EQ(d->recentOrders.size(), RecentOrderLimit);
    EXPECT_EQ(d->recentOrders.first().placedAt, testNow().addDays(-1));
    for (qsizetype i = 1; i < d->recentOrders.size(); ++i)
        EXPECT_GE(d->recentOrders.at(i - 1).placedAt, d->recentOrders.at(i).placedAt);
    EXPECT_EQ(d->recentOrders.first().planName, QStringLiteral("Standard"));
    EXPECT_EQ(d->recentOrders.first().currency, QStringLiteral("EUR"));
    EXPECT_EQ(d->recentOrders.first().totalMinor, 4900 * d->recentOrders.first().quantity);

    QStringList emails;
    for (const ClientAccountUser &u : d->users)
        emails.append(u.email);
    emails.sort();
    EXPECT_EQ(emails,
        (QStringList {
            QStringLiteral("admin@alpha.example"), QStringLiteral("user@alpha.example")}));
    for (const ClientAccountUser &u : d->users) {
        EXPECT_TRUE(u.active);
        EXPECT_EQ(u.role,
            u.email.startsWith(QLatin1String("admin")) ? Role::ClientAdmin : Role::ClientUser);
    }
    EXPECT_FALSE(d->canEditSettings) << "a Client User reads the settings only";

    // A deactivated account still shows, as inactive.
    row = customers.find(m_world.customerA);
    ASSERT_TRUE(row.has_value());
    row->active = false;
    ASSERT_TRUE(customers.update(*row).has_value());
    d = m_service->dashboard(*m_world.clientAdmin, m_world.customerA);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->status, ClientAccountStatus::Inactive);
    EXPECT_FALSE(d->canEditSettings);
}

TEST_P(ClientAccountServiceTest, SettingsMayBeChangedByTheClientAdminAndCustomerEditors)
{
    int n = 0;
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString editCell = cell("add customer (wizard), edit, (de)activate", role);
        const bool expected = editCell.startsWith(QStringLiteral("✓")) || role == Role::ClientAdmin;
        const Session &session = m_world.as(role);

        Result<ClientDashboard> before = m_service->dashboard(session, m_world.customerA);
        ASSERT_TRUE(before.has_value());
        EXPECT_EQ(before->canEditSettings, expected);
        ClientSettings settings = before->settings;
        settings.contactName = QStringLiteral("Contact %1").arg(++n);
        const int events = count(QStringLiteral("SELECT count(*) FROM audit_events"));
        Result<int> saved
            = m_service->updateSettings(session, m_world.customerA, before->version, settings);
        EXPECT_EQ(saved.has_value(), expected);
        if (saved) {
            EXPECT_EQ(*saved, before->version + 1);
            EXPECT_EQ(settingsOf(m_world.customerA).contactName, settings.contactName);
            EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events")), events + 1);
        } else {
            EXPECT_EQ(saved.error().code(), ErrorCode::PermissionDenied);
            EXPECT_FALSE(saved.error().message().isEmpty());
            EXPECT_NE(settingsOf(m_world.customerA).contactName, settings.contactName);
            EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events")), events);
        }
    }
    // Out of scope: "not found", whatever the role could do in scope.
    Result<ClientDashboard> b = m_service->dashboard(*m_world.admin, m_world.customerB);
    ASSERT_TRUE(b.has_value());
    Result<int> outOfScope = m_service->updateSettings(
        *m_world.resellerAdmin, m_world.customerB, b->version, b->settings);
    ASSERT_FALSE(outOfScope.has_value());
    EXPECT_EQ(outOfScope.error().code(), ErrorCode::NotFound);
    Result<int> otherAccount = m_service->updateSettings(
        *m_world.clientAdmin, m_world.customerB, b->version, b->settings);
    ASSERT_FALSE(otherAccount.has_value());
    EXPECT_EQ(otherAccount.error().code(), ErrorCode::NotFound);
}

TEST_P(ClientAccountServiceTest, SavingWritesOneAuditEventWithTheChangedFields)
{
    const ClientDashboard before = dashboardOf(m_world.customerA);
    ClientSettings settings = before.settings;
    settings.contactName = QStringLiteral("  Grace Hopper ");
    settings.contactPhone = QStringLiteral("030 1234567");
    settings.phoneRegion = QStringLiteral("DE");
    Result<int> saved = m_service->updateSettings(
        *m_world.clientAdmin, m_world.customerA, before.version, settings);
    ASSERT_TRUE(saved.has_value()) << saved.error().toString().toStdString();
    const ClientSettings after = settingsOf(m_world.customerA);
    EXPECT_EQ(after.contactName, QStringLiteral("Grace Hopper"));
    EXPECT_EQ(after.contactPhone, QStringLiteral("+49301234567"));
    EXPECT_FALSE(after.noEmail);

    QSqlQuery q(db().connection());
    ASSERT_TRUE(q.exec(QStringLiteral(
        "SELECT before_json, after_json, actor_user_id, impersonator_user_id, customer_id "
        "FROM audit_events WHERE action = 'customer.client_settings'")));
    ASSERT_TRUE(q.next());
    const QJsonObject old = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    const QJsonObject now = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
    EXPECT_EQ(old.value(QStringLiteral("contact")).toString(), before.settings.contactName);
    EXPECT_EQ(now.value(QStringLiteral("contact")).toString(), QStringLiteral("Grace Hopper"));
    EXPECT_EQ(now.value(QStringLiteral("phone")).toString(), QStringLiteral("+49301234567"));
    EXPECT_FALSE(now.contains(QStringLiteral("noEmail"))) << "only changed fields";
    EXPECT_EQ(q.value(2).toLongLong(), m_world.clientAdmin->userId());
    EXPECT_TRUE(q.value(3).isNull());
    EXPECT_EQ(q.value(4).toLongLong(), m_world.customerA);
    EXPECT_FALSE(q.next()) << "one event";

    // Saving the same values again changes nothing and records nothing.
    Result<int> again
        = m_service->updateSettings(*m_world.clientAdmin, m_world.customerA, *saved, after);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, *saved);
    EXPECT_EQ(count(QStringLiteral(
                  "SELECT count(*) FROM audit_events WHERE action = 'customer.client_settings'")),
        1);
}

TEST_P(ClientAccountServiceTest, AnImpersonatedClientAdminMaySaveAndTheImpersonatorIsRecorded)
{
    // Rule 9: every write during Login As records the client user and the
    // impersonator (and the session).
    Result<LoginAsStarted> started
        = ImpersonationService(db(), m_clock, *m_access)
              .start(*m_world.support, m_world.customerA, m_world.clientAdmin->membershipId(),
                  QStringLiteral("Ticket 77"));
    ASSERT_TRUE(started.has_value()) << started.error().toString().toStdString();
    const Session impersonated = started->session;
    const ClientDashboard before = dashboardOf(m_world.customerA);
    Result<ClientDashboard> seen = m_service->dashboard(impersonated, m_world.customerA);
    ASSERT_TRUE(seen.has_value());
    EXPECT_TRUE(seen->canEditSettings);
    ClientSettings settings = before.settings;
    settings.noEmail = true;
    Result<int> saved
        = m_service->updateSettings(impersonated, m_world.customerA, before.version, settings);
    ASSERT_TRUE(saved.has_value()) << saved.error().toString().toStdString();
    EXPECT_TRUE(settingsOf(m_world.customerA).noEmail);

    QSqlQuery q(db().connection());
    ASSERT_TRUE(q.exec(QStringLiteral(
        "SELECT actor_user_id, impersonator_user_id, impersonation_session_id, "
        "actor_membership_id FROM audit_events WHERE action = 'customer.client_settings'")));
    ASSERT_TRUE(q.next());
    EXPECT_EQ(q.value(0).toLongLong(), m_world.clientAdmin->userId());
    EXPECT_EQ(q.value(1).toLongLong(), m_world.support->userId());
    EXPECT_EQ(q.value(2).toLongLong(), started->impersonationId);
    EXPECT_EQ(q.value(3).toLongLong(), m_world.clientAdmin->membershipId());
    q.finish();

    // Once the session has ended, the same session changes nothing more.
    ASSERT_TRUE(ImpersonationService(db(), m_clock, *m_access)
                    .end(impersonated, ImpersonationEnd::Closed)
                    .has_value());
    settings.noEmail = false;
    Result<int> late = m_service->updateSettings(impersonated, m_world.customerA, *saved, settings);
    ASSERT_FALSE(late.has_value());
    EXPECT_EQ(late.error().code(), ErrorCode::PermissionDenied);
    EXPECT_TRUE(settingsOf(m_world.customerA).noEmail);
}

TEST_P(ClientAccountServiceTest, AStaleVersionConflictsAndBadInputChangesNothing)
{
    const ClientDashboard before = dashboardOf(m_world.customerA);
    ClientSettings first = before.settings;
    first.contactName = QStringLiteral("First Writer");
    ASSERT_TRUE(
        m_service->updateSettings(*m_world.admin, m_world.customerA, before.version, first));

    ClientSettings second = before.settings;
    second.contactName = QStringLiteral("Second Writer");
    Result<int> stale = m_service->updateSettings(
        *m_world.clientAdmin, m_world.customerA, before.version, second);
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
    EXPECT_EQ(settingsOf(m_world.customerA).contactName, QStringLiteral("First Writer"));

    const ClientDashboard current = dashboardOf(m_world.customerA);
    const int events = count(QStringLiteral("SELECT count(*) FROM audit_events"));
    ClientSettings bad = current.settings;
    bad.contactName = QStringLiteral("Changed Too");
    bad.contactPhone = QStringLiteral("12ab");
    Result<int> badPhone
        = m_service->updateSettings(*m_world.clientAdmin, m_world.customerA, current.version, bad);
    ASSERT_FALSE(badPhone.has_value());
    EXPECT_EQ(badPhone.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(badPhone.error().field(), QStringLiteral("contactPhone"));
    bad = current.settings;
    bad.contactName = QStringLiteral("   ");
    Result<int> noName
        = m_service->updateSettings(*m_world.clientAdmin, m_world.customerA, current.version, bad);
    ASSERT_FALSE(noName.has_value());
    EXPECT_EQ(noName.error().field(), QStringLiteral("contactName"));
    bad.contactName = QString(201, QLatin1Char('x'));
    Result<int> tooLong
        = m_service->updateSettings(*m_world.clientAdmin, m_world.customerA, current.version, bad);
    ASSERT_FALSE(tooLong.has_value());
    EXPECT_EQ(tooLong.error().field(), QStringLiteral("contactName"));

    const ClientDashboard after = dashboardOf(m_world.customerA);
    EXPECT_EQ(after.version, current.version);
    EXPECT_EQ(after.settings.contactName, QStringLiteral("First Writer"));
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events")), events);
}

TEST_P(ClientAccountServiceTest, ImportsAGoodFileInOneBatchWithAnAuditEventPerRow)
{
    ASSERT_TRUE(
        UsageRepository(db()).upsert(m_world.customerA, QStringLiteral("2026-02"), 10, testNow()));
    const QByteArray csv = "customer_id,month,used\n" + id(m_world.customerA) + ",2026-02,250\r\n"
        + id(m_world.customerA) + ",2026-03,312\n" + id(m_world.customerB) + ",2026-03,0\n";
    Result<UsageImportReport> report = import(csv);
    ASSERT_TRUE(report.has_value()) << report.error().toString().toStdString();
    EXPECT_FALSE(report->dryRun);
    EXPECT_EQ(report->rowsRead, 3);
    EXPECT_EQ(report->imported, 3);
    EXPECT_TRUE(report->refused.isEmpty());
    EXPECT_FALSE(report->batchId.isEmpty());
    EXPECT_EQ(usage(m_world.customerA, QStringLiteral("2026-02")), 250);
    EXPECT_EQ(usage(m_world.customerA, QStringLiteral("2026-03")), 312);
    EXPECT_EQ(usage(m_world.customerB, QStringLiteral("2026-03")), 0);

    QSqlQuery q(db().connection());
    q.prepare(QStringLiteral("SELECT batch_id, before_json, after_json, customer_id FROM "
                             "audit_events WHERE action = 'usage.import' ORDER BY id"));
    ASSERT_TRUE(q.exec());
    int events = 0;
    while (q.next()) {
        ++events;
        EXPECT_EQ(q.value(0).toString(), report->batchId);
        const QJsonObject after = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
        if (events == 1) {
            const QJsonObject before
                = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
            EXPECT_EQ(before.value(QStringLiteral("used")).toInt(), 10);
            EXPECT_EQ(after.value(QStringLiteral("used")).toInt(), 250);
            EXPECT_EQ(q.value(3).toLongLong(), m_world.customerA);
        }
    }
    EXPECT_EQ(events, 3);

    // The dashboard reads what was imported.
    EXPECT_EQ(dashboardOf(m_world.customerA).usedThisMonth, 312);
}

TEST_P(ClientAccountServiceTest, AcceptsABomReorderedColumnsDomainsAndExtraColumns)
{
    const QByteArray csv = "\xEF\xBB\xBF"
                           "Used ; note,  MONTH ,domain\n"
                           "\"1,200\",2026-03,alpha.example\n";
    // A semicolon is not a separator: this header names no "used" column.
    Result<UsageImportReport> refused = import(csv);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);

    const QByteArray good = "\xEF\xBB\xBF"
                            "note,used, MONTH ,Domain\n"
                            "\"billing, March\",1200,2026-03,https://www.Alpha.example/\n"
                            "\"two\nlines\",7,2026-03,bravo.example\n";
    Result<UsageImportReport> report = import(good);
    ASSERT_TRUE(report.has_value()) << report.error().toString().toStdString();
    EXPECT_EQ(report->rowsRead, 2);
    EXPECT_EQ(report->imported, 2);
    EXPECT_EQ(usage(m_world.customerA, QStringLiteral("2026-03")), 1200);
    EXPECT_EQ(usage(m_world.customerB, QStringLiteral("2026-03")), 7);
}

TEST_P(ClientAccountServiceTest, RefusesBadRowsOneByOneWithTheirLineAndImportsTheRest)
{
    const QByteArray csv = "customer_id,month,used\n" // 1
        + id(m_world.customerA) + ",2026-03,100\n"    // 2 good
        + "999999,2026-03,5\n"                        // 3 unknown customer
        + id(m_world.customerB) + ",2026-13,5\n"      // 4 bad month
        + id(m_world.customerB) + ",March,5\n"        // 5 bad month
        + id(m_world.customerB) + ",2026-03,-4\n"     // 6 negative
        + "\n"                                        // 7 blank, skipped
        + id(m_world.customerB) + ",2026-03,many\n"   // 8 not a number
        + id(m_world.customerA) + ",2026-03,101\n"    // 9 duplicate of line 2
        + id(m_world.customerB) + ",2026-03\n"        // 10 column count
        + id(m_world.customerAB) + ",2026-03,42\n";   // 11 good
    Result<UsageImportReport> report = import(csv);
    ASSERT_TRUE(report.has_value()) << report.error().toString().toStdString();
    EXPECT_EQ(report->rowsRead, 9);
    EXPECT_EQ(report->imported, 2);
    QList<int> lines;
    for (const UsageImportRefusal &r : report->refused) {
        lines.append(r.line);
        EXPECT_FALSE(r.message.isEmpty());
    }
    EXPECT_EQ(lines, (QList<int> {3, 4, 5, 6, 8, 9, 10}));
    EXPECT_TRUE(report->refused.at(5).message.contains(QStringLiteral("line 2")))
        << report->refused.at(5).message.toStdString();
    EXPECT_EQ(usage(m_world.customerA, QStringLiteral("2026-03")), 100);
    EXPECT_EQ(usage(m_world.customerAB, QStringLiteral("2026-03")), 42);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM identification_usage")), 2);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events WHERE action = "
                                   "'usage.import'")),
        2);
}

TEST_P(ClientAccountServiceTest, AMalformedFileImportsNothing)
{
    const QByteArray row = id(m_world.customerA) + ",2026-03,100\n";
    const QList<QByteArray> files {
        QByteArray(),                                                           // empty
        "\xEF\xBB\xBF",                                                         // only a BOM
        row,                                                                    // no header
        "customer_id,month\n" + row,                                            // missing column
        "customer_id,month,used\n" + id(m_world.customerA) + ",2026-03,\"10\n", // open quote
        "customer_id,month,used\n" + id(m_world.customerA) + ",2026-03,1\n" + id(m_world.customerB)
            + ",2026-03,\xFF\xFE\n",                                              // not UTF-8
        "customer_id,month,used\n" + id(m_world.customerA) + ",\"2026\"x-03,1\n", // stray quote
    };
    for (const QByteArray &file : files) {
        SCOPED_TRACE(file.toStdString());
        for (bool dryRun : {true, false}) {
            Result<UsageImportReport> report = import(file, dryRun);
            ASSERT_FALSE(report.has_value());
            EXPECT_EQ(report.error().code(), ErrorCode::InvalidInput);
            EXPECT_TRUE(report.error().message().contains(QStringLiteral("Nothing was imported")))
                << report.error().message().toStdString();
        }
    }
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM identification_usage")), 0);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events")), 0);
}

TEST_P(ClientAccountServiceTest, ADryRunReportsAndWritesNothing)
{
    const QByteArray csv
        = "customer_id,month,used\n" + id(m_world.customerA) + ",2026-03,100\n999,2026-03,1\n";
    Result<UsageImportReport> report = import(csv, true);
    ASSERT_TRUE(report.has_value()) << report.error().toString().toStdString();
    EXPECT_TRUE(report->dryRun);
    EXPECT_EQ(report->rowsRead, 2);
    EXPECT_EQ(report->imported, 1);
    ASSERT_EQ(report->refused.size(), 1);
    EXPECT_EQ(report->refused.first().line, 3);
    EXPECT_TRUE(report->batchId.isEmpty());
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM identification_usage")), 0);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events")), 0);
}

TEST_P(ClientAccountServiceTest, OnlyAdministratorsImportUsage)
{
    const QByteArray csv = "customer_id,month,used\n" + id(m_world.customerA) + ",2026-03,100\n";
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const bool expected = cell("plans, price lists, settings", role) == QStringLiteral("✓");
        const int events = count(QStringLiteral("SELECT count(*) FROM audit_events"));
        for (bool dryRun : {true, false}) {
            Result<UsageImportReport> report
                = m_service->importUsageCsv(m_world.as(role), csv, dryRun);
            EXPECT_EQ(report.has_value(), expected);
            if (!report) {
                EXPECT_EQ(report.error().code(), ErrorCode::PermissionDenied);
            }
        }
        if (!expected) {
            EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events")), events);
        }
    }
    EXPECT_EQ(usage(m_world.customerA, QStringLiteral("2026-03")), 100);
}

RD_INSTANTIATE_FOR_BACKENDS(ClientAccountServiceTest);
