#include <functional>
#include <optional>

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "services/AccessControl.h"
#include "services/AuditService.h"
#include "services/Clock.h"
#include "services/OutboxService.h"
#include "storage/AuditRepository.h"
#include "storage/OutboxRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

std::string describe(const Error &error)
{
    return error.toString().toStdString();
}

// One list as a table model pages it (the functions of KeysetPageCache's
// Source), for the audit events, the Login As sessions and the outbox alike.
template<typename Row, typename Key> struct PagedList
{
    std::function<Result<qint64>()> count;
    std::function<Result<QList<Row>>(const std::optional<Key> &, int)> after;
    std::function<Result<QList<Row>>(const std::optional<Key> &, int)> before;
    std::function<Result<QList<Row>>(qint64, int)> atRow;
    std::function<Result<QList<Row>>()> plain; // every row in one list call
    std::function<Key(const Row &)> keyOf;
    std::function<qint64(const Row &)> idOf;

    QList<qint64> ids(const QList<Row> &rows) const
    {
        QList<qint64> result;
        for (const Row &row : rows)
            result.append(idOf(row));
        return result;
    }

    QList<qint64> all() const
    {
        Result<QList<Row>> rows = plain();
        EXPECT_TRUE(rows.has_value()) << describe(rows.error());
        return ids(rows.value_or(QList<Row>()));
    }

    // Page by page from the start, each after the previous page's last row.
    QList<qint64> forward(int pageRows, std::optional<Key> key = std::nullopt) const
    {
        QList<qint64> result;
        for (int guard = 0; guard < 1000; ++guard) {
            Result<QList<Row>> page = after(key, pageRows);
            EXPECT_TRUE(page.has_value()) << describe(page.error());
            if (!page || page->isEmpty())
                break;
            result += ids(*page);
            key = keyOf(page->constLast());
        }
        return result;
    }

    // Page by page from the end, each before the next page's first row.
    QList<qint64> backward(int pageRows) const
    {
        QList<qint64> result;
        std::optional<Key> key;
        for (int guard = 0; guard < 1000; ++guard) {
            Result<QList<Row>> page = before(key, pageRows);
            EXPECT_TRUE(page.has_value()) << describe(page.error());
            if (!page || page->isEmpty())
                break;
            result = ids(*page) + result;
            key = keyOf(page->constFirst());
        }
        return result;
    }
};

