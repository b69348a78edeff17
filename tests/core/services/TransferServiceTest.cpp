#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <gtest/gtest.h>

#include "MatrixTable.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "security/LocalAuthenticator.h"
#include "security/PasswordHasher.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/TransferService.h"
#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/OutboxRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of the section 3 row these services implement. A
// wrong permission table in the code cannot make this copy wrong too.
const char *const MatrixRows = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| move, clone, migrate | ✓ | – | – | – | – | – | – |
)";

const QList<Role> &Columns = matrixColumns();

QString cell(const char *action, Role role)
{
    return matrixCell(MatrixRows, action, role);
}

const QString AdminPassword = QStringLiteral("the administrator's passphrase");
const QString WrongPassword = QStringLiteral("definitely not the password");

// Open assignments as (reseller, kind) pairs; gtest prints them readably.
using Assignments = std::set<std::pair<qint64, std::string>>;
const std::string Owner = "owner";
const std::string Additional = "additional";

std::string text(const Error &error)
{
    return error.toString().toStdString();
}

class TransferServiceTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << text(world.error());
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db());
        m_authenticator = std::make_unique<LocalAuthenticator>(
            db(), m_clock, PasswordHasher(PasswordCost::minimum()));
        m_service = std::make_unique<TransferService>(db(), m_clock, *m_access, *m_authenticator);

        // The administrator re-enters this password to migrate (rule 8).
        UserRepository users(db());
        Result<UserRow> admin = users.find(m_world.admin->userId());
        ASSERT_TRUE(admin.has_value()) << text(admin.error());
        Result<QString> hash = PasswordHasher(PasswordCost::minimum()).hash(AdminPassword);
        ASSERT_TRUE(hash.has_value()) << text(hash.error());
        ASSERT_TRUE(users.setPassword(admin->id, admin->version, *hash, testNow()).has_value());
        // Alpha's primary user is its Client Admin of the TestWorld.
        setColumn("customers", "primary_user_id", m_world.customerA, m_world.clientAdmin->userId());

        // Later than every seeded assignment, so ended and new rows have
        // dates of their own.
        m_clock.advanceMs(60 * 60 * 1000);
    }

    void setColumn(const char *table, const char *column, qint64 id, const QVariant &value)
    {
        QSqlQuery q(db().connection());
        ASSERT_TRUE(q.prepare(QStringLiteral("UPDATE ") + QString::fromLatin1(table)
            + QStringLiteral(" SET ") + QString::fromLatin1(column)
            + QStringLiteral(" = ? WHERE id = ?")));
        q.addBindValue(value);
        q.addBindValue(id);
        ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();
    }

    qint64 scalar(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery q(db().connection());
        if (!q.prepare(sql)) {
            ADD_FAILURE() << q.lastError().text().toStdString();
            return -1;
        }
        for (const QVariant &value : values)
            q.addBindValue(value);
        if (!q.exec() || !q.next()) {
            ADD_FAILURE() << sql.toStdString() << ": " << q.lastError().text().toStdString();
            return -1;
        }
        return q.value(0).isNull() ? 0 : q.value(0).toLongLong();
    }

    qint64 count(const char *table, const QString &where = {}, const QVariantList &values = {})
    {
        return scalar(QStringLiteral("SELECT count(*) FROM ") + QString::fromLatin1(table)
                + (where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where),
            values);
    }

    // Every table a refused call could have touched, and the state a
    // refused call could have changed in place.
    QList<qint64> footprint()
    {
        return {count("customers"), count("customer_assignments"),
            count("customer_assignments", QStringLiteral("ended_at IS NULL")), count("resellers"),
            count("memberships"), count("outbox"), count("audit_events"),
            scalar(QStringLiteral("SELECT sum(version) FROM customers")),
            scalar(QStringLiteral("SELECT sum(failed_logins) FROM users"))};
    }

    // The customers whose owner scope column differs from their open owner
    // assignment (both NULL/none for a direct account): must be none.
    qint64 ownerMismatches()
    {
        return scalar(QStringLiteral(
            "SELECT count(*) FROM customers c WHERE NOT ("
            " (c.owner_reseller_id IS NULL AND NOT EXISTS (SELECT 1 FROM customer_assignments a"
            "   WHERE a.customer_id = c.id AND a.kind = 'owner' AND a.ended_at IS NULL))"
            " OR (SELECT count(*) FROM customer_assignments a WHERE a.customer_id = c.id"
            "   AND a.kind = 'owner' AND a.ended_at IS NULL"
            "   AND a.reseller_id = c.owner_reseller_id) = 1)"));
    }

    CustomerRow customer(qint64 id)
    {
        Result<CustomerRow> row = CustomerRepository(db()).find(id);
        EXPECT_TRUE(row.has_value()) << text(row.error());
        return row.value_or(CustomerRow {});
    }

    QList<AssignmentRow> history(qint64 customerId)
    {
        Result<QList<AssignmentRow>> rows = CustomerRepository(db()).assignments(customerId);
        EXPECT_TRUE(rows.has_value()) << text(rows.error());
        return rows.value_or(QList<AssignmentRow> {});
    }

    // The open assignments of a customer as (reseller, kind) pairs.
    Assignments open(qint64 customerId)
    {
        Assignments pairs;
        for (const AssignmentRow &a : history(customerId)) {
            if (!a.endedAt.isValid())
                pairs.insert({a.resellerId, a.kind == AssignmentKind::Owner ? Owner : Additional});
        }
        return pairs;
    }

    qint64 migratedAt(qint64 customerId)
    {
        return scalar(QStringLiteral("SELECT migrated_at FROM customers WHERE id = ?"),
            {QVariant(customerId)});
    }

    // A new user with a Client Admin membership of the customer, recorded as
    // its primary user.
    qint64 givePrimaryUser(qint64 customerId, const QString &email)
    {
        UserRow u;
        u.email = email;
        u.emailKey = email.toLower();
        u.displayName = QStringLiteral("Primary of ") + email;
        u.createdAt = testNow();
        UserRepository users(db());
        Result<qint64> userId = users.insert(u);
        EXPECT_TRUE(userId.has_value()) << text(userId.error());
        MembershipRow m;
        m.userId = userId.value_or(0);
        m.role = Role::ClientAdmin;
        m.customerId = customerId;
        m.createdAt = testNow();
        EXPECT_TRUE(users.insertMembership(m).has_value());
        setColumn("customers", "primary_user_id", customerId, QVariant(userId.value_or(0)));
        return userId.value_or(0);
    }

    qint64 addReseller(const QString &name)
    {
        ResellerRow r;
        r.name = name;
        r.createdAt = testNow();
        Result<qint64> id = ResellerRepository(db()).insert(r);
        EXPECT_TRUE(id.has_value()) << text(id.error());
        return id.value_or(0);
    }

    QJsonObject json(const QString &sql, const QVariantList &values)
    {
        QSqlQuery q(db().connection());
        EXPECT_TRUE(q.prepare(sql));
        for (const QVariant &value : values)
            q.addBindValue(value);
        EXPECT_TRUE(q.exec() && q.next()) << q.lastError().text().toStdString();
        return QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    }

    // n customers "Bulk 0" ... owned by reseller A (with their owner
    // assignments), in id order: more than one statement chunk of the bulk
    // clone for n > 500.
    QList<qint64> seedBulk(int n)
    {
        QList<qint64> ids;
        Result<WriteTransaction> tx = WriteTransaction::begin(db());
        EXPECT_TRUE(tx.has_value());
        if (!tx)
            return ids;
        CustomerRepository customers(db());
        for (int i = 0; i < n; ++i) {
            Result<qint64> id
                = seedCustomer(db(), m_world.catalogue, QStringLiteral("Bulk %1").arg(i));
            EXPECT_TRUE(id.has_value()) << text(id.error());
            if (!id)
                return ids;
            AssignmentRow owner;
            owner.customerId = *id;
            owner.resellerId = m_world.resellerA;
            owner.kind = AssignmentKind::Owner;
            owner.assignedAt = testNow();
            EXPECT_TRUE(customers.insertAssignment(owner).has_value());
            ids.append(*id);
        }
        EXPECT_TRUE(tx->commit().has_value());
        return ids;
    }

    // Makes every later INSERT of an audit event for this customer fail,
    // as a constraint would: a write midway through a bulk change.
    void refuseAuditEventsFor(qint64 customerId)
    {
        QSqlQuery q(db().connection());
        const QString id = QString::number(customerId);
        if (GetParam() == Backend::SQLite) {
            ASSERT_TRUE(q.exec(QStringLiteral("CREATE TRIGGER refuse_audit BEFORE INSERT ON "
                                              "audit_events WHEN NEW.entity_id = ")
                + id + QStringLiteral(" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")))
                << q.lastError().text().toStdString();
        } else {
            ASSERT_TRUE(q.exec(
                QStringLiteral("CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
                               "'BEGIN RAISE EXCEPTION ''refused by the test''; END'")))
                << q.lastError().text().toStdString();
            ASSERT_TRUE(q.exec(QStringLiteral("CREATE TRIGGER refuse_audit BEFORE INSERT ON "
                                              "audit_events FOR EACH ROW WHEN (NEW.entity_id = ")
                + id + QStringLiteral(") EXECUTE FUNCTION refuse_audit()")))
                << q.lastError().text().toStdString();
        }
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<LocalAuthenticator> m_authenticator;
    std::unique_ptr<TransferService> m_service;
};

} // namespace

