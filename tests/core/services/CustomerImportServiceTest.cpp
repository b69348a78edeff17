#include <atomic>
#include <optional>
#include <thread>

#include <QSet>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Csv.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerImportService.h"
#include "storage/CustomerImportRepository.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

using namespace rd;
using namespace rd::test;

namespace {

QByteArray utf8(const char *text)
{
    return QByteArray(text);
}

const QByteArray Header = utf8("Company,Website,Contact name,Email,Phone,Plan,Status,No email\r\n");

// A data row of the standard header.
QByteArray row(const QString &company, const QString &email,
    const QString &plan = QStringLiteral("Standard"), const QString &phone = {},
    const QString &status = {}, const QString &noEmail = {})
{
    return Csv::lineUtf8({company, QStringLiteral("https://www.example.test"),
        QStringLiteral("Ada Lovelace"), email, phone, plan, status, noEmail});
}

QString messagesOf(const ImportRow &r)
{
    QStringList m;
    for (const ImportIssue &i : r.issues)
        m.append(i.field + QStringLiteral(": ") + i.message);
    return m.join(QStringLiteral(" | "));
}

// --- Reading CSV: no database needed. ---

TEST(CustomerImportCsv, AcceptsABomCrlfAndLineBreaksInQuotedFieldsAndNamesEachRecordsLine)
{
    const QByteArray csv = utf8("\xEF\xBB\xBF") + Header
        + utf8("\"Acme, Inc.\",acme.test,\"Ada\r\nLovelace\",ada@acme.test,,Standard,,\r\n")
        + utf8("\r\n") // a blank line is skipped, but counted
        + utf8("\"Quote \"\"Co\"\"\",q.test,Bob,bob@q.test,,Standard,paid,yes\r\n");
    Result<ImportFile> file = CustomerImportService::readCsv(csv);
    ASSERT_TRUE(file.has_value()) << file.error().toString().toStdString();
    EXPECT_EQ(file->header.first(), QStringLiteral("Company")) << "the BOM is not part of it";
    ASSERT_EQ(file->records.size(), 2);
    EXPECT_EQ(file->records.at(0).line, 2);
    EXPECT_EQ(file->records.at(0).fields.at(0), QStringLiteral("Acme, Inc."));
    EXPECT_EQ(file->records.at(0).fields.at(2), QStringLiteral("Ada\r\nLovelace"));
    EXPECT_EQ(file->records.at(1).line, 5) << "the quoted line break and the blank line count";
    EXPECT_EQ(file->records.at(1).fields.at(0), QStringLiteral("Quote \"Co\""));
}

TEST(CustomerImportCsv, ReadsSemicolonSeparatedFiles)
{
    Result<ImportFile> file
        = CustomerImportService::readCsv(utf8("Company;Contact;Email\nAcme;Ada;ada@acme.test\n"));
    ASSERT_TRUE(file.has_value());
    ASSERT_EQ(file->header.size(), 3);
    EXPECT_EQ(file->records.at(0).fields.at(2), QStringLiteral("ada@acme.test"));
}

TEST(CustomerImportCsv, UnbalancedQuotesAreAnErrorForTheFileNamingTheLine)
{
    Result<ImportFile> open = CustomerImportService::readCsv(Header
        + row(QStringLiteral("Fine"), QStringLiteral("a@b.test"))
        + utf8("\"Never closed,x.test,Ann,ann@x.test,,Standard,,\r\n"));
    ASSERT_FALSE(open.has_value());
    EXPECT_TRUE(open.error().message().contains(QStringLiteral("line 3")))
        << open.error().message().toStdString();
    EXPECT_TRUE(open.error().message().contains(QStringLiteral("Nothing was imported")));

    Result<ImportFile> stray = CustomerImportService::readCsv(
        Header + utf8("Acme \"Best\" Ltd,x.test,Ann,ann@x.test,,Standard,,\r\n"));
    ASSERT_FALSE(stray.has_value());
    EXPECT_TRUE(stray.error().message().contains(QStringLiteral("line 2")));
}

TEST(CustomerImportCsv, EmptyFileAndHeaderOnlyAreClearErrors)
{
    Result<ImportFile> empty = CustomerImportService::readCsv(QByteArray());
    ASSERT_FALSE(empty.has_value());
    EXPECT_TRUE(empty.error().message().contains(QStringLiteral("empty")));
    Result<ImportFile> bomOnly = CustomerImportService::readCsv(utf8("\xEF\xBB\xBF"));
    ASSERT_FALSE(bomOnly.has_value());
    Result<ImportFile> headerOnly = CustomerImportService::readCsv(Header);
    ASSERT_FALSE(headerOnly.has_value());
    EXPECT_TRUE(headerOnly.error().message().contains(QStringLiteral("no customers")))
        << headerOnly.error().message().toStdString();
}

TEST(CustomerImportCsv, BytesThatAreNotUtf8MarkTheirRecord)
{
    Result<ImportFile> file = CustomerImportService::readCsv(Header
        + row(QStringLiteral("Fine"), QStringLiteral("a@b.test"))
        + utf8("M\xFCller GmbH,x.test,Ann,ann@x.test,,Standard,,\r\n"));
    ASSERT_TRUE(file.has_value());
    EXPECT_EQ(file->records.at(0).notUtf8Column, -1);
    EXPECT_EQ(file->records.at(1).notUtf8Column, 0);
    EXPECT_EQ(file->records.at(1).line, 3);
}

TEST(CustomerImportCsv, AHugeFieldIsCutSoItCostsLittleMemory)
{
    QByteArray huge(10 * 1024 * 1024, 'x');
    // A multi-byte character right at the cut must not look like bad UTF-8.
    huge.replace(CustomerImportService::MaxFieldBytes - 1, 2, "\xC3\xA9");
    Result<ImportFile> file = CustomerImportService::readCsv(
        Header + huge + utf8(",x.test,Ann,ann@x.test,,Standard,,\r\n"));
    ASSERT_TRUE(file.has_value());
    ASSERT_EQ(file->records.size(), 1);
    EXPECT_LE(file->records.at(0).fields.at(0).size(), CustomerImportService::MaxFieldBytes);
    EXPECT_EQ(file->records.at(0).notUtf8Column, -1);
}

TEST(CustomerImportCsv, GuessesTheMappingFromHeaderNames)
{
    const ImportMapping m = CustomerImportService::guessMapping(
        {QStringLiteral("E-Mail"), QStringLiteral("Company name"), QStringLiteral("Full name"),
            QStringLiteral("Domain"), QStringLiteral("Tel."), QStringLiteral("PLAN"),
            QStringLiteral("Trial/Paid"), QStringLiteral("Notes")});
    EXPECT_EQ(m.column(ImportField::ContactEmail), 0);
    EXPECT_EQ(m.column(ImportField::Company), 1);
    EXPECT_EQ(m.column(ImportField::ContactName), 2);
    EXPECT_EQ(m.column(ImportField::Website), 3);
    EXPECT_EQ(m.column(ImportField::Phone), 4);
    EXPECT_EQ(m.column(ImportField::Plan), 5);
    EXPECT_EQ(m.column(ImportField::Billing), 6);
    EXPECT_EQ(m.column(ImportField::NoEmail), -1);
}

// --- Preview and import, on both databases. ---

class CustomerImportServiceTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << world.error().toString().toStdString();
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db());
        m_service = std::make_unique<CustomerImportService>(db(), m_clock, *m_access);
    }

    int count(const char *table, const QString &where = {})
    {
        QSqlQuery q(db().connection());
        q.exec(QStringLiteral("SELECT count(*) FROM ") + QString::fromLatin1(table)
            + (where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where));
        return q.next() ? q.value(0).toInt() : -1;
    }

    QList<int> footprint()
    {
        return {count("users"), count("customers"), count("memberships"),
            count("customer_assignments"), count("outbox"), count("audit_events")};
    }

    Result<ImportPreview> previewOf(
        const Session &session, const QByteArray &csv, ImportOptions options = {})
    {
        Result<ImportFile> file = CustomerImportService::readCsv(csv);
        if (!file)
            return fail(file.error());
        return m_service->preview(
            session, *file, CustomerImportService::guessMapping(file->header), options);
    }

    static ImportOptions toReseller(qint64 resellerId)
    {
        ImportOptions o;
        o.resellerId = resellerId;
        return o;
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<CustomerImportService> m_service;
};

