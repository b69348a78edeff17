#pragma once

#include <expected>

#include <QCoreApplication>
#include <QList>
#include <QString>

#include "domain/Error.h"
#include "domain/Permission.h"
#include "domain/TrialPolicy.h"
#include "storage/AuditRepository.h"
#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/UserRepository.h"

namespace rd {

class AccessControl;
class Clock;
class ConnectionProfile;
class Database;
class EmailAddress;
class Session;

// What the Add Customer wizard collects.
struct NewCustomer
{
    QString companyName;
    QString website; // optional; normalised to a bare domain
    QString contactName;
    QString contactEmail;                       // becomes the primary user's login (Client Admin)
    QString contactPhone;                       // optional; normalised to E.164
    QString phoneRegion = QStringLiteral("US"); // for numbers typed without +country
    qint64 resellerId = 0;                      // 0: a direct account (administrators only)
    qint64 planId = 0;
    qint64 priceListId = 0; // 0: the reseller's pricing; only administrators may choose
    bool trial = true;
    bool sendSetupEmail = true;
    bool noEmail = false;
};

// The fields of a customer that Edit changes. The contact email is the
// primary user's login and is not changed here.
struct CustomerEdit
{
    QString companyName;
    QString website;
    QString contactName;
    QString contactPhone;
    QString phoneRegion = QStringLiteral("US");
    bool noEmail = false;
};

// The fields of a NewCustomer that rule 2 accepted, normalised.
struct CheckedCustomerFields
{
    QString companyName;
    QString domain; // DomainName::ascii(), empty when none
    QString contactName;
    QString email;    // as typed, trimmed
    QString emailKey; // EmailAddress::key()
    QString phone;    // E.164, empty when none
};

// Where a new customer goes and on which plan and price list (rule 3).
struct CustomerPlacement
{
    qint64 resellerId = 0; // 0: a direct account
    QString resellerName;
    PlanRow plan;
    PriceListRow priceList;
};

struct CreatedCustomer
{
    qint64 customerId = 0;
    qint64 primaryUserId = 0;
    qint64 setupEmailId = 0; // 0 when no setup email was requested
    QStringList warnings;    // e.g. the domain is used by another customer
};

// Everything the customer detail panel shows. audit is empty (and
// auditVisible false) when the session may not read the audit log (§3
// "audit log, outbox"): Administrators and Support see the trail of every
// customer; a Reseller Admin ("own portal") that of the customers in its
// scope, i.e. every customer whose detail it may open, with all of that
// customer's events; Reseller Managers and Users and clients never. users
// is shown to whoever may see the customer.
struct CustomerDetail
{
    CustomerRow customer;
    QString ownerResellerName; // empty for a direct account
    QString planName;
    int planMonthlyBudget = 0;
    QString priceListName;
    QString priceListCurrency;
    qint64 monthlyPriceMinor = -1; // the plan's price on the customer's list; -1 when none
    bool setupPending = false;     // the primary user has not chosen a password yet
    QList<AssignmentHistoryRow> assignments; // newest first, ended ones included
    QList<UserListRow> users;                // the memberships of this client account
    bool auditVisible = false;
    QList<AuditListRow> audit; // events of this customer, newest first, at most 500
};

// The most audit events CustomerDetail carries.
inline constexpr int DetailAuditLimit = 500;

struct CustomerPage
{
    QList<CustomerListRow> rows;
    qint64 total = 0;
};

// Customers: onboarding (rules 1-5) and scoped reads. Every call checks the
// section 3 matrix and the section 1 scope through AccessControl, writes in
// one transaction with its audit events, and changes nothing on error.
class CustomerService final
{
    Q_DECLARE_TR_FUNCTIONS(CustomerService)

public:
    // The trial rules follow the shared settings (SettingsService); a trial
    // setting never saved there falls back to trialPolicy.
    CustomerService(
        Database &db, const Clock &clock, AccessControl &access, TrialPolicy trialPolicy = {});

    Result<CreatedCustomer> addCustomer(const Session &session, const NewCustomer &input);

    // The checks of addCustomer, one by one, for bulk import.
    // Rule 2 for the typed fields: every problem found (not only the first),
    // each naming its field. Reads nothing from the database.
    static std::expected<CheckedCustomerFields, QList<Error>> checkFields(const NewCustomer &input);
    // May the session add customers to this portal (ManageCustomers write;
    // a reseller membership only to its own, 0 meaning its own; a direct
    // account only with the "all" extent)? Returns the reseller id to use.
    Result<qint64> checkPortal(const Session &session, qint64 resellerId) const;
    // Rule 3 for a portal checkPortal accepted: the reseller exists and is
    // active, offers the plan, and the price list (the reseller's unless an
    // administrator chooses one) prices it.
    Result<CustomerPlacement> checkPlacement(
        const Session &session, qint64 resellerId, qint64 planId, qint64 priceListId) const;
    // Rule 1: the message for an email already used by a login, naming the
    // conflict as far as the session may see it and suggesting a +alias.
    Error duplicateEmailError(
        const Session &session, const EmailAddress &email, const QString &companyName) const;
    // Rule 4 with the shared settings (SettingsRepository, read at each
    // call so a change on another desktop applies at once); keys not stored
    // yet come from the policy given to the constructor.
    Result<TrialPolicy> currentTrialPolicy() const;

