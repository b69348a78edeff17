#pragma once

#include <QDateTime>
#include <QString>

#include "domain/Error.h"

namespace rd {
class Database;
}

namespace rd::test {

// The minimum catalogue a customer needs: one plan and the default price
// list, plus one reseller offering the plan.
struct Catalogue
{
    qint64 planId = 0;
    qint64 priceListId = 0;
    qint64 resellerId = 0;
};

// A fixed, millisecond-precise instant for deterministic tests.
QDateTime testNow();

Result<Catalogue> seedCatalogue(Database &db);
Result<qint64> seedCustomer(Database &db, const Catalogue &catalogue, const QString &company);
Result<qint64> seedUser(Database &db, const QString &email);

} // namespace rd::test
