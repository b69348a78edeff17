#pragma once

#include <array>
#include <atomic>
#include <functional>

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include "domain/Error.h"
#include "domain/TrialPolicy.h"
#include "services/CustomerService.h"

class QIODevice;

namespace rd {

class AccessControl;
class Clock;
class ConnectionProfile;
class Database;
class Session;

// The customer fields a column of an import file can fill.
enum class ImportField {
    Company,
    Website,
    ContactName,
    ContactEmail,
    Phone,
    Plan,
    Billing,
    NoEmail
};
inline constexpr int ImportFieldCount = 8;

// Which column of the file fills each field; -1 for none.
struct ImportMapping
{
    std::array<int, ImportFieldCount> columns {-1, -1, -1, -1, -1, -1, -1, -1};

    int column(ImportField field) const { return columns.at(static_cast<size_t>(field)); }
    void set(ImportField field, int column) { columns.at(static_cast<size_t>(field)) = column; }
};

// A CSV file read for import: the header row and every record below it,
// each with the line of the file it starts on (a quoted field may span
// lines).
struct ImportFile
{
    struct Record
    {
        int line = 0;
        QStringList fields;
        int notUtf8Column = -1; // the first column with bytes that are not UTF-8
    };
    QStringList header;
    QList<Record> records;
};

// What applies to every row of one import.
struct ImportOptions
{
    // 0: a reseller membership's own portal, or a direct account
    // (administrators); otherwise the portal the customers join.
    qint64 resellerId = 0;
    // Rule 5: a setup email per customer (off by default for an import);
    // never for a row whose "no email" column is set.
    bool sendSetupEmails = false;
    // For phone numbers written without +country.
    QString phoneRegion = QStringLiteral("US");
    // The plan of rows whose plan cell is empty (or when no column is
    // mapped to the plan); 0: such rows are refused.
    qint64 defaultPlanId = 0;
    // The status of rows whose trial/paid cell is empty.
    bool defaultTrial = true;
};

// One problem of a row: the field it concerns (an ImportField key such
// as "contactEmail", empty for the whole row) and a sentence for the user.
struct ImportIssue
{
    QString field;
    QString message;
};

// One record of the file after validation.
struct ImportRow
{
    int line = 0;
    QStringList fields; // as read
    QList<ImportIssue> issues;
    // When valid (no issues): what the row creates.
    CheckedCustomerFields customer;
    qint64 planId = 0;
    bool trial = true;
    bool noEmail = false;

    bool valid() const { return issues.isEmpty(); }
};

// Every row of a file validated against the rules of Add Customer.
// Nothing has been written.
struct ImportPreview
{
    QStringList header;
    ImportMapping mapping;
    ImportOptions options;
    qint64 resellerId = 0; // the portal resolved from options (0: direct)
    QString resellerName;
    QList<ImportRow> rows;
    int validCount = 0;
    int invalidCount = 0;
};

// A row that was not imported and why.
struct ImportRefusal
{
    int line = 0;
    QString reason;
};

// What an import did. Lines are those of the file.
struct ImportResult
{
    QString batchId; // shared by every audit event of the import (rule 12)
    QList<int> importedLines;
    // The rows found invalid in the preview, and those refused while
    // importing (e.g. another desktop took the email address meanwhile).
    QList<ImportRefusal> refused;
    // Cancelled: the valid rows not imported (the rolled-back batch and
    // every later one).
    QList<int> notImportedLines;
    bool cancelled = false;
    int batchesCommitted = 0;
};

// rows done (imported or refused) of total valid rows.
using ImportProgress = std::function<void(int done, int total)>;

// Bulk import of customers from CSV (issue 7): read, map columns, validate
// every row exactly like CustomerService::addCustomer (rules 1–3, text
// limits) plus duplicates within the file and against the database, then
// import the valid rows in batches, each batch one transaction.
class CustomerImportService final
{
    Q_DECLARE_TR_FUNCTIONS(CustomerImportService)

public:
    // Rows per transaction: what a cancel undoes at most.
    static constexpr int DefaultBatchSize = 5000;
    // Rows per multi-row statement (and between two progress reports).
    static constexpr int DefaultChunkRows = 500;
    // Fields longer than this many bytes are cut when read (every field
    // has a far lower limit, so the row is refused all the same), so a
    // huge field costs no more memory than this.
    static constexpr qsizetype MaxFieldBytes = 4096;