// --- the matrix ---

TEST_P(TransferServiceTest, MoveCloneAndMigrateFollowTheMatrix)
{
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("move, clone, migrate", role);
        const Session &session = m_world.as(role);
        const QList<qint64> before = footprint();

        Result<CloneReport> cloned
            = m_service->cloneToReseller(session, {m_world.customerA}, m_world.resellerC);
        Result<int> moved = m_service->moveCustomer(
            session, m_world.customerB, customer(m_world.customerB).version, m_world.resellerC, 0);
        Result<MigrationResult> migrated
            = m_service->migrateToReseller(session, m_world.customerA, AdminPassword);
        // The dialogs' reads are for the same role only.
        Result<QList<TransferCandidate>> candidates
            = m_service->candidates(session, {m_world.customerB});
        Result<QString> name = m_service->suggestedPortalName(session, m_world.customerB);

        if (expected == QString::fromUtf8("✓")) {
            ASSERT_TRUE(candidates.has_value()) << text(candidates.error());
            EXPECT_EQ(candidates->size(), 1);
            EXPECT_TRUE(name.has_value());
            ASSERT_TRUE(cloned.has_value()) << text(cloned.error());
            EXPECT_EQ(cloned->cloned, QList<qint64> {m_world.customerA});
            EXPECT_TRUE(moved.has_value()) << text(moved.error());
            EXPECT_TRUE(migrated.has_value()) << text(migrated.error());
            EXPECT_NE(footprint(), before);
        } else if (expected == QString::fromUtf8("–")) {
            ASSERT_FALSE(cloned.has_value());
            ASSERT_FALSE(moved.has_value());
            ASSERT_FALSE(migrated.has_value());
            EXPECT_EQ(cloned.error().code(), ErrorCode::PermissionDenied);
            EXPECT_EQ(moved.error().code(), ErrorCode::PermissionDenied);
            EXPECT_EQ(migrated.error().code(), ErrorCode::PermissionDenied);
            ASSERT_FALSE(candidates.has_value());
            EXPECT_EQ(candidates.error().code(), ErrorCode::PermissionDenied);
            ASSERT_FALSE(name.has_value());
            EXPECT_EQ(name.error().code(), ErrorCode::PermissionDenied);
            EXPECT_EQ(footprint(), before)
                << "a refused call writes nothing, not even a failed password check";
        } else {
            ADD_FAILURE() << "unknown cell " << expected.toStdString();
        }
    }
    EXPECT_EQ(ownerMismatches(), 0);
}

// --- clone (rule 6) ---

TEST_P(TransferServiceTest, CloneAddsAssignmentsAndSkipsWhatCannotBeCloned)
{
    setColumn("customers", "active", m_world.customerB, QVariant(false));
    ASSERT_TRUE(
        m_service->cloneToReseller(*m_world.admin, {m_world.customerA1}, m_world.resellerC));
    const QList<qint64> versions {customer(m_world.customerA).version,
        customer(m_world.customerAB).version, customer(m_world.customerDirect).version};

    const qint64 missing = 987654;
    Result<CloneReport> report = m_service->cloneToReseller(*m_world.admin,
        {m_world.customerA, missing, m_world.customerB, m_world.customerA1, m_world.customerAB,
            m_world.customerDirect, m_world.customerA},
        m_world.resellerC);
    ASSERT_TRUE(report.has_value()) << text(report.error());

    EXPECT_EQ(report->cloned,
        (QList<qint64> {m_world.customerA, m_world.customerAB, m_world.customerDirect}))
        << "in selection order, each once";
    ASSERT_EQ(report->skipped.size(), 3);
    EXPECT_EQ(report->skipped.at(0).customerId, missing);
    EXPECT_TRUE(report->skipped.at(0).companyName.isEmpty());
    EXPECT_TRUE(report->skipped.at(0).reason.contains(QStringLiteral("no longer exists")));
    EXPECT_EQ(report->skipped.at(1).customerId, m_world.customerB);
    EXPECT_EQ(report->skipped.at(1).companyName, QStringLiteral("Bravo"));
    EXPECT_TRUE(report->skipped.at(1).reason.contains(QStringLiteral("inactive")));
    EXPECT_EQ(report->skipped.at(2).customerId, m_world.customerA1);
    EXPECT_EQ(report->skipped.at(2).companyName, QStringLiteral("Sub"));
    EXPECT_TRUE(report->skipped.at(2).reason.contains(QStringLiteral("already assigned")))
        << report->skipped.at(2).reason.toStdString();

    // Additional assignments; owners, owner columns and versions unchanged.
    EXPECT_EQ(open(m_world.customerA),
        (Assignments {{m_world.resellerA, Owner}, {m_world.resellerC, Additional}}));
    EXPECT_EQ(open(m_world.customerAB),
        (Assignments {{m_world.resellerB, Owner}, {m_world.resellerA, Additional},
            {m_world.resellerC, Additional}}));
    EXPECT_EQ(open(m_world.customerDirect), (Assignments {{m_world.resellerC, Additional}}));
    EXPECT_EQ(customer(m_world.customerDirect).ownerResellerId, 0);
    EXPECT_EQ((QList<qint64> {customer(m_world.customerA).version,
                  customer(m_world.customerAB).version, customer(m_world.customerDirect).version}),
        versions);
    EXPECT_EQ(count("customer_assignments", QStringLiteral("ended_at IS NOT NULL")), 0);
    const AssignmentRow added = history(m_world.customerDirect).constLast();
    EXPECT_EQ(added.assignedAt, m_clock.now());
    EXPECT_EQ(added.assignedBy, m_world.admin->userId());
    EXPECT_EQ(open(m_world.customerB), (Assignments {{m_world.resellerB, Owner}}))
        << "a skipped customer is untouched";

    // Rule 12: one event per cloned customer, all in one batch.
    EXPECT_FALSE(report->batchId.isEmpty());
    EXPECT_EQ(count("audit_events", QStringLiteral("batch_id = ?"), {report->batchId}), 3);
    EXPECT_EQ(count("audit_events",
                  QStringLiteral("batch_id = ? AND action = 'customer.clone' AND entity_type = "
                                 "'customer' AND actor_user_id = ?"),
                  {report->batchId, m_world.admin->userId()}),
        3);
    EXPECT_EQ(ownerMismatches(), 0);
}

