#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include "domain/Error.h"
#include "storage/AuditRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/ResellerRepository.h"

namespace rd {

class Database;

// What Clone, Move and Migrate (rules 6-8) read about a customer: the
// columns they check and change, the names their dialogs and reports show,
// and whether a portal was already made from it.
struct TransferCustomer
{
    qint64 id = 0;
    QString companyName;
    QString contactName;
    qint64 planId = 0;
    QString planName;
    qint64 priceListId = 0;
    QString priceListName;
    qint64 ownerResellerId = 0; // 0: a direct account
    QString ownerResellerName;  // empty for a direct account
    qint64 primaryUserId = 0;   // 0: none recorded
    QString primaryUserEmail;   // the primary user's login, empty when none
    bool primaryUserArchived = false;
    bool active = true;
    bool noEmail = false;
    QDateTime migratedAt; // invalid: not migrated
    qint64 portalId = 0;  // the reseller whose origin_customer_id is this customer, else 0
    int version = 1;
};

// A reseller as a transfer target, with the pricing its customers get.
struct TransferReseller
{
    qint64 id = 0;
    QString name;
    bool active = true;    // false when deactivated
    bool archived = false; // archived resellers take no customers either
    PricingMode pricing = PricingMode::Channel;
    qint64 priceListId = 0; // the selected list; 0 with channel pricing
};

// The SQL behind TransferService: bulk lookups of customers and their open
// assignments, ending assignments (rows are kept as history) and setting a
// customer's owner, plan and migration time, version-checked (rule 14). Call
// the writing functions inside a WriteTransaction.
class TransferRepository final
{
    Q_DECLARE_TR_FUNCTIONS(TransferRepository)

public:
    explicit TransferRepository(Database &db);

    // Inside a write transaction: keeps other connections from changing
    // these customers until it ends, so what is read afterwards stays true
    // until commit (two administrators migrating or moving the same customer
    // at once: the second waits, then sees the first one's result).
    // PostgreSQL: SELECT ... FOR UPDATE in id order; SQLite: nothing to do,
    // BEGIN IMMEDIATE already serialises writers.
    Status lockCustomers(const QList<qint64> &ids);

    // The not archived customers among ids, by id; ids that do not exist or
    // are archived are absent. Any number of ids (queried in chunks).
    Result<QHash<qint64, TransferCustomer>> customers(const QList<qint64> &ids) const;
    Result<std::optional<TransferCustomer>> customer(qint64 id) const;
    // customers() with only what Clone checks and records filled in: id,
    // company, plan and price list (with names), owner id, active,
    // version. Fewer joins: cheaper for a thousand customers.
    Result<QHash<qint64, TransferCustomer>> customersToClone(const QList<qint64> &ids) const;

    // The open (not ended) assignments of these customers, by customer id,
    // each list ordered by assigned_at, id. Any number of ids.
    Result<QHash<qint64, QList<AssignmentRow>>> openAssignments(
        const QList<qint64> &customerIds) const;

    // The reseller, or nothing when it does not exist.
    Result<std::optional<TransferReseller>> reseller(qint64 id) const;
    // The names of these resellers (for audit records), by id.
    Result<QHash<qint64, QString>> resellerNames(const QList<qint64> &ids) const;

    // Ends these assignments (ended_at, ended_by; never before they started)
    // and returns how many were still open and are now ended. The rows stay
    // as history.
    Result<int> endAssignments(const QList<qint64> &assignmentIds, const QDateTime &at, qint64 by);

    // Sets the owner scope column (0: a direct account), the plan and the
    // price list, and with a valid migratedAt also customers.migrated_at, if
    // the row still has expectedVersion; increments the version and returns
    // it. ErrorCode::Conflict when the row changed, NotFound when it is gone.
    Result<int> setOwnership(qint64 customerId, int expectedVersion, qint64 ownerResellerId,
        qint64 planId, qint64 priceListId, const QDateTime &updatedAt,
        const QDateTime &migratedAt = {});

    // The set-based writes of a bulk Clone: a few multi-row statements for
    // any number of customers instead of several statements per customer.

    // Inserts one open assignment of these customers to the reseller, of
    // this kind, assigned at/by; returns the new assignment ids by customer
    // id. Multi-row INSERTs of up to 500 rows each.
    Result<QHash<qint64, qint64>> addAssignments(const QList<qint64> &customerIds,
        qint64 resellerId, AssignmentKind kind, const QDateTime &at, qint64 by);
    // Sets the owner scope column of these (not archived) customers and,
    // when priceListId is positive, their price list; increments their
    // versions and returns the new version by customer id (a customer
    // missing from the result was archived or deleted meanwhile). The
    // caller compares the versions with the ones it read (rule 14).
    Result<QHash<qint64, int>> setOwners(const QList<qint64> &customerIds, qint64 ownerResellerId,
        qint64 priceListId, const QDateTime &updatedAt);
    // Appends these audit events in multi-row INSERTs (the columns and
    // values of AuditRepository::append, rows built by AuditLog::eventFor).
    Status appendAuditEvents(const QList<AuditEventRow> &events);

private:
    Database &m_db;
};

} // namespace rd
