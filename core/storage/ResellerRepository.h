#pragma once

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

private:
    Database &m_db;
};

} // namespace rd
