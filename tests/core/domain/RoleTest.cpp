#include "domain/Role.h"

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <QRegularExpression>

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

// Rule 10, written down independently of the production code: highest first.
const std::vector<Role> RuleTenOrder = {Role::Administrator, Role::Support, Role::ResellerAdmin,
    Role::ResellerManager, Role::ResellerUser, Role::ClientAdmin, Role::ClientUser};

int positionInRuleTen(Role role)
{
    for (std::size_t i = 0; i < RuleTenOrder.size(); ++i) {
        if (RuleTenOrder[i] == role)
            return static_cast<int>(i);
    }
    ADD_FAILURE() << "role missing from the rule-10 order";
    return -1;
}

} // namespace

TEST(Role, AllRolesListsEveryRoleOnceHighestFirst)
{
    const QList<Role> roles = allRoles();
    ASSERT_EQ(roles.size(), 7);
    for (qsizetype i = 0; i < roles.size(); ++i)
        EXPECT_EQ(roles.at(i), RuleTenOrder.at(static_cast<std::size_t>(i))) << "position " << i;
}

TEST(Role, RankFollowsRuleTenStrictly)
{
    for (std::size_t i = 0; i + 1 < RuleTenOrder.size(); ++i) {
        SCOPED_TRACE(roleKey(RuleTenOrder[i]).toStdString());
        EXPECT_GT(rank(RuleTenOrder[i]), rank(RuleTenOrder[i + 1]));
    }
}

TEST(Role, RankOfNamedPairs)
{
    EXPECT_GT(rank(Role::Administrator), rank(Role::Support));
    EXPECT_GT(rank(Role::Support), rank(Role::ResellerAdmin));
    EXPECT_GT(rank(Role::ResellerAdmin), rank(Role::ResellerManager));
    EXPECT_GT(rank(Role::ResellerManager), rank(Role::ResellerUser));
    EXPECT_GT(rank(Role::ResellerUser), rank(Role::ClientAdmin));
    EXPECT_GT(rank(Role::ClientAdmin), rank(Role::ClientUser));
}

TEST(Role, OutranksOrEqualsMatchesRuleTenForEveryPair)
{
    for (const Role a : RuleTenOrder) {
        for (const Role b : RuleTenOrder) {
            const bool expected = positionInRuleTen(a) <= positionInRuleTen(b);
            EXPECT_EQ(outranksOrEquals(a, b), expected)
                << roleKey(a).toStdString() << " vs " << roleKey(b).toStdString();
        }
    }
}

TEST(Role, OutranksOrEqualsIsReflexiveAndNotSymmetric)
{
    for (const Role role : RuleTenOrder)
        EXPECT_TRUE(outranksOrEquals(role, role));
    EXPECT_TRUE(outranksOrEquals(Role::Administrator, Role::ClientUser));
    EXPECT_FALSE(outranksOrEquals(Role::ClientUser, Role::Administrator));
    EXPECT_FALSE(outranksOrEquals(Role::ResellerUser, Role::ResellerManager));
}

TEST(Role, KeysAreTheStoredLowerSnakeValues)
{
    const std::vector<std::pair<Role, std::string>> expected = {
        {Role::Administrator, "administrator"},
        {Role::Support, "support"},
        {Role::ResellerAdmin, "reseller_admin"},
        {Role::ResellerManager, "reseller_manager"},
        {Role::ResellerUser, "reseller_user"},
        {Role::ClientAdmin, "client_admin"},
        {Role::ClientUser, "client_user"},
    };
    for (const auto &[role, key] : expected)
        EXPECT_EQ(roleKey(role).toStdString(), key);
}

TEST(Role, KeysAreUniqueAndLowerSnake)
{
    const QRegularExpression lowerSnake(QStringLiteral("^[a-z]+(_[a-z]+)*$"));
    std::set<std::string> seen;
    for (const Role role : RuleTenOrder) {
        const QString key = roleKey(role);
        EXPECT_TRUE(lowerSnake.match(key).hasMatch()) << key.toStdString();
        EXPECT_TRUE(seen.insert(key.toStdString()).second) << "duplicate " << key.toStdString();
    }
}

TEST(Role, KeysRoundTrip)
{
    for (const Role role : RuleTenOrder) {
        const std::optional<Role> parsed = roleFromKey(roleKey(role));
        ASSERT_TRUE(parsed.has_value()) << roleKey(role).toStdString();
        EXPECT_EQ(*parsed, role);
    }
}

TEST(Role, FromKeyParsesLiteralKeys)
{
    EXPECT_EQ(roleFromKey(u"administrator"), Role::Administrator);
    EXPECT_EQ(roleFromKey(u"reseller_manager"), Role::ResellerManager);
    EXPECT_EQ(roleFromKey(u"client_user"), Role::ClientUser);
}

TEST(Role, FromKeyRefusesAnythingElse)
{
    const std::vector<QString> unknown = {
        QString(),
        QStringLiteral(""),
        QStringLiteral("Administrator"),
        QStringLiteral("ADMINISTRATOR"),
        QStringLiteral(" administrator"),
        QStringLiteral("administrator "),
        QStringLiteral("admin"),
        QStringLiteral("reseller-admin"),
        QStringLiteral("reselleradmin"),
        QStringLiteral("Reseller Admin"),
        QStringLiteral("client_users"),
        QStringLiteral("owner"),
    };
    for (const QString &key : unknown)
        EXPECT_FALSE(roleFromKey(key).has_value()) << '"' << key.toStdString() << '"';
}

TEST(Role, DisplayNamesAreTheDocumentedNames)
{
    const std::vector<std::pair<Role, std::string>> expected = {
        {Role::Administrator, "Administrator"},
        {Role::Support, "Support"},
        {Role::ResellerAdmin, "Reseller Admin"},
        {Role::ResellerManager, "Reseller Manager"},
        {Role::ResellerUser, "Reseller User"},
        {Role::ClientAdmin, "Client Admin"},
        {Role::ClientUser, "Client User"},
    };
    for (const auto &[role, name] : expected)
        EXPECT_EQ(roleDisplayName(role).toStdString(), name);
}

TEST(Role, ContextKindOfEveryRole)
{
    const std::vector<std::pair<Role, ContextKind>> expected = {
        {Role::Administrator, ContextKind::Vendor},
        {Role::Support, ContextKind::Vendor},
        {Role::ResellerAdmin, ContextKind::Reseller},
        {Role::ResellerManager, ContextKind::Reseller},
        {Role::ResellerUser, ContextKind::Reseller},
        {Role::ClientAdmin, ContextKind::Customer},
        {Role::ClientUser, ContextKind::Customer},
    };
    for (const auto &[role, kind] : expected)
        EXPECT_EQ(contextKindOf(role), kind) << roleKey(role).toStdString();
}

TEST(Role, StaffAndClientRoles)
{
    const std::vector<std::tuple<Role, bool, bool>> expected = {
        // role, isStaff, isClientRole
        {Role::Administrator, true, false},
        {Role::Support, true, false},
        {Role::ResellerAdmin, false, false},
        {Role::ResellerManager, false, false},
        {Role::ResellerUser, false, false},
        {Role::ClientAdmin, false, true},
        {Role::ClientUser, false, true},
    };
    for (const auto &[role, staff, client] : expected) {
        SCOPED_TRACE(roleKey(role).toStdString());
        EXPECT_EQ(isStaff(role), staff);
        EXPECT_EQ(isClientRole(role), client);
    }
}
