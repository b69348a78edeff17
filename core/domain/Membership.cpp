#include "domain/Membership.h"

#include "domain/Permission.h"

namespace rd {

Membership::Membership(qint64 userId, Role role, qint64 contextId)
    : m_userId(userId)
    , m_role(role)
    , m_contextKind(contextKindOf(role))
    , m_contextId(contextId)
{ }

Result<Membership> Membership::create(qint64 userId, Role role, qint64 contextId)
{
    if (userId <= 0) {
        return fail(ErrorCode::InvalidInput, tr("A membership must belong to an existing user."),
            QStringLiteral("userId"), QStringLiteral("userId=%1").arg(userId));
    }

    const QString detail = QStringLiteral("role=%1 contextId=%2").arg(roleKey(role)).arg(contextId);
    switch (contextKindOf(role)) {
    case ContextKind::Vendor:
        if (contextId != 0) {
            return fail(ErrorCode::InvalidInput,
                tr("The %1 role belongs to the vendor and cannot be tied to a reseller "
                   "portal or client account.")
                    .arg(roleDisplayName(role)),
                QStringLiteral("contextId"), detail);
        }
        break;
    case ContextKind::Reseller:
        if (contextId <= 0) {
            return fail(ErrorCode::InvalidInput,
                tr("The %1 role needs the reseller portal it applies to.")
                    .arg(roleDisplayName(role)),
                QStringLiteral("contextId"), detail);
        }
        break;
    case ContextKind::Customer:
        if (contextId <= 0) {
            return fail(ErrorCode::InvalidInput,
                tr("The %1 role needs the client account it applies to.")
                    .arg(roleDisplayName(role)),
                QStringLiteral("contextId"), detail);
        }
        break;
    }
    return Membership(userId, role, contextId);
}

bool Membership::canBeUsed(bool contextActive) const
{
    if (!m_active)
        return false;
    return m_contextKind == ContextKind::Vendor || contextActive;
}

Status Membership::canGrant(Role actorRole, Role granted)
{
    const QString detail
        = QStringLiteral("actor=%1 granted=%2").arg(roleKey(actorRole), roleKey(granted));
    if (!PermissionMatrix::allows(actorRole, Capability::ManageUsers, Access::Write)) {
        return fail(ErrorCode::PermissionDenied,
            tr("As %1 you cannot add users or memberships.").arg(roleDisplayName(actorRole)),
            QString(), detail);
    }
    if (!outranksOrEquals(actorRole, granted)) {
        return fail(ErrorCode::PermissionDenied,
            tr("You cannot grant the %1 role: a membership can only have a role no higher "
               "than your own (%2).")
                .arg(roleDisplayName(granted), roleDisplayName(actorRole)),
            QStringLiteral("role"), detail);
    }
    return {};
}

bool Membership::canImpersonate(Role actor, Role target)
{
    if (!PermissionMatrix::allows(actor, Capability::LoginAs, Access::Write))
        return false;
    if (!isClientRole(target))
        return false;
    return rank(target) < rank(actor);
}

} // namespace rd
