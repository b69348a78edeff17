#include "services/ResellerService.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlQuery>
#include <QStringList>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "domain/TextLimits.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "storage/AuditRepository.h"
#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/Database.h"
#include "storage/ResellerRepository.h"
#include "storage/SqlValues.h"

using namespace rd;
using namespace rd::test;

namespace {

// A literal copy of the two DESIGN.md §3 rows this service enforces, kept
// here on purpose: a wrong permission table in the code fails these tests.
// Update both together, never one from the other.
const char *const DesignRows = R"(
| see resellers | all | all | own + sub-portals | own | own | – | – |
| add / edit / deactivate resellers | ✓ | – | – | – | – | – | – |
)";

// The §3 columns, in order.
const QList<Role> Columns = {Role::Administrator, Role::Support, Role::ResellerAdmin,
    Role::ResellerManager, Role::ResellerUser, Role::ClientAdmin, Role::ClientUser};

// The cells of one documented row, by its action text.
QStringList designRow(const QString &action)
{
    const QStringList lines = QString::fromUtf8(DesignRows).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        QStringList cells = line.split(QLatin1Char('|'));
        if (cells.size() < 3)
            continue;
        cells.removeFirst();
        cells.removeLast();
        for (QString &cell : cells)
            cell = cell.trimmed();
        if (cells.takeFirst() == action)
            return cells;
    }
    return {};
}

std::string str(const QString &text)
{
    return text.toStdString();
}

std::string describe(const Error &error)
{
    return error.toString().toStdString();
}

// What a test can see of everything this service writes.
struct Footprint
{
    qint64 resellers = 0;
    qint64 resellerPlans = 0;
    qint64 auditEvents = 0;
    qint64 versionSum = 0;
    qint64 activeResellers = 0;

    friend bool operator==(const Footprint &, const Footprint &) = default;
};

void PrintTo(const Footprint &f, std::ostream *os)
{
    *os << "{resellers " << f.resellers << ", reseller_plans " << f.resellerPlans << ", audit "
        << f.auditEvents << ", version sum " << f.versionSum << ", active " << f.activeResellers
        << '}';
}

class ResellerServiceTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << describe(world.error());
        m_world = std::move(*world);
        m_access = std::make_unique<AccessControl>(db());
        m_service = std::make_unique<ResellerService>(db(), m_clock, *m_access);
    }

    const TestWorld &world() const { return *m_world; }
    ResellerService &service() { return *m_service; }
    const Session &admin() const { return *m_world->admin; }

    qint64 scalar(const QString &sql)
    {
        QSqlQuery q(db().connection());
        EXPECT_TRUE(q.exec(sql)) << str(sql);
        return q.next() ? q.value(0).toLongLong() : -1;
    }

    Footprint footprint()
    {
        Footprint f;
        f.resellers = scalar(QStringLiteral("SELECT count(*) FROM resellers"));
        f.resellerPlans = scalar(QStringLiteral("SELECT count(*) FROM reseller_plans"));
        f.auditEvents = scalar(QStringLiteral("SELECT count(*) FROM audit_events"));
        f.versionSum = scalar(QStringLiteral("SELECT coalesce(sum(version), 0) FROM resellers"));
        QSqlQuery q(db().connection());
        q.prepare(QStringLiteral("SELECT count(*) FROM resellers WHERE active = ?"));
        q.addBindValue(true);
        EXPECT_TRUE(q.exec());
        f.activeResellers = q.next() ? q.value(0).toLongLong() : -1;
        return f;
    }

    // A valid input: a top-level reseller offering the standard plan.
    ResellerInput input(const QString &name) const
    {
        ResellerInput in;
        in.name = name;
        in.commissionRateBp = 1000;
        in.planIds = {m_world->catalogue.planId};
        return in;
    }

    // The input that would leave a stored reseller as it is.
    ResellerInput inputOf(const ResellerSummary &s) const
    {
        ResellerInput in;
        in.name = s.name;
        in.parentId = s.parentId;
        in.commissionRateBp = s.commissionRateBp;
        in.overrideRateBp = s.overrideRateBp;
        in.customerScope = s.customerScope;
        in.pricing = s.pricing;
        in.priceListId = s.priceListId;
        in.planIds = s.planIds;
        return in;
    }

    ResellerSummary read(qint64 id)
    {
        Result<ResellerSummary> s = service().reseller(admin(), id);
        EXPECT_TRUE(s.has_value()) << describe(s.error());
        return s.value_or(ResellerSummary {});
    }

    QList<AuditEventRow> auditOf(qint64 resellerId)
    {
        Result<QList<AuditEventRow>> events
            = AuditRepository(db()).forEntity(QStringLiteral("reseller"), resellerId);
        EXPECT_TRUE(events.has_value());
        return events.value_or(QList<AuditEventRow> {});
    }

    // The ids the matrix text promises for a "see resellers" cell.
    std::optional<QSet<qint64>> expectedVisible(const QString &cell) const
    {
        const TestWorld &w = *m_world;
        if (cell == QStringLiteral("all"))
            return QSet<qint64> {w.resellerA, w.resellerA1, w.resellerB, w.resellerC};
        if (cell == QStringLiteral("own + sub-portals"))
            return QSet<qint64> {w.resellerA, w.resellerA1};
        if (cell == QStringLiteral("own"))
            return QSet<qint64> {w.resellerA};
        if (cell == QStringLiteral("–"))
            return QSet<qint64> {};
        return std::nullopt;
    }

    ManualClock m_clock {testNow()};
    std::optional<TestWorld> m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<ResellerService> m_service;
};