TEST_P(CustomerImportServiceTest, PreviewValidatesEveryRowLikeAddCustomerAndWritesNothing)
{
    const QList<int> before = footprint();
    const QByteArray csv = Header
        + row(QStringLiteral("Good One"), QStringLiteral("one@good.test"))   // 2
        + row(QStringLiteral("Bad Email"), QStringLiteral("not-an-email"))   // 3
        + row(QString(201, QLatin1Char('C')), QStringLiteral("long@x.test")) // 4
        + row(QStringLiteral("No Such Plan"), QStringLiteral("np@x.test"),
            QStringLiteral("Gold")) // 5
        + row(QStringLiteral("Not Offered"), QStringLiteral("no@x.test"),
            QStringLiteral("Premium")) // 6
        + row(QStringLiteral("Bad Phone"), QStringLiteral("ph@x.test"), QStringLiteral("Standard"),
            QStringLiteral("12"))                                                 // 7
        + row(QStringLiteral("Dup In File"), QStringLiteral("ONE@good.test"))     // 8
        + row(QStringLiteral("Dup In Db"), QStringLiteral("Admin@Alpha.example")) // 9
        + utf8("Short,row\r\n")                                                   // 10
        + row(QStringLiteral("Good Two"), QStringLiteral("two@good.test"),
            QStringLiteral("standard"), QStringLiteral("+49 30 1234567"), QStringLiteral("Paid"),
            QStringLiteral("yes")) // 11
        + row(QStringLiteral("Bad Status"), QStringLiteral("st@x.test"), QStringLiteral("Standard"),
            {}, QStringLiteral("maybe")); // 12
    Result<ImportPreview> preview
        = previewOf(*m_world.resellerAdmin, csv, toReseller(m_world.resellerA));
    ASSERT_TRUE(preview.has_value()) << preview.error().toString().toStdString();
    EXPECT_EQ(footprint(), before);
    ASSERT_EQ(preview->rows.size(), 11);
    EXPECT_EQ(preview->validCount, 2);
    EXPECT_EQ(preview->invalidCount, 9);

    auto rowAt = [&](int line) -> const ImportRow & {
        for (const ImportRow &r : preview->rows)
            if (r.line == line)
                return r;
        ADD_FAILURE() << "no line " << line;
        return preview->rows.first();
    };
    auto hasIssue = [&](int line, const char *field, const char *words) {
        const ImportRow &r = rowAt(line);
        for (const ImportIssue &i : r.issues) {
            if (i.field == QLatin1String(field) && i.message.contains(QLatin1String(words)))
                return true;
        }
        ADD_FAILURE() << "line " << line << ": " << messagesOf(r).toStdString();
        return false;
    };
    EXPECT_TRUE(rowAt(2).valid()) << messagesOf(rowAt(2)).toStdString();
    EXPECT_EQ(rowAt(2).customer.domain, QStringLiteral("example.test"));
    EXPECT_TRUE(rowAt(2).trial) << "trial is the default";
    hasIssue(3, "email", "");
    hasIssue(4, "company", "200");
    hasIssue(5, "plan", "Gold");
    hasIssue(6, "plan", "not offered");
    hasIssue(7, "phone", "");
    hasIssue(8, "email", "line 2");
    hasIssue(9, "email", "already");
    hasIssue(10, "", "columns");
    EXPECT_TRUE(rowAt(11).valid()) << messagesOf(rowAt(11)).toStdString();
    EXPECT_FALSE(rowAt(11).trial);
    EXPECT_TRUE(rowAt(11).noEmail);
    EXPECT_EQ(rowAt(11).customer.phone, QStringLiteral("+49301234567"));
    hasIssue(12, "status", "maybe");

    // The error report names each refused line and keeps its columns.
    const QString report = QString::fromUtf8(CustomerImportService::errorReport(*preview, nullptr));
    EXPECT_TRUE(report.contains(QStringLiteral("\r\n3,")));
    EXPECT_TRUE(report.contains(QStringLiteral("not-an-email")));
    EXPECT_FALSE(report.contains(QStringLiteral("one@good.test,")));
}