TEST_P(TransferServiceTest, CloneEndingCurrentAssignmentsHandsOwnershipOverWithHistory)
{
    setColumn("customers", "active", m_world.customerB, QVariant(false));
    setColumn("customers", "plan_id", m_world.customerDirect, QVariant(m_world.premiumPlanId));
    ASSERT_TRUE(
        m_service->cloneToReseller(*m_world.admin, {m_world.customerA1}, m_world.resellerC));
    m_clock.advanceMs(5 * 60 * 1000);
    const QDateTime handover = m_clock.now();
    const int versionA = customer(m_world.customerA).version;

    Result<CloneReport> report = m_service->cloneToReseller(*m_world.admin,
        {m_world.customerA, m_world.customerB, m_world.customerDirect, m_world.customerAB,
            m_world.customerA1, 424242},
        m_world.resellerC, {.endCurrentAssignments = true});
    ASSERT_TRUE(report.has_value()) << text(report.error());
    EXPECT_EQ(report->cloned, (QList<qint64> {m_world.customerA, m_world.customerAB}));
    QHash<qint64, QString> reasons;
    for (const SkippedCustomer &skipped : report->skipped)
        reasons.insert(skipped.customerId, skipped.reason);
    ASSERT_EQ(reasons.size(), 4);
    EXPECT_TRUE(reasons.value(m_world.customerB).contains(QStringLiteral("inactive")));
    EXPECT_TRUE(reasons.value(m_world.customerDirect).contains(QStringLiteral("Premium")))
        << "names the plan the target does not offer: "
        << reasons.value(m_world.customerDirect).toStdString();
    EXPECT_TRUE(reasons.value(m_world.customerDirect).contains(QStringLiteral("does not offer")));
    EXPECT_TRUE(reasons.value(m_world.customerA1).contains(QStringLiteral("already assigned")));
    EXPECT_TRUE(reasons.value(424242).contains(QStringLiteral("no longer exists")));

    // Alpha: A's owner assignment ended (kept, dated), C the owner now.
    EXPECT_EQ(open(m_world.customerA), (Assignments {{m_world.resellerC, Owner}}));
    const QList<AssignmentRow> alpha = history(m_world.customerA);
    ASSERT_EQ(alpha.size(), 2) << "history kept";
    EXPECT_EQ(alpha.at(0).resellerId, m_world.resellerA);
    EXPECT_EQ(alpha.at(0).assignedAt, testNow());
    EXPECT_EQ(alpha.at(0).endedAt, handover);
    EXPECT_EQ(alpha.at(0).endedBy, m_world.admin->userId());
    EXPECT_EQ(alpha.at(1).assignedAt, handover);
    EXPECT_EQ(customer(m_world.customerA).ownerResellerId, m_world.resellerC);
    EXPECT_EQ(customer(m_world.customerA).version, versionA + 1);

    // Shared: B's owner and A's additional assignment both ended.
    EXPECT_EQ(open(m_world.customerAB), (Assignments {{m_world.resellerC, Owner}}));
    EXPECT_EQ(history(m_world.customerAB).size(), 3);
    EXPECT_EQ(customer(m_world.customerAB).ownerResellerId, m_world.resellerC);
    EXPECT_EQ(count("customer_assignments",
                  QStringLiteral("customer_id = ? AND ended_at = ? AND ended_by = ?"),
                  {m_world.customerAB, handover.toMSecsSinceEpoch(), m_world.admin->userId()}),
        2);

    // Skipped customers keep everything.
    EXPECT_EQ(customer(m_world.customerDirect).ownerResellerId, 0);
    EXPECT_EQ(customer(m_world.customerB).ownerResellerId, m_world.resellerB);
    EXPECT_EQ(customer(m_world.customerA1).ownerResellerId, m_world.resellerA1);

    // One event per customer, one batch, with the owner before and after.
    EXPECT_EQ(count("audit_events", QStringLiteral("batch_id = ?"), {report->batchId}), 2);
    const QJsonObject before = json(QStringLiteral("SELECT before_json FROM audit_events WHERE "
                                                   "batch_id = ? AND entity_id = ?"),
        {report->batchId, m_world.customerAB});
    const QJsonObject after = json(QStringLiteral("SELECT after_json FROM audit_events WHERE "
                                                  "batch_id = ? AND entity_id = ?"),
        {report->batchId, m_world.customerAB});
    EXPECT_EQ(before.value(QStringLiteral("owner_reseller_id")).toInteger(), m_world.resellerB);
    EXPECT_EQ(before.value(QStringLiteral("assignments")).toArray().size(), 2);
    EXPECT_EQ(after.value(QStringLiteral("owner_reseller_id")).toInteger(), m_world.resellerC);
    EXPECT_EQ(after.value(QStringLiteral("assignments")).toArray().size(), 1);

    EXPECT_EQ(ownerMismatches(), 0) << "the owner column equals the open owner assignment";
}

TEST_P(TransferServiceTest, CloneRefusesABadTargetOrAnEmptySelectionAndChangesNothing)
{
    const QList<qint64> before = footprint();
    Result<CloneReport> empty = m_service->cloneToReseller(*m_world.admin, {}, m_world.resellerC);
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().code(), ErrorCode::InvalidInput);

    Result<CloneReport> missing = m_service->cloneToReseller(
        *m_world.admin, {m_world.customerA}, 987654, {.endCurrentAssignments = true});
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(missing.error().field(), QStringLiteral("reseller"));
    EXPECT_EQ(footprint(), before);

    setColumn("resellers", "active", m_world.resellerC, QVariant(false));
    const QList<qint64> deactivated = footprint();
    Result<CloneReport> inactive = m_service->cloneToReseller(
        *m_world.admin, {m_world.customerA, m_world.customerB}, m_world.resellerC);
    ASSERT_FALSE(inactive.has_value());
    EXPECT_EQ(inactive.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(inactive.error().field(), QStringLiteral("reseller"));
    EXPECT_TRUE(inactive.error().message().contains(QStringLiteral("Reseller C (all)")))
        << text(inactive.error());
    EXPECT_EQ(footprint(), deactivated);

    // Everything skipped: a report, nothing written, no batch.
    Result<CloneReport> none = m_service->cloneToReseller(
        *m_world.admin, {m_world.customerA, m_world.customerAB}, m_world.resellerA);
    ASSERT_TRUE(none.has_value()) << text(none.error());
    EXPECT_TRUE(none->cloned.isEmpty());
    EXPECT_EQ(none->skipped.size(), 2);
    EXPECT_TRUE(none->batchId.isEmpty());
    EXPECT_EQ(footprint(), deactivated);
}

