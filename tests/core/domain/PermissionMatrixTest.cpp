#include "domain/Permission.h"

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <QString>
#include <QStringList>

#include <gtest/gtest.h>

using namespace rd;

namespace rd {
// Readable failure output (internal linkage: local to this test file).
[[maybe_unused]] static void PrintTo(const Grant &grant, std::ostream *os)
{
    static const char *const extents[] = {"None", "Own", "OwnAndSubPortals", "Scope", "All"};
    static const char *const accesses[] = {"None", "Read", "Write"};
    *os << '{' << extents[static_cast<int>(grant.extent)] << ", "
        << accesses[static_cast<int>(grant.access)] << '}';
}
} // namespace rd

namespace {

// A literal copy of DESIGN.md §3, header row included. The production table
// is checked against this text, so a wrong permission in the code (or a
// change of the design not carried into the code) fails this test. Update
// both together, never one from the other.
const char *const DesignTable = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| see resellers | all | all | own + sub-portals | own | own | – | – |
| add / edit / deactivate resellers | ✓ | – | – | – | – | – | – |
| see customers | all | all | scope | scope | scope | own | own |
| add customer (wizard), edit, (de)activate | ✓ | – | ✓ scope | – | – | – | – |
| convert / extend trial | ✓ | – | ✓ scope | – | – | – | – |
| move, clone, migrate | ✓ | – | – | – | – | – | – |
| Login As client | ✓ | ✓ | ✓ scope | – | – | – | – |
| manage users | all | – | own portal | own portal | – | own account | – |
| plans, price lists, settings | ✓ | – | see | see | – | – | – |
| orders | all | see | ✓ scope | see | ✓ scope | see own | see own |
| commissions | all | – | own + subs | own | – | – | – |
| audit log, outbox | all | all | own portal | – | – | – | – |
)";

// The documented columns, in order, and the role each one means.
const std::vector<std::pair<QString, Role>> ExpectedColumns = {
    {QStringLiteral("Admin"), Role::Administrator},
    {QStringLiteral("Support"), Role::Support},
    {QStringLiteral("Reseller Admin"), Role::ResellerAdmin},
    {QStringLiteral("Reseller Manager"), Role::ResellerManager},
    {QStringLiteral("Reseller User"), Role::ResellerUser},
    {QStringLiteral("Client Admin"), Role::ClientAdmin},
    {QStringLiteral("Client User"), Role::ClientUser},
};

// The documented rows, in order, and the capability each one means.
const std::vector<std::pair<QString, Capability>> ExpectedRows = {
    {QStringLiteral("see resellers"), Capability::SeeResellers},
    {QStringLiteral("add / edit / deactivate resellers"), Capability::ManageResellers},
    {QStringLiteral("see customers"), Capability::SeeCustomers},
    {QStringLiteral("add customer (wizard), edit, (de)activate"), Capability::ManageCustomers},
    {QStringLiteral("convert / extend trial"), Capability::ManageTrials},
    {QStringLiteral("move, clone, migrate"), Capability::TransferCustomers},
    {QStringLiteral("Login As client"), Capability::LoginAs},
    {QStringLiteral("manage users"), Capability::ManageUsers},
    {QStringLiteral("plans, price lists, settings"), Capability::Catalogue},
    {QStringLiteral("orders"), Capability::Orders},
    {QStringLiteral("commissions"), Capability::Commissions},
    {QStringLiteral("audit log, outbox"), Capability::AuditAndOutbox},
};

constexpr Grant grantOf(Extent extent, Access access)
{
    return Grant {extent, access};
}

