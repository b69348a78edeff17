#pragma once

#include <optional>

#include <QString>

#include "TestSeed.h"
#include "domain/Error.h"
#include "domain/Role.h"
#include "services/Session.h"

namespace rd {
class Database;
}

namespace rd::test {

// A small installation with one user per role, for permission and scope
// tests:
//   reseller A (scope: assigned) with sub-portal A1; reseller B (scope:
//   assigned); reseller C (scope: all).
//   plan "standard" offered by A, A1, B and C; plan "premium" only by B.
//   customerA   owned by A
//   customerB   owned by B
//   customerAB  owned by B, additionally assigned to A
//   customerA1  owned by sub-portal A1 (A does not see it: parents see
//               sub-portals, not their customers)
//   customerDirect  a direct account (no reseller)
// Sessions: admin, support (vendor); resellerAdmin/Manager/User of A;
// resellerAdminB; resellerAdminA1; clientAdmin/clientUser of customerA.
struct TestWorld
{
    Catalogue catalogue; // planId = standard, resellerId = A
    qint64 premiumPlanId = 0;
    qint64 resellerA = 0;
    qint64 resellerA1 = 0;
    qint64 resellerB = 0;
    qint64 resellerC = 0;
    qint64 customerA = 0;
    qint64 customerB = 0;
    qint64 customerAB = 0;
    qint64 customerA1 = 0;
    qint64 customerDirect = 0;

    std::optional<Session> admin;
    std::optional<Session> support;
    std::optional<Session> resellerAdmin;
    std::optional<Session> resellerManager;
    std::optional<Session> resellerUser;
    std::optional<Session> resellerAdminB;
    std::optional<Session> resellerAdminA1;
    std::optional<Session> resellerAdminC;
    std::optional<Session> clientAdmin;
    std::optional<Session> clientUser;

    static Result<TestWorld> create(Database &db);

    // The session of each role in "home" context: vendor, reseller A or
    // customerA.
    const Session &as(Role role) const;
};

} // namespace rd::test