TEST_P(TransferServiceTest, CloneCanSwitchToTheTargetsPriceList)
{
    // Reseller C prices its customers on "Partner", which prices Standard
    // only; C offers Premium too, so only the price list can stop Bravo.
    CatalogueRepository catalogue(db());
    PriceListRow partner;
    partner.name = QStringLiteral("Partner");
    partner.currency = QStringLiteral("USD");
    partner.createdAt = testNow();
    Result<qint64> partnerId = catalogue.insertPriceList(partner);
    ASSERT_TRUE(partnerId.has_value()) << text(partnerId.error());
    ASSERT_TRUE(catalogue.setPrice(*partnerId, m_world.catalogue.planId, 5900).has_value());
    setColumn("resellers", "price_list_id", m_world.resellerC, QVariant(*partnerId));
    setColumn("resellers", "pricing", m_world.resellerC, QStringLiteral("selected"));
    ASSERT_TRUE(
        ResellerRepository(db())
            .setOfferedPlans(m_world.resellerC, {m_world.catalogue.planId, m_world.premiumPlanId})
            .has_value());
    setColumn("customers", "plan_id", m_world.customerB, QVariant(m_world.premiumPlanId));
    const qint64 channel = m_world.catalogue.priceListId;

    // The price list goes with ownership: not without handing it over.
    const QList<qint64> before = footprint();
    Result<CloneReport> alone = m_service->cloneToReseller(*m_world.admin, {m_world.customerA},
        m_world.resellerC, {.endCurrentAssignments = false, .switchToTargetPriceList = true});
    ASSERT_FALSE(alone.has_value());
    EXPECT_EQ(alone.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(alone.error().field(), QStringLiteral("priceList"));
    EXPECT_EQ(footprint(), before);

    Result<CloneReport> report
        = m_service->cloneToReseller(*m_world.admin, {m_world.customerA, m_world.customerB},
            m_world.resellerC, {.endCurrentAssignments = true, .switchToTargetPriceList = true});
    ASSERT_TRUE(report.has_value()) << text(report.error());
    EXPECT_EQ(report->cloned, QList<qint64> {m_world.customerA});
    ASSERT_EQ(report->skipped.size(), 1);
    EXPECT_EQ(report->skipped.constFirst().customerId, m_world.customerB);
    const QString reason = report->skipped.constFirst().reason;
    EXPECT_TRUE(reason.contains(QStringLiteral("Partner"))
        && reason.contains(QStringLiteral("Premium"))
        && reason.contains(QStringLiteral("no price")))
        << reason.toStdString();

    EXPECT_EQ(customer(m_world.customerA).priceListId, *partnerId);
    EXPECT_EQ(customer(m_world.customerA).ownerResellerId, m_world.resellerC);
    EXPECT_EQ(customer(m_world.customerB).priceListId, channel) << "skipped: untouched";
    EXPECT_EQ(customer(m_world.customerB).ownerResellerId, m_world.resellerB);

    // The audit event names the price list before and after.
    const QJsonObject auditBefore = json(QStringLiteral("SELECT before_json FROM audit_events "
                                                        "WHERE batch_id = ? AND entity_id = ?"),
        {report->batchId, m_world.customerA});
    const QJsonObject auditAfter = json(QStringLiteral("SELECT after_json FROM audit_events "
                                                       "WHERE batch_id = ? AND entity_id = ?"),
        {report->batchId, m_world.customerA});
    EXPECT_EQ(auditBefore.value(QStringLiteral("price_list_id")).toInteger(), channel);
    EXPECT_EQ(auditAfter.value(QStringLiteral("price_list_id")).toInteger(), *partnerId);
    EXPECT_EQ(auditAfter.value(QStringLiteral("price_list")).toString(), QStringLiteral("Partner"));
    EXPECT_TRUE(auditAfter.value(QStringLiteral("switch_to_target_price_list")).toBool());

    // Back to a reseller on channel pricing: the default list.
    m_clock.advanceMs(1000);
    Result<CloneReport> back = m_service->cloneToReseller(*m_world.admin, {m_world.customerA},
        m_world.resellerB, {.endCurrentAssignments = true, .switchToTargetPriceList = true});
    ASSERT_TRUE(back.has_value()) << text(back.error());
    EXPECT_EQ(back->cloned, QList<qint64> {m_world.customerA});
    EXPECT_EQ(customer(m_world.customerA).priceListId, channel);

    // Keeping the price list while handing over: it stays.
    m_clock.advanceMs(1000);
    Result<CloneReport> kept = m_service->cloneToReseller(
        *m_world.admin, {m_world.customerA}, m_world.resellerC, {.endCurrentAssignments = true});
    ASSERT_TRUE(kept.has_value()) << text(kept.error());
    EXPECT_EQ(kept->cloned, QList<qint64> {m_world.customerA});
    EXPECT_EQ(customer(m_world.customerA).priceListId, channel);
    EXPECT_EQ(ownerMismatches(), 0);
}

// --- clone in bulk: more customers than one statement chunk ---

TEST_P(TransferServiceTest, CloneOfMoreThanOneChunkFollowsThePerCustomerRules)
{
    const QList<qint64> bulk = seedBulk(1200);
    ASSERT_EQ(bulk.size(), 1200);
    // Left out, spread over every chunk: already assigned to C, archived,
    // inactive, and ids that do not exist.
    QSet<qint64> assigned;
    QSet<qint64> archived;
    QSet<qint64> inactive;
    CustomerRepository customers(db());
    for (int i = 0; i < bulk.size(); ++i) {
        const qint64 id = bulk.at(i);
        if (i % 97 == 5) {
            AssignmentRow extra;
            extra.customerId = id;
            extra.resellerId = m_world.resellerC;
            extra.kind = AssignmentKind::Additional;
            extra.assignedAt = testNow();
            ASSERT_TRUE(customers.insertAssignment(extra).has_value());
            assigned.insert(id);
        } else if (i % 89 == 7) {
            setColumn("customers", "archived_at", id, QVariant(testNow().toMSecsSinceEpoch()));
            archived.insert(id);
        } else if (i % 83 == 11) {
            setColumn("customers", "active", id, QVariant(false));
            inactive.insert(id);
        }
    }
    QList<qint64> selection = bulk;
    selection.insert(600, 9'000'001); // missing ids in the middle and at the end
    selection.append(9'000'002);
    selection.append(bulk.at(3)); // twice: cloned once
    const qint64 versions = scalar(QStringLiteral("SELECT sum(version) FROM customers"));
    const qint64 assignmentsBefore = count("customer_assignments");

    Result<CloneReport> report
        = m_service->cloneToReseller(*m_world.admin, selection, m_world.resellerC);
    ASSERT_TRUE(report.has_value()) << text(report.error());

    // The report: what the per-customer rules say, in selection order.
    QList<qint64> expected;
    for (const qint64 id : bulk) {
        if (!assigned.contains(id) && !archived.contains(id) && !inactive.contains(id))
            expected.append(id);
    }
    EXPECT_EQ(report->cloned, expected);
    ASSERT_EQ(report->skipped.size(), assigned.size() + archived.size() + inactive.size() + 2);
    QList<qint64> skippedOrder;
    for (const SkippedCustomer &skipped : report->skipped) {
        skippedOrder.append(skipped.customerId);
        SCOPED_TRACE(skipped.customerId);
        if (assigned.contains(skipped.customerId)) {
            EXPECT_TRUE(skipped.reason.contains(QStringLiteral("already assigned")));
            EXPECT_TRUE(skipped.companyName.startsWith(QStringLiteral("Bulk ")));
        } else if (inactive.contains(skipped.customerId)) {
            EXPECT_TRUE(skipped.reason.contains(QStringLiteral("inactive")));
        } else {
            EXPECT_TRUE(archived.contains(skipped.customerId) || skipped.customerId == 9'000'001
                || skipped.customerId == 9'000'002);
            EXPECT_TRUE(skipped.reason.contains(QStringLiteral("no longer exists")));
            EXPECT_TRUE(skipped.companyName.isEmpty());
        }
    }
    QList<qint64> expectedSkipped;
    for (const qint64 id : std::as_const(selection)) {
        if (!expected.contains(id) && !expectedSkipped.contains(id))
            expectedSkipped.append(id);
    }
    EXPECT_EQ(skippedOrder, expectedSkipped) << "skipped in selection order too";

    // The rows: one new open additional assignment per cloned customer,
    // nothing ended, owners and versions unchanged.
    EXPECT_EQ(count("customer_assignments"), assignmentsBefore + expected.size());
    EXPECT_EQ(count("customer_assignments",
                  QStringLiteral("reseller_id = ? AND kind = 'additional' AND ended_at IS NULL "
                                 "AND assigned_at = ? AND assigned_by = ?"),
                  {m_world.resellerC, m_clock.now().toMSecsSinceEpoch(), m_world.admin->userId()}),
        expected.size());
    EXPECT_EQ(count("customer_assignments", QStringLiteral("ended_at IS NOT NULL")), 0);
    EXPECT_EQ(scalar(QStringLiteral("SELECT sum(version) FROM customers")), versions);
    for (const qint64 id : {expected.constFirst(), expected.at(700), expected.constLast()}) {
        EXPECT_EQ(
            open(id), (Assignments {{m_world.resellerA, Owner}, {m_world.resellerC, Additional}}));
    }
    for (const qint64 id : {*archived.cbegin(), *inactive.cbegin()})
        EXPECT_EQ(open(id), (Assignments {{m_world.resellerA, Owner}})) << "skipped: untouched";

    // Rule 12: one event per cloned customer, one batch, each naming the
    // assignment that was really inserted.
    EXPECT_EQ(
        count("audit_events", QStringLiteral("batch_id = ?"), {report->batchId}), expected.size());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(DISTINCT entity_id) FROM audit_events WHERE "
                                    "batch_id = ? AND action = 'customer.clone' AND "
                                    "entity_type = 'customer' AND actor_user_id = ? AND "
                                    "reseller_id = ? AND customer_id = entity_id"),
                  {report->batchId, m_world.admin->userId(), m_world.resellerC}),
        expected.size());
    EXPECT_EQ(count("audit_events", QStringLiteral("batch_id IS NULL OR batch_id <> ?"),
                  {report->batchId}),
        0);
    for (const qint64 id : {expected.constFirst(), expected.at(550), expected.constLast()}) {
        SCOPED_TRACE(id);
        const QJsonObject after = json(QStringLiteral("SELECT after_json FROM audit_events WHERE "
                                                      "batch_id = ? AND entity_id = ?"),
            {report->batchId, id});
        const QJsonObject before = json(QStringLiteral("SELECT before_json FROM audit_events "
                                                       "WHERE batch_id = ? AND entity_id = ?"),
            {report->batchId, id});
        EXPECT_EQ(before.value(QStringLiteral("assignments")).toArray().size(), 1);
        const QJsonArray assignments = after.value(QStringLiteral("assignments")).toArray();
        ASSERT_EQ(assignments.size(), 2);
        const QJsonObject added = assignments.at(1).toObject();
        EXPECT_EQ(added.value(QStringLiteral("id")).toInteger(),
            scalar(QStringLiteral("SELECT id FROM customer_assignments WHERE customer_id = ? "
                                  "AND reseller_id = ? AND ended_at IS NULL"),
                {id, m_world.resellerC}));
        EXPECT_EQ(
            added.value(QStringLiteral("reseller")).toString(), QStringLiteral("Reseller C (all)"));
        EXPECT_EQ(added.value(QStringLiteral("kind")).toString(), QStringLiteral("additional"));
        EXPECT_EQ(after.value(QStringLiteral("owner_reseller_id")).toInteger(), m_world.resellerA);
        EXPECT_EQ(after.value(QStringLiteral("target_reseller_id")).toInteger(), m_world.resellerC);
    }
    EXPECT_EQ(ownerMismatches(), 0);
}

