#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>

#include "domain/Error.h"

namespace rd {

class Database;

enum class BillingStatus { Trial, Paid };
enum class AssignmentKind { Owner, Additional };

struct CustomerRow
{
    qint64 id = 0;
    QString companyName;
    QString domain; // normalised (DomainName::ascii()), empty when none
    QString contactName;
    QString contactEmail;
    QString contactPhone; // E.164, empty when none
    qint64 planId = 0;
    qint64 priceListId = 0;
    qint64 ownerResellerId = 0; // 0: a direct account
    qint64 primaryUserId = 0;
    BillingStatus billingStatus = BillingStatus::Trial;
    QDateTime trialEndsAt;
    int trialBudget = 0;
    QDateTime convertedAt;
    qint64 convertedBy = 0;
    bool active = true;
    bool noEmail = false;
    QDateTime createdAt;
    qint64 createdBy = 0;
    QDateTime updatedAt;
    int version = 1;
};

struct AssignmentRow
{
    qint64 id = 0;
    qint64 customerId = 0;
    qint64 resellerId = 0;
    AssignmentKind kind = AssignmentKind::Additional;
    QDateTime assignedAt;
    qint64 assignedBy = 0;
    QDateTime endedAt;
    qint64 endedBy = 0;
    int version = 1;
};

enum class CustomerSort { Company, Domain, Contact, Email, Reseller, Plan, TrialEnds, Created };

// The status filter of the customer table. Trial: on trial, active, the
// trial still running at CustomerQuery::now; TrialExpired: on trial, active,
// ended at or before now; Active: paid and active; Inactive: deactivated,
// whatever the billing status.
enum class CustomerStatusFilter { Any, Trial, TrialExpired, Active, Inactive };

// Which customers a page may contain. The scope is part of the SQL, never
// filtered afterwards: a reseller's query cannot return another's customers.
struct CustomerQuery
{
    enum class Scope { All, Reseller, Customer };
    Scope scope = Scope::All;
    qint64 scopeId = 0; // the reseller (open assignments) or the customer
    QString search; // company, domain, contact or email containing it (1-2 chars: starting with)
    // Only customers with an open assignment (owner or additional) to this
    // reseller; 0 means direct accounts (no owner); empty: no filter. It
    // narrows the scope above, never widens it.
    std::optional<qint64> resellerFilter;
    CustomerStatusFilter status = CustomerStatusFilter::Any;
    qint64 planFilter = 0; // 0: any plan
    QDateTime now;         // for the trial filters; set by the service
    CustomerSort sort = CustomerSort::Company;
    bool ascending = true;
    int offset = 0;
    int limit = 200;
};

struct CustomerListRow
{
    qint64 id = 0;
    QString companyName;
    QString domain;
    QString contactName;
    QString contactEmail;
    qint64 ownerResellerId = 0;
    QString ownerResellerName;
    QString otherResellerNames; // additional open assignments, comma-separated
    qint64 planId = 0;
    QString planName;
    QString priceListName;
    int monthlyBudget = 0;
    BillingStatus billingStatus = BillingStatus::Trial;
    bool active = true;
    QDateTime trialEndsAt;
    int trialBudget = 0;
    QDateTime createdAt;
    int version = 1;
    // The row's value of the query's sort expression as the database
    // compares it (lower-cased text on PostgreSQL; NULL for a missing
    // domain, reseller or trial end): with id, its key for keyset paging.
    QVariant sortKey;
};

// A position in the order of a CustomerQuery: (sort value, id). The order
// is total: by the sort value (text case-insensitively: COLLATE NOCASE on
// SQLite, lower() on PostgreSQL), then by id, in the query's direction;
// NULL sort values come first ascending and last descending on both
// dialects (NULL is the smallest value).
struct CustomerKey
{
    QVariant sortValue;
    qint64 id = 0;

