#include "services/CustomerExportService.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QSaveFile>
#include <QTemporaryFile>

#include <xlsxwriter.h>

#include "domain/Csv.h"
#include "domain/TrialPolicy.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/Session.h"
#include "storage/Database.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

constexpr int PageRows = CustomerService::MaxKeysetRows;

struct SortName
{
    CustomerSort sort;
    const char *name;
};

constexpr SortName SortNames[] = {
    {CustomerSort::Company, "company"},
    {CustomerSort::Domain, "domain"},
    {CustomerSort::Contact, "contact"},
    {CustomerSort::Email, "email"},
    {CustomerSort::Reseller, "reseller"},
    {CustomerSort::Plan, "plan"},
    {CustomerSort::TrialEnds, "status"},
    {CustomerSort::Created, "created"},
};

QString sortKey(CustomerSort sort)
{
    for (const SortName &entry : SortNames) {
        if (entry.sort == sort)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

QString statusFilterKey(CustomerStatusFilter status)
{
    switch (status) {
    case CustomerStatusFilter::Any:
        return QStringLiteral("any");
    case CustomerStatusFilter::Trial:
        return QStringLiteral("trial");
    case CustomerStatusFilter::TrialExpired:
        return QStringLiteral("trial_expired");
    case CustomerStatusFilter::Active:
        return QStringLiteral("active");
    case CustomerStatusFilter::Inactive:
        return QStringLiteral("inactive");
    }
    return {};
}

// What the audit event records of the view that was exported.
QJsonObject filterJson(const CustomerQuery &query)
{
    QJsonObject filter;
    filter.insert(QStringLiteral("search"), query.search);
    filter.insert(QStringLiteral("sort"), sortKey(query.sort));
    filter.insert(QStringLiteral("ascending"), query.ascending);
    filter.insert(QStringLiteral("status"), statusFilterKey(query.status));
    if (query.resellerFilter)
        filter.insert(QStringLiteral("reseller_id"), *query.resellerFilter);
    if (query.planFilter != 0)
        filter.insert(QStringLiteral("plan_id"), query.planFilter);
    return filter;
}

QString budgetOf(const CustomerListRow &row)
{
    return QString::number(
        row.billingStatus == BillingStatus::Trial ? row.trialBudget : row.monthlyBudget);
}

// Writes the rows to one kind of file; nothing appears at `path` until
// finish() succeeds, and a writer destroyed before that leaves no trace.
class RowWriter
{
public:
    virtual ~RowWriter() = default;
    virtual Status start(const QStringList &header) = 0;
    virtual Status write(const QList<CustomerListRow> &rows, const QDateTime &now) = 0;
    virtual Status finish() = 0;
};

class CsvWriter final : public RowWriter
{
public:
    explicit CsvWriter(const QString &path)
        : m_file(path)
    { }

    Status start(const QStringList &header) override
    {
        if (!m_file.open(QIODevice::WriteOnly)) {
            return fail(ErrorCode::Unavailable,
                CustomerExportService::tr("The file %1 could not be created: %2")
                    .arg(QDir::toNativeSeparators(m_file.fileName()), m_file.errorString()));
        }
        return put(Csv::byteOrderMark() + Csv::lineUtf8(header));
    }

    Status write(const QList<CustomerListRow> &rows, const QDateTime &now) override
    {
        QByteArray bytes;
        for (const CustomerListRow &row : rows)
            bytes += Csv::lineUtf8(CustomerExportService::rowText(row, now));
        return put(bytes);
    }

    Status finish() override
    {
        if (!m_file.commit()) {
            return fail(ErrorCode::Unavailable,
                CustomerExportService::tr("The file %1 could not be saved: %2")
                    .arg(QDir::toNativeSeparators(m_file.fileName()), m_file.errorString()));
        }
        return {};
    }

private:
    Status put(const QByteArray &bytes)
    {
        if (m_file.write(bytes) != bytes.size()) {
            const QString why = m_file.errorString();
            m_file.cancelWriting();
            return fail(ErrorCode::Unavailable,
                CustomerExportService::tr("Writing the file %1 failed: %2")
                    .arg(QDir::toNativeSeparators(m_file.fileName()), why));
        }
        return {};
    }

    QSaveFile m_file; // discarded unless committed
};

// XML 1.0 (and so Excel) refuses most control characters: each becomes a
// replacement character; tab and line breaks stay.
QByteArray xlsxText(const QString &text)
{
    QString clean = text;
    for (QChar &c : clean) {
        if (c.unicode() < 0x20 && c != u'\t' && c != u'\n' && c != u'\r')
            c = QChar(QChar::ReplacementCharacter);
    }
    return clean.toUtf8();
}

class XlsxWriter final : public RowWriter
{
public:
    explicit XlsxWriter(QString path)
        : m_path(std::move(path))
    { }

    ~XlsxWriter() override
    {
        // Not closed: free the memory without writing the file; the
        // temporary file is removed with m_temporary.
        if (m_workbook)
            lxw_workbook_free(m_workbook);
    }
    Q_DISABLE_COPY_MOVE(XlsxWriter)

    Status start(const QStringList &header) override
    {
        // A name in the target's directory, so the final rename is atomic.
        const QFileInfo target(m_path);
        m_temporary = std::make_unique<QTemporaryFile>(
            target.absoluteDir().filePath(QStringLiteral(".%1.XXXXXX").arg(target.fileName())));
        if (!m_temporary->open()) {
            return fail(ErrorCode::Unavailable,
                CustomerExportService::tr("The file %1 could not be created: %2")
                    .arg(QDir::toNativeSeparators(m_path), m_temporary->errorString()));
        }
        m_temporary->close(); // libxlsxwriter writes it by name
        m_temporaryName = QFile::encodeName(m_temporary->fileName());

        // Rows go to the file as they are written (constant memory).
        lxw_workbook_options options = {};
        options.constant_memory = LXW_TRUE;
        options.use_zip64 = LXW_TRUE;
        m_workbook = workbook_new_opt(m_temporaryName.constData(), &options);
        if (!m_workbook)
            return failed(CustomerExportService::tr("the workbook could not be started"));
        const QByteArray sheetName = xlsxText(CustomerExportService::tr("Customers"));
        m_sheet = workbook_add_worksheet(m_workbook, sheetName.constData());
        m_bold = workbook_add_format(m_workbook);
        m_date = workbook_add_format(m_workbook);
        if (!m_sheet || !m_bold || !m_date)
            return failed(CustomerExportService::tr("the worksheet could not be started"));
        format_set_bold(m_bold);
        format_set_num_format(m_date, "yyyy-mm-dd");
        worksheet_set_column(m_sheet, 0, static_cast<lxw_col_t>(header.size() - 1), 20, nullptr);
        worksheet_freeze_panes(m_sheet, 1, 0);
        m_columns = static_cast<lxw_col_t>(header.size());
        for (qsizetype column = 0; column < header.size(); ++column) {
            const QByteArray text = xlsxText(header.at(column));
            if (const lxw_error error = worksheet_write_string(
                    m_sheet, 0, static_cast<lxw_col_t>(column), text.constData(), m_bold);
                error != LXW_NO_ERROR)
                return failed(QString::fromUtf8(lxw_strerror(error)));
        }
        return {};
    }

    Status write(const QList<CustomerListRow> &rows, const QDateTime &now) override
    {
        for (const CustomerListRow &row : rows) {
            if (m_row >= CustomerExportService::XlsxMaxRows)
                return tooMany();
            ++m_row;
            const QStringList text = CustomerExportService::rowText(row, now);
            for (qsizetype column = 0; column < text.size(); ++column) {
                const auto col = static_cast<lxw_col_t>(column);
                lxw_error error = LXW_NO_ERROR;
                if (column == BudgetColumn) {
                    error = worksheet_write_number(m_sheet, static_cast<lxw_row_t>(m_row), col,
                        text.at(column).toDouble(), nullptr);
                } else if (column == CreatedColumn && row.createdAt.isValid()) {
                    const QDate day = row.createdAt.toLocalTime().date();
                    lxw_datetime date = {day.year(), day.month(), day.day(), 0, 0, 0.0};
                    error = worksheet_write_datetime(
                        m_sheet, static_cast<lxw_row_t>(m_row), col, &date, m_date);
                } else if (!text.at(column).isEmpty()) {
                    const QByteArray utf8 = xlsxText(text.at(column));
                    error = worksheet_write_string(
                        m_sheet, static_cast<lxw_row_t>(m_row), col, utf8.constData(), nullptr);
                }
                if (error != LXW_NO_ERROR)
                    return failed(QString::fromUtf8(lxw_strerror(error)));
            }
        }
        return {};
    }

    Status finish() override
    {
        worksheet_autofilter(m_sheet, 0, 0, static_cast<lxw_row_t>(m_row), m_columns - 1);
        lxw_workbook *workbook = std::exchange(m_workbook, nullptr);
        if (const lxw_error error = workbook_close(workbook); error != LXW_NO_ERROR)
            return failed(QString::fromUtf8(lxw_strerror(error)));
        // Readable like any new file (the temporary one is private).
        QFile::setPermissions(m_temporary->fileName(),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        if (std::rename(m_temporaryName.constData(), QFile::encodeName(m_path).constData()) != 0) {
            return fail(ErrorCode::Unavailable,
                CustomerExportService::tr("The file %1 could not be saved: %2")
                    .arg(QDir::toNativeSeparators(m_path),
                        QString::fromLocal8Bit(std::strerror(errno))));
        }
        m_temporary->setAutoRemove(false);
        return {};
    }

    static constexpr qsizetype BudgetColumn = 9;
    static constexpr qsizetype CreatedColumn = 10;

private:
    std::unexpected<Error> failed(const QString &why) const
    {
        return fail(ErrorCode::Unavailable,
            CustomerExportService::tr("The Excel file %1 could not be written: %2")
                .arg(QDir::toNativeSeparators(m_path), why));
    }

    static std::unexpected<Error> tooMany()
    {
        return fail(ErrorCode::InvalidInput,
            CustomerExportService::tr("An Excel worksheet holds at most %1 customers. Narrow the "
                                      "view with the search or the filters, or export CSV.")
                .arg(CustomerExportService::XlsxMaxRows));
    }

    QString m_path;
    std::unique_ptr<QTemporaryFile> m_temporary;
    QByteArray m_temporaryName;
    lxw_workbook *m_workbook = nullptr;
    lxw_worksheet *m_sheet = nullptr;
    lxw_format *m_bold = nullptr;
    lxw_format *m_date = nullptr;
    lxw_col_t m_columns = 0;
    qint64 m_row = 0; // the last row written (0: the header)
};

} // namespace

CustomerExportService::CustomerExportService(
    Database &db, const Clock &clock, AccessControl &access)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
{ }

Result<CustomerExportSummary> CustomerExportService::exportCustomers(const Session &session,
    CustomerQuery query, ExportFormat format, const QString &path, const ExportProgress &progress,
    const std::atomic_bool *cancel) const
{
    if (path.trimmed().isEmpty()) {
        return fail(ErrorCode::InvalidInput, tr("Choose the file to export the customers to."),
            QStringLiteral("path"));
    }
    // The service scopes and checks every page; the count first, so a
    // session that may not see customers is refused before a file exists.
    const CustomerService customers(m_db, m_clock, m_access);
    Result<qint64> total = customers.countCustomers(session, query);
    if (!total)
        return fail(total.error());
    if (format == ExportFormat::Xlsx && *total > XlsxMaxRows) {
        return fail(ErrorCode::InvalidInput,
            tr("The view has %1 customers, and an Excel worksheet holds at most %2. Narrow the "
               "view with the search or the filters, or export CSV.")
                .arg(*total)
                .arg(XlsxMaxRows));
    }

    std::unique_ptr<RowWriter> writer;
    if (format == ExportFormat::Csv)
        writer = std::make_unique<CsvWriter>(path);
    else
        writer = std::make_unique<XlsxWriter>(path);
    if (Status started = writer->start(columnNames()); !started)
        return fail(started.error());

    const QDateTime now = m_clock.now();
    CustomerExportSummary summary;
    std::optional<CustomerKey> after;
    for (;;) {
        if (cancel && cancel->load()) {
            summary.cancelled = true;
            return summary; // the writer discards its file
        }
        Result<QList<CustomerListRow>> page
            = customers.customersAfter(session, query, after, PageRows);
        if (!page)
            return fail(page.error());
        if (Status written = writer->write(*page, now); !written)
            return fail(written.error());
        summary.rows += page->size();
        if (progress)
            progress(summary.rows, qMax(*total, summary.rows));
        if (page->size() < PageRows)
            break;
        after = CustomerKey::of(page->constLast());
    }
    if (cancel && cancel->load()) {
        summary.cancelled = true;
        return summary;
    }
    if (Status finished = writer->finish(); !finished)
        return fail(finished.error());

    // The file exists now; without its audit event it must not stay.
    Status audited = [&]() -> Status {
        Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
        if (!transaction)
            return fail(transaction.error());
        AuditEntry entry;
        entry.action = QStringLiteral("customers.export");
        entry.entityType = QStringLiteral("customer");
        entry.resellerId = session.resellerId();
        entry.customerId = session.customerId();
        entry.after = QJsonObject {{QStringLiteral("count"), summary.rows},
            {QStringLiteral("format"), formatName(format)},
            {QStringLiteral("filter"), filterJson(query)}};
        if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
            return recorded;
        return transaction->commit();
    }();
    if (!audited) {
        QFile::remove(path);
        return fail(audited.error());
    }
    return summary;
}

CustomerExportService::ExportJob CustomerExportService::exportJob(const ConnectionProfile &profile,
    const Clock &clock, const Session &session, const CustomerQuery &query, ExportFormat format,
    const QString &path)
{
    return [profile, clock = &clock, session, query, format, path](
               const ExportProgress &progress, const std::atomic_bool *cancel) {
        return exportInOwnConnection(
            profile, *clock, session, query, format, path, progress, cancel);
    };
}

Result<CustomerExportSummary> CustomerExportService::exportInOwnConnection(
    const ConnectionProfile &profile, const Clock &clock, const Session &session,
    const CustomerQuery &query, ExportFormat format, const QString &path,
    const ExportProgress &progress, const std::atomic_bool *cancel)
{
    Database::Options options;
    options.migrate = false;
    Result<std::unique_ptr<Database>> db = Database::open(profile, options);
    if (!db)
        return fail(db.error());
    AccessControl access(**db, clock);
    const CustomerExportService service(**db, clock, access);
    return service.exportCustomers(session, query, format, path, progress, cancel);
}

QStringList CustomerExportService::columnNames()
{
    return {tr("Company"), tr("Status"), tr("Plan"), tr("Reseller"), tr("Also assigned to"),
        tr("Contact"), tr("Email"), tr("Domain"), tr("Price list"), tr("Identifications / month"),
        tr("Created")};
}

QStringList CustomerExportService::rowText(const CustomerListRow &row, const QDateTime &now)
{
    return {row.companyName, statusText(row, now), row.planName,
        row.ownerResellerId ? row.ownerResellerName : tr("Direct account"), row.otherResellerNames,
        row.contactName, row.contactEmail, row.domain, row.priceListName, budgetOf(row),
        row.createdAt.isValid() ? row.createdAt.toLocalTime().date().toString(Qt::ISODate)
                                : QString()};
}

QString CustomerExportService::statusText(const CustomerListRow &row, const QDateTime &now)
{
    if (!row.active)
        return tr("Inactive");
    if (row.billingStatus == BillingStatus::Paid)
        return tr("Active");
    if (TrialPolicy::isExpired(row.trialEndsAt, now))
        return tr("Trial expired");
    const int days = TrialPolicy::daysLeft(row.trialEndsAt, now);
    return days == 1 ? tr("Trial, 1 day left") : tr("Trial, %1 days left").arg(days);
}

std::optional<ExportFormat> CustomerExportService::formatFromName(const QString &name)
{
    const QString key = name.trimmed().toLower();
    if (key == QLatin1String("csv"))
        return ExportFormat::Csv;
    if (key == QLatin1String("xlsx"))
        return ExportFormat::Xlsx;
    return std::nullopt;
}

QString CustomerExportService::formatName(ExportFormat format)
{
    return format == ExportFormat::Xlsx ? QStringLiteral("xlsx") : QStringLiteral("csv");
}

std::optional<CustomerSort> CustomerExportService::sortFromName(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (const SortName &entry : SortNames) {
        if (key == QLatin1String(entry.name))
            return entry.sort;
    }
    return std::nullopt;
}

QStringList CustomerExportService::sortNames()
{
    QStringList names;
    for (const SortName &entry : SortNames)
        names.append(QString::fromLatin1(entry.name));
    return names;
}

} // namespace rd
