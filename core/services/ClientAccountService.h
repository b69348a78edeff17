#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"
#include "domain/Role.h"

namespace rd {

class AccessControl;
class Clock;
class Database;
class Session;
struct CustomerRow;

// The status a client account shows, in the words of the customer table.
enum class ClientAccountStatus {
    Trial,        // on trial, the trial running
    TrialExpired, // on trial, the trial ended
    Active,       // paid and active
    Inactive,     // deactivated (whatever the billing status)
};

// One login of the account, as the client view lists it.
struct ClientAccountUser
{
    qint64 userId = 0;
    QString name;
    QString email;
    Role role = Role::ClientUser;
    bool active = true; // the membership
    QDateTime lastLoginAt;
};

// One of the account's recent orders.
struct ClientOrder
{
    qint64 id = 0;
    QDateTime placedAt;
    QString planName;
    int quantity = 1;
    qint64 totalMinor = 0; // minor units of currency
    QString currency;
    bool cancelled = false;
};

// What a client may change about its own account. The contact email is the
// primary user's login and is not changed here (rule 9: never while
// impersonated either).
struct ClientSettings
{
    QString contactName;
    QString contactPhone;                       // optional; normalised to E.164
    QString phoneRegion = QStringLiteral("US"); // for numbers typed without +country
    bool noEmail = false;                       // no notification mails (rule 5)
};

// Everything the client view shows.
struct ClientDashboard
{
    qint64 customerId = 0;
    QString companyName;
    QString domain;
    QString planName;
    ClientAccountStatus status = ClientAccountStatus::Trial;
    bool active = true;
    bool trial = true;     // billing status trial (running or expired)
    QDateTime trialEndsAt; // invalid for a paid account
    int trialDaysLeft = 0; // whole days, partial days up; 0 when ended or paid
    int monthlyBudget = 0; // the trial budget on trial, else the plan's
    int usedThisMonth = 0; // 0 when metering reported nothing yet
    QDate usageMonth;      // the first day of the clock's UTC month
    QString usageMonthKey; // "YYYY-MM"
    QList<ClientAccountUser> users;
    QList<ClientOrder> recentOrders; // newest first, at most RecentOrderLimit
    ClientSettings settings;         // the stored values (phone in E.164)
    QString contactEmail;
    int version = 1;                // the customer's, for updateSettings (rule 14)
    bool canEditSettings = false;   // updateSettings would be allowed for this session
    QString settingsReadOnlyReason; // why not, for the user; empty when allowed
};

inline constexpr int RecentOrderLimit = 10;

// One row the usage import refused, with its line in the file.
struct UsageImportRefusal
{
    int line = 0;
    QString message;
};

struct UsageImportReport
{
    bool dryRun = true;
    int rowsRead = 0; // data rows, the header not counted
    int imported = 0; // in a dry run: the rows that would be imported
    QList<UsageImportRefusal> refused;
    QString batchId; // the audit batch; empty in a dry run or when nothing was imported
};

// The client view (§5 "Client view"): a client's own account, what it may
// change about it, and the metering system's monthly usage import. Every
// call checks the section 3 matrix and the scope through AccessControl;
// every change is one transaction with its audit events.
class ClientAccountService final
{
    Q_DECLARE_TR_FUNCTIONS(ClientAccountService)

public:
    ClientAccountService(Database &db, const Clock &clock, AccessControl &access);

    // §3 "see customers" for that customer: a client its own account, staff
    // every account, resellers their scope (others get NotFound).
    Result<ClientDashboard> dashboard(const Session &session, qint64 customerId) const;

    // The account's Client Admin (also while impersonated: the audit event
    // records the impersonator) and roles that may edit the customer (§3
    // "add customer, edit": Administrator, Reseller Admin in scope). Applies
    // only to expectedVersion (rule 14: Conflict otherwise); returns the new
    // version. Validation errors name the field ("contactName",
    // "contactPhone") and change nothing.
    Result<int> updateSettings(const Session &session, qint64 customerId, int expectedVersion,
        const ClientSettings &settings);

    // Administrators only (§3 "plans, price lists, settings": write). A CSV
    // export of the metering system: a header with customer_id (or domain),
    // month (YYYY-MM) and used, in any order, extra columns ignored; UTF-8,
    // a BOM allowed. Rows with errors are refused one by one with their line
    // number; the valid ones are upserted in one transaction (not in a dry
    // run) with one audit event each, sharing a batch id. A malformed file
    // (no header, a missing column, not UTF-8, broken quoting) is one error
    // and imports nothing.
    Result<UsageImportReport> importUsageCsv(
        const Session &session, const QByteArray &csv, bool dryRun);

    // The status of an account at a time.
    static ClientAccountStatus statusOf(const CustomerRow &customer, const QDateTime &now);

private:
    // Whether the session may change the account's client settings (after
    // the read check passed).
    Status mayEditSettings(const Session &session, const CustomerRow &customer) const;

    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
};

} // namespace rd