TEST_P(CustomerImportServiceTest, TheWholeFileIsRefusedOutsideThePortalOrForADeactivatedReseller)
{
    const QByteArray csv = Header + row(QStringLiteral("Acme"), QStringLiteral("a@acme.test"));
    // A reseller membership imports into its own portal only.
    Result<ImportPreview> other
        = previewOf(*m_world.resellerAdmin, csv, toReseller(m_world.resellerB));
    ASSERT_FALSE(other.has_value());
    EXPECT_EQ(other.error().code(), ErrorCode::PermissionDenied);
    // Roles without Add Customer may not import at all.
    for (const Session *s : {&*m_world.resellerManager, &*m_world.support, &*m_world.clientAdmin}) {
        Result<ImportPreview> denied = previewOf(*s, csv);
        ASSERT_FALSE(denied.has_value());
        EXPECT_EQ(denied.error().code(), ErrorCode::PermissionDenied);
    }
    // A reseller membership's own portal is the default; administrators
    // may import direct accounts.
    Result<ImportPreview> own = previewOf(*m_world.resellerAdmin, csv);
    ASSERT_TRUE(own.has_value()) << own.error().toString().toStdString();
    EXPECT_EQ(own->resellerId, m_world.resellerA);
    Result<ImportPreview> direct = previewOf(*m_world.admin, csv);
    ASSERT_TRUE(direct.has_value());
    EXPECT_EQ(direct->resellerId, 0);

    QSqlQuery off(db().connection());
    ASSERT_TRUE(off.exec(
        QStringLiteral("UPDATE resellers SET active = %1 WHERE id = %2")
            .arg(db().dialect() == Dialect::SQLite ? QStringLiteral("0") : QStringLiteral("false"))
            .arg(m_world.resellerB)));
    Result<ImportPreview> deactivated
        = previewOf(*m_world.admin, csv, toReseller(m_world.resellerB));
    ASSERT_FALSE(deactivated.has_value());
    EXPECT_TRUE(deactivated.error().message().contains(QStringLiteral("deactivated")))
        << deactivated.error().message().toStdString();
}