QJsonObject json(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

} // namespace

TEST_P(ResellerServiceTest, TheDesignRowsParse)
{
    EXPECT_EQ(designRow(QStringLiteral("see resellers")).size(), Columns.size());
    EXPECT_EQ(
        designRow(QStringLiteral("add / edit / deactivate resellers")).size(), Columns.size());
}

TEST_P(ResellerServiceTest, SeeingResellersFollowsTheMatrix)
{
    const QStringList row = designRow(QStringLiteral("see resellers"));
    ASSERT_EQ(row.size(), Columns.size());
    const QList<qint64> everyReseller
        = {world().resellerA, world().resellerA1, world().resellerB, world().resellerC};
    for (qsizetype i = 0; i < Columns.size(); ++i) {
        const Role role = Columns[i];
        const QString &cell = row[i];
        SCOPED_TRACE(str(roleKey(role) + QStringLiteral(": ") + cell));
        const std::optional<QSet<qint64>> expected = expectedVisible(cell);
        ASSERT_TRUE(expected.has_value()) << "unknown cell text";
        const Session &session = world().as(role);
        const bool denied = cell == QStringLiteral("–");

        Result<QList<ResellerSummary>> list = service().listResellers(session);
        if (denied) {
            ASSERT_FALSE(list.has_value());
            EXPECT_EQ(list.error().code(), ErrorCode::PermissionDenied);
        } else {
            ASSERT_TRUE(list.has_value()) << describe(list.error());
            QSet<qint64> seen;
            for (const ResellerSummary &s : *list)
                seen.insert(s.id);
            EXPECT_EQ(seen, *expected);
            EXPECT_EQ(list->size(), expected->size()) << "each reseller once";
        }

        for (const qint64 id : everyReseller) {
            Result<ResellerSummary> one = service().reseller(session, id);
            Result<QList<qint64>> plans = service().offeredPlans(session, id);
            if (expected->contains(id)) {
                ASSERT_TRUE(one.has_value()) << describe(one.error());
                EXPECT_EQ(one->id, id);
                ASSERT_TRUE(plans.has_value()) << describe(plans.error());
                EXPECT_FALSE(plans->isEmpty());
            } else {
                const ErrorCode code = denied ? ErrorCode::PermissionDenied : ErrorCode::NotFound;
                ASSERT_FALSE(one.has_value()) << "reseller " << id;
                EXPECT_EQ(one.error().code(), code);
                ASSERT_FALSE(plans.has_value()) << "reseller " << id;
                EXPECT_EQ(plans.error().code(), code);
            }
        }
    }
}

