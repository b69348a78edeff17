#pragma once

#include <optional>

#include <QCoreApplication>

#include "domain/Error.h"
#include "domain/Permission.h"

namespace rd {

class Clock;
class Database;
class Session;

// The one place that decides whether a session may do something: the
// section 3 matrix (PermissionMatrix) for the session's role, then the
// section 1 scope for the entity concerned. Services call it first thing in
// every call; the UI hiding a menu is only a courtesy.
class AccessControl final
{
    Q_DECLARE_TR_FUNCTIONS(AccessControl)

public:
    // Uses the system clock to tell whether a Login As session has expired.
    explicit AccessControl(Database &db);
    AccessControl(Database &db, const Clock &clock);

    // Every check below starts with this one for an impersonated session
    // (rule 9): its Login As row must exist for this client membership and
    // impersonator, must not have ended and must not have expired; an
    // ended or expired session reads and writes nothing more.
    Status requireLiveImpersonation(const Session &session) const;

    // The matrix alone: may this role do this kind of thing at all?
    Status require(const Session &session, Capability capability, Access access) const;

    // The matrix and the scope for one customer. Out of scope is reported
    // as "not found" so a session learns nothing about what it cannot see.
    Status requireForCustomer(
        const Session &session, Capability capability, Access access, qint64 customerId) const;

    // The matrix and the scope for one reseller portal.
    Status requireForReseller(
        const Session &session, Capability capability, Access access, qint64 resellerId) const;

    // For a read reaching "all" or a reseller's "own portal" (§3 "audit
    // log, outbox"): nothing when every row may be read, else the session's
    // own reseller portal. Refused like require() for roles without it.
    Result<std::optional<qint64>> ownPortalScope(
        const Session &session, Capability capability) const;

    // The clock Login As expiry is judged by (a page reader stamps its
    // requests with it; read it on the thread that owns it only).
    const Clock &clock() const noexcept { return m_clock; }

    static Error denied(Capability capability);
    static Error customerNotVisible();
    static Error resellerNotVisible();

private:
    Database &m_db;
    const Clock &m_clock;
};

} // namespace rd