TEST_P(CustomerImportServiceTest, ImportCreatesWhatAddCustomerCreatesUnderOneBatchId)
{
    QByteArray csv = Header;
    for (int i = 0; i < 5; ++i)
        csv += row(QStringLiteral("Company %1").arg(i), QStringLiteral("c%1@import.test").arg(i));
    csv += row(QStringLiteral("Bad"), QStringLiteral("nope"));
    csv += row(QStringLiteral("Quiet"), QStringLiteral("quiet@import.test"),
        QStringLiteral("Standard"), {}, {}, QStringLiteral("yes"));
    ImportOptions options = toReseller(m_world.resellerA);
    options.sendSetupEmails = true;
    Result<ImportPreview> preview = previewOf(*m_world.resellerAdmin, csv, options);
    ASSERT_TRUE(preview.has_value());
    ASSERT_EQ(preview->validCount, 6);

    const int users = count("users");
    const int customers = count("customers");
    QList<std::pair<int, int>> progress;
    Result<ImportResult> result = m_service->importRows(
        *m_world.resellerAdmin, *preview,
        [&](int done, int total) {
            progress.append({done, total});
        },
        nullptr, 4);
    ASSERT_TRUE(result.has_value()) << result.error().toString().toStdString();
    EXPECT_EQ(result->importedLines, (QList<int> {2, 3, 4, 5, 6, 8}));
    ASSERT_EQ(result->refused.size(), 1);
    EXPECT_EQ(result->refused.first().line, 7);
    EXPECT_EQ(result->batchesCommitted, 2);
    EXPECT_FALSE(result->cancelled);
    // After each chunk (here: each batch of 4).
    EXPECT_EQ(progress, (QList<std::pair<int, int>> {{4, 6}, {6, 6}}));

    EXPECT_EQ(count("users"), users + 6);
    EXPECT_EQ(count("customers"), customers + 6);
    const QString imported = QStringLiteral(
        "customer_id IN (SELECT id FROM customers WHERE contact_email LIKE '%@import.test')");
    EXPECT_EQ(count("memberships", imported + QStringLiteral(" AND role = 'client_admin'")), 6);
    EXPECT_EQ(count("customer_assignments",
                  imported + QStringLiteral(" AND kind = 'owner' AND reseller_id = ")
                      + QString::number(m_world.resellerA)),
        6);
    // Setup emails for every row but the "no email" one; trial reminders too.
    EXPECT_EQ(count("outbox", imported + QStringLiteral(" AND kind = 'setup'")), 5);
    EXPECT_EQ(count("outbox", imported + QStringLiteral(" AND kind = 'trial_reminder'")), 5);
    // Rule 12: customer, user, membership and assignment per row, one batch.
    const QString batch = QStringLiteral("batch_id = '") + result->batchId + QLatin1Char('\'');
    EXPECT_EQ(count("audit_events", batch), 6 * 4);
    EXPECT_EQ(count("audit_events", batch + QStringLiteral(" AND action = 'customer.create'")), 6);
    EXPECT_EQ(
        count("audit_events", batch + QStringLiteral(" AND action = 'assignment.create'")), 6);
    // The imported logins have setup codes only when an email was queued.
    Result<std::optional<UserRow>> quiet
        = UserRepository(db()).findByEmailKey(QStringLiteral("quiet@import.test"));
    ASSERT_TRUE(quiet && quiet->has_value());
    EXPECT_TRUE((*quiet)->setupCodeHash.isEmpty());
    EXPECT_TRUE((*quiet)->mustChangePassword);
    // The search index follows (triggers).
    EXPECT_EQ(count("customers",
                  QStringLiteral("company_name = 'Company 3' AND owner_reseller_id = ")
                      + QString::number(m_world.resellerA)),
        1);
}