    // Rule 3: the plans the Add Customer wizard may offer for this reseller
    // (0: a direct account, every plan, administrators only).
    Result<QList<PlanRow>> plansFor(const Session &session, qint64 resellerId) const;

    // Rule 2: how many other customers already use this website domain (a
    // warning to confirm, not an error). Invalid input is an error.
    Result<int> domainUseCount(const Session &session, const QString &website) const;

    Result<CustomerRow> customer(const Session &session, qint64 customerId) const;

    // The detail panel: the customer (SeeCustomers, in scope), its
    // assignment history, its users and, for sessions that may read the
    // audit log, its audit trail.
    Result<CustomerDetail> customerDetail(const Session &session, qint64 customerId) const;

    // Each change below applies only to expectedVersion (rule 14: a stale
    // one gets ErrorCode::Conflict), returns the new version and writes one
    // audit event in the same transaction.
    Result<int> editCustomer(
        const Session &session, qint64 customerId, int expectedVersion, const CustomerEdit &edit);
    Result<int> changePlan(
        const Session &session, qint64 customerId, int expectedVersion, qint64 planId);
    // Administrators only (§3 "plans, price lists": write): moves the
    // customer to another price list, which must price the customer's plan
    // (InvalidInput on field "priceList" otherwise). The same list again
    // changes nothing.
    Result<int> changePriceList(
        const Session &session, qint64 customerId, int expectedVersion, qint64 priceListId);
    Result<int> setActive(const Session &session, qint64 customerId, int expectedVersion,
        bool active, const QString &reason);
    Result<int> archive(
        const Session &session, qint64 customerId, int expectedVersion, const QString &reason);

    // Rule 5: a new setup email with a new one-time code for the primary
    // user, replacing any unsent one. Sent even with the "no email" flag,
    // since it is asked for explicitly; refused once the client has chosen
    // a password. Returns the outbox id.
    Result<qint64> resendSetupEmail(const Session &session, qint64 customerId);

    // Rule 4: trials.
    Result<int> convertToPaid(const Session &session, qint64 customerId, int expectedVersion);
    Result<int> extendTrial(const Session &session, qint64 customerId, int expectedVersion,
        int days, const QString &reason);
    Result<int> raiseTrialBudget(const Session &session, qint64 customerId, int expectedVersion,
        int newBudget, const QString &reason);

    // A page of the customers the session may see; the scope fields of the
    // query are set from the session, whatever the caller put there.
    Result<CustomerPage> listCustomers(const Session &session, CustomerQuery query) const;

    // Paging through every customer the session may see, however many
    // (the windowed customer table). Each call is scoped and filtered like
    // listCustomers; the order is total: (sort value, id) in the query's
    // direction, NULL sort values first ascending and last descending
    // (CustomerKey). query.offset and query.limit are ignored; `limit` is
    // capped at MaxKeysetRows.
    static constexpr int MaxKeysetRows = 500;
    // How many rows the query has.
    Result<qint64> countCustomers(const Session &session, CustomerQuery query) const;
    // Up to `limit` rows strictly after `after`, in order; the first page
    // when `after` is empty.
    Result<QList<CustomerListRow>> customersAfter(const Session &session, CustomerQuery query,
        const std::optional<CustomerKey> &after, int limit) const;
    // Up to `limit` rows strictly before `before`, in order; the last page
    // when `before` is empty (a reverse query: the end costs no more than
    // the start).
    Result<QList<CustomerListRow>> customersBefore(const Session &session, CustomerQuery query,
        const std::optional<CustomerKey> &before, int limit) const;
    // Up to `limit` rows from row `offset` (OFFSET: it reads the rows before
    // it, so only for a jump with no neighbouring key, e.g. the scroll bar).
    Result<QList<CustomerListRow>> customersAtRow(
        const Session &session, CustomerQuery query, qint64 offset, int limit) const;
    // The row index of the customer in the query's order (how many rows
    // come before it), or nothing when the query does not include it.
    Result<std::optional<qint64>> customerPosition(
        const Session &session, CustomerQuery query, qint64 customerId) const;
    // Jump points (CustomerRepository::anchorKeys): of the next `rows` rows
    // after `after`, the key of every `every`-th one, scoped like the rest.
    Result<QList<CustomerKey>> customerAnchors(const Session &session, CustomerQuery query,
        const std::optional<CustomerKey> &after, int rows, int every) const;
    // The database this service reads and its clock, so a worker thread can
    // open its own connection (password included: never log it) and stamp
    // its reads with this clock's time (read on the caller's thread only).
    const ConnectionProfile &databaseProfile() const;
    const Clock &clock() const noexcept { return m_clock; }

private:
    // SeeCustomers, and the session's scope and the current time written
    // into the query, whatever the caller put there.
    Status scopeQuery(const Session &session, CustomerQuery &query) const;
    // Permission, scope and version checks shared by every change.
    Result<CustomerRow> loadForChange(const Session &session, Capability capability,
        qint64 customerId, int expectedVersion) const;
    Result<QString> checkReason(const QString &reason, bool required) const;
    Status queueTrialReminder(
        const Session &session, const CustomerRow &customer, const TrialPolicy &policy);
    // Inside the caller's transaction: the version-checked update and its
    // audit event (only the fields that changed). Returns the new version.
    Result<int> saveWithAudit(const Session &session, const CustomerRow &before, CustomerRow after,
        const QString &action, const QString &reason);

    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
    TrialPolicy m_trialPolicy;
};

} // namespace rd