// The meaning of each cell text, written independently of the production
// code. std::nullopt for a text this test does not know (in that row/column):
// an unknown cell is a failure, never silently "no permission".
std::optional<Grant> expectedGrant(Capability row, Role column, const QString &cell)
{
    if (cell == QStringLiteral("–"))
        return grantOf(Extent::None, Access::None);
    if (cell == QStringLiteral("✓"))
        return grantOf(Extent::All, Access::Write);
    if (cell == QStringLiteral("✓ scope"))
        return grantOf(Extent::Scope, Access::Write);
    if (cell == QStringLiteral("scope"))
        return grantOf(Extent::Scope, Access::Read);
    if (cell == QStringLiteral("own"))
        return grantOf(Extent::Own, Access::Read);
    if (cell == QStringLiteral("own + sub-portals") || cell == QStringLiteral("own + subs"))
        return grantOf(Extent::OwnAndSubPortals, Access::Read);
    if (cell == QStringLiteral("see own"))
        return grantOf(Extent::Own, Access::Read);
    if (cell == QStringLiteral("all")) {
        switch (row) {
        case Capability::SeeResellers:
        case Capability::SeeCustomers:
        case Capability::AuditAndOutbox:
            return grantOf(Extent::All, Access::Read);
        case Capability::Orders:
        case Capability::Commissions:
        case Capability::ManageUsers:
            return grantOf(Extent::All, Access::Write);
        default:
            return std::nullopt;
        }
    }
    if (cell == QStringLiteral("own portal")) {
        if (row == Capability::ManageUsers)
            return grantOf(Extent::Own, Access::Write);
        if (row == Capability::AuditAndOutbox)
            return grantOf(Extent::Own, Access::Read);
        return std::nullopt;
    }
    if (cell == QStringLiteral("own account")) {
        if (row == Capability::ManageUsers)
            return grantOf(Extent::Own, Access::Write);
        return std::nullopt;
    }
    if (cell == QStringLiteral("see")) {
        if (row == Capability::Orders && column == Role::Support)
            return grantOf(Extent::All, Access::Read);
        if (row == Capability::Orders && column == Role::ResellerManager)
            return grantOf(Extent::Scope, Access::Read);
        if (row == Capability::Catalogue
            && (column == Role::ResellerAdmin || column == Role::ResellerManager))
            return grantOf(Extent::Own, Access::Read);
        return std::nullopt;
    }
    return std::nullopt;
}

// The table's lines split into trimmed cells (outer pipes dropped).
std::vector<QStringList> parseTable()
{
    std::vector<QStringList> rows;
    const QStringList lines = QString::fromUtf8(DesignTable).split(QLatin1Char('\n'));
    for (const QString &rawLine : lines) {
        const QString line = rawLine.trimmed();
        if (line.isEmpty())
            continue;
        EXPECT_TRUE(line.startsWith(QLatin1Char('|')) && line.endsWith(QLatin1Char('|')))
            << line.toStdString();
        QStringList cells = line.split(QLatin1Char('|'));
        if (cells.size() >= 2) {
            cells.removeFirst();
            cells.removeLast();
        }
        for (QString &cell : cells)
            cell = cell.trimmed();
        rows.push_back(cells);
    }
    return rows;
}

std::string text(const QString &value)
{
    return value.toStdString();
}

} // namespace

TEST(PermissionMatrix, TableCopyHasHeaderSeparatorAndTwelveRowsOfSevenRoles)
{
    const std::vector<QStringList> rows = parseTable();
    ASSERT_EQ(rows.size(), 2 + ExpectedRows.size()); // header, separator, 12 rows
    ASSERT_EQ(ExpectedRows.size(), 12U);

    const QStringList &header = rows[0];
    ASSERT_EQ(header.size(), 8); // "action" + 7 roles
    EXPECT_EQ(text(header[0]), "action");
    for (std::size_t c = 0; c < ExpectedColumns.size(); ++c)
        EXPECT_EQ(text(header[static_cast<qsizetype>(c) + 1]), text(ExpectedColumns[c].first));

    const QStringList &separator = rows[1];
    ASSERT_EQ(separator.size(), 8);
    for (const QString &cell : separator)
        EXPECT_EQ(text(cell), "---");

    for (std::size_t r = 0; r < ExpectedRows.size(); ++r) {
        const QStringList &row = rows[r + 2];
        ASSERT_EQ(row.size(), 8) << "row " << r;
        EXPECT_EQ(text(row[0]), text(ExpectedRows[r].first)) << "row " << r;
    }
}

