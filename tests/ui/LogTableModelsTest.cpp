#include <functional>

#include <QAbstractItemModelTester>
#include <QSqlError>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "audit/AuditTableModel.h"
#include "audit/ImpersonationSessionTableModel.h"
#include "outbox/OutboxTableModel.h"
#include "storage/AuditRepository.h"
#include "storage/OutboxRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The windowed audit, Login As sessions and outbox models on the demo
// installation plus enough rows of each for many pages of 7 rows, with a
// cache of 3 pages, so that every way of reading a page is used and the
// bound bites.
class LogTableModelsTest : public GuiBackendFixture
{
protected:
    void SetUp() override
    {
        GuiBackendFixture::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        // A customer outside Northwind's scope (no open assignment to it).
        QSqlQuery q(m_db->connection());
        ASSERT_TRUE(q.exec(QStringLiteral(
            "SELECT min(c.id) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM "
            "customer_assignments a JOIN resellers r ON r.id = a.reseller_id WHERE "
            "a.customer_id = c.id AND a.ended_at IS NULL AND r.name = 'Northwind Partners')")));
        ASSERT_TRUE(q.next());
        m_customerId = q.value(0).toLongLong();
        ASSERT_GT(m_customerId, 0);
        const Session session = admin();
        m_userId = session.userId();
        m_membershipId = session.membershipId();
        for (int i = 0; i < 90; ++i) {
            appendEvent(*m_db, -i / 2);
            insertSession(*m_db, -i / 2);
            insertMail(*m_db, i);
        }
    }

    void appendEvent(Database &database, int minute)
    {
        AuditEventRow e;
        e.occurredAt = testNow().addSecs(60 * minute);
        e.actorUserId = m_userId;
        e.action = QStringLiteral("customer.edit");
        e.entityType = QStringLiteral("customer");
        e.entityId = m_customerId;
        e.customerId = m_customerId;
        Result<qint64> id = AuditRepository(database).append(e);
        ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
    }

