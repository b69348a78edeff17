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

    // Rule 6: assigns each customer to the active target reseller, as an
    // additional assignment, or with endCurrentAssignments as the new owner
    // (every open assignment ended, the plan must be offered by the target).
    // Customers that cannot be cloned (not found, inactive, already assigned
    // to the target, plan not offered) are skipped and reported one by one;
    // the rest are committed in one transaction, one audit event per
    // customer sharing one batch id. InvalidInput for an empty selection or
    // a target that does not exist or is inactive.
    Result<CloneReport> cloneToReseller(const Session &session, const QList<qint64> &customerIds,
        qint64 targetResellerId, bool endCurrentAssignments);

    // Rule 7: makes targetResellerId (0: a direct account) the owner of the
    // customer read at expectedVersion, optionally with a new plan (0: keep
    // the current one), which the target must offer (any plan for a direct
    // account). Additional assignments stay; an additional assignment to the
    // target becomes its owner assignment. Returns the customer's new
    // version; Conflict when the version is stale (rule 14).
    Result<int> moveCustomer(const Session &session, qint64 customerId, int expectedVersion,
        qint64 targetResellerId, qint64 newPlanId);

    // Rule 8: after re-checking the administrator's password, turns an
    // active customer into its own reseller portal: the portal (named after
    // the customer, parent = its owning reseller) becomes the owner, the
    // primary user becomes its Reseller Admin and is invited by email
    // (unless the customer has "no email"). A customer migrates once.
    Result<MigrationResult> migrateToReseller(
        const Session &session, qint64 customerId, const QString &adminPassword);

private:
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
