#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestWorld.h"
#include "services/AccessControl.h"

using namespace rd;
using namespace rd::test;

namespace {

class AccessControlTest : public DatabaseTest
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
    }

    bool seesCustomer(const Session &s, qint64 customerId)
    {
        return AccessControl(db())
            .requireForCustomer(s, Capability::SeeCustomers, Access::Read, customerId)
            .has_value();
    }

    bool seesReseller(const Session &s, qint64 resellerId)
    {
        return AccessControl(db())
            .requireForReseller(s, Capability::SeeResellers, Access::Read, resellerId)
            .has_value();
    }

    TestWorld m_world;
};

} // namespace

TEST_P(AccessControlTest, AnEndedAssignmentNoLongerGivesScope)
{
    ASSERT_TRUE(seesCustomer(*m_world.resellerAdmin, m_world.customerAB));
    QSqlQuery end(db().connection());
    ASSERT_TRUE(
        end.prepare(QStringLiteral("UPDATE customer_assignments SET ended_at = assigned_at + 1 "
                                   "WHERE customer_id = ? AND reseller_id = ?")));
    end.addBindValue(m_world.customerAB);
    end.addBindValue(m_world.resellerA);
    ASSERT_TRUE(end.exec());
    EXPECT_FALSE(seesCustomer(*m_world.resellerAdmin, m_world.customerAB));
    EXPECT_TRUE(seesCustomer(*m_world.resellerAdminB, m_world.customerAB)) << "B still owns it";
}

TEST_P(AccessControlTest, ResellerVisibilityIsOwnPlusSubPortalsForResellerAdmins)
{
    EXPECT_TRUE(seesReseller(*m_world.resellerAdmin, m_world.resellerA));
    EXPECT_TRUE(seesReseller(*m_world.resellerAdmin, m_world.resellerA1));
    EXPECT_FALSE(seesReseller(*m_world.resellerAdmin, m_world.resellerB));
    EXPECT_TRUE(seesReseller(*m_world.resellerManager, m_world.resellerA));
    EXPECT_FALSE(seesReseller(*m_world.resellerManager, m_world.resellerA1))
        << "managers: own only";
    EXPECT_FALSE(seesReseller(*m_world.resellerAdminA1, m_world.resellerA)) << "not upwards";
    EXPECT_TRUE(seesReseller(*m_world.support, m_world.resellerB));
    EXPECT_FALSE(seesReseller(*m_world.clientAdmin, m_world.resellerA));
}

TEST_P(AccessControlTest, OutOfScopeLooksLikeNotFoundAndRoleRefusalIsPermissionDenied)
{
    const Status outOfScope = AccessControl(db()).requireForCustomer(
        *m_world.resellerAdmin, Capability::SeeCustomers, Access::Read, m_world.customerB);
    ASSERT_FALSE(outOfScope.has_value());
    EXPECT_EQ(outOfScope.error().code(), ErrorCode::NotFound);

    const Status byRole = AccessControl(db()).requireForCustomer(
        *m_world.resellerUser, Capability::ManageCustomers, Access::Write, m_world.customerA);
    ASSERT_FALSE(byRole.has_value());
    EXPECT_EQ(byRole.error().code(), ErrorCode::PermissionDenied);
}

TEST_P(AccessControlTest, ClientsSeeOnlyTheirOwnAccount)
{
    EXPECT_TRUE(seesCustomer(*m_world.clientUser, m_world.customerA));
    EXPECT_FALSE(seesCustomer(*m_world.clientUser, m_world.customerAB));
    EXPECT_FALSE(seesCustomer(*m_world.clientAdmin, m_world.customerDirect));
}

RD_INSTANTIATE_FOR_BACKENDS(AccessControlTest);
