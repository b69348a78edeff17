#include <functional>

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

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
        // Events of the reseller's own portal (its reseller column).
        m_resellerId = resellerAdmin().resellerId();
        ASSERT_GT(m_resellerId, 0);
        for (int i = 0; i < 5; ++i)
            appendEvent(*m_db, -100 - i, m_resellerId);
        for (int i = 0; i < 90; ++i) {
            appendEvent(*m_db, -i / 2);
            insertSession(*m_db, -i / 2);
            insertMail(*m_db, i);
        }
    }

    // An event about the customer outside Northwind's scope, or with
    // resellerId an event of that portal instead.
    void appendEvent(Database &database, int minute, qint64 resellerId = 0)
    {
        AuditEventRow e;
        e.occurredAt = testNow().addSecs(60 * minute);
        e.actorUserId = m_userId;
        e.action = QStringLiteral("customer.edit");
        e.entityType = QStringLiteral("customer");
        e.entityId = m_customerId;
        e.customerId = resellerId > 0 ? 0 : m_customerId;
        e.resellerId = resellerId;
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

    // Runs the event loop until the pages data() asked for have arrived.
    template<typename Model> static bool waitForPages(const Model &model)
    {
        return QTest::qWaitFor([&model] { return !model.isReading(); }, 10000);
    }
    template<typename Model> static bool waitForAnchors(const Model &model)
    {
        return QTest::qWaitFor([&model] { return model.anchorsComplete(); }, 10000);
    }

    // Shows rows first..first+count-1 as a view does (data(), then the
    // event loop until the worker's pages arrived) and returns their ids
    // (-1: not there) from the cache, reading nothing here.
    template<typename Model>
    static QList<qint64> showRows(
        Model &model, int first, int count, const std::function<qint64(int)> &cachedId)
    {
        const int last = qMin(first + count, model.rowCount()) - 1;
        for (int row = first; row <= last; ++row)
            (void)model.index(row, 0).data();
        EXPECT_TRUE(waitForPages(model));
        QList<qint64> ids;
        for (int row = first; row <= last; ++row)
            ids.append(cachedId(row));
        return ids;
    }

    // Jumps (the scroll bar, Ctrl+End) before and after the anchors, read
    // on the worker, against the plain list; the cache stays bounded and no
    // OFFSET is read once the anchors exist.
    template<typename Model>
    static void expectJumpsReadOnTheWorker(Model &model, const QList<qint64> &expected,
        const std::function<void()> &reload, const std::function<qint64(int)> &cachedId)
    {
        ASSERT_GT(expected.size(), 80);
        reload();
        ASSERT_EQ(model.rowCount(), expected.size());
        EXPECT_TRUE(model.readsOnWorker()) << "a database file: pages are read off the GUI thread";

        // Before the anchors: a jump is an OFFSET read on the worker.
        const int middle = model.rowCount() / 2;
        EXPECT_EQ(showRows(model, middle, 10, cachedId), expected.mid(middle, 10));
        EXPECT_GE(model.workerOffsetReads(), 1);

        // With them: one keyset page after the nearest anchor.
        ASSERT_TRUE(waitForAnchors(model));
        EXPECT_EQ(model.anchorCount(), model.rowCount() / 7);
        const int offsets = model.workerOffsetReads();
        const int anchorReads = model.readStats().anchorReads;
        for (const int row :
            {model.rowCount() / 3, model.rowCount() - 40, 9, 23, model.rowCount() - 1}) {
            EXPECT_EQ(showRows(model, row, 12, cachedId), expected.mid(row, 12)) << "row " << row;
        }
        EXPECT_EQ(model.workerOffsetReads(), offsets) << "no OFFSET once anchors exist";
        EXPECT_GT(model.readStats().anchorReads, anchorReads);
        EXPECT_LE(model.cachedPageCount(), 4);
    }

    QList<qint64> plainEvents(const Session &session, const AuditFilter &filter = {})
    {
        return plain<AuditListRow, AuditCursor>(
            [&](const std::optional<AuditCursor> &key) {
                return m_audit->list(
                    session, filter, key.value_or(AuditCursor {}), AuditService::MaxPageRows);
            },
            [](const AuditListRow &row) { return AuditService::cursorAfter(row); },
            [](const AuditListRow &row) { return row.event.id; });
    }
    QList<qint64> plainSessions(const Session &session)
    {
        return plain<ImpersonationLogRow, AuditCursor>(
            [&](const std::optional<AuditCursor> &key) {
                return m_audit->impersonationSessions(
                    session, {}, key.value_or(AuditCursor {}), AuditService::MaxPageRows);
            },
            [](const ImpersonationLogRow &row) { return AuditService::cursorAfter(row); },
            [](const ImpersonationLogRow &row) { return row.id; });
    }
    QList<qint64> plainMail(const Session &session)
    {
        return plain<OutboxEntry, qint64>(
            [&](const std::optional<qint64> &key) {
                OutboxQuery query;
                query.beforeId = key.value_or(0);
                query.limit = OutboxService::MaxPageRows;
                return m_outbox->list(session, query);
            },
            [](const OutboxEntry &entry) { return entry.id; },
            [](const OutboxEntry &entry) { return entry.id; });
    }

    qint64 m_customerId = 0;
    qint64 m_resellerId = 0;
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

TEST_P(LogTableModelsTest, AuditJumpsReadOnTheWorkerGiveThePlainOrderWithAndWithoutAFilter)
{
    const Session session = admin();
    AuditTableModel model(session, *m_audit);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 4, 21);
    AuditFilter oneCustomer;
    oneCustomer.customerId = m_customerId;
    for (const AuditFilter &filter : {AuditFilter {}, oneCustomer}) {
        SCOPED_TRACE(filter.customerId);
        expectJumpsReadOnTheWorker(
            model, plainEvents(session, filter), [&] { model.setFilter(filter); },
            [&](int row) {
                return model.cachedRowAt(row) ? model.cachedRowAt(row)->event.id : -1;
            });
    }

    // The worker reads in the session's scope, as the GUI's reads do.
    const Session reseller = resellerAdmin();
    AuditTableModel scoped(reseller, *m_audit);
    QAbstractItemModelTester scopedTester(
        &scoped, QAbstractItemModelTester::FailureReportingMode::Fatal);
    scoped.setPaging(1, 4, 1);
    scoped.reload();
    const QList<qint64> visible = plainEvents(reseller);
    ASSERT_EQ(scoped.rowCount(), visible.size());
    ASSERT_GT(scoped.rowCount(), 2);
    const int row = scoped.rowCount() / 2;
    EXPECT_FALSE(scoped.index(row, AuditTableModel::Action).data().isValid()) << "on its way";
    ASSERT_TRUE(waitForPages(scoped));
    ASSERT_NE(scoped.cachedRowAt(row), nullptr);
    EXPECT_EQ(scoped.cachedRowAt(row)->event.id, visible.at(row));
    EXPECT_GE(scoped.workerPageReads(), 1);
}