TEST_P(ResellerServiceTest, ManagingResellersFollowsTheMatrix)
{
    const QStringList row = designRow(QStringLiteral("add / edit / deactivate resellers"));
    ASSERT_EQ(row.size(), Columns.size());
    for (qsizetype i = 0; i < Columns.size(); ++i) {
        const Role role = Columns[i];
        const QString &cell = row[i];
        SCOPED_TRACE(str(roleKey(role) + QStringLiteral(": ") + cell));
        ASSERT_TRUE(cell == QStringLiteral("✓") || cell == QStringLiteral("–"))
            << "unknown cell text";
        const Session &session = world().as(role);
        const QString name = QStringLiteral("Added by ") + roleKey(role);
        const ResellerSummary b = read(world().resellerB);
        ResellerInput edit = inputOf(b);
        edit.commissionRateBp = b.commissionRateBp + 1;

        if (cell == QStringLiteral("–")) {
            const Footprint before = footprint();
            Result<qint64> added = service().addReseller(session, input(name));
            ASSERT_FALSE(added.has_value());
            EXPECT_EQ(added.error().code(), ErrorCode::PermissionDenied);
            Result<int> edited = service().editReseller(session, b.id, b.version, edit);
            ASSERT_FALSE(edited.has_value());
            EXPECT_EQ(edited.error().code(), ErrorCode::PermissionDenied);
            Result<int> deactivated = service().setActive(
                session, b.id, b.version, false, QStringLiteral("Left the programme"));
            ASSERT_FALSE(deactivated.has_value());
            EXPECT_EQ(deactivated.error().code(), ErrorCode::PermissionDenied);
            EXPECT_EQ(footprint(), before) << "nothing written";
            continue;
        }

        Footprint before = footprint();
        Result<qint64> added = service().addReseller(session, input(name));
        ASSERT_TRUE(added.has_value()) << describe(added.error());
        Footprint after = footprint();
        EXPECT_EQ(after.resellers, before.resellers + 1);
        EXPECT_EQ(after.auditEvents, before.auditEvents + 1);

        Result<int> edited = service().editReseller(session, b.id, b.version, edit);
        ASSERT_TRUE(edited.has_value()) << describe(edited.error());
        EXPECT_EQ(*edited, b.version + 1);
        EXPECT_EQ(footprint().auditEvents, after.auditEvents + 1);

        Result<int> deactivated = service().setActive(
            session, b.id, *edited, false, QStringLiteral("Left the programme"));
        ASSERT_TRUE(deactivated.has_value()) << describe(deactivated.error());
        EXPECT_EQ(*deactivated, *edited + 1);
        EXPECT_FALSE(read(b.id).active);
        EXPECT_EQ(footprint().auditEvents, after.auditEvents + 2);

        Result<int> reactivated = service().setActive(session, b.id, *deactivated, true, {});
        ASSERT_TRUE(reactivated.has_value()) << describe(reactivated.error());
        EXPECT_TRUE(read(b.id).active);
    }
}