    void insertSession(Database &database, int minute)
    {
        QSqlQuery q(database.connection());
        q.prepare(QStringLiteral(
            "INSERT INTO impersonation_sessions (impersonator_user_id, impersonator_membership_id, "
            "client_user_id, client_membership_id, customer_id, reason, started_at, expires_at, "
            "ended_at, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        const QDateTime started = testNow().addSecs(60 * minute);
        q.addBindValue(m_userId);
        q.addBindValue(m_membershipId);
        q.addBindValue(m_userId);
        q.addBindValue(m_membershipId);
        q.addBindValue(m_customerId);
        q.addBindValue(QStringLiteral("asked by phone"));
        q.addBindValue(started.toMSecsSinceEpoch());
        q.addBindValue(started.addSecs(3600).toMSecsSinceEpoch());
        q.addBindValue(started.addSecs(60).toMSecsSinceEpoch());
        q.addBindValue(QStringLiteral("closed"));
        ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();
    }

    void insertMail(Database &database, int n)
    {
        OutboxRow row;
        row.createdAt = testNow().addSecs(n);
        row.kind = OutboxKind::TrialReminder;
        row.customerId = m_customerId;
        row.recipient = QStringLiteral("person%1@mail.example").arg(n);
        row.subject = QStringLiteral("Reminder %1").arg(n);
        row.body = QStringLiteral("Your trial ends soon.");
        row.notBefore = row.createdAt;
        Result<qint64> id = OutboxRepository(database).insert(row);
        ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
    }

    // Every row in the list's order, by keyset pages of the most one call gives.
    template<typename Row, typename Key>
    static QList<qint64> plain(
        const std::function<Result<QList<Row>>(const std::optional<Key> &)> &after,
        const std::function<Key(const Row &)> &keyOf,
        const std::function<qint64(const Row &)> &idOf)
    {
        QList<qint64> ids;
        std::optional<Key> key;
        for (int guard = 0; guard < 1000; ++guard) {
            Result<QList<Row>> page = after(key);
            EXPECT_TRUE(page.has_value());
            if (!page || page->isEmpty())
                break;
            for (const Row &row : std::as_const(*page))
                ids.append(idOf(row));
            key = keyOf(page->constLast());
        }
        return ids;
    }

    // Reads every row down from the top, up from the end and from a jump
    // to the middle, against the plain list; the cache stays bounded.
    template<typename Model>
    static void expectWindowedRows(Model &model, const QList<qint64> &expected,
        const std::function<void()> &reload, const std::function<qint64(int)> &idAt)
    {
        ASSERT_GT(expected.size(), 80);
        reload();
        ASSERT_EQ(model.rowCount(), expected.size());
        EXPECT_TRUE(model.loadError().isEmpty());
        for (int row = 0; row < model.rowCount(); ++row) {
            ASSERT_EQ(idAt(row), expected.at(row)) << row;
            ASSERT_LE(model.cachedPageCount(), 3);
        }
        EXPECT_EQ(model.readStats().offsetReads, 0);

        reload();
        for (int row = model.rowCount() - 1; row >= 0; --row) {
            ASSERT_EQ(idAt(row), expected.at(row)) << row;
            ASSERT_LE(model.cachedPageCount(), 3);
        }
        EXPECT_EQ(model.readStats().endReads, 1);
        EXPECT_EQ(model.readStats().offsetReads, 0);

        reload();
        const int middle = model.rowCount() / 2;
        for (int row = middle; row < middle + 10; ++row)
            ASSERT_EQ(idAt(row), expected.at(row)) << row;
        EXPECT_EQ(model.readStats().offsetReads, 1);
        EXPECT_EQ(model.rowOfId(expected.at(middle)), middle) << "read, so found";
        EXPECT_EQ(model.rowOfId(-1), -1);
        EXPECT_LE(model.cachedPageCount(), 3);
    }

    qint64 m_customerId = 0;
    qint64 m_userId = 0;
    qint64 m_membershipId = 0;
};

} // namespace

TEST_P(LogTableModelsTest, AuditEventsAreReadOnDemandAsOnePlainListWithinTheBound)
{
    const Session session = admin();
    AuditTableModel model(session, *m_audit);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 3, 21);
    const QList<qint64> expected = plain<AuditListRow, AuditCursor>(
        [&](const std::optional<AuditCursor> &key) {
            return m_audit->list(
                session, {}, key.value_or(AuditCursor {}), AuditService::MaxPageRows);
        },
        [](const AuditListRow &row) { return AuditService::cursorAfter(row); },
        [](const AuditListRow &row) { return row.event.id; });
    expectWindowedRows(
        model, expected, [&] { model.reload(); },
        [&](int row) { return model.rowAt(row) ? model.rowAt(row)->event.id : 0; });

    // Another desktop writes newer events: the reload counts and shows them.
    Result<std::unique_ptr<Database>> other = m_testDatabase->open();
    ASSERT_TRUE(other.has_value());
    for (int i = 1; i <= 3; ++i)
        appendEvent(**other, 10 + i);
    other->reset();
    const int before = model.rowCount();
    model.reload();
    EXPECT_EQ(model.rowCount(), before + 3);
    Result<QList<AuditListRow>> newest = m_audit->list(session, {}, {}, 1);
    ASSERT_TRUE(newest.has_value());
    EXPECT_EQ(model.rowAt(0)->event.id, newest->constFirst().event.id);
    EXPECT_EQ(model.rowAt(0)->event.occurredAt, testNow().addSecs(60 * 13));

    // A reseller's admin counts only its own portal's part.
    const Session reseller = resellerAdmin();
    AuditTableModel scoped(reseller, *m_audit);
    QAbstractItemModelTester scopedTester(
        &scoped, QAbstractItemModelTester::FailureReportingMode::Fatal);
    scoped.reload();
    Result<qint64> count = m_audit->count(reseller, {});
    ASSERT_TRUE(count.has_value());
    EXPECT_EQ(scoped.rowCount(), *count);
    EXPECT_LT(scoped.rowCount(), model.rowCount());
}

