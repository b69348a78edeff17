#pragma once

#include <QString>

#include "domain/Membership.h"
#include "domain/Role.h"

namespace rd {

// Who is acting: the signed-in user, the membership they chose (role and
// context) and, during Login As, the impersonator. Every service call takes
// a Session and checks it against the section 3 matrix and the scope.
class Session final
{
public:
    Session(qint64 userId, QString userName, QString userEmail, Membership membership);

    qint64 userId() const noexcept { return m_userId; }
    const QString &userName() const noexcept { return m_userName; }
    const QString &userEmail() const noexcept { return m_userEmail; }
    const Membership &membership() const noexcept { return m_membership; }
    qint64 membershipId() const noexcept { return m_membership.id(); }
    Role role() const noexcept { return m_membership.role(); }

    // The reseller of a reseller membership, else 0.
    qint64 resellerId() const noexcept;
    // The customer of a client membership, else 0.
    qint64 customerId() const noexcept;

    // Login As: the acting client membership plus the real person behind it.
    Session impersonatedBy(
        qint64 impersonatorUserId, QString impersonatorName, qint64 impersonationSessionId) const;
    bool isImpersonated() const noexcept { return m_impersonatorUserId != 0; }
    qint64 impersonatorUserId() const noexcept { return m_impersonatorUserId; }
    const QString &impersonatorName() const noexcept { return m_impersonatorName; }
    qint64 impersonationSessionId() const noexcept { return m_impersonationSessionId; }

private:
    qint64 m_userId = 0;
    QString m_userName;
    QString m_userEmail;
    Membership m_membership;
    qint64 m_impersonatorUserId = 0;
    QString m_impersonatorName;
    qint64 m_impersonationSessionId = 0;
};

} // namespace rd