TEST_P(ResellerServiceTest, AddStoresEveryFieldWithOneAuditEvent)
{
    PriceListRow list;
    list.name = QStringLiteral("Partner prices");
    list.currency = QStringLiteral("EUR");
    list.createdAt = testNow();
    Result<qint64> listId = CatalogueRepository(db()).insertPriceList(list);
    ASSERT_TRUE(listId.has_value()) << describe(listId.error());

    ResellerInput in;
    in.name = QStringLiteral("  Contoso Resale  ");
    in.parentId = world().resellerA;
    in.commissionRateBp = 1250;
    in.overrideRateBp = 300;
    in.customerScope = CustomerScope::All;
    in.pricing = PricingMode::Selected;
    in.priceListId = *listId;
    in.planIds = {world().premiumPlanId, world().catalogue.planId, world().premiumPlanId};
    m_clock.advanceMs(60'000);

    const Footprint before = footprint();
    Result<qint64> id = service().addReseller(admin(), in);
    ASSERT_TRUE(id.has_value()) << describe(id.error());
    const Footprint after = footprint();
    EXPECT_EQ(after.resellers, before.resellers + 1);
    EXPECT_EQ(after.resellerPlans, before.resellerPlans + 2) << "duplicates offered once";
    EXPECT_EQ(after.auditEvents, before.auditEvents + 1);

    const ResellerSummary s = read(*id);
    EXPECT_EQ(s.name, QStringLiteral("Contoso Resale")) << "trimmed";
    EXPECT_EQ(s.parentId, world().resellerA);
    EXPECT_EQ(s.parentName, QStringLiteral("Northwind Partners"));
    EXPECT_TRUE(s.active);
    EXPECT_EQ(s.commissionRateBp, 1250);
    EXPECT_EQ(s.overrideRateBp, 300);
    EXPECT_EQ(s.customerScope, CustomerScope::All);
    EXPECT_EQ(s.pricing, PricingMode::Selected);
    EXPECT_EQ(s.priceListId, *listId);
    EXPECT_EQ(s.priceListName, QStringLiteral("Partner prices"));
    QList<qint64> plans {world().catalogue.planId, world().premiumPlanId};
    std::sort(plans.begin(), plans.end());
    EXPECT_EQ(s.planIds, plans);
    EXPECT_EQ(service().offeredPlans(admin(), *id).value_or(QList<qint64> {}), plans);
    EXPECT_EQ(s.customerCount, 0);
    EXPECT_EQ(s.version, 1);

    Result<ResellerRow> row = ResellerRepository(db()).find(*id);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->createdAt, m_clock.now());
    EXPECT_EQ(row->createdBy, admin().userId());

    const QList<AuditEventRow> events = auditOf(*id);
    ASSERT_EQ(events.size(), 1);
    const AuditEventRow &e = events.first();
    EXPECT_EQ(e.action, QStringLiteral("reseller.create"));
    EXPECT_EQ(e.entityType, QStringLiteral("reseller"));
    EXPECT_EQ(e.entityId, *id);
    EXPECT_EQ(e.resellerId, *id);
    EXPECT_EQ(e.actorUserId, admin().userId());
    EXPECT_EQ(e.actorMembershipId, admin().membershipId());
    EXPECT_EQ(e.occurredAt, m_clock.now());
    EXPECT_TRUE(e.beforeJson.isEmpty());
    const QJsonObject stored = json(e.afterJson);
    EXPECT_EQ(stored.value(QStringLiteral("name")).toString(), QStringLiteral("Contoso Resale"));
    EXPECT_EQ(stored.value(QStringLiteral("commission_rate_bp")).toInt(), 1250);
    EXPECT_EQ(stored.value(QStringLiteral("parent_id")).toInteger(), world().resellerA);
    EXPECT_EQ(stored.value(QStringLiteral("plan_ids")).toArray().size(), 2);
}

TEST_P(ResellerServiceTest, ChannelPricingNeedsNoPriceList)
{
    ResellerInput in = input(QStringLiteral("Channel Only"));
    in.priceListId = 424242; // ignored: channel pricing uses the default list
    Result<qint64> id = service().addReseller(admin(), in);
    ASSERT_TRUE(id.has_value()) << describe(id.error());
    EXPECT_EQ(read(*id).priceListId, 0);
    EXPECT_EQ(read(*id).pricing, PricingMode::Channel);
}

