#pragma once

#include <atomic>
#include <functional>
#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include "domain/Error.h"
#include "storage/CustomerRepository.h"

namespace rd {

class AccessControl;
class Clock;
class ConnectionProfile;
class Database;
class Session;

enum class ExportFormat { Csv, Xlsx };

struct CustomerExportSummary
{
    qint64 rows = 0;        // customers written (so far, when cancelled)
    bool cancelled = false; // stopped by the cancel flag: no file was written
};

// Rows done so far and the total the query had when the export started (the
// total is a hint for a progress bar: rows added meanwhile may exceed it).
using ExportProgress = std::function<void(qint64 done, qint64 total)>;

// Writes the customers a session may see for a CustomerQuery (the customer
// table's search, filters and sort) to a CSV or XLSX file, in the table's
// order and with its columns. Rows are read a keyset page at a time through
// CustomerService::customersAfter, so memory stays bounded at a million rows
// and the scope is the service's: whoever may see customers exports exactly
// those they may see. The file appears complete or not at all: CSV goes
// through a QSaveFile, XLSX to a temporary file in the target's directory
// that is renamed at the end; an error or a cancel leaves any existing file
// untouched. A finished export writes one audit event "customers.export"
// (count, format, filter; no entity).
//
// Like every service it uses the Database of the calling thread; the
// windows run it on a worker thread with a connection of its own
// (exportInOwnConnection).
class CustomerExportService final
{
    Q_DECLARE_TR_FUNCTIONS(CustomerExportService)

public:
    // The most data rows one XLSX worksheet holds (1,048,576 minus the header).
    static constexpr qint64 XlsxMaxRows = 1'048'575;

    CustomerExportService(Database &db, const Clock &clock, AccessControl &access);

    // The progress callback runs in the calling thread after each page; the
    // cancel flag is read between pages.
    Result<CustomerExportSummary> exportCustomers(const Session &session, CustomerQuery query,
        ExportFormat format, const QString &path, const ExportProgress &progress = {},
        const std::atomic_bool *cancel = nullptr) const;

    // The same in a connection of its own, opened from the profile in the
    // calling thread (a worker thread) and closed at the end. The schema is
    // never migrated here: the desktop that opened it did.
    static Result<CustomerExportSummary> exportInOwnConnection(const ConnectionProfile &profile,
        const Clock &clock, const Session &session, const CustomerQuery &query, ExportFormat format,
        const QString &path, const ExportProgress &progress = {},
        const std::atomic_bool *cancel = nullptr);
    // exportInOwnConnection() as a job for a worker thread, everything but
    // the clock (used by reference: it outlives the job) copied in, so the
    // caller needs only a reference to the profile, never its type.
    using ExportJob = std::function<Result<CustomerExportSummary>(
        const ExportProgress &progress, const std::atomic_bool *cancel)>;
    static ExportJob exportJob(const ConnectionProfile &profile, const Clock &clock,
        const Session &session, const CustomerQuery &query, ExportFormat format,
        const QString &path);

    // The header line: the customer table's columns, translated.
    static QStringList columnNames();
    // One row as text, as the table shows it but locale-independent: dates
    // ISO 8601 (yyyy-MM-dd), numbers without grouping.
    static QStringList rowText(const CustomerListRow &row, const QDateTime &now);
    // "Active", "Inactive", "Trial expired", "Trial, 3 days left".
    static QString statusText(const CustomerListRow &row, const QDateTime &now);

    // "csv" / "xlsx" (case-insensitive) and back.
    static std::optional<ExportFormat> formatFromName(const QString &name);
    static QString formatName(ExportFormat format);
    // "company", "domain", "contact", "email", "reseller", "plan", "status"
    // (the trial end), "created"; nothing for anything else.
    static std::optional<CustomerSort> sortFromName(const QString &name);
    static QStringList sortNames();

private:
    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
};

} // namespace rd