TEST_P(LogTableModelsTest, AnAuditJumpNeverRunsOnTheGuiThreadAndItsRowsArriveWithASignal)
{
    const Session session = admin();
    AuditTableModel model(session, *m_audit);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 4, 21);
    const QList<qint64> expected = plainEvents(session);
    model.reload();
    ASSERT_EQ(model.rowCount(), expected.size());
    const auto statsBefore = model.readStats();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // PostgreSQL: another desktop holds the audit log; a read on this
    // thread would wait for it.
    std::unique_ptr<Database> other;
    const bool locked = GetParam() == Backend::PostgreSQL;
    if (locked) {
        Result<std::unique_ptr<Database>> opened = m_testDatabase->open();
        ASSERT_TRUE(opened.has_value()) << opened.error().toString().toStdString();
        other = std::move(*opened);
        ASSERT_TRUE(other->execDirect(QStringLiteral("BEGIN"), QStringLiteral("begin")));
        ASSERT_TRUE(
            other->execDirect(QStringLiteral("LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE"),
                QStringLiteral("lock")));
    }

    // The placeholder at once: nothing read on this thread.
    const int middle = model.rowCount() / 2;
    QElapsedTimer clock;
    clock.start();
    EXPECT_FALSE(model.index(middle, AuditTableModel::Action).data().isValid());
    EXPECT_LT(clock.elapsed(), 50);
    EXPECT_EQ(model.cachedRowAt(middle), nullptr);
    EXPECT_TRUE(model.isReading());
    EXPECT_EQ(model.workerPageReads(), 0);
    EXPECT_EQ(changed.count(), 0);
    if (locked) {
        QTest::qWait(300);
        EXPECT_TRUE(model.isReading()) << "the worker waits on the lock, the window does not";
        EXPECT_EQ(model.cachedRowAt(middle), nullptr);
        ASSERT_TRUE(other->execDirect(QStringLiteral("COMMIT"), QStringLiteral("commit")));
    }

    // The worker reads it; dataChanged repaints the page's rows.
    ASSERT_TRUE(waitForPages(model));
    ASSERT_GE(changed.count(), 1);
    const QModelIndex topLeft = changed.constLast().at(0).toModelIndex();
    const QModelIndex bottomRight = changed.constLast().at(1).toModelIndex();
    EXPECT_LE(topLeft.row(), middle);
    EXPECT_GE(bottomRight.row(), middle);
    EXPECT_EQ(topLeft.column(), 0);
    EXPECT_EQ(bottomRight.column(), AuditTableModel::ColumnCount - 1);
    EXPECT_GE(model.workerPageReads(), 1);
    ASSERT_NE(model.cachedRowAt(middle), nullptr);
    EXPECT_EQ(model.cachedRowAt(middle)->event.id, expected.at(middle));
    EXPECT_EQ(model.index(middle, AuditTableModel::Action).data().toString(),
        model.cachedRowAt(middle)->event.action);
    // The cache planned the read; none was made here.
    EXPECT_EQ(model.readStats().keysetReads, statsBefore.keysetReads);
}

