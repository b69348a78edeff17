#pragma once

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Clock;
class Database;
class PasswordHasher;

struct DemoSummary
{
    int resellers = 0;
    int customers = 0;
    int users = 0;
    bool seeded = false; // false: the database already had data; nothing was written
};

// Fills an empty database with a realistic installation for trying
// ResellerDesk: vendor staff, a reseller hierarchy with a sub-portal and a
// migrated portal, plans and two price lists, a few hundred customers in
// every status with assignment history and monthly usage, and users in every
// role. Deterministic (fixed random seed), one transaction, one audit event.
// Every demo login uses demoPassword(); see docs/demo.md.
class DemoData final
{
    Q_DECLARE_TR_FUNCTIONS(DemoData)

public:
    static QString demoPassword();
    static QString demoAdministratorEmail();
    // The Client Admin of the demo customer Alpine Foods GmbH.
    static QString demoClientEmail();

    static Result<DemoSummary> seedIfEmpty(
        Database &db, const Clock &clock, const PasswordHasher &hasher);
};

} // namespace rd
