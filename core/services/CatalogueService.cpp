#include "services/CatalogueService.h"

#include "services/AccessControl.h"

namespace rd {

CatalogueService::CatalogueService(Database &db, AccessControl &access)
    : m_db(db)
    , m_access(access)
{ }

Result<QList<PlanRow>> CatalogueService::plans(const Session &) const
{
    return fail(ErrorCode::DatabaseError, QStringLiteral("not implemented yet"));
}

Result<QList<PriceListSummary>> CatalogueService::priceLists(const Session &) const
{
    return fail(ErrorCode::DatabaseError, QStringLiteral("not implemented yet"));
}

Result<PriceListSummary> CatalogueService::priceListForReseller(const Session &, qint64) const
{
    return fail(ErrorCode::DatabaseError, QStringLiteral("not implemented yet"));
}

} // namespace rd