TEST_P(LogTableModelsTest, AnAuditReplyForTheFilterBeforeAChangeNeverShows)
{
    const Session session = admin();
    AuditTableModel model(session, *m_audit);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 40, 21);
    AuditFilter filtered;
    filtered.customerId = m_customerId;
    const QList<qint64> expected = plainEvents(session, filtered);
    model.reload();
    ASSERT_GT(model.rowCount(), expected.size());

    // PostgreSQL: another desktop holds the audit log, so the worker's read
    // of the old filter is still running when the filter changes.
    std::unique_ptr<Database> other;
    const bool locked = GetParam() == Backend::PostgreSQL;
    if (locked) {
        Result<std::unique_ptr<Database>> opened = m_testDatabase->open();
        ASSERT_TRUE(opened.has_value()) << opened.error().toString().toStdString();
        other = std::move(*opened);
        ASSERT_TRUE(other->execDirect(QStringLiteral("BEGIN"), QStringLiteral("begin")));
        ASSERT_TRUE(
            other->execDirect(QStringLiteral("LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE"),
                QStringLiteral("lock")));
    }
    // Rows far down the old list are asked for and sent to the worker...
    for (int page = 5; page < 11; ++page)
        (void)model.index(page * 7, AuditTableModel::Action).data();
    QTest::qWait(locked ? 300 : 0);
    if (locked) {
        EXPECT_TRUE(model.isReading());
        EXPECT_EQ(model.cachedRowAt(10 * 7), nullptr) << "still waiting on the lock";
        // The lock ends; the old read finishes (or is cancelled) while the
        // filter changes: its reply is dropped either way.
        ASSERT_TRUE(other->execDirect(QStringLiteral("COMMIT"), QStringLiteral("commit")));
    }
    // ...then the filter changes before (or while) they are read.
    model.setFilter(filtered);
    ASSERT_EQ(model.rowCount(), expected.size());
    QTest::qWait(300);
    if (locked) {
        EXPECT_GE(model.staleRepliesDropped() + model.interruptedReads(), 1)
            << "the old filter's reply was dropped or its read cancelled";
    }
    // Nothing of the old filter was stored: only the new first page.
    EXPECT_EQ(model.cachedPageCount(), 1);
    for (int row = 0; row < model.rowCount(); ++row) {
        if (const AuditListRow *listed = model.cachedRowAt(row)) {
            EXPECT_EQ(listed->event.id, expected.at(row)) << "row " << row;
        }
    }
    // Every row, a few pages at a time as a view scrolls.
    QList<qint64> shown;
    for (int row = 0; row < model.rowCount(); row += 21) {
        shown += showRows(model, row, 21,
            [&](int at) { return model.cachedRowAt(at) ? model.cachedRowAt(at)->event.id : -1; });
    }
    EXPECT_EQ(shown, expected);
}

