#pragma once

#include <QCoreApplication>
#include <QList>

#include "domain/Error.h"
#include "storage/CatalogueRepository.h"

namespace rd {

class AccessControl;
class Database;
class Session;

// A price list with the monthly price of each plan it prices.
struct PriceListSummary
{
    PriceListRow priceList;
    QList<std::pair<qint64, qint64>> prices; // (plan id, monthly price in minor units)
};

// Read access to plans and price lists for the dialogs (§3 "plans, price
// lists, settings": Administrators, and Reseller Admins and Managers who
// "see" them; everyone else gets PermissionDenied). Plans (name, budget)
// are the product everybody sells, so every reader sees all of them, also
// those a customer in scope may have without the portal offering it. Price
// lists are the matrix's Extent::Own for resellers: only the list their own
// portal uses, so one reseller never reads another's selected prices.
// Changing the catalogue is a later issue.
class CatalogueService final
{
    Q_DECLARE_TR_FUNCTIONS(CatalogueService)

public:
    CatalogueService(Database &db, AccessControl &access);

    // Every plan that is not archived, by name.
    Result<QList<PlanRow>> plans(const Session &session) const;
    // Every price list that is not archived, the default first, then by name
    // (a reseller: the one list its portal uses, none when there is none).
    // Prices only for plans that are not archived, by plan name.
    Result<QList<PriceListSummary>> priceLists(const Session &session) const;

    // The price list a new customer of this reseller gets: the reseller's
    // selected list, or the default ("channel") list; the default for a
    // direct account (resellerId 0). Allowed to whoever may add customers
    // for that reseller (ManageCustomers write, in scope) and to readers of
    // the catalogue. NotFound when no price list applies; a reseller out of
    // scope is NotFound too.
    Result<PriceListSummary> priceListForReseller(const Session &session, qint64 resellerId) const;

private:
    Result<PriceListSummary> summaryForReseller(qint64 resellerId) const;

    Database &m_db;
    AccessControl &m_access;
};

} // namespace rd
