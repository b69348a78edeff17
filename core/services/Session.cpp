#include "services/Session.h"

namespace rd {

Session::Session(qint64 userId, QString userName, QString userEmail, Membership membership)
    : m_userId(userId)
    , m_userName(std::move(userName))
    , m_userEmail(std::move(userEmail))
    , m_membership(std::move(membership))
{ }

qint64 Session::resellerId() const noexcept
{
    return m_membership.contextKind() == ContextKind::Reseller ? m_membership.contextId() : 0;
}

qint64 Session::customerId() const noexcept
{
    return m_membership.contextKind() == ContextKind::Customer ? m_membership.contextId() : 0;
}

Session Session::impersonatedBy(
    qint64 impersonatorUserId, QString impersonatorName, qint64 impersonationSessionId) const
{
    Session copy = *this;
    copy.m_impersonatorUserId = impersonatorUserId;
    copy.m_impersonatorName = std::move(impersonatorName);
    copy.m_impersonationSessionId = impersonationSessionId;
    return copy;
}

} // namespace rd