TEST_P(TransferServiceTest, CloneHandingOverMoreThanOneChunkEndsEveryOpenAssignment)
{
    const QList<qint64> bulk = seedBulk(1200);
    ASSERT_EQ(bulk.size(), 1200);
    // Every fifth also has an additional assignment to B; every 101st is on
    // the premium plan, which C does not offer.
    QSet<qint64> premium;
    CustomerRepository customers(db());
    for (int i = 0; i < bulk.size(); ++i) {
        if (i % 5 == 0) {
            AssignmentRow extra;
            extra.customerId = bulk.at(i);
            extra.resellerId = m_world.resellerB;
            extra.kind = AssignmentKind::Additional;
            extra.assignedAt = testNow();
            ASSERT_TRUE(customers.insertAssignment(extra).has_value());
        }
        if (i % 101 == 50) {
            setColumn("customers", "plan_id", bulk.at(i), QVariant(m_world.premiumPlanId));
            premium.insert(bulk.at(i));
        }
    }
    const qint64 openBefore = count("customer_assignments", QStringLiteral("ended_at IS NULL"));
    const int version = customer(bulk.constFirst()).version;

    Result<CloneReport> report = m_service->cloneToReseller(
        *m_world.admin, bulk, m_world.resellerC, {.endCurrentAssignments = true});
    ASSERT_TRUE(report.has_value()) << text(report.error());
    const qsizetype cloned = bulk.size() - premium.size();
    ASSERT_EQ(report->cloned.size(), cloned);
    ASSERT_EQ(report->skipped.size(), premium.size());
    for (const SkippedCustomer &skipped : report->skipped) {
        EXPECT_TRUE(premium.contains(skipped.customerId));
        EXPECT_TRUE(skipped.reason.contains(QStringLiteral("does not offer")));
    }

    // Each cloned customer: C its only open assignment and its owner, one
    // version later; the ended rows kept with their end.
    const QDateTime now = m_clock.now();
    EXPECT_EQ(count("customer_assignments",
                  QStringLiteral("reseller_id = ? AND kind = 'owner' AND ended_at IS NULL"),
                  {m_world.resellerC}),
        cloned);
    EXPECT_EQ(
        count("customers", QStringLiteral("owner_reseller_id = ?"), {m_world.resellerC}), cloned);
    const qsizetype endedExtras = std::count_if(report->cloned.cbegin(), report->cloned.cend(),
        [&](qint64 id) { return bulk.indexOf(id) % 5 == 0; });
    EXPECT_EQ(count("customer_assignments", QStringLiteral("ended_at = ? AND ended_by = ?"),
                  {now.toMSecsSinceEpoch(), m_world.admin->userId()}),
        cloned + endedExtras);
    EXPECT_EQ(count("customer_assignments", QStringLiteral("ended_at IS NULL")),
        openBefore - endedExtras);
    EXPECT_EQ(open(bulk.at(5)), (Assignments {{m_world.resellerC, Owner}}));
    EXPECT_EQ(open(bulk.at(1000)), (Assignments {{m_world.resellerC, Owner}}));
    EXPECT_EQ(customer(bulk.at(1000)).version, version + 1);
    // Skipped (premium, 151 % 5 != 0: no assignment to B): untouched.
    ASSERT_TRUE(premium.contains(bulk.at(151)));
    EXPECT_EQ(open(bulk.at(151)), (Assignments {{m_world.resellerA, Owner}}));
    EXPECT_EQ(customer(bulk.at(151)).ownerResellerId, m_world.resellerA);
    EXPECT_EQ(open(bulk.at(50)),
        (Assignments {{m_world.resellerA, Owner}, {m_world.resellerB, Additional}}))
        << "skipped with its additional assignment";

    EXPECT_EQ(count("audit_events", QStringLiteral("batch_id = ?"), {report->batchId}), cloned);
    const QJsonObject before = json(QStringLiteral("SELECT before_json FROM audit_events WHERE "
                                                   "batch_id = ? AND entity_id = ?"),
        {report->batchId, bulk.at(1000)});
    const QJsonObject after = json(QStringLiteral("SELECT after_json FROM audit_events WHERE "
                                                  "batch_id = ? AND entity_id = ?"),
        {report->batchId, bulk.at(1000)});
    EXPECT_EQ(before.value(QStringLiteral("owner_reseller_id")).toInteger(), m_world.resellerA);
    EXPECT_EQ(before.value(QStringLiteral("assignments")).toArray().size(), 2);
    EXPECT_EQ(after.value(QStringLiteral("owner_reseller_id")).toInteger(), m_world.resellerC);
    EXPECT_EQ(after.value(QStringLiteral("assignments")).toArray().size(), 1);
    EXPECT_EQ(ownerMismatches(), 0);
}

TEST_P(TransferServiceTest, ACloneFailingMidwayLeavesNothing)
{
    const QList<qint64> bulk = seedBulk(1200);
    ASSERT_EQ(bulk.size(), 1200);
    // The audit events come last: by then the assignments of every chunk
    // were ended and inserted, and the owners set. The refused event is in
    // the third chunk of events.
    refuseAuditEventsFor(bulk.at(1100));
    if (HasFatalFailure())
        return;
    const QList<qint64> before = footprint();
    const qint64 owners
        = count("customers", QStringLiteral("owner_reseller_id = ?"), {m_world.resellerA});

    for (const bool handOver : {false, true}) {
        SCOPED_TRACE(handOver ? "handing ownership over" : "additional assignments");
        Result<CloneReport> report = m_service->cloneToReseller(
            *m_world.admin, bulk, m_world.resellerC, {.endCurrentAssignments = handOver});
        ASSERT_FALSE(report.has_value());
        EXPECT_EQ(report.error().code(), ErrorCode::DatabaseError) << text(report.error());
        EXPECT_EQ(footprint(), before) << "nothing of the first chunks stays";
        EXPECT_EQ(count("customers", QStringLiteral("owner_reseller_id = ?"), {m_world.resellerA}),
            owners);
        EXPECT_EQ(
            count("customer_assignments", QStringLiteral("reseller_id = ?"), {m_world.resellerC}),
            0);
    }

    // Without the failing customer the same clone goes through.
    Result<CloneReport> rest = m_service->cloneToReseller(
        *m_world.admin, bulk.mid(0, 1100), m_world.resellerC, {.endCurrentAssignments = true});
    ASSERT_TRUE(rest.has_value()) << text(rest.error());
    EXPECT_EQ(rest->cloned.size(), 1100);
    EXPECT_EQ(ownerMismatches(), 0);
}

TEST_P(TransferServiceTest, CloneAuditJsonIsWhatQtWritesWhateverTheNames)
{
    // Names with everything JSON escapes, and what it does not.
    const QString nasty = QString::fromUtf8("Quote \" back\\slash /slash\ttab\nnew "
                                            "\x01\x1f\x7f Zürich 東京 \xF0\x9F\x98\x80");
    setColumn("resellers", "name", m_world.resellerB, QString(nasty + QStringLiteral(" B")));
    setColumn("resellers", "name", m_world.resellerC, QString(nasty + QStringLiteral(" C")));
    setColumn("price_lists", "name", m_world.catalogue.priceListId, nasty);

    for (const bool handOver : {false, true}) {
        SCOPED_TRACE(handOver ? "handing ownership over" : "additional assignments");
        m_clock.advanceMs(1000);
        const qint64 target = handOver ? m_world.resellerB : m_world.resellerC;
        Result<CloneReport> report = m_service->cloneToReseller(*m_world.admin,
            {m_world.customerA, m_world.customerDirect}, target,
            {.endCurrentAssignments = handOver});
        ASSERT_TRUE(report.has_value()) << text(report.error());
        ASSERT_EQ(report->cloned.size(), 2);
        QSqlQuery q(db().connection());
        ASSERT_TRUE(q.prepare(
            QStringLiteral("SELECT before_json, after_json FROM audit_events WHERE batch_id = ?")));
        q.addBindValue(report->batchId);
        ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();
        int events = 0;
        while (q.next()) {
            ++events;
            for (const int column : {0, 1}) {
                const QString stored = q.value(column).toString();
                QJsonParseError error;
                const QJsonDocument parsed = QJsonDocument::fromJson(stored.toUtf8(), &error);
                ASSERT_EQ(error.error, QJsonParseError::NoError) << stored.toStdString();
                EXPECT_EQ(QString::fromUtf8(parsed.toJson(QJsonDocument::Compact)), stored)
                    << "byte for byte what QJsonDocument writes";
                const QJsonObject object = parsed.object();
                EXPECT_EQ(object.value(QStringLiteral("price_list")).toString(), nasty);
                if (column == 1) {
                    EXPECT_EQ(
                        object.value(QStringLiteral("target_reseller_id")).toInteger(), target);
                    EXPECT_EQ(
                        object.value(QStringLiteral("end_current_assignments")).toBool(), handOver);
                    EXPECT_FALSE(
                        object.value(QStringLiteral("switch_to_target_price_list")).toBool());
                    const QJsonArray assignments
                        = object.value(QStringLiteral("assignments")).toArray();
                    ASSERT_FALSE(assignments.isEmpty());
                    EXPECT_EQ(
                        assignments.last().toObject().value(QStringLiteral("reseller")).toString(),
                        QString(nasty + (handOver ? QStringLiteral(" B") : QStringLiteral(" C"))));
                }
            }
        }
        EXPECT_EQ(events, 2);
    }
    // The direct account had no owner before its first clone: null, as Qt
    // writes an id of 0.
    const QJsonObject first = json(QStringLiteral("SELECT before_json FROM audit_events WHERE "
                                                  "entity_id = ? ORDER BY id LIMIT 1"),
        {m_world.customerDirect});
    EXPECT_TRUE(first.value(QStringLiteral("owner")).isNull());
    EXPECT_TRUE(first.value(QStringLiteral("owner_reseller_id")).isNull());
}

