#pragma once

#include <QCoreApplication>
#include <QtGlobal>

#include "domain/Error.h"
#include "domain/Role.h"

namespace rd {

// What a user may do where (§1): a role in a context — the vendor, one
// reseller portal or one client account. A small copyable value; storage
// loads and saves it, services check it on every call.
class Membership final
{
    Q_DECLARE_TR_FUNCTIONS(Membership)

public:
    // A new, active, not yet stored membership (id 0). Vendor roles
    // (Administrator, Support) take contextId 0; reseller roles the id of the
    // reseller portal and client roles the id of the customer, both > 0.
    // userId must be > 0 (the user row exists). InvalidInput otherwise, with
    // field "userId" or "contextId".
    static Result<Membership> create(qint64 userId, Role role, qint64 contextId);

    // 0 until stored.
    qint64 id() const { return m_id; }
    void setId(qint64 id) { m_id = id; }

    qint64 userId() const { return m_userId; }
    Role role() const { return m_role; }
    // Derived from the role: always contextKindOf(role()).
    ContextKind contextKind() const { return m_contextKind; }
    // The reseller id or customer id; 0 for the vendor.
    qint64 contextId() const { return m_contextId; }

    // Whether the membership row itself is active (not whether its context is).
    bool isActive() const { return m_active; }
    void setActive(bool active) { m_active = active; }

    // Rule 11: usable only when the membership is active and its reseller or
    // customer is active. contextActive is ignored for vendor memberships
    // (the vendor itself cannot be deactivated).
    bool canBeUsed(bool contextActive) const;

    // Rule 10 with §3: the actor's role must be allowed to manage users at all
    // (§3 "manage users") and the granted role must be no higher than the
    // actor's. PermissionDenied otherwise. Whether the new membership's
    // context is within the actor's scope is for the calling service to check.
    static Status canGrant(Role actorRole, Role granted);

    // Rule 9: only client memberships (Client Admin, Client User) can be
    // impersonated, only by a role with Login As in §3 (Administrator,
    // Support, Reseller Admin), and never a target at or above the actor's
    // level. Scope (Reseller Admin: customers in scope) and "no nesting" are
    // for the calling service to check.
    static bool canImpersonate(Role actor, Role target);

    friend bool operator==(const Membership &, const Membership &) = default;

private:
    Membership(qint64 userId, Role role, qint64 contextId);

    qint64 m_id = 0;
    qint64 m_userId = 0;
    Role m_role = Role::ClientUser;
    ContextKind m_contextKind = ContextKind::Customer;
    qint64 m_contextId = 0;
    bool m_active = true;
};

} // namespace rd
