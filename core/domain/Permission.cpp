#include "domain/Permission.h"

#include <array>
#include <cstddef>

namespace rd {

namespace {

constexpr std::size_t RoleCount = 7;
constexpr std::size_t CapabilityCount = 12;

using Row = std::array<Grant, RoleCount>;

// Aligned by hand: the table reads best in columns.
// clang-format off
// Shorthands for the cells of §3.
constexpr Grant NoGrant {Extent::None, Access::None};      // "–"
constexpr Grant AllRead {Extent::All, Access::Read};       // "all" (see rows, audit), "see"
constexpr Grant AllWrite {Extent::All, Access::Write};     // "✓", "all" (orders, ...)
constexpr Grant ScopeRead {Extent::Scope, Access::Read};   // "scope", "see" (RM orders)
constexpr Grant ScopeWrite {Extent::Scope, Access::Write}; // "✓ scope"
constexpr Grant OwnRead {Extent::Own, Access::Read};       // "own", "see own", "see" (catalogue)
constexpr Grant OwnWrite {Extent::Own, Access::Write};     // "own portal" / "own account" (users)
// "own + sub-portals", "own + subs":
constexpr Grant SubsRead {Extent::OwnAndSubPortals, Access::Read};

// Rows in Capability order; columns in Role order: Administrator, Support,
// Reseller Admin, Reseller Manager, Reseller User, Client Admin, Client User.
constexpr std::array<Row, CapabilityCount> Matrix {{
    {AllRead,  AllRead,  SubsRead,   OwnRead,   OwnRead,    NoGrant,  NoGrant}, // SeeResellers
    {AllWrite, NoGrant,  NoGrant,    NoGrant,   NoGrant,    NoGrant,  NoGrant}, // ManageResellers
    {AllRead,  AllRead,  ScopeRead,  ScopeRead, ScopeRead,  OwnRead,  OwnRead}, // SeeCustomers
    {AllWrite, NoGrant,  ScopeWrite, NoGrant,   NoGrant,    NoGrant,  NoGrant}, // ManageCustomers
    {AllWrite, NoGrant,  ScopeWrite, NoGrant,   NoGrant,    NoGrant,  NoGrant}, // ManageTrials
    {AllWrite, NoGrant,  NoGrant,    NoGrant,   NoGrant,    NoGrant,  NoGrant}, // TransferCustomers
    {AllWrite, AllWrite, ScopeWrite, NoGrant,   NoGrant,    NoGrant,  NoGrant}, // LoginAs
    {AllWrite, NoGrant,  OwnWrite,   OwnWrite,  NoGrant,    OwnWrite, NoGrant}, // ManageUsers
    {AllWrite, NoGrant,  OwnRead,    OwnRead,   NoGrant,    NoGrant,  NoGrant}, // Catalogue
    {AllWrite, AllRead,  ScopeWrite, ScopeRead, ScopeWrite, OwnRead,  OwnRead}, // Orders
    {AllWrite, NoGrant,  SubsRead,   OwnRead,   NoGrant,    NoGrant,  NoGrant}, // Commissions
    {AllRead,  AllRead,  OwnRead,    NoGrant,   NoGrant,    NoGrant,  NoGrant}, // AuditAndOutbox
}};
// clang-format on

constexpr bool tableIsConsistent()
{
    for (const Row &row : Matrix) {
        for (const Grant &cell : row) {
            if ((cell.extent == Extent::None) != (cell.access == Access::None))
                return false;
        }
    }
    return true;
}

static_assert(tableIsConsistent(), "extent is None exactly when access is None");
static_assert(static_cast<std::size_t>(Role::ClientUser) + 1 == RoleCount);
static_assert(static_cast<std::size_t>(Capability::AuditAndOutbox) + 1 == CapabilityCount);

} // namespace

bool Grant::allows(Access requested) const
{
    if (requested == Access::None)
        return true;
    return extent != Extent::None && access >= requested;
}

Grant PermissionMatrix::grant(Capability capability, Role role)
{
    const auto row = static_cast<std::size_t>(capability);
    const auto column = static_cast<std::size_t>(role);
    if (row >= CapabilityCount || column >= RoleCount)
        return NoGrant; // an out-of-range value never grants anything
    return Matrix[row][column];
}

bool PermissionMatrix::allows(Role role, Capability capability, Access access)
{
    return grant(capability, role).allows(access);
}

QString capabilityKey(Capability capability)
{
    switch (capability) {
    case Capability::SeeResellers:
        return QStringLiteral("see_resellers");
    case Capability::ManageResellers:
        return QStringLiteral("manage_resellers");
    case Capability::SeeCustomers:
        return QStringLiteral("see_customers");
    case Capability::ManageCustomers:
        return QStringLiteral("manage_customers");
    case Capability::ManageTrials:
        return QStringLiteral("manage_trials");
    case Capability::TransferCustomers:
        return QStringLiteral("transfer_customers");
    case Capability::LoginAs:
        return QStringLiteral("login_as");
    case Capability::ManageUsers:
        return QStringLiteral("manage_users");
    case Capability::Catalogue:
        return QStringLiteral("catalogue");
    case Capability::Orders:
        return QStringLiteral("orders");
    case Capability::Commissions:
        return QStringLiteral("commissions");
    case Capability::AuditAndOutbox:
        return QStringLiteral("audit_and_outbox");
    }
    Q_UNREACHABLE();
    return QString();
}

QList<Capability> allCapabilities()
{
    return {Capability::SeeResellers, Capability::ManageResellers, Capability::SeeCustomers,
        Capability::ManageCustomers, Capability::ManageTrials, Capability::TransferCustomers,
        Capability::LoginAs, Capability::ManageUsers, Capability::Catalogue, Capability::Orders,
        Capability::Commissions, Capability::AuditAndOutbox};
}

} // namespace rd