TEST_P(TransferServiceTest, CandidatesDescribeTheCustomersForTheDialogs)
{
    setColumn("customers", "active", m_world.customerB, QVariant(false));
    Result<QList<TransferCandidate>> found = m_service->candidates(
        *m_world.admin, {m_world.customerB, 987654, m_world.customerA, m_world.customerDirect});
    ASSERT_TRUE(found.has_value()) << text(found.error());
    ASSERT_EQ(found->size(), 3) << "the missing one left out, the order kept";
    const TransferCandidate &bravo = found->at(0);
    const TransferCandidate &alpha = found->at(1);
    const TransferCandidate &direct = found->at(2);
    EXPECT_EQ(bravo.id, m_world.customerB);
    EXPECT_FALSE(bravo.active);
    EXPECT_TRUE(bravo.migrationRefusal.contains(QStringLiteral("inactive")));
    EXPECT_EQ(alpha.companyName, QStringLiteral("Alpha"));
    EXPECT_EQ(alpha.ownerResellerId, m_world.resellerA);
    EXPECT_FALSE(alpha.ownerResellerName.isEmpty());
    EXPECT_EQ(alpha.planId, m_world.catalogue.planId);
    EXPECT_FALSE(alpha.planName.isEmpty());
    EXPECT_EQ(alpha.priceListId, m_world.catalogue.priceListId);
    EXPECT_FALSE(alpha.priceListName.isEmpty());
    EXPECT_EQ(alpha.contactEmail, QStringLiteral("admin@alpha.example"));
    EXPECT_EQ(alpha.version, customer(m_world.customerA).version);
    EXPECT_TRUE(alpha.migrationRefusal.isEmpty()) << alpha.migrationRefusal.toStdString();
    EXPECT_FALSE(alpha.migrated);
    EXPECT_EQ(direct.ownerResellerId, 0);
    EXPECT_TRUE(direct.ownerResellerName.isEmpty());
    EXPECT_TRUE(direct.migrationRefusal.contains(QStringLiteral("no primary user")));

    EXPECT_EQ(m_service->suggestedPortalName(*m_world.admin, m_world.customerA).value_or(QString()),
        QStringLiteral("Alpha"));
    addReseller(QStringLiteral("alpha"));
    EXPECT_EQ(m_service->suggestedPortalName(*m_world.admin, m_world.customerA).value_or(QString()),
        QStringLiteral("Alpha (portal)"));
    Result<QString> gone = m_service->suggestedPortalName(*m_world.admin, 987654);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code(), ErrorCode::NotFound);

    ASSERT_TRUE(m_service->migrateToReseller(*m_world.admin, m_world.customerA, AdminPassword));
    Result<QList<TransferCandidate>> migrated
        = m_service->candidates(*m_world.admin, {m_world.customerA});
    ASSERT_TRUE(migrated.has_value());
    ASSERT_EQ(migrated->size(), 1);
    EXPECT_TRUE(migrated->constFirst().migrated);
    EXPECT_TRUE(
        migrated->constFirst().migrationRefusal.contains(QStringLiteral("already migrated")));
}

// --- move (rule 7) ---

TEST_P(TransferServiceTest, MoveRequiresAPlanTheTargetOffers)
{
    setColumn("customers", "plan_id", m_world.customerB, QVariant(m_world.premiumPlanId));
    const CustomerRow bravo = customer(m_world.customerB);
    const QList<qint64> before = footprint();

    Result<int> refused
        = m_service->moveCustomer(*m_world.admin, bravo.id, bravo.version, m_world.resellerA, 0);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(refused.error().field(), QStringLiteral("plan"));
    EXPECT_TRUE(refused.error().message().contains(QStringLiteral("Premium")))
        << text(refused.error());
    EXPECT_TRUE(refused.error().message().contains(QStringLiteral("first")));
    EXPECT_EQ(footprint(), before);

    // A plan the target does not offer, chosen explicitly: refused too.
    Result<int> stillRefused = m_service->moveCustomer(
        *m_world.admin, bravo.id, bravo.version, m_world.resellerA, m_world.premiumPlanId);
    ASSERT_FALSE(stillRefused.has_value());
    EXPECT_EQ(stillRefused.error().field(), QStringLiteral("plan"));
    EXPECT_EQ(footprint(), before);

    // One of the target's plans chosen first: moved, with the new plan.
    Result<int> moved = m_service->moveCustomer(
        *m_world.admin, bravo.id, bravo.version, m_world.resellerA, m_world.catalogue.planId);
    ASSERT_TRUE(moved.has_value()) << text(moved.error());
    EXPECT_EQ(*moved, bravo.version + 1);
    const CustomerRow after = customer(bravo.id);
    EXPECT_EQ(after.ownerResellerId, m_world.resellerA);
    EXPECT_EQ(after.planId, m_world.catalogue.planId);
    EXPECT_EQ(after.version, *moved);
    EXPECT_EQ(ownerMismatches(), 0);
}

TEST_P(TransferServiceTest, MoveToADirectAccountAndBackKeepsTheHistory)
{
    const qint64 id = m_world.customerAB; // owner B, additionally A
    const QDateTime first = m_clock.now();

    Result<int> direct = m_service->moveCustomer(*m_world.admin, id, customer(id).version, 0, 0);
    ASSERT_TRUE(direct.has_value()) << text(direct.error());
    EXPECT_EQ(customer(id).ownerResellerId, 0);
    EXPECT_EQ(open(id), (Assignments {{m_world.resellerA, Additional}}))
        << "additional assignments stay";
    EXPECT_EQ(ownerMismatches(), 0);

    m_clock.advanceMs(1000);
    const QDateTime second = m_clock.now();
    Result<int> back = m_service->moveCustomer(*m_world.admin, id, *direct, m_world.resellerB, 0);
    ASSERT_TRUE(back.has_value()) << text(back.error());
    EXPECT_EQ(*back, *direct + 1);
    EXPECT_EQ(customer(id).ownerResellerId, m_world.resellerB);
    EXPECT_EQ(
        open(id), (Assignments {{m_world.resellerB, Owner}, {m_world.resellerA, Additional}}));

    // To the reseller that had an additional assignment: it becomes the owner.
    m_clock.advanceMs(1000);
    Result<int> toA = m_service->moveCustomer(*m_world.admin, id, *back, m_world.resellerA, 0);
    ASSERT_TRUE(toA.has_value()) << text(toA.error());
    EXPECT_EQ(open(id), (Assignments {{m_world.resellerA, Owner}}));

    const QList<AssignmentRow> rows = history(id);
    // Seeded owner B and additional A; owner B again; owner A.
    ASSERT_EQ(rows.size(), 4) << "nothing deleted";
    EXPECT_EQ(rows.at(0).resellerId, m_world.resellerB); // the seeded owner
    EXPECT_EQ(rows.at(0).endedAt, first);
    EXPECT_EQ(rows.at(0).endedBy, m_world.admin->userId());
    EXPECT_EQ(rows.at(2).resellerId, m_world.resellerB); // the owner again
    EXPECT_EQ(rows.at(2).assignedAt, second);
    EXPECT_TRUE(rows.at(2).endedAt.isValid());
    EXPECT_EQ(rows.at(1).resellerId, m_world.resellerA);
    EXPECT_EQ(rows.at(1).kind, AssignmentKind::Additional);
    EXPECT_TRUE(rows.at(1).endedAt.isValid()) << "replaced by A's owner assignment";
    EXPECT_EQ(rows.at(3).resellerId, m_world.resellerA);
    EXPECT_EQ(rows.at(3).kind, AssignmentKind::Owner);
    EXPECT_FALSE(rows.at(3).endedAt.isValid());
    EXPECT_EQ(count("audit_events",
                  QStringLiteral("action = 'customer.move' AND entity_id = ? AND "
                                 "before_json IS NOT NULL AND after_json IS NOT NULL"),
                  {id}),
        3)
        << "one event per move";
    EXPECT_EQ(ownerMismatches(), 0);
}

TEST_P(TransferServiceTest, MoveRefusesAStaleVersionAndTheSameOwner)
{
    const CustomerRow alpha = customer(m_world.customerA);
    ASSERT_TRUE(
        m_service->moveCustomer(*m_world.admin, alpha.id, alpha.version, m_world.resellerB, 0));
    const QList<qint64> before = footprint();

    // Rule 14: the version that was read is gone.
    Result<int> stale
        = m_service->moveCustomer(*m_world.admin, alpha.id, alpha.version, m_world.resellerC, 0);
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
    EXPECT_TRUE(stale.error().message().contains(QStringLiteral("someone else")));
    EXPECT_EQ(footprint(), before);

    const int current = customer(alpha.id).version;
    Result<int> same
        = m_service->moveCustomer(*m_world.admin, alpha.id, current, m_world.resellerB, 0);
    ASSERT_FALSE(same.has_value());
    EXPECT_EQ(same.error().code(), ErrorCode::InvalidInput);
    Result<int> directAgain = m_service->moveCustomer(
        *m_world.admin, m_world.customerDirect, customer(m_world.customerDirect).version, 0, 0);
    ASSERT_FALSE(directAgain.has_value());
    EXPECT_EQ(directAgain.error().code(), ErrorCode::InvalidInput);

    setColumn("resellers", "active", m_world.resellerC, QVariant(false));
    const QList<qint64> deactivated = footprint();
    Result<int> inactive
        = m_service->moveCustomer(*m_world.admin, alpha.id, current, m_world.resellerC, 0);
    ASSERT_FALSE(inactive.has_value());
    EXPECT_EQ(inactive.error().field(), QStringLiteral("reseller"));
    Result<int> gone = m_service->moveCustomer(*m_world.admin, 987654, 1, m_world.resellerA, 0);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code(), ErrorCode::NotFound);
    EXPECT_EQ(footprint(), deactivated);
}

