#include "domain/Membership.h"

#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

using namespace rd;

namespace rd {
// Readable failure output (internal linkage: local to this test file).
[[maybe_unused]] static void PrintTo(Role role, std::ostream *os)
{
    *os << roleKey(role).toStdString();
}
} // namespace rd

namespace {

const std::vector<Role> Roles = {Role::Administrator, Role::Support, Role::ResellerAdmin,
    Role::ResellerManager, Role::ResellerUser, Role::ClientAdmin, Role::ClientUser};

std::string text(const QString &value)
{
    return value.toStdString();
}

Membership make(qint64 userId, Role role, qint64 contextId)
{
    Result<Membership> membership = Membership::create(userId, role, contextId);
    EXPECT_TRUE(membership.has_value()) << text(membership.error().message());
    return *membership;
}

} // namespace

// --- create -------------------------------------------------------------

TEST(Membership, CreateTakesTheRightContextForEveryRole)
{
    const std::vector<std::tuple<Role, qint64, ContextKind>> cases = {
        {Role::Administrator, 0, ContextKind::Vendor},
        {Role::Support, 0, ContextKind::Vendor},
        {Role::ResellerAdmin, 5, ContextKind::Reseller},
        {Role::ResellerManager, 6, ContextKind::Reseller},
        {Role::ResellerUser, 7, ContextKind::Reseller},
        {Role::ClientAdmin, 8, ContextKind::Customer},
        {Role::ClientUser, 9, ContextKind::Customer},
    };
    for (const auto &[role, contextId, kind] : cases) {
        SCOPED_TRACE(text(roleKey(role)));
        const Result<Membership> membership = Membership::create(42, role, contextId);
        ASSERT_TRUE(membership.has_value()) << text(membership.error().message());
        EXPECT_EQ(membership->id(), 0);
        EXPECT_EQ(membership->userId(), 42);
        EXPECT_EQ(membership->role(), role);
        EXPECT_EQ(membership->contextKind(), kind);
        EXPECT_EQ(membership->contextId(), contextId);
        EXPECT_TRUE(membership->isActive());
    }
}

TEST(Membership, CreateAcceptsTheSmallestPositiveIds)
{
    EXPECT_TRUE(Membership::create(1, Role::ResellerUser, 1).has_value());
    EXPECT_TRUE(Membership::create(1, Role::ClientUser, 1).has_value());
    EXPECT_TRUE(Membership::create(1, Role::Support, 0).has_value());
}

TEST(Membership, VendorRolesRefuseAContextId)
{
    for (const Role role : {Role::Administrator, Role::Support}) {
        for (const qint64 contextId : {qint64(1), qint64(-1), qint64(123456789)}) {
            SCOPED_TRACE(text(roleKey(role)) + " " + std::to_string(contextId));
            const Result<Membership> membership = Membership::create(1, role, contextId);
            ASSERT_FALSE(membership.has_value());
            EXPECT_EQ(membership.error().code(), ErrorCode::InvalidInput);
            EXPECT_EQ(text(membership.error().field()), "contextId");
            EXPECT_TRUE(membership.error().message().contains(roleDisplayName(role)));
            EXPECT_TRUE(membership.error().message().contains(QStringLiteral("vendor")));
        }
    }
}

TEST(Membership, ResellerRolesNeedAResellerId)
{
    for (const Role role : {Role::ResellerAdmin, Role::ResellerManager, Role::ResellerUser}) {
        for (const qint64 contextId : {qint64(0), qint64(-1)}) {
            SCOPED_TRACE(text(roleKey(role)) + " " + std::to_string(contextId));
            const Result<Membership> membership = Membership::create(1, role, contextId);
            ASSERT_FALSE(membership.has_value());
            EXPECT_EQ(membership.error().code(), ErrorCode::InvalidInput);
            EXPECT_EQ(text(membership.error().field()), "contextId");
            EXPECT_TRUE(membership.error().message().contains(QStringLiteral("reseller portal")));
        }
    }
}

TEST(Membership, ClientRolesNeedACustomerId)
{
    for (const Role role : {Role::ClientAdmin, Role::ClientUser}) {
        for (const qint64 contextId : {qint64(0), qint64(-1)}) {
            SCOPED_TRACE(text(roleKey(role)) + " " + std::to_string(contextId));
            const Result<Membership> membership = Membership::create(1, role, contextId);
            ASSERT_FALSE(membership.has_value());
            EXPECT_EQ(membership.error().code(), ErrorCode::InvalidInput);
            EXPECT_EQ(text(membership.error().field()), "contextId");
            EXPECT_TRUE(membership.error().message().contains(QStringLiteral("client account")));
        }
    }
}