TEST_P(ResellerServiceTest, InvalidInputIsRefusedAndWritesNothing)
{
    QSqlQuery archive(db().connection());
    archive.prepare(QStringLiteral("UPDATE plans SET archived_at = ? WHERE id = ?"));
    archive.addBindValue(SqlValues::time(testNow()));
    archive.addBindValue(world().premiumPlanId);
    ASSERT_TRUE(archive.exec());
    const ResellerSummary b = read(world().resellerB);
    ASSERT_TRUE(
        service().setActive(admin(), b.id, b.version, false, QStringLiteral("Paused")).has_value());

    struct Case
    {
        const char *what;
        std::function<void(ResellerInput &)> change;
        ErrorCode code;
        QString field;
    };
    const QString tooLong(TextLimits::ResellerName + 1, QLatin1Char('x'));
    const std::vector<Case> cases = {
        {"empty name", [](ResellerInput &in) { in.name = QStringLiteral("   "); },
            ErrorCode::InvalidInput, QStringLiteral("name")},
        {"name too long", [&](ResellerInput &in) { in.name = tooLong; }, ErrorCode::InvalidInput,
            QStringLiteral("name")},
        {"name in use", [](ResellerInput &in) { in.name = QStringLiteral("rESELLER b"); },
            ErrorCode::Duplicate, QStringLiteral("name")},
        {"unknown parent", [](ResellerInput &in) { in.parentId = 987654; }, ErrorCode::InvalidInput,
            QStringLiteral("parent")},
        {"inactive parent", [&](ResellerInput &in) { in.parentId = world().resellerB; },
            ErrorCode::InvalidInput, QStringLiteral("parent")},
        {"negative commission", [](ResellerInput &in) { in.commissionRateBp = -1; },
            ErrorCode::InvalidInput, QStringLiteral("commission")},
        {"commission over 100 %", [](ResellerInput &in) { in.commissionRateBp = 10001; },
            ErrorCode::InvalidInput, QStringLiteral("commission")},
        {"override over 100 %", [](ResellerInput &in) { in.overrideRateBp = 10001; },
            ErrorCode::InvalidInput, QStringLiteral("override")},
        {"negative override", [](ResellerInput &in) { in.overrideRateBp = -5; },
            ErrorCode::InvalidInput, QStringLiteral("override")},
        {"selected pricing without a list",
            [](ResellerInput &in) { in.pricing = PricingMode::Selected; }, ErrorCode::InvalidInput,
            QStringLiteral("priceList")},
        {"unknown price list",
            [](ResellerInput &in) {
                in.pricing = PricingMode::Selected;
                in.priceListId = 987654;
            },
            ErrorCode::InvalidInput, QStringLiteral("priceList")},
        {"no plan", [](ResellerInput &in) { in.planIds.clear(); }, ErrorCode::InvalidInput,
            QStringLiteral("plans")},
        {"unknown plan", [](ResellerInput &in) { in.planIds.append(987654); },
            ErrorCode::InvalidInput, QStringLiteral("plans")},
        {"archived plan", [&](ResellerInput &in) { in.planIds.append(world().premiumPlanId); },
            ErrorCode::InvalidInput, QStringLiteral("plans")},
    };

    const ResellerSummary a1 = read(world().resellerA1);
    const Footprint before = footprint();
    for (const Case &c : cases) {
        SCOPED_TRACE(c.what);
        ResellerInput added = input(QStringLiteral("Fresh Reseller"));
        c.change(added);
        Result<qint64> id = service().addReseller(admin(), added);
        ASSERT_FALSE(id.has_value());
        EXPECT_EQ(id.error().code(), c.code) << describe(id.error());
        EXPECT_EQ(id.error().field(), c.field);
        EXPECT_FALSE(id.error().message().isEmpty());

        ResellerInput edited = inputOf(a1);
        c.change(edited);
        Result<int> version = service().editReseller(admin(), a1.id, a1.version, edited);
        ASSERT_FALSE(version.has_value());
        EXPECT_EQ(version.error().code(), c.code) << describe(version.error());
        EXPECT_EQ(version.error().field(), c.field);

        EXPECT_EQ(footprint(), before) << "nothing written";
    }
    EXPECT_EQ(read(a1.id).version, a1.version);
}

TEST_P(ResellerServiceTest, NamesAreUniqueIgnoringCase)
{
    Result<qint64> umlaut = service().addReseller(admin(), input(QStringLiteral("Ärger GmbH")));
    ASSERT_TRUE(umlaut.has_value()) << describe(umlaut.error());

    const Footprint before = footprint();
    Result<qint64> again = service().addReseller(admin(), input(QStringLiteral(" ärger gmbh ")));
    ASSERT_FALSE(again.has_value()) << "Unicode case folding, not ASCII only";
    EXPECT_EQ(again.error().code(), ErrorCode::Duplicate);
    EXPECT_EQ(again.error().field(), QStringLiteral("name"));
    EXPECT_TRUE(again.error().message().contains(QStringLiteral("Ärger GmbH")))
        << str(again.error().message()) << " names the conflict";

    const ResellerSummary a1 = read(world().resellerA1);
    ResellerInput rename = inputOf(a1);
    rename.name = QStringLiteral("NORTHWIND partners");
    Result<int> clash = service().editReseller(admin(), a1.id, a1.version, rename);
    ASSERT_FALSE(clash.has_value());
    EXPECT_EQ(clash.error().code(), ErrorCode::Duplicate);
    EXPECT_TRUE(clash.error().message().contains(QStringLiteral("Northwind Partners")));
    EXPECT_EQ(footprint(), before);

    rename.name = QStringLiteral("a1 SUB-PORTAL");
    Result<int> ownName = service().editReseller(admin(), a1.id, a1.version, rename);
    ASSERT_TRUE(ownName.has_value()) << describe(ownName.error()) << " its own name is no clash";
    EXPECT_EQ(read(a1.id).name, QStringLiteral("a1 SUB-PORTAL"));
}

