#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

#include "domain/Error.h"

namespace rd {

class AccessControl;
class Authenticator;
class Clock;
class Database;
class Session;
struct TransferCustomer;

// A customer Clone left out, and why (translated, for the report shown to
// the administrator).
struct SkippedCustomer
{
    qint64 customerId = 0;
    QString companyName; // empty when the customer does not exist
    QString reason;
};

// What Clone did: the customers now assigned to the target, those left out,
// and the audit batch shared by the events of this call (empty when nothing
// was cloned).
struct CloneReport
{
    QList<qint64> cloned;
    QList<SkippedCustomer> skipped;
    QString batchId;
};

// How Clone (rule 6) assigns the customers to the target reseller.
struct CloneOptions
{
    // Hand ownership over: every open assignment of a cloned customer ends
    // (the rows stay as history, with their end) and the target becomes the
    // owner, which needs the target to offer the customer's plan (rule 7's
    // check; a customer whose plan it does not offer is skipped). Off: the
    // target is added as an additional reseller and the owner stays.
    bool endCurrentAssignments = false;
    // Put each cloned customer on the target's price list: the reseller's
    // selected list, or the default ("channel") list. A customer whose plan
    // that list does not price is skipped with the reason. The price list
    // goes with ownership (the owner's pricing applies), so switching needs
    // endCurrentAssignments: an additional reseller does not reprice a
    // customer someone else owns (InvalidInput, field "priceList",
    // otherwise). Off: every customer keeps its price list.
    bool switchToTargetPriceList = false;
};

// What Migrate (rule 8) makes of the customer.
struct MigrationOptions
{
    // The new portal's name, trimmed, unique among resellers ignoring case
    // (Duplicate, field "portal_name", when taken). Empty: named after the
    // company, or the first free "name (portal n)" when that is taken.
    QString portalName;
    // What the portal earns on its orders, 0..10000 basis points
    // (InvalidInput, field "commission_rate", outside).
    int commissionRateBp = 0;
};

// A customer as the Move, Clone and Migrate dialogs show it before the
// administrator confirms.
struct TransferCandidate
{
    qint64 id = 0;
    QString companyName;
    QString contactName;
    QString contactEmail; // the primary user's login; empty when there is none
    qint64 ownerResellerId = 0;
    QString ownerResellerName; // empty for a direct account
    qint64 planId = 0;
    QString planName;
    qint64 priceListId = 0;
    QString priceListName;
    bool active = true;
    bool noEmail = false;
    bool migrated = false; // a portal was made from it (rule 8: it migrates once)
    // Why migrateToReseller refuses this customer whatever is entered
    // (inactive, already migrated, nobody to run the portal); empty when it
    // may be migrated.
    QString migrationRefusal;
    int version = 1;
};

struct MigrationResult
{
    qint64 portalId = 0;     // the new reseller portal
    qint64 membershipId = 0; // the primary user's Reseller Admin membership of it
    qint64 invitationId = 0; // the queued portal invitation; 0 when the customer has "no email"
};

// Moving customers between resellers (§2 rules 6, 7 and 8; §3 "move, clone,
// migrate": Administrator only). Every call checks the matrix before it
// touches the database, validates everything before it writes, and writes
// in one transaction together with its audit events (rule 12). History is
// kept: an assignment that ends gets ended_at/ended_by and stays, and the
// customer's owner scope column always equals its open owner assignment.
class TransferService final
{
    Q_DECLARE_TR_FUNCTIONS(TransferService)

public:
    TransferService(
        Database &db, const Clock &clock, AccessControl &access, Authenticator &authenticator);

    // The customers among customerIds that exist (not archived), in the
    // order given, for the dialogs. Administrators only, like the changes.
    Result<QList<TransferCandidate>> candidates(
        const Session &session, const QList<qint64> &customerIds) const;
    // The name migrateToReseller gives the portal when none is entered: the
    // company name, or the first free variant of it.
    Result<QString> suggestedPortalName(const Session &session, qint64 customerId) const;

    // Rule 6: assigns each customer to the active target reseller, as an
    // additional assignment, or as the new owner (see CloneOptions), on its
    // own or the target's price list. Customers that cannot be cloned (not
    // found, inactive, already assigned to the target, plan not offered, not
    // priced on the target's list) are skipped and reported one by one; the
    // rest are committed in one transaction, one audit event per customer
    // (owner, plan, price list and assignments before and after) sharing one
    // batch id. InvalidInput for an empty selection, a target that does not
    // exist or is inactive, or options that do not fit together. Set-based
    // for bulk selections (issue 7: 1,000 customers in <= 100 ms): a few
    // queries read every customer and open assignment, the checks run in
    // memory, and the writes are multi-row statements (TransferRepository).
    Result<CloneReport> cloneToReseller(const Session &session, const QList<qint64> &customerIds,
        qint64 targetResellerId, const CloneOptions &options = {});

    // Rule 7: makes targetResellerId (0: a direct account) the owner of the
    // customer read at expectedVersion, optionally with a new plan (0: keep
    // the current one), which the target must offer (any plan for a direct
    // account). Additional assignments stay; an additional assignment to the
    // target becomes its owner assignment. Returns the customer's new
    // version; Conflict when the version is stale (rule 14).
    Result<int> moveCustomer(const Session &session, qint64 customerId, int expectedVersion,
        qint64 targetResellerId, qint64 newPlanId);

    // Rule 8: after re-checking the administrator's password (a wrong one
    // is PermissionDenied, field "password", and counts towards the
    // lock-out), turns an active customer into its own reseller portal: the
    // portal (named as options say, parent = its owning reseller, so the
    // owner keeps earning on it, with the commission rate given) becomes the
    // owner, the primary user becomes its Reseller Admin and is invited by
    // email (unless the customer has "no email"). A customer migrates once.
    // The options are checked before the password.
    Result<MigrationResult> migrateToReseller(const Session &session, qint64 customerId,
        const QString &adminPassword, const MigrationOptions &options = {});

private:
    // Why rule 8 refuses this customer whatever is entered; empty when not.
    static QString migrationRefusal(const TransferCustomer &customer);
    // The first free portal name for the company: the name itself, then
    // "name (portal)", "name (portal 2)", ... each within the length limit.
    Result<QString> portalName(const QString &companyName) const;
    // Rule 3 for a new owner: the plan must exist, be offered by the target
    // (any plan for a direct account, resellerId 0) and have a price on the
    // customer's price list.
    Status checkPlanFor(qint64 planId, qint64 resellerId, const QString &resellerName,
        const TransferCustomer &customer) const;

    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
    Authenticator &m_authenticator;
};

} // namespace rd
