#pragma once

#include <optional>

#include <QList>
#include <QString>
#include <QStringView>

namespace rd {

// The role of a membership (rule 10). Declared from the highest to the lowest:
// Administrator > Support > Reseller Admin > Reseller Manager > Reseller User
// > Client Admin > Client User. Never store the numeric value: the database
// stores roleKey().
enum class Role {
    Administrator,
    Support,
    ResellerAdmin,
    ResellerManager,
    ResellerUser,
    ClientAdmin,
    ClientUser,
};

// The kind of context a membership's role lives in (§1 "membership").
enum class ContextKind {
    Vendor,   // the installation's own organisation (Administrator, Support)
    Reseller, // one reseller portal (Reseller Admin / Manager / User)
    Customer, // one client account (Client Admin / User)
};

// The position of a role in the rule-10 order: higher is more powerful,
// Administrator highest (7), Client User lowest (1). Only the order matters.
int rank(Role role);

// True when a is the same role as b or higher in the rule-10 order.
bool outranksOrEquals(Role a, Role b);

// Stable lower_snake key stored in the database ("administrator", "support",
// "reseller_admin", "reseller_manager", "reseller_user", "client_admin",
// "client_user"). Never translated, never changed.
QString roleKey(Role role);

// The role for a stored key; exact, case-sensitive match. std::nullopt for
// anything else.
std::optional<Role> roleFromKey(QStringView key);

// The translated name shown to users ("Reseller Admin").
QString roleDisplayName(Role role);

ContextKind contextKindOf(Role role);

// Every role, highest first.
QList<Role> allRoles();

// Vendor staff: Administrator and Support.
bool isStaff(Role role);

// Roles of a client account: Client Admin and Client User.
bool isClientRole(Role role);

} // namespace rd
