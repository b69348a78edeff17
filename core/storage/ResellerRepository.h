#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Database;

enum class CustomerScope { Assigned, All };
enum class PricingMode { Channel, Selected };

struct ResellerRow
{
    qint64 id = 0;
    QString name;
    qint64 parentId = 0;
    int commissionRateBp = 0;
    int overrideRateBp = 0;
    CustomerScope customerScope = CustomerScope::Assigned;
    PricingMode pricing = PricingMode::Channel;
    qint64 priceListId = 0; // required when pricing is Selected
    qint64 originCustomerId = 0;
    bool active = true;
    QDateTime createdAt;
    qint64 createdBy = 0;
    QDateTime updatedAt;
    int version = 1;
};

// Which resellers overview() returns. The filter is part of the SQL, never
// applied afterwards.
struct ResellerListFilter
{
    qint64 portalId = 0;         // 0: every reseller; else this portal ...
    bool withSubPortals = false; // ... and, when true, its direct sub-portals
    qint64 resellerId = 0;       // when > 0: only this reseller (within the above)
};

// A reseller with what a list shows about it: names of its parent and price
// list, the plans it offers and counts of its customers (open assignments,
// owner or additional, of customers not archived).
struct ResellerOverviewRow
{
    ResellerRow reseller;
    QString parentName;
    QString priceListName;
    int customerCount = 0;
    int activeCustomers = 0; // of those, active
    int trialCustomers = 0;  // of those, on trial (billing status), active or not
    QList<qint64> planIds;   // ascending
};

// Reseller portals and the plans each one offers.
class ResellerRepository final
{
    Q_DECLARE_TR_FUNCTIONS(ResellerRepository)

public:
    explicit ResellerRepository(Database &db);

    Result<qint64> insert(const ResellerRow &reseller);
    Result<ResellerRow> find(qint64 id) const;
    // Applies only if the row still has reseller.version (rule 14); returns
    // the new version, or ErrorCode::Conflict.
    Result<int> update(const ResellerRow &reseller);

    Status setOfferedPlans(qint64 resellerId, const QList<qint64> &planIds);
    Result<QList<qint64>> offeredPlans(qint64 resellerId) const;

    // Not archived resellers passing the filter, ordered by name
    // (case-insensitive) then id; two queries whatever the number of rows.
    Result<QList<ResellerOverviewRow>> overview(const ResellerListFilter &filter) const;

    // The stored name of another reseller (id != exceptId) equal to name
    // ignoring case (Unicode case folding, done here rather than by SQL:
    // SQLite's NOCASE folds ASCII only); empty when there is none.
    Result<QString> nameInUse(const QString &name, qint64 exceptId = 0) const;

    // The name of a price list that exists and is not archived.
    Result<std::optional<QString>> priceListName(qint64 priceListId) const;

    // Those of planIds that are not an existing, not archived plan.
    Result<QList<qint64>> unknownPlans(const QList<qint64> &planIds) const;

private:
    Database &m_db;
};

} // namespace rd
