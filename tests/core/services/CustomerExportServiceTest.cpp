// The customer export: the file holds exactly the rows of the view (its
// scope, search and sort, across keyset pages), is safe to open in a
// spreadsheet, appears complete or not at all, and is audited.
#include <atomic>
#include <optional>
#include <thread>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Csv.h"
#include "services/AccessControl.h"
#include "services/AuditService.h"
#include "services/Clock.h"
#include "services/CustomerExportService.h"
#include "services/CustomerService.h"
#include "storage/AuditRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

std::string text(const Error &error)
{
    return error.toString().toStdString();
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// One member of a zip archive, through the unzip tool.
QByteArray unzipped(const QString &archive, const QString &member)
{
    QProcess unzip;
    unzip.start(QStringLiteral("unzip"), {QStringLiteral("-p"), archive, member});
    if (!unzip.waitForFinished(30'000) || unzip.exitCode() != 0)
        return {};
    return unzip.readAllStandardOutput();
}

class CustomerExportServiceTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << text(world.error());
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db(), m_clock);
        m_customers = std::make_unique<CustomerService>(db(), m_clock, *m_access);
        m_export = std::make_unique<CustomerExportService>(db(), m_clock, *m_access);
        ASSERT_TRUE(m_dir.isValid());
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // The view as the customer table reads it: every row, page by page.
    QList<CustomerListRow> view(const Session &session, const CustomerQuery &query)
    {
        QList<CustomerListRow> rows;
        std::optional<CustomerKey> after;
        for (;;) {
            Result<QList<CustomerListRow>> page
                = m_customers->customersAfter(session, query, after, 137);
            EXPECT_TRUE(page.has_value()) << text(page.error());
            if (!page)
                return rows;
            rows += *page;
            if (page->size() < 137)
                return rows;
            after = CustomerKey::of(page->constLast());
        }
    }

    // The CSV file the view should give, byte for byte.
    static QByteArray expectedCsv(const QList<CustomerListRow> &rows, const QDateTime &now)
    {
        QByteArray bytes
            = Csv::byteOrderMark() + Csv::lineUtf8(CustomerExportService::columnNames());
        for (const CustomerListRow &row : rows)
            bytes += Csv::lineUtf8(CustomerExportService::rowText(row, now));
        return bytes;
    }

    QList<AuditListRow> exportEvents()
    {
        AuditService audit(db(), *m_access);
        AuditFilter filter;
        filter.action = QStringLiteral("customers.export");
        Result<QList<AuditListRow>> rows = audit.list(*m_world.admin, filter);
        EXPECT_TRUE(rows.has_value()) << text(rows.error());
        return rows.value_or(QList<AuditListRow> {});
    }

    void seedMany(int count)
    {
        for (int i = 0; i < count; ++i) {
            Result<qint64> id = seedCustomer(db(), m_world.catalogue,
                QStringLiteral("Bulk %1 Ltd").arg(count - i, 5, 10, QLatin1Char('0')));
            ASSERT_TRUE(id.has_value()) << text(id.error());
        }
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<CustomerService> m_customers;
    std::unique_ptr<CustomerExportService> m_export;
    QTemporaryDir m_dir;
};

TEST_P(CustomerExportServiceTest, CsvOfASearchedSortedViewEqualsTheViewAcrossPages)
{
    seedMany(1'200); // more than two export pages
    CustomerQuery query;
    query.search = QStringLiteral("bulk");
    query.sort = CustomerSort::Company;
    query.ascending = false;
    const QList<CustomerListRow> rows = view(*m_world.admin, query);
    ASSERT_EQ(rows.size(), 1'200);
    EXPECT_EQ(rows.constFirst().companyName, QStringLiteral("Bulk 01200 Ltd"));

    qint64 lastDone = 0;
    int calls = 0;
    Result<CustomerExportSummary> exported = m_export->exportCustomers(*m_world.admin, query,
        ExportFormat::Csv, path(QStringLiteral("view.csv")), [&](qint64 done, qint64 total) {
            EXPECT_GT(done, lastDone);
            EXPECT_EQ(total, 1'200);
            lastDone = done;
            ++calls;
        });
    ASSERT_TRUE(exported.has_value()) << text(exported.error());
    EXPECT_EQ(exported->rows, 1'200);
    EXPECT_FALSE(exported->cancelled);
    EXPECT_EQ(lastDone, 1'200);
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(readAll(path(QStringLiteral("view.csv"))), expectedCsv(rows, m_clock.now()));
}

TEST_P(CustomerExportServiceTest, EveryColumnAsTheTableShowsIt)
{
    CustomerQuery query;
    query.sort = CustomerSort::Created;
    const QList<CustomerListRow> rows = view(*m_world.admin, query);
    ASSERT_EQ(rows.size(), 5);
    const QString file = path(QStringLiteral("all.csv"));
    ASSERT_TRUE(m_export->exportCustomers(*m_world.admin, query, ExportFormat::Csv, file));
    const QByteArray csv = readAll(file);
    EXPECT_EQ(csv, expectedCsv(rows, m_clock.now()));
    EXPECT_TRUE(csv.startsWith(QByteArray(Csv::byteOrderMark() + "Company,Status,Plan,Reseller,")));
    // "Shared" is owned by B and also assigned to A; "Direct" has no reseller.
    EXPECT_TRUE(csv.contains("Shared,\"Trial, 14 days left\",Standard,Reseller B,"))
        << csv.toStdString();
    EXPECT_TRUE(csv.contains("Direct,\"Trial, 14 days left\",Standard,Direct account,"))
        << csv.toStdString();
}

TEST_P(CustomerExportServiceTest, FormulasAreExportedAsText)
{
    const QString malicious = QStringLiteral("=HYPERLINK(\"http://evil.example\",\"x\")");
    ASSERT_TRUE(seedCustomer(db(), m_world.catalogue, malicious).has_value());
    ASSERT_TRUE(seedCustomer(db(), m_world.catalogue, QStringLiteral("+1 Plus Corp")).has_value());
    ASSERT_TRUE(seedCustomer(db(), m_world.catalogue, QStringLiteral("@Sum Ltd")).has_value());

    const QString csvFile = path(QStringLiteral("f.csv"));
    ASSERT_TRUE(
        m_export->exportCustomers(*m_world.admin, CustomerQuery {}, ExportFormat::Csv, csvFile));
    const QByteArray csv = readAll(csvFile);
    EXPECT_TRUE(csv.contains("\r\n\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\","))
        << csv.toStdString();
    EXPECT_TRUE(csv.contains("\r\n'+1 Plus Corp,")) << csv.toStdString();
    EXPECT_TRUE(csv.contains("\r\n'@Sum Ltd,")) << csv.toStdString();
    EXPECT_FALSE(csv.contains("\r\n=")) << "no line starts a formula";

    // XLSX: a string cell, never a formula cell.
    const QString xlsxFile = path(QStringLiteral("f.xlsx"));
    ASSERT_TRUE(
        m_export->exportCustomers(*m_world.admin, CustomerQuery {}, ExportFormat::Xlsx, xlsxFile));
    const QByteArray sheet = unzipped(xlsxFile, QStringLiteral("xl/worksheets/sheet1.xml"));
    ASSERT_FALSE(sheet.isEmpty());
    EXPECT_FALSE(sheet.contains("<f>"));
    EXPECT_TRUE(sheet.contains("t=\"inlineStr\"><is><t>=HYPERLINK("));
}

TEST_P(CustomerExportServiceTest, EachSessionExportsExactlyWhatItMaySee)
{
    const auto companies = [&](const Session &session) {
        const QString file = path(QStringLiteral("scope.csv"));
        Result<CustomerExportSummary> exported
            = m_export->exportCustomers(session, CustomerQuery {}, ExportFormat::Csv, file);
        EXPECT_TRUE(exported.has_value()) << text(exported.error());
        QStringList names;
        const QList<QByteArray> lines = readAll(file).split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            if (!lines.at(i).isEmpty())
                names.append(QString::fromUtf8(lines.at(i).split(',').constFirst()));
        }
        EXPECT_EQ(exported.value_or(CustomerExportSummary {}).rows, names.size());
        return names.join(QLatin1Char(' ')).toStdString();
    };
    EXPECT_EQ(companies(*m_world.admin), "Alpha Bravo Direct Shared Sub");
    EXPECT_EQ(companies(*m_world.support), "Alpha Bravo Direct Shared Sub");
    // A reseller sees its own and shared customers, not its sub-portal's.
    EXPECT_EQ(companies(*m_world.resellerAdmin), "Alpha Shared");
    EXPECT_EQ(companies(*m_world.resellerUser), "Alpha Shared");
    EXPECT_EQ(companies(*m_world.resellerAdminB), "Bravo Shared");
    EXPECT_EQ(companies(*m_world.clientUser), "Alpha");
    // The query's own scope fields are overwritten by the service.
    CustomerQuery widened;
    widened.scope = CustomerQuery::Scope::All;
    const QString file = path(QStringLiteral("widened.csv"));
    Result<CustomerExportSummary> exported
        = m_export->exportCustomers(*m_world.resellerAdmin, widened, ExportFormat::Csv, file);
    ASSERT_TRUE(exported.has_value()) << text(exported.error());
    EXPECT_EQ(exported->rows, 2);
}

TEST_P(CustomerExportServiceTest, XlsxIsAWorkbookWithTheRowsOfTheView)
{
    CustomerQuery query;
    query.sort = CustomerSort::Company;
    const QString file = path(QStringLiteral("customers.xlsx"));
    Result<CustomerExportSummary> exported
        = m_export->exportCustomers(*m_world.resellerAdmin, query, ExportFormat::Xlsx, file);
    ASSERT_TRUE(exported.has_value()) << text(exported.error());
    EXPECT_EQ(exported->rows, 2);

    const QByteArray zip = readAll(file);
    ASSERT_TRUE(zip.startsWith("PK\x03\x04")) << "a zip archive";
    EXPECT_FALSE(unzipped(file, QStringLiteral("docProps/app.xml")).isEmpty());
    EXPECT_TRUE(unzipped(file, QStringLiteral("xl/workbook.xml")).contains("name=\"Customers\""));
    const QByteArray sheet = unzipped(file, QStringLiteral("xl/worksheets/sheet1.xml"));
    EXPECT_TRUE(sheet.contains("<dimension ref=\"A1:K3\"/>")) << sheet.toStdString();
    EXPECT_TRUE(sheet.contains("<t>Company</t>"));
    const qsizetype alpha = sheet.indexOf("<t>Alpha</t>");
    const qsizetype shared = sheet.indexOf("<t>Shared</t>");
    EXPECT_GT(alpha, 0);
    EXPECT_GT(shared, alpha) << "in the view's order";
    EXPECT_FALSE(sheet.contains("<t>Bravo</t>")) << "out of the reseller's scope";
    // The budget is a number, the creation date a date cell.
    EXPECT_TRUE(sheet.contains("<c r=\"J2\"><v>500</v></c>")) << sheet.toStdString();
    EXPECT_TRUE(sheet.contains("<c r=\"K2\" s=\"2\"><v>")) << sheet.toStdString();

    // No temporary file is left next to it.
    EXPECT_EQ(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden),
        QStringList {QStringLiteral("customers.xlsx")});
}

TEST_P(CustomerExportServiceTest, CancelLeavesNoFileAndTheOldOneUntouched)
{
    seedMany(1'100);
    for (const ExportFormat format : {ExportFormat::Csv, ExportFormat::Xlsx}) {
        const QString file
            = path(QStringLiteral("cancel.") + CustomerExportService::formatName(format));
        QFile old(file);
        ASSERT_TRUE(old.open(QIODevice::WriteOnly));
        old.write("the previous export");
        old.close();

        std::atomic_bool cancel {false};
        Result<CustomerExportSummary> exported = m_export->exportCustomers(
            *m_world.admin, CustomerQuery {}, format, file,
            [&](qint64 done, qint64) {
                if (done >= CustomerService::MaxKeysetRows)
                    cancel = true; // after the first page
            },
            &cancel);
        ASSERT_TRUE(exported.has_value()) << text(exported.error());
        EXPECT_TRUE(exported->cancelled);
        EXPECT_EQ(exported->rows, CustomerService::MaxKeysetRows);
        EXPECT_EQ(readAll(file), QByteArray("the previous export"));
        QFile::remove(file);

        // Cancelled before it starts: no file at all.
        cancel = true;
        exported = m_export->exportCustomers(
            *m_world.admin, CustomerQuery {}, format, file, {}, &cancel);
        ASSERT_TRUE(exported.has_value()) << text(exported.error());
        EXPECT_TRUE(exported->cancelled);
        EXPECT_FALSE(QFile::exists(file));
    }
    EXPECT_TRUE(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty())
        << "no temporary file is left";
    EXPECT_TRUE(exportEvents().isEmpty()) << "a cancelled export is not audited";
}

TEST_P(CustomerExportServiceTest, AFinishedExportIsAuditedWithCountFormatAndFilter)
{
    CustomerQuery query;
    query.search = QStringLiteral("al");
    query.sort = CustomerSort::Created;
    query.ascending = false;
    query.status = CustomerStatusFilter::Trial;
    const qsizetype expected = view(*m_world.resellerAdmin, query).size();
    ASSERT_EQ(expected, 1); // Alpha
    ASSERT_TRUE(m_export->exportCustomers(
        *m_world.resellerAdmin, query, ExportFormat::Xlsx, path(QStringLiteral("a.xlsx"))));

    const QList<AuditListRow> events = exportEvents();
    ASSERT_EQ(events.size(), 1);
    const AuditEventRow &event = events.constFirst().event;
    EXPECT_EQ(event.actorUserId, m_world.resellerAdmin->userId());
    EXPECT_EQ(event.resellerId, m_world.resellerA) << "visible in the reseller's own audit log";
    EXPECT_EQ(event.entityType, QStringLiteral("customer"));
    EXPECT_EQ(event.entityId, 0);
    const QJsonObject after = QJsonDocument::fromJson(event.afterJson.toUtf8()).object();
    EXPECT_EQ(after.value(QLatin1String("count")).toInt(), expected);
    EXPECT_EQ(after.value(QLatin1String("format")).toString(), QStringLiteral("xlsx"));
    const QJsonObject filter = after.value(QLatin1String("filter")).toObject();
    EXPECT_EQ(filter.value(QLatin1String("search")).toString(), QStringLiteral("al"));
    EXPECT_EQ(filter.value(QLatin1String("sort")).toString(), QStringLiteral("created"));
    EXPECT_FALSE(filter.value(QLatin1String("ascending")).toBool());
    EXPECT_EQ(filter.value(QLatin1String("status")).toString(), QStringLiteral("trial"));
}

TEST_P(CustomerExportServiceTest, AFileThatCannotBeWrittenIsAClearErrorAndNotAudited)
{
    const QString file = path(QStringLiteral("no-such-dir/customers.csv"));
    for (const ExportFormat format : {ExportFormat::Csv, ExportFormat::Xlsx}) {
        Result<CustomerExportSummary> exported
            = m_export->exportCustomers(*m_world.admin, CustomerQuery {}, format, file);
        ASSERT_FALSE(exported.has_value());
        EXPECT_TRUE(exported.error().message().contains(QStringLiteral("could not be created")))
            << text(exported.error());
    }
    EXPECT_FALSE(
        m_export->exportCustomers(*m_world.admin, CustomerQuery {}, ExportFormat::Csv, QString()));
    EXPECT_TRUE(exportEvents().isEmpty());
}

TEST_P(CustomerExportServiceTest, ItsOwnConnectionExportsTheSame)
{
    const QString file = path(QStringLiteral("own.csv"));
    Result<CustomerExportSummary> exported
        = CustomerExportService::exportInOwnConnection(testDatabase().profile(), m_clock,
            *m_world.resellerAdmin, CustomerQuery {}, ExportFormat::Csv, file);
    ASSERT_TRUE(exported.has_value()) << text(exported.error());
    EXPECT_EQ(exported->rows, 2);
    EXPECT_EQ(
        readAll(file), expectedCsv(view(*m_world.resellerAdmin, CustomerQuery {}), m_clock.now()));
    EXPECT_EQ(exportEvents().size(), 1);
}

// What Customers → Export runs: the job, on a thread of its own.
TEST_P(CustomerExportServiceTest, TheExportJobRunsOnAWorkerThread)
{
    const QString file = path(QStringLiteral("job.csv"));
    const CustomerExportService::ExportJob job
        = CustomerExportService::exportJob(testDatabase().profile(), m_clock,
            *m_world.resellerAdmin, CustomerQuery {}, ExportFormat::Csv, file);
    std::optional<Result<CustomerExportSummary>> exported;
    qint64 lastDone = -1;
    std::thread worker(
        [&] { exported = job([&lastDone](qint64 done, qint64) { lastDone = done; }, nullptr); });
    worker.join();
    ASSERT_TRUE(exported.has_value());
    ASSERT_TRUE(exported->has_value()) << text((*exported).error());
    EXPECT_EQ((*exported)->rows, 2);
    EXPECT_EQ(lastDone, 2);
    EXPECT_EQ(
        readAll(file), expectedCsv(view(*m_world.resellerAdmin, CustomerQuery {}), m_clock.now()));
}

RD_INSTANTIATE_FOR_BACKENDS(CustomerExportServiceTest);

TEST(CustomerExportNames, FormatsAndSortsByName)
{
    EXPECT_EQ(CustomerExportService::formatFromName(QStringLiteral("XLSX")), ExportFormat::Xlsx);
    EXPECT_EQ(CustomerExportService::formatFromName(QStringLiteral("csv")), ExportFormat::Csv);
    EXPECT_FALSE(CustomerExportService::formatFromName(QStringLiteral("xls")));
    for (const QString &name : CustomerExportService::sortNames())
        EXPECT_TRUE(CustomerExportService::sortFromName(name)) << name.toStdString();
    EXPECT_EQ(
        CustomerExportService::sortFromName(QStringLiteral("Created")), CustomerSort::Created);
    EXPECT_FALSE(CustomerExportService::sortFromName(QStringLiteral("budget")));
}

} // namespace
