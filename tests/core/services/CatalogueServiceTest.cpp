#include <QSqlQuery>

#include <gtest/gtest.h>

#include "MatrixTable.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "services/AccessControl.h"
#include "services/CatalogueService.h"
#include "storage/CatalogueRepository.h"
#include "storage/ResellerRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of the section 3 row this service implements.
const char *const MatrixRows = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| plans, price lists, settings | ✓ | – | see | see | – | – | – |
)";

const QList<Role> &Columns = matrixColumns();

QString cell(Role role)
{
    return matrixCell(MatrixRows, "plans, price lists, settings", role);
}

std::string describe(const Error &error)
{
    return error.toString().toStdString();
}

QStringList names(const QList<PlanRow> &plans)
{
    QStringList out;
    for (const PlanRow &p : plans)
        out.append(p.name);
    return out;
}

QStringList names(const QList<PriceListSummary> &lists)
{
    QStringList out;
    for (const PriceListSummary &l : lists)
        out.append(l.priceList.name);
    return out;
}

class CatalogueServiceTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << describe(world.error());
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db());
        m_service = std::make_unique<CatalogueService>(db(), *m_access);

        // A second list, selected by reseller B, pricing only Standard; and
        // an archived one nobody may see.
        CatalogueRepository catalogue(db());
        PriceListRow special;
        special.name = QStringLiteral("B special");
        special.currency = QStringLiteral("USD");
        special.createdAt = testNow();
        Result<qint64> specialId = catalogue.insertPriceList(special);
        ASSERT_TRUE(specialId.has_value()) << describe(specialId.error());
        m_specialList = *specialId;
        ASSERT_TRUE(catalogue.setPrice(m_specialList, m_world.catalogue.planId, 3900));
        PriceListRow old;
        old.name = QStringLiteral("Archived list");
        old.currency = QStringLiteral("EUR");
        old.createdAt = testNow();
        Result<qint64> oldId = catalogue.insertPriceList(old);
        ASSERT_TRUE(oldId.has_value());
        exec(QStringLiteral("UPDATE price_lists SET archived_at = 1 WHERE id = ?"), {*oldId});

        ResellerRepository resellers(db());
        Result<ResellerRow> b = resellers.find(m_world.resellerB);
        ASSERT_TRUE(b.has_value());
        b->pricing = PricingMode::Selected;
        b->priceListId = m_specialList;
        ASSERT_TRUE(resellers.update(*b).has_value());
    }

    void exec(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery q(db().connection());
        ASSERT_TRUE(q.prepare(sql)) << sql.toStdString();
        for (const QVariant &v : values)
            q.addBindValue(v);
        ASSERT_TRUE(q.exec()) << sql.toStdString();
    }

    TestWorld m_world;
    qint64 m_specialList = 0;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<CatalogueService> m_service;
};

} // namespace

TEST_P(CatalogueServiceTest, PlansFollowTheMatrix)
{
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell(role);
        Result<QList<PlanRow>> plans = m_service->plans(m_world.as(role));
        if (expected == QString::fromUtf8("✓")) {
            ASSERT_TRUE(plans.has_value()) << describe(plans.error());
            EXPECT_EQ(names(*plans),
                (QStringList {QStringLiteral("Premium"), QStringLiteral("Standard")}));
        } else if (expected == QLatin1String("see")) {
            ASSERT_TRUE(plans.has_value()) << describe(plans.error());
            EXPECT_EQ(names(*plans),
                (QStringList {QStringLiteral("Premium"), QStringLiteral("Standard")}))
                << "every plan, also one reseller A does not offer";
        } else {
            ASSERT_FALSE(plans.has_value());
            EXPECT_EQ(plans.error().code(), ErrorCode::PermissionDenied);
        }
    }
}

TEST_P(CatalogueServiceTest, ArchivedPlansAreLeftOut)
{
    exec(QStringLiteral("UPDATE plans SET archived_at = 1 WHERE id = ?"), {m_world.premiumPlanId});
    Result<QList<PlanRow>> plans = m_service->plans(*m_world.admin);
    ASSERT_TRUE(plans.has_value());
    EXPECT_EQ(names(*plans), QStringList {QStringLiteral("Standard")});
    Result<QList<PriceListSummary>> lists = m_service->priceLists(*m_world.admin);
    ASSERT_TRUE(lists.has_value());
    ASSERT_FALSE(lists->isEmpty());
    EXPECT_EQ(lists->constFirst().prices.size(), 1) << "no price for the archived plan";
}