    CustomerImportService(
        Database &db, const Clock &clock, AccessControl &access, TrialPolicy trialPolicy = {});

    // Reads RFC 4180 CSV in UTF-8 (a byte order mark is skipped; quoted
    // fields may hold commas, quotes and line breaks; a first line with
    // more semicolons than commas is read as semicolon-separated). A file
    // that cannot be read, is empty, has only a header or breaks the
    // quoting is an error naming the line; bytes that are not UTF-8 mark
    // their record (ImportFile::Record::notUtf8Column).
    static Result<ImportFile> readCsv(QIODevice &device);
    static Result<ImportFile> readCsv(const QByteArray &bytes);

    // The mapping guessed from the header's names (case, spaces and
    // punctuation ignored; English names such as "Company", "E-mail").
    static ImportMapping guessMapping(const QStringList &header);
    // The field's label for the user, e.g. "Contact email".
    static QString fieldLabel(ImportField field);
    // The field's key, as in ImportIssue::field, e.g. "contactEmail".
    static QString fieldKey(ImportField field);

    // Validates every record; writes nothing. The permission and portal
    // checks of Add Customer apply to the whole file: a session that may
    // not add customers to the portal, or a deactivated reseller, is an
    // error for the file.
    Result<ImportPreview> preview(const Session &session, const ImportFile &file,
        const ImportMapping &mapping, const ImportOptions &options) const;

    // Imports the valid rows of a preview, in order, in batches of
    // batchSize rows, each batch one transaction; every row creates what
    // addCustomer creates, with one audit event per entity, all sharing one
    // batch id. Within a batch the rows are written in chunks of chunkRows,
    // table by table (multi-row statements of at most
    // CustomerImportRepository::RowsPerStatement). progress is called after
    // each chunk; cancel is read before each chunk: when set, the
    // unfinished batch is rolled back and committed batches stay. The
    // permission and placement checks run again first.
    Result<ImportResult> importRows(const Session &session, const ImportPreview &preview,
        const ImportProgress &progress = {}, const std::atomic<bool> *cancel = nullptr,
        int batchSize = DefaultBatchSize, int chunkRows = DefaultChunkRows);

    // importRows on a connection of its own, opened from profile in the
    // calling thread (one connection per thread): call it from a worker
    // thread, e.g. through QThread::create.
    static Result<ImportResult> importOnOwnConnection(const ConnectionProfile &profile,
        const Clock &clock, TrialPolicy trialPolicy, const Session &session,
        const ImportPreview &preview, const ImportProgress &progress,
        const std::atomic<bool> *cancel, int batchSize = DefaultBatchSize);
    // importOnOwnConnection() on this service's database, with its clock and
    // trial policy, as a job for a worker thread: the session and preview
    // are copied in, the clock is used by reference (it outlives the job).
    // The caller never handles the connection profile.
    using ImportJob = std::function<Result<ImportResult>(
        const ImportProgress &progress, const std::atomic<bool> *cancel)>;
    ImportJob importJob(const Session &session, const ImportPreview &preview) const;

    // The refused rows as CSV (core/domain/Csv): line, reason, then the
    // file's own columns, so the rows can be corrected and imported again.
    // Without a result, the rows the preview refused.
    static QByteArray errorReport(const ImportPreview &preview, const ImportResult *result);

    // The plans rows may name when importing to this portal (0: the
    // session's own portal, or direct accounts), as Add Customer offers them.
    Result<QList<PlanRow>> plansFor(const Session &session, qint64 resellerId) const;

    // The connection the service works on, for a worker to open its own.
    const ConnectionProfile &profile() const;
    const Clock &clock() const { return m_clock; }
    TrialPolicy trialPolicy() const { return m_trialPolicy; }

private:
    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
    TrialPolicy m_trialPolicy;
    CustomerService m_customers;
};

} // namespace rd