TEST_P(CustomerImportServiceTest, CancelRollsBackTheUnfinishedBatchAndKeepsCommittedOnes)
{
    QByteArray csv = Header;
    for (int i = 0; i < 25; ++i)
        csv += row(QStringLiteral("Cancel %1").arg(i), QStringLiteral("x%1@cancel.test").arg(i));
    Result<ImportPreview> preview = previewOf(*m_world.admin, csv, toReseller(m_world.resellerA));
    ASSERT_TRUE(preview.has_value());
    const int customers = count("customers");
    const int audit = count("audit_events");
    std::atomic<bool> cancel {false};
    Result<ImportResult> result = m_service->importRows(
        *m_world.admin, *preview,
        [&](int done, int) {
            if (done == 13)
                cancel = true; // in the middle of the second batch of 10
        },
        &cancel, 10, 3); // chunks of 3: 3, 6, 9, 10, 13, …
    ASSERT_TRUE(result.has_value()) << result.error().toString().toStdString();
    EXPECT_TRUE(result->cancelled);
    EXPECT_EQ(result->batchesCommitted, 1);
    ASSERT_EQ(result->importedLines.size(), 10);
    EXPECT_EQ(result->importedLines.first(), 2);
    EXPECT_EQ(result->importedLines.last(), 11);
    EXPECT_EQ(result->notImportedLines.size(), 15);
    EXPECT_EQ(result->notImportedLines.first(), 12);
    EXPECT_EQ(count("customers"), customers + 10);
    EXPECT_EQ(count("users", QStringLiteral("email LIKE '%@cancel.test'")), 10);
    EXPECT_EQ(count("audit_events"), audit + 10 * 4);
}

TEST_P(CustomerImportServiceTest, AnAddressTakenAfterThePreviewRefusesThatRowOnly)
{
    QByteArray csv = Header;
    for (int i = 0; i < 3; ++i)
        csv += row(QStringLiteral("Race %1").arg(i), QStringLiteral("r%1@race.test").arg(i));
    Result<ImportPreview> preview = previewOf(*m_world.admin, csv, toReseller(m_world.resellerA));
    ASSERT_TRUE(preview.has_value());
    ASSERT_EQ(preview->validCount, 3);
    // Another desktop adds the same login meanwhile.
    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value());
    UserRow taken;
    taken.email = QStringLiteral("R1@race.test");
    taken.emailKey = QStringLiteral("r1@race.test");
    taken.displayName = QStringLiteral("Someone else");
    taken.createdAt = testNow();
    ASSERT_TRUE(UserRepository(**other).insert(taken).has_value());

    Result<ImportResult> result = m_service->importRows(*m_world.admin, *preview);
    ASSERT_TRUE(result.has_value()) << result.error().toString().toStdString();
    EXPECT_EQ(result->importedLines, (QList<int> {2, 4}));
    ASSERT_EQ(result->refused.size(), 1);
    EXPECT_EQ(result->refused.first().line, 3);
    EXPECT_TRUE(result->refused.first().reason.contains(QStringLiteral("already")));
    EXPECT_EQ(count("customers", QStringLiteral("contact_email LIKE '%@race.test'")), 2);
    EXPECT_EQ(count("users", QStringLiteral("email_key = 'r1@race.test'")), 1);

    const QString report
        = QString::fromUtf8(CustomerImportService::errorReport(*preview, &*result));
    EXPECT_TRUE(report.contains(QStringLiteral("\r\n3,"))) << report.toStdString();
}