TEST_P(ResellerServiceTest, ParentCyclesAreRefused)
{
    ResellerInput grandchild = input(QStringLiteral("A2 Sub-sub-portal"));
    grandchild.parentId = world().resellerA1;
    Result<qint64> a2 = service().addReseller(admin(), grandchild);
    ASSERT_TRUE(a2.has_value()) << describe(a2.error());

    const ResellerSummary a = read(world().resellerA);
    const Footprint before = footprint();
    for (const qint64 parent : {world().resellerA, world().resellerA1, *a2}) {
        SCOPED_TRACE(parent);
        ResellerInput in = inputOf(a);
        in.parentId = parent;
        Result<int> version = service().editReseller(admin(), a.id, a.version, in);
        ASSERT_FALSE(version.has_value());
        EXPECT_EQ(version.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(version.error().field(), QStringLiteral("parent"));
    }
    EXPECT_EQ(footprint(), before);

    ResellerInput in = inputOf(a);
    in.parentId = world().resellerB;
    Result<int> moved = service().editReseller(admin(), a.id, a.version, in);
    ASSERT_TRUE(moved.has_value()) << describe(moved.error()) << " a parent outside the subtree";
    EXPECT_EQ(read(a.id).parentId, world().resellerB);
}

TEST_P(ResellerServiceTest, AnUnchangedInactiveParentDoesNotBlockAnEdit)
{
    const ResellerSummary a = read(world().resellerA);
    ASSERT_TRUE(
        service().setActive(admin(), a.id, a.version, false, QStringLiteral("Paused")).has_value());
    const ResellerSummary a1 = read(world().resellerA1);
    ResellerInput in = inputOf(a1);
    in.commissionRateBp = 900;
    Result<int> edited = service().editReseller(admin(), a1.id, a1.version, in);
    ASSERT_TRUE(edited.has_value()) << describe(edited.error());
    EXPECT_EQ(read(a1.id).commissionRateBp, 900);
}

TEST_P(ResellerServiceTest, AStaleVersionIsAConflictAndKeepsTheOtherWrite)
{
    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value()) << describe(other.error());
    AccessControl otherAccess(**other);
    ResellerService otherService(**other, m_clock, otherAccess);

    const ResellerSummary b = read(world().resellerB);
    ResellerInput theirs = inputOf(b);
    theirs.commissionRateBp = 2222;
    Result<int> theirVersion = otherService.editReseller(admin(), b.id, b.version, theirs);
    ASSERT_TRUE(theirVersion.has_value()) << describe(theirVersion.error());
    EXPECT_EQ(*theirVersion, b.version + 1);

    const Footprint before = footprint();
    ResellerInput mine = inputOf(b);
    mine.name = QStringLiteral("Reseller B renamed");
    mine.overrideRateBp = 100;
    Result<int> conflict = service().editReseller(admin(), b.id, b.version, mine);
    ASSERT_FALSE(conflict.has_value());
    EXPECT_EQ(conflict.error().code(), ErrorCode::Conflict);
    EXPECT_TRUE(conflict.error().message().contains(QStringLiteral("someone else")));

    Result<int> staleDeactivate
        = service().setActive(admin(), b.id, b.version, false, QStringLiteral("Stale"));
    ASSERT_FALSE(staleDeactivate.has_value());
    EXPECT_EQ(staleDeactivate.error().code(), ErrorCode::Conflict);
    EXPECT_EQ(footprint(), before);

    const ResellerSummary now = read(b.id);
    EXPECT_EQ(now.commissionRateBp, 2222) << "the other writer's value stays";
    EXPECT_EQ(now.name, b.name);
    EXPECT_EQ(now.overrideRateBp, b.overrideRateBp);
    EXPECT_TRUE(now.active);
    EXPECT_EQ(now.version, *theirVersion);
    EXPECT_EQ(auditOf(b.id).size(), 1) << "only the applied change is audited";
}