TEST_P(LogTableModelsTest, LoginAsSessionsAreReadOnDemandAsOnePlainListWithinTheBound)
{
    const Session session = admin();
    ImpersonationSessionTableModel model(session, *m_audit, m_clock);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 3, 21);
    const QList<qint64> expected = plain<ImpersonationLogRow, AuditCursor>(
        [&](const std::optional<AuditCursor> &key) {
            return m_audit->impersonationSessions(
                session, {}, key.value_or(AuditCursor {}), AuditService::MaxPageRows);
        },
        [](const ImpersonationLogRow &row) { return AuditService::cursorAfter(row); },
        [](const ImpersonationLogRow &row) { return row.id; });
    expectWindowedRows(
        model, expected, [&] { model.reload(); },
        [&](int row) { return model.rowAt(row) ? model.rowAt(row)->id : 0; });

    Result<std::unique_ptr<Database>> other = m_testDatabase->open();
    ASSERT_TRUE(other.has_value());
    for (int i = 1; i <= 3; ++i)
        insertSession(**other, 10 + i);
    other->reset();
    const int before = model.rowCount();
    model.reload();
    EXPECT_EQ(model.rowCount(), before + 3);
    EXPECT_EQ(model.rowAt(0)->startedAt, testNow().addSecs(60 * 13));

    const Session reseller = resellerAdmin();
    ImpersonationSessionTableModel scoped(reseller, *m_audit, m_clock);
    QAbstractItemModelTester scopedTester(
        &scoped, QAbstractItemModelTester::FailureReportingMode::Fatal);
    scoped.reload();
    Result<qint64> count = m_audit->countImpersonationSessions(reseller, {});
    ASSERT_TRUE(count.has_value());
    EXPECT_EQ(scoped.rowCount(), *count);
    EXPECT_LT(scoped.rowCount(), model.rowCount());
}

TEST_P(LogTableModelsTest, OutboxIsReadOnDemandAsOnePlainListWithinTheBound)
{
    const Session session = admin();
    OutboxTableModel model(session, *m_outbox);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 3, 21);
    const QList<qint64> expected = plain<OutboxEntry, qint64>(
        [&](const std::optional<qint64> &key) {
            OutboxQuery query;
            query.beforeId = key.value_or(0);
            query.limit = OutboxService::MaxPageRows;
            return m_outbox->list(session, query);
        },
        [](const OutboxEntry &entry) { return entry.id; },
        [](const OutboxEntry &entry) { return entry.id; });
    expectWindowedRows(
        model, expected, [&] { model.setQuery({}); },
        [&](int row) { return model.entryAt(row) ? model.entryAt(row)->id : 0; });

    Result<std::unique_ptr<Database>> other = m_testDatabase->open();
    ASSERT_TRUE(other.has_value());
    for (int i = 1; i <= 3; ++i)
        insertMail(**other, 1000 + i);
    other->reset();
    const int before = model.rowCount();
    model.reload();
    EXPECT_EQ(model.rowCount(), before + 3);
    EXPECT_EQ(model.entryAt(0)->subject, QStringLiteral("Reminder 1003"));

    const Session reseller = resellerAdmin();
    OutboxTableModel scoped(reseller, *m_outbox);
    QAbstractItemModelTester scopedTester(
        &scoped, QAbstractItemModelTester::FailureReportingMode::Fatal);
    scoped.reload();
    Result<qint64> count = m_outbox->count(reseller, {});
    ASSERT_TRUE(count.has_value());
    EXPECT_EQ(scoped.rowCount(), *count);
    EXPECT_LT(scoped.rowCount(), model.rowCount());
}

RD_INSTANTIATE_FOR_BACKENDS(LogTableModelsTest);