TEST_P(CustomerImportServiceTest, ManyRowsAreWrittenTableByTableAndEveryIdLandsOnItsOwnRow)
{
    // More rows than one statement holds, in chunks that do not divide the
    // statements evenly, with an address taken after the preview in the
    // middle of a chunk: every id returned by a multi-row INSERT must land
    // on the row it belongs to.
    constexpr int Rows = 230;
    static_assert(Rows > CustomerImportRepository::RowsPerStatement);
    QByteArray csv = Header;
    for (int i = 0; i < Rows; ++i)
        csv += row(QStringLiteral("Many %1").arg(i), QStringLiteral("m%1@many.test").arg(i));
    ImportOptions options = toReseller(m_world.resellerA);
    options.sendSetupEmails = true;
    Result<ImportPreview> preview = previewOf(*m_world.admin, csv, options);
    ASSERT_TRUE(preview.has_value());
    ASSERT_EQ(preview->validCount, Rows);
    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value());
    UserRow taken;
    taken.email = QStringLiteral("m170@many.test");
    taken.emailKey = QStringLiteral("m170@many.test");
    taken.displayName = QStringLiteral("Someone else");
    taken.createdAt = testNow();
    ASSERT_TRUE(UserRepository(**other).insert(taken).has_value());

    QList<int> progress;
    Result<ImportResult> result = m_service->importRows(
        *m_world.admin, *preview, [&](int done, int) { progress.append(done); }, nullptr, 200, 150);
    ASSERT_TRUE(result.has_value()) << result.error().toString().toStdString();
    EXPECT_EQ(progress, (QList<int> {150, 200, Rows}));
    EXPECT_EQ(result->batchesCommitted, 2);
    ASSERT_EQ(result->refused.size(), 1);
    EXPECT_EQ(result->refused.first().line, 172); // header is line 1
    const int imported = Rows - 1;
    ASSERT_EQ(result->importedLines.size(), imported);

    const QString ours
        = QStringLiteral("(SELECT id FROM customers WHERE contact_email LIKE '%@many.test')");
    EXPECT_EQ(count("customers", QStringLiteral("contact_email LIKE '%@many.test'")), imported);
    // Each customer's login is the one with its contact address.
    EXPECT_EQ(count("customers",
                  QStringLiteral("contact_email LIKE '%@many.test' AND primary_user_id = (SELECT "
                                 "u.id FROM users u WHERE u.email = customers.contact_email)")),
        imported);
    // Its membership joins that login to that customer.
    EXPECT_EQ(count("memberships",
                  QStringLiteral("role = 'client_admin' AND customer_id IN ") + ours
                      + QStringLiteral(" AND user_id = (SELECT c.primary_user_id FROM customers c "
                                       "WHERE c.id = memberships.customer_id)")),
        imported);
    EXPECT_EQ(count("customer_assignments",
                  QStringLiteral("kind = 'owner' AND ended_at IS NULL AND customer_id IN ") + ours),
        imported);
    // The setup email goes to the customer's own login.
    EXPECT_EQ(count("outbox",
                  QStringLiteral("kind = 'setup' AND customer_id IN ") + ours
                      + QStringLiteral(" AND user_id = (SELECT c.primary_user_id FROM customers c "
                                       "WHERE c.id = outbox.customer_id) AND recipient = (SELECT "
                                       "c.contact_email FROM customers c WHERE c.id = "
                                       "outbox.customer_id)")),
        imported);
    // Every event names its own entity and customer.
    const QString batch
        = QStringLiteral("batch_id = '") + result->batchId + QStringLiteral("' AND ");
    EXPECT_EQ(count("audit_events",
                  batch + QStringLiteral("action = 'customer.create' AND entity_id = customer_id")),
        imported);
    EXPECT_EQ(count("audit_events",
                  batch
                      + QStringLiteral("action = 'user.create' AND entity_id = (SELECT "
                                       "c.primary_user_id FROM customers c WHERE c.id = "
                                       "audit_events.customer_id)")),
        imported);
    EXPECT_EQ(count("audit_events",
                  batch
                      + QStringLiteral("action = 'membership.create' AND entity_id = (SELECT m.id "
                                       "FROM memberships m WHERE m.customer_id = "
                                       "audit_events.customer_id)")),
        imported);
    EXPECT_EQ(count("audit_events",
                  batch
                      + QStringLiteral("action = 'assignment.create' AND entity_id = (SELECT a.id "
                                       "FROM customer_assignments a WHERE a.customer_id = "
                                       "audit_events.customer_id)")),
        imported);
    EXPECT_EQ(
        count("audit_events", QStringLiteral("batch_id = '") + result->batchId + QLatin1Char('\'')),
        imported * 4);
}