// --- migrate (rule 8) ---

TEST_P(TransferServiceTest, MigrateRefusesAWrongPasswordAndCountsIt)
{
    const QList<qint64> before = footprint();
    const qint64 events = count("audit_events");
    Result<MigrationResult> refused
        = m_service->migrateToReseller(*m_world.admin, m_world.customerA, WrongPassword);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(refused.error().field(), QStringLiteral("password"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT failed_logins FROM users WHERE id = ?"),
                  {m_world.admin->userId()}),
        1)
        << "counts towards the lock-out";
    // Nothing written but the authenticator's count and its audit event.
    QList<qint64> after = footprint();
    ASSERT_EQ(after.size(), 9);
    EXPECT_EQ(after.at(6), before.at(6) + 1);
    EXPECT_EQ(after.at(8), before.at(8) + 1);
    after[6] = before.at(6);
    after[8] = before.at(8);
    EXPECT_EQ(after, before);
    EXPECT_EQ(count("audit_events"), events + 1);
    EXPECT_EQ(count("audit_events", QStringLiteral("action = 'user.password_reverify_failed'")), 1);
    EXPECT_EQ(migratedAt(m_world.customerA), 0);
    EXPECT_EQ(customer(m_world.customerA).ownerResellerId, m_world.resellerA);
}

TEST_P(TransferServiceTest, MigrateCreatesThePortalOwnedByTheCustomersPrimaryUser)
{
    ASSERT_TRUE(m_service->cloneToReseller(*m_world.admin, {m_world.customerA}, m_world.resellerB));
    const qint64 primary = m_world.clientAdmin->userId();
    const int version = customer(m_world.customerA).version;

    Result<MigrationResult> migrated
        = m_service->migrateToReseller(*m_world.admin, m_world.customerA, AdminPassword);
    ASSERT_TRUE(migrated.has_value()) << text(migrated.error());

    // The portal: named after the customer, under its old owner (commissions).
    Result<ResellerRow> portal = ResellerRepository(db()).find(migrated->portalId);
    ASSERT_TRUE(portal.has_value()) << text(portal.error());
    EXPECT_EQ(portal->name, QStringLiteral("Alpha"));
    EXPECT_EQ(portal->parentId, m_world.resellerA);
    EXPECT_EQ(portal->originCustomerId, m_world.customerA);
    EXPECT_EQ(portal->pricing, PricingMode::Channel);
    EXPECT_EQ(portal->commissionRateBp, 0);
    EXPECT_EQ(portal->overrideRateBp, 0);
    EXPECT_TRUE(portal->active);
    EXPECT_EQ(ResellerRepository(db()).offeredPlans(portal->id).value_or(QList<qint64> {}),
        ResellerRepository(db()).offeredPlans(m_world.resellerA).value_or(QList<qint64> {1, 2, 3}))
        << "the parent's plans";

    // The primary user runs it and keeps the client membership.
    Result<QList<MembershipRow>> memberships = UserRepository(db()).memberships(primary);
    ASSERT_TRUE(memberships.has_value());
    ASSERT_EQ(memberships->size(), 2);
    EXPECT_EQ(memberships->at(0).role, Role::ClientAdmin);
    EXPECT_EQ(memberships->at(0).customerId, m_world.customerA);
    EXPECT_EQ(memberships->at(1).id, migrated->membershipId);
    EXPECT_EQ(memberships->at(1).role, Role::ResellerAdmin);
    EXPECT_EQ(memberships->at(1).resellerId, portal->id);
    EXPECT_EQ(UserRepository(db()).usableMemberships(primary)->size(), 2)
        << "both contexts can be chosen after signing in";

    // The portal owns the customer; the old owner's assignment is history.
    EXPECT_EQ(open(m_world.customerA),
        (Assignments {{portal->id, Owner}, {m_world.resellerB, Additional}}));
    const CustomerRow alpha = customer(m_world.customerA);
    EXPECT_EQ(alpha.ownerResellerId, portal->id);
    EXPECT_EQ(alpha.version, version + 1);
    EXPECT_EQ(migratedAt(m_world.customerA), m_clock.now().toMSecsSinceEpoch());
    EXPECT_EQ(count("customer_assignments",
                  QStringLiteral("customer_id = ? AND reseller_id = ? AND ended_at = ?"),
                  {m_world.customerA, m_world.resellerA, m_clock.now().toMSecsSinceEpoch()}),
        1);
    EXPECT_EQ(ownerMismatches(), 0);

    // The invitation, to the primary user.
    Result<QList<OutboxRow>> mail = OutboxRepository(db()).forCustomer(m_world.customerA);
    ASSERT_TRUE(mail.has_value());
    ASSERT_EQ(mail->size(), 1);
    EXPECT_EQ(mail->constFirst().id, migrated->invitationId);
    EXPECT_EQ(mail->constFirst().kind, OutboxKind::PortalInvitation);
    EXPECT_EQ(mail->constFirst().recipient, QStringLiteral("admin@alpha.example"));
    EXPECT_EQ(mail->constFirst().userId, primary);
    EXPECT_EQ(mail->constFirst().resellerId, portal->id);
    EXPECT_TRUE(mail->constFirst().subject.contains(QStringLiteral("Alpha")));
    EXPECT_TRUE(mail->constFirst().secret.isEmpty());

    // Rule 12: the reseller, the membership and the customer, one batch.
    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.prepare(
        QStringLiteral("SELECT action, entity_id, batch_id, actor_user_id FROM audit_events "
                       "WHERE reseller_id = ? ORDER BY id")));
    audit.addBindValue(portal->id);
    ASSERT_TRUE(audit.exec());
    QStringList actions;
    QSet<QString> batches;
    while (audit.next()) {
        actions << audit.value(0).toString();
        batches << audit.value(2).toString();
        EXPECT_EQ(audit.value(3).toLongLong(), m_world.admin->userId());
    }
    EXPECT_EQ(actions,
        (QStringList {QStringLiteral("reseller.create"), QStringLiteral("membership.create"),
            QStringLiteral("customer.migrate")}));
    ASSERT_EQ(batches.size(), 1);
    EXPECT_FALSE(batches.begin()->isEmpty());
}

TEST_P(TransferServiceTest, ACustomerMigratesOnceAndOnlyWhenActive)
{
    ASSERT_TRUE(m_service->migrateToReseller(*m_world.admin, m_world.customerA, AdminPassword));
    const QList<qint64> before = footprint();
    Result<MigrationResult> again
        = m_service->migrateToReseller(*m_world.admin, m_world.customerA, AdminPassword);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code(), ErrorCode::InvalidInput);
    EXPECT_TRUE(again.error().message().contains(QStringLiteral("already migrated")))
        << text(again.error());
    EXPECT_EQ(footprint(), before);

    // Even after it was moved away from its portal: the portal remembers it.
    ASSERT_TRUE(m_service->moveCustomer(*m_world.admin, m_world.customerA,
        customer(m_world.customerA).version, m_world.resellerA, 0));
    setColumn("customers", "migrated_at", m_world.customerA, QVariant());
    EXPECT_FALSE(
        m_service->migrateToReseller(*m_world.admin, m_world.customerA, AdminPassword).has_value());

    givePrimaryUser(m_world.customerB, QStringLiteral("owner@bravo.example"));
    setColumn("customers", "active", m_world.customerB, QVariant(false));
    const QList<qint64> inactiveBefore = footprint();
    Result<MigrationResult> inactive
        = m_service->migrateToReseller(*m_world.admin, m_world.customerB, AdminPassword);
    ASSERT_FALSE(inactive.has_value());
    EXPECT_EQ(inactive.error().code(), ErrorCode::InvalidInput);
    EXPECT_TRUE(inactive.error().message().contains(QStringLiteral("inactive")));
    EXPECT_EQ(footprint(), inactiveBefore);

    // A customer without a primary user has no one to run the portal.
    Result<MigrationResult> nobody
        = m_service->migrateToReseller(*m_world.admin, m_world.customerAB, AdminPassword);
    ASSERT_FALSE(nobody.has_value());
    EXPECT_EQ(nobody.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(footprint(), inactiveBefore);
}

