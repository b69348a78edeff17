#include "TestSeed.h"

#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/Database.h"
#include "storage/ResellerRepository.h"
#include "storage/UserRepository.h"

namespace rd::test {

QDateTime testNow()
{
    return QDateTime(QDate(2026, 3, 14), QTime(15, 9, 26, 535), Qt::UTC);
}

Result<Catalogue> seedCatalogue(Database &db)
{
    Catalogue catalogue;
    CatalogueRepository plans(db);
    PlanRow plan;
    plan.code = QStringLiteral("standard");
    plan.name = QStringLiteral("Standard");
    plan.monthlyBudget = 5000;
    plan.createdAt = testNow();
    Result<qint64> planId = plans.insertPlan(plan);
    if (!planId)
        return fail(planId.error());
    catalogue.planId = *planId;

    PriceListRow list;
    list.name = QStringLiteral("Channel");
    list.currency = QStringLiteral("EUR");
    list.isDefault = true;
    list.createdAt = testNow();
    Result<qint64> listId = plans.insertPriceList(list);
    if (!listId)
        return fail(listId.error());
    catalogue.priceListId = *listId;
    if (Status priced = plans.setPrice(*listId, *planId, 4900); !priced)
        return fail(priced.error());

    ResellerRepository resellers(db);
    ResellerRow reseller;
    reseller.name = QStringLiteral("Northwind Partners");
    reseller.commissionRateBp = 1500;
    reseller.createdAt = testNow();
    Result<qint64> resellerId = resellers.insert(reseller);
    if (!resellerId)
        return fail(resellerId.error());
    catalogue.resellerId = *resellerId;
    if (Status offered = resellers.setOfferedPlans(*resellerId, {*planId}); !offered)
        return fail(offered.error());
    return catalogue;
}

Result<qint64> seedCustomer(Database &db, const Catalogue &catalogue, const QString &company)
{
    CustomerRow c;
    c.companyName = company;
    c.domain = company.toLower().remove(QLatin1Char(' ')) + QStringLiteral(".example");
    c.contactName = QStringLiteral("Ada Lovelace");
    c.contactEmail = QStringLiteral("ada@") + c.domain;
    c.planId = catalogue.planId;
    c.priceListId = catalogue.priceListId;
    c.ownerResellerId = catalogue.resellerId;
    c.trialEndsAt = testNow().addDays(14);
    c.trialBudget = 500;
    c.createdAt = testNow();
    return CustomerRepository(db).insert(c);
}

Result<qint64> seedUser(Database &db, const QString &email)
{
    UserRow u;
    u.email = email;
    u.emailKey = email.trimmed().toLower();
    u.displayName = QStringLiteral("Test User");
    u.createdAt = testNow();
    return UserRepository(db).insert(u);
}

} // namespace rd::test
