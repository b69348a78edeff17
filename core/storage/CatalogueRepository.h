#pragma once

#include <optional>
#include <utility>

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Database;

struct PlanRow
{
    qint64 id = 0;
    QString code;
    QString name;
    int monthlyBudget = 0; // identifications per month
    QDateTime createdAt;
    int version = 1;
};

struct PriceListRow
{
    qint64 id = 0;
    QString name;
    QString currency; // ISO 4217
    bool isDefault = false;
    QDateTime createdAt;
    int version = 1;
};

// Plans, price lists and their per-plan prices (integer minor units).
class CatalogueRepository final
{
    Q_DECLARE_TR_FUNCTIONS(CatalogueRepository)

public:
    explicit CatalogueRepository(Database &db);

    Result<qint64> insertPlan(const PlanRow &plan);
    Result<QList<PlanRow>> plans() const;

    Result<PlanRow> plan(qint64 planId) const;
    // Rule 3: the plans a reseller offers (non-archived), by name.
    Result<QList<PlanRow>> plansOfferedBy(qint64 resellerId) const;

    Result<qint64> insertPriceList(const PriceListRow &priceList);
    Result<PriceListRow> priceList(qint64 priceListId) const;
    // Price lists that are not archived: the default first, then by name.
    Result<QList<PriceListRow>> priceLists() const;
    Result<std::optional<PriceListRow>> defaultPriceList() const;
    Status setPrice(qint64 priceListId, qint64 planId, qint64 monthlyPriceMinor);
    Result<std::optional<qint64>> price(qint64 priceListId, qint64 planId) const;
    // The monthly prices of a list as (plan id, minor units), for plans that
    // are not archived, by plan name.
    Result<QList<std::pair<qint64, qint64>>> prices(qint64 priceListId) const;

private:
    Database &m_db;
};

} // namespace rd