// The paged functions of AuditService (events and Login As sessions) and
// OutboxService against one plain list call of the same rows, on both
// databases, within each session's scope.
class LogListPagingTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << describe(world.error());
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db(), m_clock);
        m_audit = std::make_unique<AuditService>(db(), *m_access);
        m_outbox = std::make_unique<OutboxService>(db(), m_clock, *m_access);

        // Rows of reseller A's and reseller B's customers, three at a time
        // with the same time (ties are ordered by id).
        for (int i = 0; i < 40; ++i) {
            const bool a = i % 2 == 0;
            appendEvent(db(), i / 3, a ? m_world.customerA : m_world.customerB,
                a ? m_world.resellerA : m_world.resellerB);
        }
        for (int i = 0; i < 30; ++i) {
            const bool a = i % 2 == 0;
            insertSession(db(), i / 3, a ? m_world.customerA : m_world.customerB,
                a ? m_world.resellerA : m_world.resellerB);
            insertMail(db(), i, a ? m_world.customerA : m_world.customerB,
                a ? m_world.resellerA : m_world.resellerB);
        }
    }

    qint64 appendEvent(Database &database, int minute, qint64 customerId, qint64 resellerId)
    {
        AuditEventRow e;
        e.occurredAt = testNow().addSecs(60 * minute);
        e.actorUserId = m_world.admin->userId();
        e.action = QStringLiteral("customer.edit");
        e.entityType = QStringLiteral("customer");
        e.entityId = customerId;
        e.customerId = customerId;
        e.resellerId = resellerId;
        Result<qint64> id = AuditRepository(database).append(e);
        EXPECT_TRUE(id.has_value()) << describe(id.error());
        return id.value_or(0);
    }

    qint64 insertSession(Database &database, int minute, qint64 customerId, qint64 resellerId)
    {
        QSqlQuery q(database.connection());
        q.prepare(QStringLiteral(
            "INSERT INTO impersonation_sessions (impersonator_user_id, impersonator_membership_id, "
            "client_user_id, client_membership_id, customer_id, reseller_id, reason, started_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
        const QDateTime started = testNow().addSecs(60 * minute);
        q.addBindValue(m_world.support->userId());
        q.addBindValue(m_world.support->membershipId());
        q.addBindValue(m_world.clientAdmin->userId());
        q.addBindValue(m_world.clientAdmin->membershipId());
        q.addBindValue(customerId);
        q.addBindValue(resellerId);
        q.addBindValue(QStringLiteral("asked by phone"));
        q.addBindValue(started.toMSecsSinceEpoch());
        q.addBindValue(started.addSecs(3600).toMSecsSinceEpoch());
        EXPECT_TRUE(q.exec()) << q.lastError().text().toStdString();
        return q.next() ? q.value(0).toLongLong() : 0;
    }

    qint64 insertMail(Database &database, int n, qint64 customerId, qint64 resellerId)
    {
        OutboxRow row;
        row.createdAt = testNow().addSecs(n);
        row.kind = OutboxKind::TrialReminder;
        row.customerId = customerId;
        row.resellerId = resellerId;
        row.recipient = QStringLiteral("person%1@mail.example").arg(n);
        row.subject = QStringLiteral("Message number %1").arg(n);
        row.body = QStringLiteral("Your trial ends soon.");
        row.notBefore = row.createdAt;
        Result<qint64> id = OutboxRepository(database).insert(row);
        EXPECT_TRUE(id.has_value()) << describe(id.error());
        return id.value_or(0);
    }

    PagedList<AuditListRow, AuditCursor> events(
        const Session &session, const AuditFilter &filter = {}) const
    {
        const AuditService &audit = *m_audit;
        PagedList<AuditListRow, AuditCursor> list;
        list.count = [&, filter] { return audit.count(session, filter); };
        list.after = [&, filter](const std::optional<AuditCursor> &key, int limit) {
            return audit.list(session, filter, key.value_or(AuditCursor {}), limit);
        };
        list.before = [&, filter](const std::optional<AuditCursor> &key, int limit) {
            return audit.listBefore(session, filter, key.value_or(AuditCursor {}), limit);
        };
        list.atRow = [&, filter](qint64 offset, int limit) {
            return audit.listAtRow(session, filter, offset, limit);
        };
        list.plain
            = [&, filter] { return audit.list(session, filter, {}, AuditService::MaxPageRows); };
        list.keyOf = [](const AuditListRow &row) { return AuditService::cursorAfter(row); };
        list.idOf = [](const AuditListRow &row) { return row.event.id; };
        return list;
    }

    PagedList<ImpersonationLogRow, AuditCursor> sessions(const Session &session) const
    {
        const AuditService &audit = *m_audit;
        PagedList<ImpersonationLogRow, AuditCursor> list;
        list.count = [&] { return audit.countImpersonationSessions(session, {}); };
        list.after = [&](const std::optional<AuditCursor> &key, int limit) {
            return audit.impersonationSessions(session, {}, key.value_or(AuditCursor {}), limit);
        };
        list.before = [&](const std::optional<AuditCursor> &key, int limit) {
            return audit.impersonationSessionsBefore(
                session, {}, key.value_or(AuditCursor {}), limit);
        };
        list.atRow = [&](qint64 offset, int limit) {
            return audit.impersonationSessionsAtRow(session, {}, offset, limit);
        };
        list.plain = [&] {
            return audit.impersonationSessions(session, {}, {}, AuditService::MaxPageRows);
        };
        list.keyOf = [](const ImpersonationLogRow &row) { return AuditService::cursorAfter(row); };
        list.idOf = [](const ImpersonationLogRow &row) { return row.id; };
        return list;
    }

    PagedList<OutboxEntry, qint64> mail(const Session &session, const OutboxQuery &query = {}) const
    {
        const OutboxService &outbox = *m_outbox;
        PagedList<OutboxEntry, qint64> list;
        list.count = [&, query] { return outbox.count(session, query); };
        list.after = [&, query](const std::optional<qint64> &key, int limit) {
            OutboxQuery page = query;
            page.beforeId = key.value_or(0);
            page.limit = limit;
            return outbox.list(session, page);
        };
        list.before = [&, query](const std::optional<qint64> &key, int limit) {
            OutboxQuery page = query;
            page.afterId = key.value_or(0);
            page.oldest = !key;
            page.limit = limit;
            return outbox.list(session, page);
        };
        list.atRow = [&, query](qint64 offset, int limit) {
            OutboxQuery page = query;
            page.offset = offset;
            page.limit = limit;
            return outbox.list(session, page);
        };
        list.plain = [&, query] {
            OutboxQuery page = query;
            page.limit = OutboxService::MaxPageRows;
            return outbox.list(session, page);
        };
        list.keyOf = [](const OutboxEntry &entry) { return entry.id; };
        list.idOf = [](const OutboxEntry &entry) { return entry.id; };
        return list;
    }

    // Every way of paging gives the plain list's rows, in its order.
    template<typename Row, typename Key>
    void expectPagesEqualThePlainList(
        const PagedList<Row, Key> &list, const char *what, qsizetype atLeast)
    {
        const QList<qint64> plain = list.all();
        ASSERT_GE(plain.size(), atLeast) << what;
        Result<qint64> count = list.count();
        ASSERT_TRUE(count.has_value()) << describe(count.error());
        EXPECT_EQ(*count, plain.size()) << what;
        for (const int pageRows : {1, 7, 1000}) {
            EXPECT_EQ(list.forward(pageRows), plain) << what << " forward " << pageRows;
            EXPECT_EQ(list.backward(pageRows), plain) << what << " backward " << pageRows;
        }
        for (const qint64 offset : {qint64 {0}, qint64 {5}, plain.size() / 2, plain.size() - 3}) {
            Result<QList<Row>> jump = list.atRow(offset, 7);
            ASSERT_TRUE(jump.has_value()) << describe(jump.error());
            EXPECT_EQ(list.ids(*jump), plain.mid(offset, 7)) << what << " at row " << offset;
        }
        Result<QList<Row>> beyond = list.atRow(plain.size(), 7);
        ASSERT_TRUE(beyond.has_value());
        EXPECT_TRUE(beyond->isEmpty()) << what;
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<AuditService> m_audit;
    std::unique_ptr<OutboxService> m_outbox;
};

} // namespace

TEST_P(LogListPagingTest, PagesForwardBackwardAndByRowEqualOnePlainList)
{
    for (const Session *session : {&*m_world.admin, &*m_world.support, &*m_world.resellerAdmin}) {
        expectPagesEqualThePlainList(events(*session), "events", 20);
        expectPagesEqualThePlainList(sessions(*session), "sessions", 15);
        expectPagesEqualThePlainList(mail(*session), "outbox", 15);
    }
    // Filtered lists count and page the same rows as their plain list.
    AuditFilter onlyB;
    onlyB.customerId = m_world.customerB;
    expectPagesEqualThePlainList(events(*m_world.admin, onlyB), "events of B", 20);
    OutboxQuery search;
    search.search = QStringLiteral("number 1");
    expectPagesEqualThePlainList(mail(*m_world.admin, search), "outbox search", 11);
}

TEST_P(LogListPagingTest, AResellerAdminCountsAndPagesOnlyItsOwnScope)
{
    const Session &admin = *m_world.admin;
    const Session &reseller = *m_world.resellerAdmin;
    ASSERT_EQ(reseller.role(), Role::ResellerAdmin);

    // Reseller A's admin: none of reseller B's customers' rows, by any call.
    const auto idsOfB = [](const auto &list, const auto &isB) {
        QList<qint64> result;
        const auto rows = list.plain();
        for (const auto &row : rows.value())
            if (isB(row))
                result.append(list.idOf(row));
        return result;
    };
    const QList<qint64> eventsOfB = idsOfB(events(admin),
        [&](const AuditListRow &row) { return row.event.customerId == m_world.customerB; });
    const QList<qint64> sessionsOfB = idsOfB(sessions(admin),
        [&](const ImpersonationLogRow &row) { return row.customerId == m_world.customerB; });
    const QList<qint64> mailOfB = idsOfB(
        mail(admin), [&](const OutboxEntry &row) { return row.customerId == m_world.customerB; });
    ASSERT_EQ(eventsOfB.size(), 20);
    ASSERT_EQ(sessionsOfB.size(), 15);
    ASSERT_EQ(mailOfB.size(), 15);

    const auto check
        = [&](const auto &all, const auto &own, const QList<qint64> &ofB, const char *what) {
              const QList<qint64> everything = all.all();
              const QList<qint64> mine = own.all();
              Result<qint64> count = own.count();
              ASSERT_TRUE(count.has_value());
              EXPECT_EQ(*count, mine.size()) << what;
              EXPECT_LE(mine.size(), everything.size() - ofB.size()) << what;
              QSet<qint64> seen(mine.cbegin(), mine.cend());
              const QList<qint64> back = own.backward(7);
              seen.unite(QSet<qint64>(back.cbegin(), back.cend()));
              for (qint64 offset = 0; offset < everything.size(); offset += 7) {
                  auto jump = own.atRow(offset, 7);
                  ASSERT_TRUE(jump.has_value());
                  const QList<qint64> ids = own.ids(*jump);
                  seen.unite(QSet<qint64>(ids.cbegin(), ids.cend()));
              }
              for (const qint64 id : ofB)
                  EXPECT_FALSE(seen.contains(id)) << what << " shows " << id;
              EXPECT_EQ(back, mine) << what;
          };
    check(events(admin), events(reseller), eventsOfB, "events");
    check(sessions(admin), sessions(reseller), sessionsOfB, "sessions");
    check(mail(admin), mail(reseller), mailOfB, "outbox");

    // Roles without the audit log are refused by every call.
    const Session &user = *m_world.resellerUser;
    EXPECT_EQ(m_audit->count(user, {}).error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(m_audit->listBefore(user, {}, {}, 7).error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(m_audit->listAtRow(user, {}, 0, 7).error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(
        m_audit->countImpersonationSessions(user, {}).error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(m_audit->impersonationSessionsBefore(user, {}, {}, 7).error().code(),
        ErrorCode::PermissionDenied);
    EXPECT_EQ(m_audit->impersonationSessionsAtRow(user, {}, 0, 7).error().code(),
        ErrorCode::PermissionDenied);
    EXPECT_EQ(m_outbox->count(user, {}).error().code(), ErrorCode::PermissionDenied);
    OutboxQuery oldest;
    oldest.oldest = true;
    EXPECT_EQ(m_outbox->list(user, oldest).error().code(), ErrorCode::PermissionDenied);
}

TEST_P(LogListPagingTest, KeysetContinuesExactlyAfterAnotherConnectionAddsRows)
{
    const Session &admin = *m_world.admin;
    const auto firstPage = [](const auto &list) {
        auto page = list.after(std::nullopt, 7);
        EXPECT_TRUE(page.has_value());
        return page.value();
    };
    const auto firstEvents = firstPage(events(admin));
    const auto firstSessions = firstPage(sessions(admin));
    const auto firstMail = firstPage(mail(admin));
    const qsizetype eventsBefore = events(admin).all().size();
    const qsizetype sessionsBefore = sessions(admin).all().size();
    const qsizetype mailBefore = mail(admin).all().size();

    // Another desktop adds rows meanwhile: newer ones, and events and
    // sessions in the middle of the order.
    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value()) << describe(other.error());
    for (int i = 0; i < 3; ++i) {
        appendEvent(**other, 100 + i, m_world.customerA, m_world.resellerA);
        appendEvent(**other, 5, m_world.customerB, m_world.resellerB);
        insertSession(**other, 100 + i, m_world.customerA, m_world.resellerA);
        insertSession(**other, 5, m_world.customerB, m_world.resellerB);
        insertMail(**other, 100 + i, m_world.customerA, m_world.resellerA);
    }
    other->reset();

    const auto expectContinues = [](const auto &list, const auto &first, qsizetype added,
                                     qsizetype before, const char *what) {
        const QList<qint64> now = list.all();
        EXPECT_EQ(now.size(), before + added) << what;
        Result<qint64> count = list.count();
        ASSERT_TRUE(count.has_value());
        EXPECT_EQ(*count, now.size()) << what << ": the count follows";
        const qsizetype at = now.indexOf(list.idOf(first.constLast()));
        ASSERT_GE(at, 0) << what;
        EXPECT_EQ(list.forward(5, list.keyOf(first.constLast())), now.mid(at + 1)) << what;
        EXPECT_EQ(list.backward(7), now) << what;
    };
    expectContinues(events(admin), firstEvents, 6, eventsBefore, "events");
    expectContinues(sessions(admin), firstSessions, 6, sessionsBefore, "sessions");
    expectContinues(mail(admin), firstMail, 3, mailBefore, "outbox");
}

RD_INSTANTIATE_FOR_BACKENDS(LogListPagingTest);
