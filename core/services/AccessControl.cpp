#include "services/AccessControl.h"

#include "services/Session.h"
#include "storage/ScopeRepository.h"

namespace rd {

AccessControl::AccessControl(Database &db)
    : m_db(db)
{ }

Error AccessControl::denied(Capability capability)
{
    return Error(ErrorCode::PermissionDenied, tr("Your role does not allow this action."), {},
        QStringLiteral("capability ") + capabilityKey(capability));
}

Error AccessControl::customerNotVisible()
{
    return Error(ErrorCode::NotFound, tr("The customer does not exist or is not in your scope."));
}

Error AccessControl::resellerNotVisible()
{
    return Error(ErrorCode::NotFound, tr("The reseller does not exist or is not in your scope."));
}

Status AccessControl::require(const Session &session, Capability capability, Access access) const
{
    if (!PermissionMatrix::grant(capability, session.role()).allows(access))
        return fail(denied(capability));
    return {};
}

Status AccessControl::requireForCustomer(
    const Session &session, Capability capability, Access access, qint64 customerId) const
{
    const Grant grant = PermissionMatrix::grant(capability, session.role());
    if (!grant.allows(access))
        return fail(denied(capability));

    switch (grant.extent) {
    case Extent::All:
        return {};
    case Extent::Own:
        if (session.customerId() > 0)
            return session.customerId() == customerId ? Status() : fail(customerNotVisible());
        [[fallthrough]]; // a reseller's "own" customers are its scope
    case Extent::Scope: {
        if (session.resellerId() <= 0)
            return fail(customerNotVisible());
        Result<bool> sees
            = ScopeRepository(m_db).resellerSeesCustomer(session.resellerId(), customerId);
        if (!sees)
            return fail(sees.error());
        return *sees ? Status() : fail(customerNotVisible());
    }
    case Extent::OwnAndSubPortals: // a parent sees its sub-portals, not their customers
    case Extent::None:
        break;
    }
    return fail(customerNotVisible());
}

Status AccessControl::requireForReseller(
    const Session &session, Capability capability, Access access, qint64 resellerId) const
{
    const Grant grant = PermissionMatrix::grant(capability, session.role());
    if (!grant.allows(access))
        return fail(denied(capability));

    switch (grant.extent) {
    case Extent::All:
        return {};
    case Extent::Own:
    case Extent::Scope:
        return session.resellerId() > 0 && session.resellerId() == resellerId
            ? Status()
            : fail(resellerNotVisible());
    case Extent::OwnAndSubPortals: {
        if (session.resellerId() <= 0)
            return fail(resellerNotVisible());
        Result<bool> own = ScopeRepository(m_db).isOwnOrSubPortal(session.resellerId(), resellerId);
        if (!own)
            return fail(own.error());
        return *own ? Status() : fail(resellerNotVisible());
    }
    case Extent::None:
        break;
    }
    return fail(resellerNotVisible());
}

} // namespace rd