TEST(Membership, CreateNeedsAStoredUser)
{
    for (const qint64 userId : {qint64(0), qint64(-1)}) {
        const Result<Membership> membership = Membership::create(userId, Role::ClientUser, 3);
        ASSERT_FALSE(membership.has_value());
        EXPECT_EQ(membership.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(text(membership.error().field()), "userId");
    }
}

// --- value semantics ------------------------------------------------------

TEST(Membership, IsACopyableValue)
{
    Membership original = make(10, Role::ResellerManager, 4);
    original.setId(99);

    Membership copy = original;
    EXPECT_EQ(copy, original);
    EXPECT_EQ(copy.id(), 99);

    copy.setActive(false);
    EXPECT_NE(copy, original);
    EXPECT_TRUE(original.isActive());
    EXPECT_FALSE(copy.isActive());

    copy = original;
    EXPECT_EQ(copy, original);
}

TEST(Membership, ContextKindIsAlwaysDerivedFromTheRole)
{
    for (const Role role : Roles) {
        const qint64 contextId = contextKindOf(role) == ContextKind::Vendor ? 0 : 3;
        EXPECT_EQ(make(1, role, contextId).contextKind(), contextKindOf(role))
            << text(roleKey(role));
    }
}

// --- rule 11: usable only when the membership and its context are active ---

TEST(Membership, CanBeUsedOnlyWhenItAndItsContextAreActive)
{
    const std::vector<std::tuple<Role, qint64, bool, bool, bool>> cases = {
        // role, contextId, membership active, context active, usable
        {Role::ResellerAdmin, 5, true, true, true},
        {Role::ResellerAdmin, 5, true, false, false}, // deactivated reseller
        {Role::ResellerAdmin, 5, false, true, false}, // deactivated membership
        {Role::ResellerAdmin, 5, false, false, false},
        {Role::ResellerUser, 5, true, false, false},
        {Role::ClientAdmin, 8, true, true, true},
        {Role::ClientAdmin, 8, true, false, false}, // deactivated customer
        {Role::ClientUser, 8, true, false, false},
        {Role::ClientUser, 8, false, true, false},
        // The vendor cannot be deactivated: only the membership row counts.
        {Role::Administrator, 0, true, true, true},
        {Role::Administrator, 0, true, false, true},
        {Role::Administrator, 0, false, true, false},
        {Role::Support, 0, false, false, false},
    };
    for (const auto &[role, contextId, active, contextActive, usable] : cases) {
        SCOPED_TRACE(text(roleKey(role)) + " active=" + std::to_string(active)
            + " contextActive=" + std::to_string(contextActive));
        Membership membership = make(1, role, contextId);
        membership.setActive(active);
        EXPECT_EQ(membership.canBeUsed(contextActive), usable);
    }
}

// --- rule 10: grant no higher than your own role --------------------------

TEST(Membership, CanGrantOnlyRolesNoHigherThanTheActorsAndOnlyWhenManagingUsers)
{
    // Rows: actor; columns: granted role, both in rule-10 order. Support,
    // Reseller User and Client User may not manage users at all (§3).
    const bool allowed[7][7] = {
        /* Administrator   */ {true, true, true, true, true, true, true},
        /* Support         */ {false, false, false, false, false, false, false},
        /* ResellerAdmin   */ {false, false, true, true, true, true, true},
        /* ResellerManager */ {false, false, false, true, true, true, true},
        /* ResellerUser    */ {false, false, false, false, false, false, false},
        /* ClientAdmin     */ {false, false, false, false, false, true, true},
        /* ClientUser      */ {false, false, false, false, false, false, false},
    };
    for (std::size_t a = 0; a < Roles.size(); ++a) {
        for (std::size_t g = 0; g < Roles.size(); ++g) {
            SCOPED_TRACE(text(roleKey(Roles[a])) + " grants " + text(roleKey(Roles[g])));
            const Status status = Membership::canGrant(Roles[a], Roles[g]);
            EXPECT_EQ(status.has_value(), allowed[a][g]);
            if (!status) {
                EXPECT_EQ(status.error().code(), ErrorCode::PermissionDenied);
                EXPECT_FALSE(status.error().message().isEmpty());
            }
        }
    }
}

TEST(Membership, CanGrantNamesTheRefusedRoleAndTheActorsRole)
{
    const Status status = Membership::canGrant(Role::ResellerManager, Role::ResellerAdmin);
    ASSERT_FALSE(status.has_value());
    EXPECT_EQ(status.error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(text(status.error().field()), "role");
    EXPECT_TRUE(status.error().message().contains(QStringLiteral("Reseller Admin")));
    EXPECT_TRUE(status.error().message().contains(QStringLiteral("Reseller Manager")));
}

TEST(Membership, CanGrantTheSameRoleButNotOneStepHigher)
{
    EXPECT_TRUE(Membership::canGrant(Role::ResellerAdmin, Role::ResellerAdmin).has_value());
    EXPECT_FALSE(Membership::canGrant(Role::ResellerAdmin, Role::Support).has_value());
    EXPECT_TRUE(Membership::canGrant(Role::ClientAdmin, Role::ClientAdmin).has_value());
    EXPECT_FALSE(Membership::canGrant(Role::ClientAdmin, Role::ResellerUser).has_value());
}

// --- rule 9: who can impersonate whom -------------------------------------

TEST(Membership, CanImpersonateOnlyClientMembershipsByLoginAsRoles)
{
    // Rows: actor; columns: target, both in rule-10 order.
    const bool allowed[7][7] = {
        /* Administrator   */ {false, false, false, false, false, true, true},
        /* Support         */ {false, false, false, false, false, true, true},
        /* ResellerAdmin   */ {false, false, false, false, false, true, true},
        /* ResellerManager */ {false, false, false, false, false, false, false},
        /* ResellerUser    */ {false, false, false, false, false, false, false},
        /* ClientAdmin     */ {false, false, false, false, false, false, false},
        /* ClientUser      */ {false, false, false, false, false, false, false},
    };
    for (std::size_t a = 0; a < Roles.size(); ++a) {
        for (std::size_t t = 0; t < Roles.size(); ++t) {
            EXPECT_EQ(Membership::canImpersonate(Roles[a], Roles[t]), allowed[a][t])
                << text(roleKey(Roles[a])) << " as " << text(roleKey(Roles[t]));
        }
    }
}

TEST(Membership, NobodyImpersonatesStaffOrResellerMemberships)
{
    for (const Role actor : Roles) {
        for (const Role target : {Role::Administrator, Role::Support, Role::ResellerAdmin,
                 Role::ResellerManager, Role::ResellerUser}) {
            EXPECT_FALSE(Membership::canImpersonate(actor, target))
                << text(roleKey(actor)) << " as " << text(roleKey(target));
        }
    }
}
