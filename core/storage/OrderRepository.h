#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Database;

// One order (rule 13): a quantity of a plan at the customer's price-list
// price, with the placing reseller's commission and its parent's override.
// Money is integer minor units of currency; rates are basis points.
struct OrderRow
{
    qint64 id = 0;
    qint64 customerId = 0;
    qint64 resellerId = 0;       // the placing reseller; 0 for a direct order
    qint64 parentResellerId = 0; // its parent, which earns the override; 0 when none
    qint64 planId = 0;
    qint64 priceListId = 0;
    int quantity = 1;
    QString currency; // ISO 4217, e.g. "EUR"
    qint64 unitPrice = 0;
    qint64 total = 0;
    int commissionRateBp = 0;
    qint64 commission = 0;
    int overrideRateBp = 0;
    qint64 overrideCommission = 0;
    bool cancelled = false;
    QDateTime createdAt;
    qint64 createdBy = 0;
    qint64 impersonatorUserId = 0;
    int version = 1;
};

// An order as a customer's order list shows it.
struct OrderListRow
{
    qint64 id = 0;
    QDateTime createdAt;
    QString planName;
    int quantity = 1;
    qint64 total = 0;
    QString currency;
    bool cancelled = false;
};

// Orders. Written by the orders service (and the demo data); read here for
// the client view.
class OrderRepository final
{
    Q_DECLARE_TR_FUNCTIONS(OrderRepository)

public:
    explicit OrderRepository(Database &db);

    Result<qint64> insert(const OrderRow &order);

    // The customer's newest orders first (ties by id), at most limit, with
    // the plan's name (archived plans included).
    Result<QList<OrderListRow>> recentForCustomer(qint64 customerId, int limit) const;

private:
    Database &m_db;
};

} // namespace rd