TEST_P(ResellerServiceTest, DeactivationNeedsAReasonAndIsAudited)
{
    const ResellerSummary b = read(world().resellerB);
    const Footprint before = footprint();
    for (const QString &reason :
        {QString(), QStringLiteral("   "), QString(TextLimits::Reason + 1, QLatin1Char('r'))}) {
        Result<int> refused = service().setActive(admin(), b.id, b.version, false, reason);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(refused.error().field(), QStringLiteral("reason"));
    }
    EXPECT_EQ(footprint(), before);

    m_clock.advanceMs(1000);
    Result<int> v2 = service().setActive(
        admin(), b.id, b.version, false, QStringLiteral(" Left the partner programme "));
    ASSERT_TRUE(v2.has_value()) << describe(v2.error());
    EXPECT_EQ(*v2, b.version + 1);
    const ResellerSummary inactive = read(b.id);
    EXPECT_FALSE(inactive.active);
    EXPECT_EQ(inactive.name, b.name) << "only the flag changes";
    EXPECT_EQ(inactive.planIds, b.planIds);
    Footprint after = footprint();
    EXPECT_EQ(after.resellers, before.resellers) << "never deleted";
    EXPECT_EQ(after.auditEvents, before.auditEvents + 1);
    EXPECT_EQ(after.activeResellers, before.activeResellers - 1);

    Result<int> again = service().setActive(admin(), b.id, *v2, false, QStringLiteral("Twice"));
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, *v2) << "already inactive: nothing to do";
    EXPECT_EQ(footprint(), after);

    Result<int> v3 = service().setActive(admin(), b.id, *v2, true, QString());
    ASSERT_TRUE(v3.has_value()) << describe(v3.error()) << " reactivating needs no reason";
    EXPECT_TRUE(read(b.id).active);

    const QList<AuditEventRow> events = auditOf(b.id);
    ASSERT_EQ(events.size(), 2);
    EXPECT_EQ(events[0].action, QStringLiteral("reseller.deactivate"));
    EXPECT_EQ(events[0].reason, QStringLiteral("Left the partner programme"));
    EXPECT_EQ(json(events[0].beforeJson), QJsonObject({{QStringLiteral("active"), true}}));
    EXPECT_EQ(json(events[0].afterJson), QJsonObject({{QStringLiteral("active"), false}}));
    EXPECT_EQ(events[0].resellerId, b.id);
    EXPECT_EQ(events[0].actorUserId, admin().userId());
    EXPECT_EQ(events[0].actorMembershipId, admin().membershipId());
    EXPECT_EQ(events[1].action, QStringLiteral("reseller.activate"));
    EXPECT_EQ(json(events[1].beforeJson), QJsonObject({{QStringLiteral("active"), false}}));
    EXPECT_EQ(json(events[1].afterJson), QJsonObject({{QStringLiteral("active"), true}}));
}

TEST_P(ResellerServiceTest, EditAuditsExactlyTheChangedFields)
{
    const ResellerSummary b = read(world().resellerB);
    ResellerInput in = inputOf(b);
    in.commissionRateBp = 1750;
    in.planIds = {world().catalogue.planId};
    const Footprint before = footprint();
    Result<int> v2 = service().editReseller(admin(), b.id, b.version, in);
    ASSERT_TRUE(v2.has_value()) << describe(v2.error());
    EXPECT_EQ(*v2, b.version + 1);
    const Footprint after = footprint();
    EXPECT_EQ(after.auditEvents, before.auditEvents + 1);
    EXPECT_EQ(after.resellerPlans, before.resellerPlans - 1) << "premium no longer offered";

    const ResellerSummary now = read(b.id);
    EXPECT_EQ(now.commissionRateBp, 1750);
    EXPECT_EQ(now.planIds, QList<qint64> {world().catalogue.planId});
    EXPECT_EQ(now.version, *v2);

    const QList<AuditEventRow> events = auditOf(b.id);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events[0].action, QStringLiteral("reseller.update"));
    EXPECT_EQ(events[0].actorUserId, admin().userId());
    EXPECT_EQ(events[0].actorMembershipId, admin().membershipId());
    EXPECT_EQ(events[0].resellerId, b.id);
    const QJsonObject was = json(events[0].beforeJson);
    const QJsonObject is = json(events[0].afterJson);
    EXPECT_EQ(was.keys(),
        QStringList({QStringLiteral("commission_rate_bp"), QStringLiteral("plan_ids")}));
    EXPECT_EQ(is.keys(), was.keys());
    EXPECT_EQ(was.value(QStringLiteral("commission_rate_bp")).toInt(), b.commissionRateBp);
    EXPECT_EQ(is.value(QStringLiteral("commission_rate_bp")).toInt(), 1750);

    Result<int> unchanged = service().editReseller(admin(), b.id, *v2, in);
    ASSERT_TRUE(unchanged.has_value()) << describe(unchanged.error());
    EXPECT_EQ(*unchanged, *v2) << "an edit that changes nothing writes nothing";
    EXPECT_EQ(footprint(), after);
}

