#include "services/CatalogueService.h"

#include "services/AccessControl.h"
#include "services/Session.h"
#include "storage/ResellerRepository.h"

namespace rd {

CatalogueService::CatalogueService(Database &db, AccessControl &access)
    : m_db(db)
    , m_access(access)
{ }

Result<QList<PlanRow>> CatalogueService::plans(const Session &session) const
{
    if (Status allowed = m_access.require(session, Capability::Catalogue, Access::Read); !allowed)
        return fail(allowed.error());
    return CatalogueRepository(m_db).plans();
}

Result<QList<PriceListSummary>> CatalogueService::priceLists(const Session &session) const
{
    if (Status allowed = m_access.require(session, Capability::Catalogue, Access::Read); !allowed)
        return fail(allowed.error());
    if (PermissionMatrix::grant(Capability::Catalogue, session.role()).extent != Extent::All) {
        if (session.resellerId() <= 0)
            return fail(AccessControl::denied(Capability::Catalogue));
        Result<PriceListSummary> own = summaryForReseller(session.resellerId());
        if (!own) {
            if (own.error().code() == ErrorCode::NotFound)
                return QList<PriceListSummary> {};
            return fail(own.error());
        }
        return QList<PriceListSummary> {*own};
    }
    CatalogueRepository catalogue(m_db);
    Result<QList<PriceListRow>> lists = catalogue.priceLists();
    if (!lists)
        return fail(lists.error());
    QList<PriceListSummary> summaries;
    summaries.reserve(lists->size());
    for (const PriceListRow &list : std::as_const(*lists)) {
        Result<QList<std::pair<qint64, qint64>>> prices = catalogue.prices(list.id);
        if (!prices)
            return fail(prices.error());
        summaries.append(PriceListSummary {list, *prices});
    }
    return summaries;
}

Result<PriceListSummary> CatalogueService::priceListForReseller(
    const Session &session, qint64 resellerId) const
{
    // Readers of the catalogue, or whoever may add customers for the portal.
    Status allowed
        = m_access.requireForReseller(session, Capability::Catalogue, Access::Read, resellerId);
    if (!allowed) {
        if (Status adds = m_access.requireForReseller(
                session, Capability::ManageCustomers, Access::Write, resellerId);
            !adds)
            return fail(allowed.error());
    }
    return summaryForReseller(resellerId);
}

Result<PriceListSummary> CatalogueService::summaryForReseller(qint64 resellerId) const
{
    CatalogueRepository catalogue(m_db);
    qint64 priceListId = 0;
    if (resellerId != 0) {
        Result<ResellerRow> reseller = ResellerRepository(m_db).find(resellerId);
        if (!reseller) {
            if (reseller.error().code() == ErrorCode::NotFound)
                return fail(AccessControl::resellerNotVisible());
            return fail(reseller.error());
        }
        if (reseller->pricing == PricingMode::Selected)
            priceListId = reseller->priceListId;
    }
    Result<PriceListRow> list = [&]() -> Result<PriceListRow> {
        if (priceListId != 0)
            return catalogue.priceList(priceListId);
        Result<std::optional<PriceListRow>> channel = catalogue.defaultPriceList();
        if (!channel)
            return fail(channel.error());
        if (!channel->has_value())
            return fail(ErrorCode::NotFound,
                tr("There is no default price list yet. An administrator needs to mark one as "
                   "the default."),
                QStringLiteral("priceList"));
        return **channel;
    }();
    if (!list)
        return fail(list.error());
    Result<QList<std::pair<qint64, qint64>>> prices = catalogue.prices(list->id);
    if (!prices)
        return fail(prices.error());
    return PriceListSummary {*list, *prices};
}

} // namespace rd
