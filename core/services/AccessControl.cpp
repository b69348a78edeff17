#include "services/AccessControl.h"

#include <QLocale>

#include "services/Clock.h"
#include "services/Session.h"
#include "storage/ImpersonationRepository.h"
#include "storage/ScopeRepository.h"

namespace rd {

namespace {

const Clock &systemClock()
{
    static const SystemClock clock;
    return clock;
}

} // namespace

AccessControl::AccessControl(Database &db)
    : AccessControl(db, systemClock())
{ }

AccessControl::AccessControl(Database &db, const Clock &clock)
    : m_db(db)
    , m_clock(clock)
{ }

Status AccessControl::requireLiveImpersonation(const Session &session) const
{
    if (!session.isImpersonated())
        return {};
    Result<ImpersonationSessionRow> row
        = ImpersonationRepository(m_db).find(session.impersonationSessionId());
    if (!row && row.error().code() != ErrorCode::NotFound)
        return fail(row.error());
    if (!row || row->clientMembershipId != session.membershipId()
        || row->impersonatorUserId != session.impersonatorUserId()) {
        return fail(ErrorCode::PermissionDenied,
            tr("This Login As session is not recorded, so it cannot be used."), {},
            QStringLiteral("impersonation session %1 unknown")
                .arg(session.impersonationSessionId()));
    }
    if (row->endedAt.isValid()) {
        return fail(ErrorCode::PermissionDenied,
            tr("This Login As session has ended. Nothing more can be viewed or changed in it."), {},
            QStringLiteral("impersonation session %1 ended").arg(row->id));
    }
    if (m_clock.now() >= row->expiresAt) {
        return fail(ErrorCode::PermissionDenied,
            tr("This Login As session expired at %1. Nothing more can be viewed or changed in "
               "it; start a new Login As if you still need the client's view.")
                .arg(QLocale().toString(row->expiresAt.toLocalTime().time(), QLocale::ShortFormat)),
            {}, QStringLiteral("impersonation session %1 expired").arg(row->id));
    }
    return {};
}

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
    if (Status live = requireLiveImpersonation(session); !live)
        return live;
    if (!PermissionMatrix::grant(capability, session.role()).allows(access))
        return fail(denied(capability));
    return {};
}

Result<std::optional<qint64>> AccessControl::ownPortalScope(
    const Session &session, Capability capability) const
{
    if (Status allowed = require(session, capability, Access::Read); !allowed)
        return fail(allowed.error());
    if (PermissionMatrix::grant(capability, session.role()).extent == Extent::All)
        return std::optional<qint64>();
    if (session.resellerId() > 0)
        return std::optional<qint64>(session.resellerId());
    return fail(denied(capability));
}

Status AccessControl::requireForCustomer(
    const Session &session, Capability capability, Access access, qint64 customerId) const
{
    if (Status live = requireLiveImpersonation(session); !live)
        return live;
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
    if (Status live = requireLiveImpersonation(session); !live)
        return live;
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