    static CustomerKey of(const CustomerListRow &row) { return {row.sortKey, row.id}; }
};

// One assignment with the names a history view shows.
struct AssignmentHistoryRow
{
    qint64 resellerId = 0;
    QString resellerName;
    AssignmentKind kind = AssignmentKind::Additional;
    QDateTime assignedAt;
    QString assignedByName; // empty when unknown (e.g. imported)
    QDateTime endedAt;      // invalid while open
    QString endedByName;
};

// The names and figures shown next to one customer, archived plans and
// price lists included.
struct CustomerLabels
{
    QString ownerResellerName; // empty for a direct account
    QString planName;
    int planMonthlyBudget = 0;
    QString priceListName;
    QString priceListCurrency;
    std::optional<qint64> monthlyPriceMinor; // the plan's price on the list, if it has one
};

// Customers (client accounts) and their reseller assignments.
class CustomerRepository final
{
    Q_DECLARE_TR_FUNCTIONS(CustomerRepository)

public:
    explicit CustomerRepository(Database &db);

    Result<qint64> insert(const CustomerRow &customer);
    Result<CustomerRow> find(qint64 id) const;
    // Applies only if the row still has customer.version (rule 14); returns
    // the new version, or ErrorCode::Conflict ("changed by someone else").
    Result<int> update(const CustomerRow &customer);

    // Archives (never deletes) the customer, version-checked; returns the
    // new version.
    Result<int> archive(qint64 id, int expectedVersion, const QDateTime &at);

    // Other customers using this domain (a warning, not an error: rule 2).
    Result<QList<qint64>> idsWithDomain(const QString &domain, qint64 exceptId = 0) const;

    // The scope, search and filters of the query are all part of the SQL,
    // with bound values.
    Result<QList<CustomerListRow>> page(const CustomerQuery &query) const;
    // Unfiltered views are counted without reading every row (keptCount).
    Result<qint64> count(const CustomerQuery &query) const;

    // Keyset pages for large tables, in the order CustomerKey describes,
    // filtered exactly like page(); query.offset and query.limit are
    // ignored. Up to `limit` rows strictly after `after` (from the first row
    // when empty), in order.
    Result<QList<CustomerListRow>> pageAfter(
        const CustomerQuery &query, const std::optional<CustomerKey> &after, int limit) const;
    // Up to `limit` rows strictly before `before` (the last rows when empty),
    // in order (the query runs in reverse and its rows are turned around).
    Result<QList<CustomerListRow>> pageBefore(
        const CustomerQuery &query, const std::optional<CustomerKey> &before, int limit) const;
    // How many rows of the query come before the customer, or nothing when
    // the query does not include it.
    Result<std::optional<qint64>> position(const CustomerQuery &query, qint64 customerId) const;
    // Anchors for jumps: of the next `rows` rows strictly after `after` (from
    // the first row when empty), in the order CustomerKey describes, the
    // keys of every `every`-th one (the every-th, the 2·every-th, …), read in
    // one pass over the sort index with row_number(). Fewer than
    // rows / every keys means the query has no more rows.
    Result<QList<CustomerKey>> anchorKeys(const CustomerQuery &query,
        const std::optional<CustomerKey> &after, int rows, int every) const;

    Result<qint64> insertAssignment(const AssignmentRow &assignment);
    Result<QList<AssignmentRow>> assignments(qint64 customerId) const;
    // Every assignment of the customer, ended ones included, newest first,
    // with the names of the reseller and of who assigned and ended it.
    Result<QList<AssignmentHistoryRow>> assignmentHistory(qint64 customerId) const;
    // NotFound when the customer does not exist or is archived.
    Result<CustomerLabels> labels(qint64 customerId) const;

private:
    // The query with a reseller that sees every customer (customer_scope
    // 'all') turned into Scope::All, as whereClause() needs it.
    Result<CustomerQuery> resolveScope(CustomerQuery query) const;
    // The count of an unfiltered view without counting rows: the counters
    // of migration 4 (every live customer, the direct accounts) or one
    // reseller's open assignments. Nothing when the query filters more.
    Result<std::optional<qint64>> keptCount(const CustomerQuery &query) const;

    Database &m_db;
};

} // namespace rd