TEST(PermissionMatrix, EveryCellMatchesTheDesignTable)
{
    const std::vector<QStringList> rows = parseTable();
    ASSERT_EQ(rows.size(), 2 + ExpectedRows.size());

    int compared = 0;
    for (std::size_t r = 0; r < ExpectedRows.size(); ++r) {
        const QStringList &row = rows[r + 2];
        ASSERT_EQ(row.size(), 8);
        const Capability capability = ExpectedRows[r].second;
        for (std::size_t c = 0; c < ExpectedColumns.size(); ++c) {
            const Role role = ExpectedColumns[c].second;
            const QString &cell = row[static_cast<qsizetype>(c) + 1];
            SCOPED_TRACE("row \"" + text(ExpectedRows[r].first) + "\", column \""
                + text(ExpectedColumns[c].first) + "\", cell \"" + text(cell) + "\"");
            const std::optional<Grant> expected = expectedGrant(capability, role, cell);
            ASSERT_TRUE(expected.has_value()) << "unknown cell text";
            EXPECT_EQ(PermissionMatrix::grant(capability, role), *expected);
            EXPECT_EQ(PermissionMatrix::allows(role, capability, Access::Read),
                expected->access != Access::None);
            EXPECT_EQ(PermissionMatrix::allows(role, capability, Access::Write),
                expected->access == Access::Write);
            ++compared;
        }
    }
    EXPECT_EQ(compared, 12 * 7);
}

TEST(PermissionMatrix, TheTestKnowsOnlyTheDocumentedCellTexts)
{
    // Unknown texts are refused, and so are known texts in a row or column
    // whose meaning the design does not define.
    const std::vector<QString> unknown = {
        QString(),
        QStringLiteral("-"),
        QStringLiteral("x"),
        QStringLiteral("All"),
        QStringLiteral("yes"),
        QStringLiteral("own subs"),
        QStringLiteral("✓scope"),
        QStringLiteral("maybe"),
    };
    for (const QString &cell : unknown)
        EXPECT_FALSE(expectedGrant(Capability::Orders, Role::Administrator, cell).has_value())
            << text(cell);
    EXPECT_FALSE(expectedGrant(Capability::Catalogue, Role::Administrator, QStringLiteral("all"))
                     .has_value());
    EXPECT_FALSE(
        expectedGrant(Capability::Orders, Role::ClientAdmin, QStringLiteral("see")).has_value());
    EXPECT_FALSE(
        expectedGrant(Capability::SeeResellers, Role::ResellerAdmin, QStringLiteral("own portal"))
            .has_value());
}

TEST(PermissionMatrix, EveryCellIsNoneExactlyWhenItsExtentIsNone)
{
    for (const Capability capability : allCapabilities()) {
        for (const Role role : allRoles()) {
            const Grant grant = PermissionMatrix::grant(capability, role);
            EXPECT_EQ(grant.extent == Extent::None, grant.access == Access::None)
                << text(capabilityKey(capability)) << " / " << text(roleKey(role));
            EXPECT_EQ(grant.isNone(), grant.access == Access::None);
        }
    }
}

TEST(PermissionMatrix, OutOfRangeValuesGrantNothing)
{
    const Grant none {Extent::None, Access::None};
    EXPECT_EQ(PermissionMatrix::grant(static_cast<Capability>(12), Role::Administrator), none);
    EXPECT_EQ(PermissionMatrix::grant(static_cast<Capability>(-1), Role::Administrator), none);
    EXPECT_EQ(PermissionMatrix::grant(Capability::Orders, static_cast<Role>(7)), none);
    EXPECT_EQ(PermissionMatrix::grant(Capability::Orders, static_cast<Role>(-1)), none);
}

// A few rules stated elsewhere in DESIGN.md, checked directly.
TEST(PermissionMatrix, OnlyTheAdministratorMovesClonesMigratesAndManagesResellers)
{
    for (const Role role : allRoles()) {
        const bool admin = role == Role::Administrator;
        EXPECT_EQ(
            PermissionMatrix::allows(role, Capability::TransferCustomers, Access::Write), admin)
            << text(roleKey(role));
        EXPECT_EQ(PermissionMatrix::allows(role, Capability::ManageResellers, Access::Write), admin)
            << text(roleKey(role));
        EXPECT_EQ(PermissionMatrix::allows(role, Capability::Catalogue, Access::Write), admin)
            << text(roleKey(role));
    }
}