TEST_P(CatalogueServiceTest, PriceListsFollowTheMatrixWithTheirPrices)
{
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell(role);
        Result<QList<PriceListSummary>> lists = m_service->priceLists(m_world.as(role));
        if (expected == QString::fromUtf8("✓")) {
            ASSERT_TRUE(lists.has_value()) << describe(lists.error());
            EXPECT_EQ(names(*lists),
                (QStringList {QStringLiteral("Channel"), QStringLiteral("B special")}))
                << "the default first, then by name; archived left out";
            const PriceListSummary &channel = lists->constFirst();
            EXPECT_TRUE(channel.priceList.isDefault);
            EXPECT_EQ(channel.priceList.currency, QStringLiteral("EUR"));
            EXPECT_EQ(channel.prices,
                (QList<std::pair<qint64, qint64>> {
                    {m_world.premiumPlanId, 19900}, {m_world.catalogue.planId, 4900}}));
            EXPECT_EQ(lists->at(1).prices,
                (QList<std::pair<qint64, qint64>> {{m_world.catalogue.planId, 3900}}));
        } else if (expected == QLatin1String("see")) {
            ASSERT_TRUE(lists.has_value()) << describe(lists.error());
            EXPECT_EQ(names(*lists), QStringList {QStringLiteral("Channel")})
                << "reseller A uses the channel list and sees no other";
        } else {
            ASSERT_FALSE(lists.has_value());
            EXPECT_EQ(lists.error().code(), ErrorCode::PermissionDenied);
        }
    }
    Result<QList<PriceListSummary>> b = m_service->priceLists(*m_world.resellerAdminB);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(names(*b), QStringList {QStringLiteral("B special")});
}

TEST_P(CatalogueServiceTest, PriceListForResellerFollowsItsPricing)
{
    Result<PriceListSummary> a = m_service->priceListForReseller(*m_world.admin, m_world.resellerA);
    ASSERT_TRUE(a.has_value()) << describe(a.error());
    EXPECT_EQ(a->priceList.id, m_world.catalogue.priceListId);
    EXPECT_EQ(a->prices.size(), 2);
    Result<PriceListSummary> b = m_service->priceListForReseller(*m_world.admin, m_world.resellerB);
    ASSERT_TRUE(b.has_value()) << describe(b.error());
    EXPECT_EQ(b->priceList.id, m_specialList);
    EXPECT_EQ(b->priceList.currency, QStringLiteral("USD"));
    Result<PriceListSummary> direct = m_service->priceListForReseller(*m_world.admin, 0);
    ASSERT_TRUE(direct.has_value()) << describe(direct.error());
    EXPECT_EQ(direct->priceList.id, m_world.catalogue.priceListId);

    Result<PriceListSummary> missing = m_service->priceListForReseller(*m_world.admin, 987654);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
}

TEST_P(CatalogueServiceTest, PriceListForResellerIsForItsOwnPortalOnly)
{
    for (const Session *own : {&*m_world.resellerAdmin, &*m_world.resellerManager}) {
        SCOPED_TRACE(roleKey(own->role()).toStdString());
        Result<PriceListSummary> mine = m_service->priceListForReseller(*own, m_world.resellerA);
        ASSERT_TRUE(mine.has_value()) << describe(mine.error());
        EXPECT_EQ(mine->priceList.id, m_world.catalogue.priceListId);
        for (qint64 other : {m_world.resellerB, m_world.resellerA1, qint64 {0}}) {
            Result<PriceListSummary> refused = m_service->priceListForReseller(*own, other);
            ASSERT_FALSE(refused.has_value()) << other;
            EXPECT_EQ(refused.error().code(), ErrorCode::NotFound) << other;
        }
    }
    Result<PriceListSummary> b
        = m_service->priceListForReseller(*m_world.resellerAdminB, m_world.resellerB);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->priceList.id, m_specialList);

    for (const Session *none :
        {&*m_world.support, &*m_world.resellerUser, &*m_world.clientAdmin, &*m_world.clientUser}) {
        SCOPED_TRACE(roleKey(none->role()).toStdString());
        Result<PriceListSummary> refused
            = m_service->priceListForReseller(*none, m_world.resellerA);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
    }
}

TEST_P(CatalogueServiceTest, WithoutADefaultListNoPriceListApplies)
{
    exec(QStringLiteral("UPDATE price_lists SET is_default = ?"), {false});
    Result<PriceListSummary> a = m_service->priceListForReseller(*m_world.admin, m_world.resellerA);
    ASSERT_FALSE(a.has_value());
    EXPECT_EQ(a.error().code(), ErrorCode::NotFound);
    Result<QList<PriceListSummary>> own = m_service->priceLists(*m_world.resellerAdmin);
    ASSERT_TRUE(own.has_value()) << describe(own.error());
    EXPECT_TRUE(own->isEmpty());
    // A selected list still applies.
    EXPECT_TRUE(m_service->priceListForReseller(*m_world.admin, m_world.resellerB).has_value());
}

RD_INSTANTIATE_FOR_BACKENDS(CatalogueServiceTest);