TEST_P(TransferServiceTest, MigrateFindsAFreeNameAndHonoursNoEmail)
{
    // "Direct" is a direct account; "Shared" is owned by B.
    givePrimaryUser(m_world.customerDirect, QStringLiteral("owner@direct.example"));
    givePrimaryUser(m_world.customerAB, QStringLiteral("owner@shared.example"));
    setColumn("customers", "no_email", m_world.customerDirect, QVariant(true));
    addReseller(QStringLiteral("DIRECT"));
    addReseller(QStringLiteral("Direct (portal)"));
    addReseller(QStringLiteral("shared"));

    Result<MigrationResult> direct
        = m_service->migrateToReseller(*m_world.admin, m_world.customerDirect, AdminPassword);
    ASSERT_TRUE(direct.has_value()) << text(direct.error());
    Result<ResellerRow> directPortal = ResellerRepository(db()).find(direct->portalId);
    ASSERT_TRUE(directPortal.has_value());
    EXPECT_EQ(directPortal->name, QStringLiteral("Direct (portal 2)"));
    EXPECT_EQ(directPortal->parentId, 0) << "a direct account has no parent";
    EXPECT_EQ(ResellerRepository(db()).offeredPlans(direct->portalId).value_or(QList<qint64> {}),
        QList<qint64> {m_world.catalogue.planId})
        << "the customer's plan";
    EXPECT_EQ(direct->invitationId, 0) << "no email";
    EXPECT_EQ(count("outbox", QStringLiteral("customer_id = ?"), {m_world.customerDirect}), 0);
    EXPECT_EQ(customer(m_world.customerDirect).ownerResellerId, direct->portalId);

    Result<MigrationResult> shared
        = m_service->migrateToReseller(*m_world.admin, m_world.customerAB, AdminPassword);
    ASSERT_TRUE(shared.has_value()) << text(shared.error());
    Result<ResellerRow> sharedPortal = ResellerRepository(db()).find(shared->portalId);
    ASSERT_TRUE(sharedPortal.has_value());
    EXPECT_EQ(sharedPortal->name, QStringLiteral("Shared (portal)"));
    EXPECT_EQ(sharedPortal->parentId, m_world.resellerB);
    EXPECT_EQ(ResellerRepository(db()).offeredPlans(shared->portalId).value_or(QList<qint64> {}),
        (QList<qint64> {m_world.catalogue.planId, m_world.premiumPlanId}));
    EXPECT_NE(shared->invitationId, 0);
    EXPECT_EQ(count("outbox",
                  QStringLiteral("id = ? AND kind = 'portal_invitation' AND "
                                 "recipient = 'owner@shared.example'"),
                  {shared->invitationId}),
        1);
    EXPECT_EQ(ownerMismatches(), 0);
}

TEST_P(TransferServiceTest, MigrateTakesTheChosenNameAndCommissionRate)
{
    Result<MigrationResult> migrated
        = m_service->migrateToReseller(*m_world.admin, m_world.customerA, AdminPassword,
            {.portalName = QStringLiteral("  Alpha Partner Portal "), .commissionRateBp = 1250});
    ASSERT_TRUE(migrated.has_value()) << text(migrated.error());
    Result<ResellerRow> portal = ResellerRepository(db()).find(migrated->portalId);
    ASSERT_TRUE(portal.has_value());
    EXPECT_EQ(portal->name, QStringLiteral("Alpha Partner Portal")) << "trimmed";
    EXPECT_EQ(portal->commissionRateBp, 1250);
    EXPECT_EQ(portal->parentId, m_world.resellerA);
    const QJsonObject created = json(QStringLiteral("SELECT after_json FROM audit_events WHERE "
                                                    "action = 'reseller.create' AND entity_id = ?"),
        {migrated->portalId});
    EXPECT_EQ(created.value(QStringLiteral("commission_rate_bp")).toInt(), 1250);
    EXPECT_EQ(
        created.value(QStringLiteral("name")).toString(), QStringLiteral("Alpha Partner Portal"));
    EXPECT_EQ(ownerMismatches(), 0);
}

TEST_P(TransferServiceTest, MigrateRefusesATakenNameOrABadRateAndChangesNothing)
{
    givePrimaryUser(m_world.customerB, QStringLiteral("owner@bravo.example"));
    addReseller(QStringLiteral("Taken Name"));
    const QList<qint64> before = footprint();

    Result<MigrationResult> taken = m_service->migrateToReseller(*m_world.admin, m_world.customerB,
        AdminPassword, {.portalName = QStringLiteral(" taken NAME"), .commissionRateBp = 0});
    ASSERT_FALSE(taken.has_value());
    EXPECT_EQ(taken.error().code(), ErrorCode::Duplicate);
    EXPECT_EQ(taken.error().field(), QStringLiteral("portal_name"));
    EXPECT_TRUE(taken.error().message().contains(QStringLiteral("Taken Name")))
        << text(taken.error());
    EXPECT_EQ(footprint(), before);

    Result<MigrationResult> tooLong = m_service->migrateToReseller(*m_world.admin,
        m_world.customerB, AdminPassword, {.portalName = QString(201, QLatin1Char('x'))});
    ASSERT_FALSE(tooLong.has_value());
    EXPECT_EQ(tooLong.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(tooLong.error().field(), QStringLiteral("portal_name"));

    // The options are checked first: a wrong password is not even tried.
    for (const int rate : {-1, 10001}) {
        Result<MigrationResult> bad = m_service->migrateToReseller(*m_world.admin,
            m_world.customerB, WrongPassword, {.portalName = {}, .commissionRateBp = rate});
        ASSERT_FALSE(bad.has_value());
        EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(bad.error().field(), QStringLiteral("commission_rate"));
    }
    EXPECT_EQ(footprint(), before) << "no failed sign-in counted";

    Result<MigrationResult> full = m_service->migrateToReseller(*m_world.admin, m_world.customerB,
        AdminPassword, {.portalName = QStringLiteral("Bravo"), .commissionRateBp = 10000});
    ASSERT_TRUE(full.has_value()) << text(full.error());
    EXPECT_EQ(ResellerRepository(db()).find(full->portalId)->commissionRateBp, 10000);
}

// --- two desktops at once ---

TEST_P(TransferServiceTest, TwoDesktopsMigratingOrMovingTheSameCustomerOneWins)
{
    // Each desktop has its own connection and services.
    auto race = [&](auto call) {
        std::latch start(2);
        auto desk = [&]() {
            Result<std::unique_ptr<Database>> own = testDatabase().open();
            start.arrive_and_wait();
            if (!own)
                return Result<qint64>(fail(own.error()));
            AccessControl access(**own);
            LocalAuthenticator authenticator(
                **own, m_clock, PasswordHasher(PasswordCost::minimum()));
            TransferService service(**own, m_clock, access, authenticator);
            return call(service);
        };
        Result<qint64> first = fail(ErrorCode::DatabaseError, QString());
        Result<qint64> second = fail(ErrorCode::DatabaseError, QString());
        std::thread a([&] { first = desk(); });
        std::thread b([&] { second = desk(); });
        a.join();
        b.join();
        EXPECT_NE(first.has_value(), second.has_value()) << "exactly one wins";
        return first ? second : first;
    };

    for (int round = 0; round < 3; ++round) {
        SCOPED_TRACE(round);
        const qint64 id = round == 0 ? m_world.customerA
            : round == 1             ? m_world.customerB
                                     : m_world.customerAB;
        if (round > 0)
            givePrimaryUser(id, QStringLiteral("race%1@example.test").arg(round));
        Result<qint64> loser = race([&](TransferService &service) -> Result<qint64> {
            Result<MigrationResult> done
                = service.migrateToReseller(*m_world.admin, id, AdminPassword);
            if (!done)
                return fail(done.error());
            return done->portalId;
        });
        ASSERT_FALSE(loser.has_value());
        EXPECT_EQ(loser.error().code(), ErrorCode::InvalidInput) << text(loser.error());
        EXPECT_TRUE(loser.error().message().contains(QStringLiteral("already migrated")))
            << text(loser.error());
        EXPECT_EQ(count("resellers", QStringLiteral("origin_customer_id = ?"), {id}), 1);
    }

    const int version = customer(m_world.customerDirect).version;
    Result<qint64> loser = race([&](TransferService &service) -> Result<qint64> {
        Result<int> done = service.moveCustomer(
            *m_world.admin, m_world.customerDirect, version, m_world.resellerC, 0);
        if (!done)
            return fail(done.error());
        return *done;
    });
    ASSERT_FALSE(loser.has_value());
    EXPECT_EQ(loser.error().code(), ErrorCode::Conflict) << text(loser.error());
    EXPECT_EQ(customer(m_world.customerDirect).version, version + 1);
    EXPECT_EQ(ownerMismatches(), 0);
}

RD_INSTANTIATE_FOR_BACKENDS(TransferServiceTest);