TEST_P(LogTableModelsTest, AfterAnotherDesktopWritesEventsAReloadJumpsToTheRightRows)
{
    const Session session = admin();
    AuditTableModel model(session, *m_audit);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 4, 21);
    model.reload();
    ASSERT_TRUE(waitForAnchors(model));
    const int before = model.rowCount();

    // Another desktop: events among the old ones (they shift every row
    // after them) and a newer one.
    Result<std::unique_ptr<Database>> other = m_testDatabase->open();
    ASSERT_TRUE(other.has_value()) << other.error().toString().toStdString();
    for (int i = 0; i < 10; ++i)
        appendEvent(**other, -5 - 3 * i);
    appendEvent(**other, 20);
    other->reset();

    model.reload();
    EXPECT_EQ(model.rowCount(), before + 11);
    const QList<qint64> expected = plainEvents(session);
    ASSERT_EQ(expected.size(), model.rowCount());
    const auto idAt
        = [&](int row) { return model.cachedRowAt(row) ? model.cachedRowAt(row)->event.id : -1; };
    const int middle = model.rowCount() / 2;
    EXPECT_EQ(showRows(model, middle, 10, idAt), expected.mid(middle, 10));
    ASSERT_TRUE(waitForAnchors(model));
    EXPECT_EQ(model.anchorCount(), model.rowCount() / 7);
    for (const int row : {model.rowCount() / 4, model.rowCount() - 30, 0})
        EXPECT_EQ(showRows(model, row, 10, idAt), expected.mid(row, 10)) << "row " << row;
}

TEST_P(LogTableModelsTest, LoginAsSessionJumpsReadOnTheWorkerGiveThePlainOrder)
{
    const Session session = admin();
    ImpersonationSessionTableModel model(session, *m_audit, m_clock);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 4, 21);
    const auto idAt
        = [&](int row) { return model.cachedRowAt(row) ? model.cachedRowAt(row)->id : -1; };
    expectJumpsReadOnTheWorker(
        model, plainSessions(session), [&] { model.reload(); }, idAt);

    // Another desktop's sessions among the old ones: a reload jumps right.
    Result<std::unique_ptr<Database>> other = m_testDatabase->open();
    ASSERT_TRUE(other.has_value());
    for (int i = 0; i < 5; ++i)
        insertSession(**other, -7 - 4 * i);
    other->reset();
    expectJumpsReadOnTheWorker(
        model, plainSessions(session), [&] { model.reload(); }, idAt);
}

TEST_P(LogTableModelsTest, OutboxJumpsReadOnTheWorkerGiveThePlainOrder)
{
    const Session session = admin();
    OutboxTableModel model(session, *m_outbox);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPaging(7, 4, 21);
    const auto idAt
        = [&](int row) { return model.cachedEntryAt(row) ? model.cachedEntryAt(row)->id : -1; };
    expectJumpsReadOnTheWorker(
        model, plainMail(session), [&] { model.setQuery({}); }, idAt);

    Result<std::unique_ptr<Database>> other = m_testDatabase->open();
    ASSERT_TRUE(other.has_value());
    for (int i = 1; i <= 5; ++i)
        insertMail(**other, 1000 + i);
    other->reset();
    expectJumpsReadOnTheWorker(
        model, plainMail(session), [&] { model.reload(); }, idAt);

    // The worker reads in the session's scope, with its rights to act.
    const Session reseller = resellerAdmin();
    OutboxTableModel scoped(reseller, *m_outbox);
    QAbstractItemModelTester scopedTester(
        &scoped, QAbstractItemModelTester::FailureReportingMode::Fatal);
    scoped.setPaging(1, 4, 1);
    scoped.reload();
    const QList<qint64> visible = plainMail(reseller);
    ASSERT_EQ(scoped.rowCount(), visible.size());
    if (scoped.rowCount() > 2) {
        const int row = scoped.rowCount() / 2;
        (void)scoped.index(row, 0).data();
        ASSERT_TRUE(waitForPages(scoped));
        ASSERT_NE(scoped.cachedEntryAt(row), nullptr);
        EXPECT_EQ(scoped.cachedEntryAt(row)->id, visible.at(row));
        Result<QList<OutboxEntry>> direct = m_outbox->list(reseller, [row] {
            OutboxQuery query;
            query.offset = row;
            query.limit = 1;
            return query;
        }());
        ASSERT_TRUE(direct.has_value());
        EXPECT_EQ(scoped.cachedEntryAt(row)->canResend, direct->constFirst().canResend);
        EXPECT_EQ(scoped.cachedEntryAt(row)->canCancel, direct->constFirst().canCancel);
        EXPECT_GE(scoped.workerPageReads(), 1);
    }
}

RD_INSTANTIATE_FOR_BACKENDS(LogTableModelsTest);