TEST_P(CustomerImportServiceTest, ImportOnItsOwnConnectionInAWorkerThread)
{
    QByteArray csv = Header;
    for (int i = 0; i < 30; ++i)
        csv += row(QStringLiteral("Worker %1").arg(i), QStringLiteral("w%1@worker.test").arg(i));
    Result<ImportPreview> preview = previewOf(*m_world.admin, csv, toReseller(m_world.resellerA));
    ASSERT_TRUE(preview.has_value());
    std::optional<Result<ImportResult>> result;
    std::thread worker([&] {
        result = CustomerImportService::importOnOwnConnection(
            testDatabase().profile(), m_clock, {}, *m_world.admin, *preview, {}, nullptr, 7);
    });
    worker.join();
    ASSERT_TRUE(result.has_value());
    ASSERT_TRUE(result->has_value()) << (*result).error().toString().toStdString();
    EXPECT_EQ((*result)->importedLines.size(), 30);
    EXPECT_EQ(count("customers", QStringLiteral("contact_email LIKE '%@worker.test'")), 30);
}

// What the Import dialog runs: the service's job, on a thread of its own
// with its own connection, reporting progress and honouring the cancel flag.
TEST_P(CustomerImportServiceTest, TheImportJobRunsOnAWorkerThread)
{
    QByteArray csv = Header;
    for (int i = 0; i < 12; ++i)
        csv += row(QStringLiteral("Job %1").arg(i), QStringLiteral("j%1@job.test").arg(i));
    Result<ImportPreview> preview = previewOf(*m_world.admin, csv, toReseller(m_world.resellerA));
    ASSERT_TRUE(preview.has_value());
    const CustomerImportService::ImportJob job = m_service->importJob(*m_world.admin, *preview);

    // Cancelled before it starts: nothing is written.
    std::atomic<bool> cancel {true};
    std::optional<Result<ImportResult>> cancelled;
    std::thread first([&] { cancelled = job({}, &cancel); });
    first.join();
    ASSERT_TRUE(cancelled.has_value() && cancelled->has_value());
    EXPECT_TRUE((*cancelled)->cancelled);
    EXPECT_EQ((*cancelled)->notImportedLines.size(), 12);
    EXPECT_EQ(count("customers", QStringLiteral("contact_email LIKE '%@job.test'")), 0);

    cancel = false;
    int lastDone = 0;
    std::optional<Result<ImportResult>> result;
    std::thread worker(
        [&] { result = job([&lastDone](int done, int) { lastDone = done; }, &cancel); });
    worker.join();
    ASSERT_TRUE(result.has_value());
    ASSERT_TRUE(result->has_value()) << (*result).error().toString().toStdString();
    EXPECT_EQ((*result)->importedLines.size(), 12);
    EXPECT_EQ(lastDone, 12);
    EXPECT_EQ(count("customers", QStringLiteral("contact_email LIKE '%@job.test'")), 12);
}

RD_INSTANTIATE_FOR_BACKENDS(CustomerImportServiceTest);

} // namespace