TEST_P(ResellerServiceTest, CountsCoverOpenAssignmentsOnly)
{
    auto counts = [&](qint64 id) {
        const ResellerSummary s = read(id);
        return std::vector<int> {s.customerCount, s.activeCustomers, s.trialCustomers};
    };
    // As seeded: every customer active and on trial.
    EXPECT_EQ(counts(world().resellerA), (std::vector<int> {2, 2, 2})) << "owner + additional";
    EXPECT_EQ(counts(world().resellerA1), (std::vector<int> {1, 1, 1}));
    EXPECT_EQ(counts(world().resellerB), (std::vector<int> {2, 2, 2}));
    EXPECT_EQ(counts(world().resellerC), (std::vector<int> {0, 0, 0}))
        << "scope all is not an assignment";

    CustomerRepository customers(db());
    CustomerRow alpha = *customers.find(world().customerA);
    alpha.billingStatus = BillingStatus::Paid;
    alpha.convertedAt = testNow();
    ASSERT_TRUE(customers.update(alpha).has_value());
    CustomerRow shared = *customers.find(world().customerAB);
    shared.active = false;
    ASSERT_TRUE(customers.update(shared).has_value());
    AssignmentRow ended;
    ended.customerId = world().customerB;
    ended.resellerId = world().resellerA;
    ended.kind = AssignmentKind::Additional;
    ended.assignedAt = testNow().addDays(-30);
    ended.endedAt = testNow().addDays(-1);
    ASSERT_TRUE(customers.insertAssignment(ended).has_value());

    EXPECT_EQ(counts(world().resellerA), (std::vector<int> {2, 1, 1}));
    EXPECT_EQ(counts(world().resellerB), (std::vector<int> {2, 1, 2}));

    Result<QList<ResellerSummary>> list = service().listResellers(admin());
    ASSERT_TRUE(list.has_value());
    for (const ResellerSummary &s : *list) {
        EXPECT_EQ(
            (std::vector<int> {s.customerCount, s.activeCustomers, s.trialCustomers}), counts(s.id))
            << "list and detail agree for " << str(s.name);
    }
}

TEST_P(ResellerServiceTest, TheListIsOrderedByNameIgnoringCase)
{
    ASSERT_TRUE(service().addReseller(admin(), input(QStringLiteral("mercury sales"))).has_value());
    Result<QList<ResellerSummary>> list = service().listResellers(admin());
    ASSERT_TRUE(list.has_value()) << describe(list.error());
    QStringList names;
    for (const ResellerSummary &s : *list)
        names << s.name;
    EXPECT_EQ(names,
        QStringList({QStringLiteral("A1 Sub-portal"), QStringLiteral("mercury sales"),
            QStringLiteral("Northwind Partners"), QStringLiteral("Reseller B"),
            QStringLiteral("Reseller C (all)")}));
    const ResellerSummary &a1 = list->first();
    EXPECT_EQ(a1.parentId, world().resellerA);
    EXPECT_EQ(a1.parentName, QStringLiteral("Northwind Partners"));
    EXPECT_EQ(a1.planIds, QList<qint64> {world().catalogue.planId});
}

TEST_P(ResellerServiceTest, AMissingResellerIsNotFound)
{
    Result<ResellerSummary> one = service().reseller(admin(), 987654);
    ASSERT_FALSE(one.has_value());
    EXPECT_EQ(one.error().code(), ErrorCode::NotFound);
    Result<QList<qint64>> plans = service().offeredPlans(admin(), 987654);
    ASSERT_FALSE(plans.has_value());
    EXPECT_EQ(plans.error().code(), ErrorCode::NotFound);
    const Footprint before = footprint();
    Result<int> edited = service().editReseller(admin(), 987654, 1, input(QStringLiteral("Ghost")));
    ASSERT_FALSE(edited.has_value());
    EXPECT_EQ(edited.error().code(), ErrorCode::NotFound);
    Result<int> deactivated
        = service().setActive(admin(), 987654, 1, false, QStringLiteral("Gone"));
    ASSERT_FALSE(deactivated.has_value());
    EXPECT_EQ(deactivated.error().code(), ErrorCode::NotFound);
    EXPECT_EQ(footprint(), before);
}

RD_INSTANTIATE_FOR_BACKENDS(ResellerServiceTest);