TEST(PermissionMatrix, LoginAsOnlyForAdministratorSupportAndResellerAdmin)
{
    for (const Role role : allRoles()) {
        const bool expected
            = role == Role::Administrator || role == Role::Support || role == Role::ResellerAdmin;
        EXPECT_EQ(PermissionMatrix::allows(role, Capability::LoginAs, Access::Write), expected)
            << text(roleKey(role));
    }
    EXPECT_EQ(
        PermissionMatrix::grant(Capability::LoginAs, Role::ResellerAdmin).extent, Extent::Scope);
}

TEST(PermissionMatrix, ClientRolesNeverWriteBeyondTheirOwnAccountsUsers)
{
    for (const Role role : {Role::ClientAdmin, Role::ClientUser}) {
        for (const Capability capability : allCapabilities()) {
            const Grant grant = PermissionMatrix::grant(capability, role);
            EXPECT_TRUE(grant.extent == Extent::None || grant.extent == Extent::Own)
                << text(capabilityKey(capability)) << " / " << text(roleKey(role));
            const bool mayWrite
                = role == Role::ClientAdmin && capability == Capability::ManageUsers;
            EXPECT_EQ(grant.allows(Access::Write), mayWrite)
                << text(capabilityKey(capability)) << " / " << text(roleKey(role));
        }
    }
}

TEST(Grant, AllowsFollowsAccessWriteImpliesRead)
{
    const Grant none {Extent::None, Access::None};
    const Grant ownRead {Extent::Own, Access::Read};
    const Grant scopeWrite {Extent::Scope, Access::Write};

    EXPECT_TRUE(none.allows(Access::None));
    EXPECT_FALSE(none.allows(Access::Read));
    EXPECT_FALSE(none.allows(Access::Write));

    EXPECT_TRUE(ownRead.allows(Access::None));
    EXPECT_TRUE(ownRead.allows(Access::Read));
    EXPECT_FALSE(ownRead.allows(Access::Write));

    EXPECT_TRUE(scopeWrite.allows(Access::Read));
    EXPECT_TRUE(scopeWrite.allows(Access::Write));

    // An access without an extent reaches nothing.
    EXPECT_FALSE((Grant {Extent::None, Access::Write}).allows(Access::Read));
}

TEST(Grant, DefaultIsNoneAndEqualityComparesBothFields)
{
    const Grant defaulted;
    EXPECT_EQ(defaulted, (Grant {Extent::None, Access::None}));
    EXPECT_TRUE(defaulted.isNone());
    EXPECT_EQ((Grant {Extent::Own, Access::Read}), (Grant {Extent::Own, Access::Read}));
    EXPECT_NE((Grant {Extent::Own, Access::Read}), (Grant {Extent::Own, Access::Write}));
    EXPECT_NE((Grant {Extent::Own, Access::Read}), (Grant {Extent::Scope, Access::Read}));
}

TEST(Capability, AllCapabilitiesAreTheTwelveRowsInOrder)
{
    const QList<Capability> capabilities = allCapabilities();
    ASSERT_EQ(static_cast<std::size_t>(capabilities.size()), ExpectedRows.size());
    for (std::size_t i = 0; i < ExpectedRows.size(); ++i)
        EXPECT_EQ(capabilities[static_cast<qsizetype>(i)], ExpectedRows[i].second) << i;
}

TEST(Capability, KeysAreStableAndUnique)
{
    const std::vector<std::pair<Capability, std::string>> expected = {
        {Capability::SeeResellers, "see_resellers"},
        {Capability::ManageResellers, "manage_resellers"},
        {Capability::SeeCustomers, "see_customers"},
        {Capability::ManageCustomers, "manage_customers"},
        {Capability::ManageTrials, "manage_trials"},
        {Capability::TransferCustomers, "transfer_customers"},
        {Capability::LoginAs, "login_as"},
        {Capability::ManageUsers, "manage_users"},
        {Capability::Catalogue, "catalogue"},
        {Capability::Orders, "orders"},
        {Capability::Commissions, "commissions"},
        {Capability::AuditAndOutbox, "audit_and_outbox"},
    };
    std::set<std::string> seen;
    for (const auto &[capability, key] : expected) {
        EXPECT_EQ(text(capabilityKey(capability)), key);
        EXPECT_TRUE(seen.insert(key).second);
    }
}
