#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

#include "domain/Error.h"
#include "storage/ResellerRepository.h"

namespace rd {

class AccessControl;
class Clock;
class Database;
class Session;

// What an administrator enters for a reseller portal (add and edit).
struct ResellerInput
{
    QString name;             // trimmed; 1..TextLimits::ResellerName, unique ignoring case
    qint64 parentId = 0;      // 0: a top-level reseller
    int commissionRateBp = 0; // 0..10000 basis points
    int overrideRateBp = 0;   // what the parent earns on this portal's orders
    CustomerScope customerScope = CustomerScope::Assigned;
    PricingMode pricing = PricingMode::Channel;
    qint64 priceListId = 0; // required with PricingMode::Selected, ignored with Channel
    QList<qint64> planIds;  // at least one existing, not archived plan
};

// A reseller as a list or detail view shows it.
struct ResellerSummary
{
    qint64 id = 0;
    QString name;
    qint64 parentId = 0;
    QString parentName;
    bool active = true;
    int customerCount = 0;   // open assignments, owner or additional
    int activeCustomers = 0; // of those, active customers
    int trialCustomers = 0;  // of those, customers on trial
    int commissionRateBp = 0;
    int overrideRateBp = 0;
    CustomerScope customerScope = CustomerScope::Assigned;
    PricingMode pricing = PricingMode::Channel;
    qint64 priceListId = 0;
    QString priceListName;
    QList<qint64> planIds; // ascending
    int version = 1;
};

// Reseller portals: who sees which (§3 "see resellers"), and adding,
// editing, deactivating and reactivating them (administrators only). Each
// change is one transaction with its audit event (rule 12), checked against
// the version that was read (rule 14); nothing is ever deleted (rule 11).
class ResellerService final
{
    Q_DECLARE_TR_FUNCTIONS(ResellerService)

public:
    ResellerService(Database &db, const Clock &clock, AccessControl &access);

    // The resellers the session may see, ordered by name: all for vendor
    // staff, the own portal and its direct sub-portals for a Reseller Admin,
    // the own portal for other reseller roles. PermissionDenied for clients.
    Result<QList<ResellerSummary>> listResellers(const Session &session) const;
    // One reseller; NotFound when it does not exist or is out of scope.
    Result<ResellerSummary> reseller(const Session &session, qint64 id) const;

    // Returns the new reseller's id.
    Result<qint64> addReseller(const Session &session, const ResellerInput &input);
    // Returns the new version; Conflict when expectedVersion is stale. An
    // edit that changes nothing writes nothing and returns the version.
    Result<int> editReseller(
        const Session &session, qint64 id, int expectedVersion, const ResellerInput &input);
    // Deactivates (reason required) or reactivates; returns the new version.
    // Setting the state the reseller already has writes nothing.
    Result<int> setActive(
        const Session &session, qint64 id, int expectedVersion, bool active, const QString &reason);

    // The plans the reseller offers, ascending by id.
    Result<QList<qint64>> offeredPlans(const Session &session, qint64 resellerId) const;

private:
    // The input trimmed and tidied (plans sorted, no price list with channel
    // pricing), or the first rule it breaks that needs no database.
    Result<ResellerInput> normalized(const ResellerInput &input) const;
    // The rules that need the database (unique name, parent, price list,
    // plans), for the reseller selfId (0 when adding) whose parent is now
    // currentParentId.
    Status checkAgainstDatabase(
        const ResellerInput &input, qint64 selfId, qint64 currentParentId) const;
    Status checkParent(qint64 parentId, qint64 selfId, qint64 currentParentId) const;
    // The SQL filter of what the session may see (§3 "see resellers").
    Result<ResellerListFilter> visibleTo(const Session &session) const;

    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
};

} // namespace rd
