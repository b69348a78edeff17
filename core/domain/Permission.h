#pragma once

#include <QList>
#include <QString>

#include "domain/Role.h"

namespace rd {

// What a membership may do: the rows of the §3 matrix, in the same order.
enum class Capability {
    SeeResellers,      // see resellers
    ManageResellers,   // add / edit / deactivate resellers
    SeeCustomers,      // see customers
    ManageCustomers,   // add customer (wizard), edit, (de)activate
    ManageTrials,      // convert / extend trial
    TransferCustomers, // move, clone, migrate
    LoginAs,           // Login As client
    ManageUsers,       // manage users
    Catalogue,         // plans, price lists, settings
    Orders,            // orders
    Commissions,       // commissions
    AuditAndOutbox,    // audit log, outbox
};

// Which entities a grant reaches. What "own" and "scope" mean depends on the
// membership's context (§1 "scope"); services resolve them to rows.
enum class Extent {
    None,             // nothing
    Own,              // the membership's own reseller portal / client account
    OwnAndSubPortals, // the own portal and its sub-portals (a parent reseller)
    Scope,            // the customers in the reseller's scope (§1)
    All,              // everything in the installation
};

// What may be done with the entities reached. Write implies Read.
enum class Access {
    None,
    Read,
    Write,
};

// One cell of the matrix. Invariant of every cell in the table: extent is
// None exactly when access is None.
struct Grant
{
    Extent extent = Extent::None;
    Access access = Access::None;

    // True when this grant permits the requested access (Write implies Read;
    // a request for Access::None is always permitted).
    bool allows(Access requested) const;

    bool isNone() const { return access == Access::None; }

    friend bool operator==(const Grant &, const Grant &) = default;
};

// The §3 role matrix as data, backed by one constexpr table. Enforced by the
// core services on every call; the UI only uses it to hide what is refused.
class PermissionMatrix final
{
public:
    PermissionMatrix() = delete;

    static Grant grant(Capability capability, Role role);

    // Shorthand for grant(capability, role).allows(access).
    static bool allows(Role role, Capability capability, Access access);
};

// Stable lower_snake key of a capability (for logs, audit details and
// configuration); never translated, never changed.
QString capabilityKey(Capability capability);

// Every capability, in the §3 row order.
QList<Capability> allCapabilities();

} // namespace rd
