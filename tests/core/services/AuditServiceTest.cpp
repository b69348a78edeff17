#include <algorithm>
#include <tuple>

#include <QBuffer>
#include <QMap>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "MatrixTable.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Csv.h"
#include "domain/Role.h"
#include "services/AccessControl.h"
#include "services/AuditService.h"
#include "storage/AuditRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of the section 3 row. A wrong permission table in
// the code cannot make this copy wrong too.
const char *const MatrixRows = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| audit log, outbox | all | all | own portal | – | – | – | – |
)";

const QList<Role> &Columns = matrixColumns();

QString cell(const char *action, Role role)
{
    return matrixCell(MatrixRows, action, role);
}

const QString Malicious = QStringLiteral("=cmd|' /C calc'!A0");

class AuditServiceTest : public DatabaseTest
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
        m_service = std::make_unique<AuditService>(db(), *m_access);

        const qint64 admin = m_world.admin->userId();
        const qint64 support = m_world.support->userId();
        const qint64 resellerAdmin = m_world.resellerAdmin->userId();
        const qint64 client = m_world.clientAdmin->userId();
        // One event for each place an event can belong to, a minute apart.
        m_evA = append(1, admin, 0, QStringLiteral("customer.edit"), m_world.customerA,
            m_world.resellerA, QStringLiteral("typo in the name"));
        m_evB = append(2, admin, 0, QStringLiteral("customer.edit"), m_world.customerB,
            m_world.resellerB, Malicious);
        m_evAB = append(3, resellerAdmin, 0, QStringLiteral("trial.extend"), m_world.customerAB,
            m_world.resellerB);
        m_evA1 = append(
            4, admin, 0, QStringLiteral("customer.create"), m_world.customerA1, m_world.resellerA1);
        m_evDirect
            = append(5, admin, 0, QStringLiteral("customer.create"), m_world.customerDirect, 0);
        m_evPortalA = append(6, resellerAdmin, 0, QStringLiteral("user.create"), 0,
            m_world.resellerA, {}, QStringLiteral("user"));
        m_evPortalB = append(7, admin, 0, QStringLiteral("user.create"), 0, m_world.resellerB, {},
            QStringLiteral("user"));
        m_evVendor = append(
            8, admin, 0, QStringLiteral("settings.change"), 0, 0, {}, QStringLiteral("settings"));
        // Made by the client admin while Support was logged in as it.
        m_evLoginAs = append(9, client, support, QStringLiteral("customer.edit"), m_world.customerA,
            m_world.resellerA, QStringLiteral("asked by phone"));
    }

    qint64 append(int minute, qint64 actor, qint64 impersonator, const QString &action,
        qint64 customerId, qint64 resellerId, const QString &reason = {},
        const QString &entityType = QStringLiteral("customer"))
    {
        AuditEventRow e;
        e.occurredAt = testNow().addSecs(60 * minute);
        e.actorUserId = actor;
        e.impersonatorUserId = impersonator;
        e.action = action;
        e.entityType = entityType;
        e.entityId = customerId > 0 ? customerId : resellerId;
        e.customerId = customerId;
        e.resellerId = resellerId;
        e.reason = reason;
        e.beforeJson = QStringLiteral("{\"name\":\"Old, Inc.\",\"status\":\"trial\"}");
        e.afterJson = QStringLiteral("{\"name\":\"New \\\"Inc\\\"\",\"status\":\"trial\"}");
        Result<qint64> id = AuditRepository(db()).append(e);
        EXPECT_TRUE(id.has_value()) << id.error().toString().toStdString();
        return id.value_or(0);
    }

    QList<qint64> ids(const Session &session, const AuditFilter &filter = {})
    {
        Result<QList<AuditListRow>> rows = m_service->list(session, filter);
        EXPECT_TRUE(rows.has_value()) << rows.error().toString().toStdString();
        QList<qint64> list;
        for (const AuditListRow &row : rows.value_or(QList<AuditListRow> {}))
            list.append(row.event.id);
        return list;
    }

    QSet<qint64> visible(const Session &session, const AuditFilter &filter = {})
    {
        const QList<qint64> list = ids(session, filter);
        return QSet<qint64>(list.begin(), list.end());
    }

    QSet<qint64> allEvents() const
    {
        return {m_evA, m_evB, m_evAB, m_evA1, m_evDirect, m_evPortalA, m_evPortalB, m_evVendor,
            m_evLoginAs};
    }

    // A Login As session row as the Login As service writes it.
    qint64 insertSession(const Session &impersonator, const Session &client, qint64 customerId,
        qint64 resellerId, int minute, const QString &reason, int endedAfterMinutes = -1,
        const char *endReason = nullptr)
    {
        QSqlQuery q(db().connection());
        q.prepare(QStringLiteral(
            "INSERT INTO impersonation_sessions (impersonator_user_id, impersonator_membership_id, "
            "client_user_id, client_membership_id, customer_id, reseller_id, reason, started_at, "
            "expires_at, ended_at, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id"));
        const QDateTime started = testNow().addSecs(60 * minute);
        q.addBindValue(impersonator.userId());
        q.addBindValue(impersonator.membershipId());
        q.addBindValue(client.userId());
        q.addBindValue(client.membershipId());
        q.addBindValue(customerId);
        q.addBindValue(
            resellerId > 0 ? QVariant(resellerId) : QVariant(QMetaType(QMetaType::LongLong)));
        q.addBindValue(reason);
        q.addBindValue(started.toMSecsSinceEpoch());
        q.addBindValue(started.addSecs(3600).toMSecsSinceEpoch());
        q.addBindValue(endedAfterMinutes >= 0
                ? QVariant(started.addSecs(60 * endedAfterMinutes).toMSecsSinceEpoch())
                : QVariant(QMetaType(QMetaType::LongLong)));
        q.addBindValue(endReason ? QVariant(QString::fromLatin1(endReason))
                                 : QVariant(QMetaType(QMetaType::QString)));
        EXPECT_TRUE(q.exec()) << q.lastError().text().toStdString();
        return q.next() ? q.value(0).toLongLong() : 0;
    }

    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<AuditService> m_service;
    qint64 m_evA = 0;
    qint64 m_evB = 0;
    qint64 m_evAB = 0;
    qint64 m_evA1 = 0;
    qint64 m_evDirect = 0;
    qint64 m_evPortalA = 0;
    qint64 m_evPortalB = 0;
    qint64 m_evVendor = 0;
    qint64 m_evLoginAs = 0;
};

} // namespace

TEST_P(AuditServiceTest, ListFollowsTheMatrix)
{
    for (const Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const Session &session = m_world.as(role);
        const QString expected = cell("audit log, outbox", role);
        Result<QList<AuditListRow>> list = m_service->list(session, {});
        Result<QStringList> actions = m_service->actions(session);
        Result<AuditListRow> one = m_service->event(session, m_evA);
        Result<QList<ImpersonationLogRow>> sessions = m_service->impersonationSessions(session, {});
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        Result<qint64> exported = m_service->exportCsv(session, {}, buffer);
        if (expected == QStringLiteral("–")) {
            for (const ErrorCode code : {list ? ErrorCode::DatabaseError : list.error().code(),
                     actions ? ErrorCode::DatabaseError : actions.error().code(),
                     one ? ErrorCode::DatabaseError : one.error().code(),
                     sessions ? ErrorCode::DatabaseError : sessions.error().code(),
                     exported ? ErrorCode::DatabaseError : exported.error().code()})
                EXPECT_EQ(code, ErrorCode::PermissionDenied);
            EXPECT_TRUE(buffer.data().isEmpty()) << "nothing written";
            continue;
        }
        ASSERT_TRUE(list.has_value()) << list.error().toString().toStdString();
        ASSERT_TRUE(actions.has_value());
        ASSERT_TRUE(one.has_value());
        ASSERT_TRUE(sessions.has_value());
        ASSERT_TRUE(exported.has_value());
        if (expected == QStringLiteral("all")) {
            EXPECT_EQ(visible(session), allEvents());
            EXPECT_EQ(*exported, 9);
            EXPECT_EQ(*actions,
                (QStringList {QStringLiteral("customer.create"), QStringLiteral("customer.edit"),
                    QStringLiteral("settings.change"), QStringLiteral("trial.extend"),
                    QStringLiteral("user.create")}));
        } else {
            ASSERT_EQ(expected, QStringLiteral("own portal"));
            // Reseller A: its customers (owned or additionally assigned) and
            // its own portal's events; not its sub-portal's customers.
            EXPECT_EQ(visible(session), (QSet<qint64> {m_evA, m_evAB, m_evPortalA, m_evLoginAs}));
            EXPECT_EQ(*exported, 4);
            EXPECT_EQ(*actions,
                (QStringList {QStringLiteral("customer.edit"), QStringLiteral("trial.extend"),
                    QStringLiteral("user.create")}));
        }
    }
}

TEST_P(AuditServiceTest, AResellerAdminNeverSeesAnotherPortalsEvents)
{
    EXPECT_EQ(visible(*m_world.resellerAdminB), (QSet<qint64> {m_evB, m_evAB, m_evPortalB}));
    EXPECT_EQ(visible(*m_world.resellerAdminA1), (QSet<qint64> {m_evA1}));
    // Scope "all" reaches every customer, not other portals' own events.
    EXPECT_EQ(visible(*m_world.resellerAdminC),
        (QSet<qint64> {m_evA, m_evB, m_evAB, m_evA1, m_evDirect, m_evLoginAs}));

    // A filter cannot widen the scope: asking for B's reseller or customer
    // as reseller A gives nothing.
    AuditFilter other;
    other.resellerId = m_world.resellerB;
    EXPECT_EQ(visible(*m_world.resellerAdmin, other), (QSet<qint64> {m_evAB}))
        << "only the shared customer's event, which A sees anyway";
    other = {};
    other.customerId = m_world.customerB;
    EXPECT_TRUE(visible(*m_world.resellerAdmin, other).isEmpty());

    // An ended assignment takes the customer's events out of the scope.
    QSqlQuery q(db().connection());
    q.prepare(QStringLiteral("UPDATE customer_assignments SET ended_at = ? "
                             "WHERE customer_id = ? AND reseller_id = ?"));
    q.addBindValue(testNow().addSecs(3600).toMSecsSinceEpoch());
    q.addBindValue(m_world.customerAB);
    q.addBindValue(m_world.resellerA);
    ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();
    EXPECT_EQ(visible(*m_world.resellerAdmin), (QSet<qint64> {m_evA, m_evPortalA, m_evLoginAs}));
}

TEST_P(AuditServiceTest, RowsCarryTheNames)
{
    Result<AuditListRow> row = m_service->event(*m_world.admin, m_evLoginAs);
    ASSERT_TRUE(row.has_value()) << row.error().toString().toStdString();
    EXPECT_EQ(row->actorName, QStringLiteral("client_admin user"));
    EXPECT_EQ(row->impersonatorName, QStringLiteral("support user"));
    EXPECT_EQ(row->customerName, QStringLiteral("Alpha"));
    EXPECT_FALSE(row->resellerName.isEmpty());
    EXPECT_EQ(row->event.reason, QStringLiteral("asked by phone"));
    EXPECT_EQ(row->event.occurredAt, testNow().addSecs(9 * 60));

    Result<AuditListRow> vendor = m_service->event(*m_world.admin, m_evVendor);
    ASSERT_TRUE(vendor.has_value());
    EXPECT_TRUE(vendor->customerName.isEmpty());
    EXPECT_TRUE(vendor->resellerName.isEmpty());
    EXPECT_TRUE(vendor->impersonatorName.isEmpty());
}

TEST_P(AuditServiceTest, EventOutOfScopeIsNotFound)
{
    for (const qint64 id : {m_evB, m_evA1, m_evDirect, m_evPortalB, m_evVendor, qint64(999999)}) {
        Result<AuditListRow> row = m_service->event(*m_world.resellerAdmin, id);
        ASSERT_FALSE(row.has_value()) << id;
        EXPECT_EQ(row.error().code(), ErrorCode::NotFound) << id;
    }
    EXPECT_TRUE(m_service->event(*m_world.resellerAdmin, m_evAB).has_value());
    EXPECT_TRUE(m_service->event(*m_world.resellerAdmin, m_evPortalA).has_value());
    Result<AuditListRow> manager = m_service->event(*m_world.resellerManager, m_evA);
    ASSERT_FALSE(manager.has_value());
    EXPECT_EQ(manager.error().code(), ErrorCode::PermissionDenied);
}

TEST_P(AuditServiceTest, EachFilterNarrowsInTheDatabase)
{
    const Session &admin = *m_world.admin;
    AuditFilter f;

    // Actor: part of the name or email, ignoring case.
    f.actor = QStringLiteral("RESELLER_ADMIN");
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evAB, m_evPortalA}));
    f.actor = QStringLiteral("admin@a.EXAMPLE");
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evAB, m_evPortalA}));
    f.actor = QStringLiteral("%");
    EXPECT_TRUE(visible(admin, f).isEmpty()) << "wildcards are taken literally";
    f.actor = QStringLiteral("client_admin");
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evLoginAs}));

    // Impersonator text, and "only Login As".
    f = {};
    f.impersonator = QStringLiteral("support@");
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evLoginAs}));
    f.impersonator = QStringLiteral("administrator");
    EXPECT_TRUE(visible(admin, f).isEmpty());
    f = {};
    f.onlyLoginAs = true;
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evLoginAs}));

    // Customer: part of the company name, or its id.
    f = {};
    f.customer = QStringLiteral("alph");
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evA, m_evLoginAs}));
    f = {};
    f.customerId = m_world.customerB;
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evB}));

    // Reseller column.
    f = {};
    f.resellerId = m_world.resellerB;
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evB, m_evAB, m_evPortalB}));

    // Action: the exact key.
    f = {};
    f.action = QStringLiteral("customer.create");
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evA1, m_evDirect}));
    f.action = QStringLiteral("customer");
    EXPECT_TRUE(visible(admin, f).isEmpty());

    // Time: from inclusive, to exclusive, either alone.
    f = {};
    f.from = testNow().addSecs(7 * 60);
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evPortalB, m_evVendor, m_evLoginAs}));
    f.to = testNow().addSecs(9 * 60);
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evPortalB, m_evVendor}));
    f.from = {};
    f.to = testNow().addSecs(2 * 60);
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evA}));

    // Together: all parts must match.
    f = {};
    f.actor = QStringLiteral("administrator");
    f.action = QStringLiteral("customer.edit");
    f.customer = QStringLiteral("bravo");
    EXPECT_EQ(visible(admin, f), (QSet<qint64> {m_evB}));
}

TEST_P(AuditServiceTest, PagesReturnEveryRowOnceInOrderEvenWithEqualTimes)
{
    // Bulk actions write many events in the same millisecond.
    for (int i = 0; i < 23; ++i)
        append(5, m_world.admin->userId(), 0, QStringLiteral("customer.clone"), m_world.customerA,
            m_world.resellerA);

    QList<AuditListRow> expected = *m_service->list(*m_world.admin, {}, {}, 1000);
    ASSERT_EQ(expected.size(), 32);
    for (int i = 1; i < expected.size(); ++i) {
        const AuditEventRow &a = expected.at(i - 1).event;
        const AuditEventRow &b = expected.at(i).event;
        EXPECT_TRUE(std::tie(a.occurredAt, a.id) > std::tie(b.occurredAt, b.id)) << i;
    }

    for (const int size : {1, 4, 7, 32, 50}) {
        SCOPED_TRACE(size);
        QList<qint64> paged;
        AuditCursor cursor;
        for (int pages = 0; pages < 100; ++pages) {
            Result<QList<AuditListRow>> page = m_service->list(*m_world.admin, {}, cursor, size);
            ASSERT_TRUE(page.has_value()) << page.error().toString().toStdString();
            EXPECT_LE(page->size(), size);
            for (const AuditListRow &row : std::as_const(*page))
                paged.append(row.event.id);
            if (page->size() < size)
                break;
            cursor = AuditService::cursorAfter(page->constLast());
        }
        QList<qint64> expectedIds;
        for (const AuditListRow &row : std::as_const(expected))
            expectedIds.append(row.event.id);
        EXPECT_EQ(paged, expectedIds);
    }

    // The reseller's view pages the same way within its scope.
    QList<qint64> scoped;
    AuditCursor cursor;
    for (;;) {
        Result<QList<AuditListRow>> page = m_service->list(*m_world.resellerAdmin, {}, cursor, 5);
        ASSERT_TRUE(page.has_value());
        for (const AuditListRow &row : std::as_const(*page))
            scoped.append(row.event.id);
        if (page->size() < 5)
            break;
        cursor = AuditService::cursorAfter(page->constLast());
    }
    EXPECT_EQ(scoped.size(), 4 + 23);
    EXPECT_EQ(QSet<qint64>(scoped.begin(), scoped.end()).size(), scoped.size());
}

TEST_P(AuditServiceTest, LoginAsSessionsAreListedWithinTheScope)
{
    const Session &client = *m_world.clientAdmin;
    const qint64 closed = insertSession(*m_world.support, client, m_world.customerA,
        m_world.resellerA, 10, QStringLiteral("ticket 4711"), 12, "closed");
    const qint64 open = insertSession(
        *m_world.resellerAdmin, client, m_world.customerA, m_world.resellerA, 20, Malicious);
    const qint64 foreign = insertSession(*m_world.admin, client, m_world.customerB,
        m_world.resellerB, 30, QStringLiteral("migration check"), 60, "expired");
    const qint64 direct = insertSession(*m_world.admin, client, m_world.customerDirect, 0, 40,
        QStringLiteral("direct account"), 1, "app_exit");

    const auto listed = [this](const Session &session, const ImpersonationLogFilter &filter) {
        Result<QList<ImpersonationLogRow>> rows = m_service->impersonationSessions(session, filter);
        EXPECT_TRUE(rows.has_value()) << rows.error().toString().toStdString();
        QList<qint64> list;
        for (const ImpersonationLogRow &row : rows.value_or(QList<ImpersonationLogRow> {}))
            list.append(row.id);
        return list;
    };
    EXPECT_EQ(listed(*m_world.admin, {}), (QList<qint64> {direct, foreign, open, closed}));
    EXPECT_EQ(listed(*m_world.support, {}), (QList<qint64> {direct, foreign, open, closed}));
    EXPECT_EQ(listed(*m_world.resellerAdmin, {}), (QList<qint64> {open, closed}));
    EXPECT_EQ(listed(*m_world.resellerAdminB, {}), (QList<qint64> {foreign}));
    EXPECT_EQ(listed(*m_world.resellerAdminC, {}), (QList<qint64> {direct, foreign, open, closed}))
        << "scope all: every customer's sessions";
    for (const Session *denied : {&*m_world.resellerManager, &*m_world.resellerUser,
             &*m_world.clientAdmin, &*m_world.clientUser}) {
        Result<QList<ImpersonationLogRow>> rows = m_service->impersonationSessions(*denied, {});
        ASSERT_FALSE(rows.has_value());
        EXPECT_EQ(rows.error().code(), ErrorCode::PermissionDenied);
    }

    // What a row carries.
    Result<QList<ImpersonationLogRow>> rows = m_service->impersonationSessions(*m_world.admin, {});
    ASSERT_TRUE(rows.has_value());
    const ImpersonationLogRow &first = rows->at(3);
    EXPECT_EQ(first.id, closed);
    EXPECT_EQ(first.impersonatorName, QStringLiteral("support user"));
    EXPECT_EQ(first.clientUserName, QStringLiteral("client_admin user"));
    EXPECT_EQ(first.customerName, QStringLiteral("Alpha"));
    EXPECT_FALSE(first.resellerName.isEmpty());
    EXPECT_EQ(first.reason, QStringLiteral("ticket 4711"));
    EXPECT_EQ(first.startedAt, testNow().addSecs(600));
    EXPECT_EQ(first.expiresAt, testNow().addSecs(600 + 3600));
    EXPECT_EQ(first.endedAt, testNow().addSecs(600 + 720));
    EXPECT_EQ(first.endReason, QStringLiteral("closed"));
    EXPECT_FALSE(rows->at(2).endedAt.isValid()) << "still open";
    EXPECT_TRUE(rows->at(2).endReason.isEmpty());
    EXPECT_TRUE(rows->at(0).resellerName.isEmpty()) << "a direct account";

    // Filters.
    ImpersonationLogFilter f;
    f.impersonator = QStringLiteral("SUPPORT");
    EXPECT_EQ(listed(*m_world.admin, f), (QList<qint64> {closed}));
    f = {};
    f.customer = QStringLiteral("brav");
    EXPECT_EQ(listed(*m_world.admin, f), (QList<qint64> {foreign}));
    f = {};
    f.customerId = m_world.customerA;
    EXPECT_EQ(listed(*m_world.admin, f), (QList<qint64> {open, closed}));
    f = {};
    f.from = testNow().addSecs(20 * 60);
    f.to = testNow().addSecs(40 * 60);
    EXPECT_EQ(listed(*m_world.admin, f), (QList<qint64> {foreign, open}));

    // Pages.
    Result<QList<ImpersonationLogRow>> page1
        = m_service->impersonationSessions(*m_world.admin, {}, {}, 3);
    ASSERT_TRUE(page1.has_value());
    ASSERT_EQ(page1->size(), 3);
    Result<QList<ImpersonationLogRow>> page2 = m_service->impersonationSessions(
        *m_world.admin, {}, AuditService::cursorAfter(page1->constLast()), 3);
    ASSERT_TRUE(page2.has_value());
    ASSERT_EQ(page2->size(), 1);
    EXPECT_EQ(page2->constFirst().id, closed);
}

TEST_P(AuditServiceTest, ExportWritesSafeCsvOfEveryMatchingEvent)
{
    // More than one export page.
    for (int i = 0; i < 520; ++i)
        append(0, m_world.admin->userId(), 0, QStringLiteral("customer.import"), m_world.customerA,
            m_world.resellerA);

    QBuffer buffer;
    ASSERT_TRUE(buffer.open(QIODevice::WriteOnly));
    Result<qint64> written = m_service->exportCsv(*m_world.admin, {}, buffer);
    ASSERT_TRUE(written.has_value()) << written.error().toString().toStdString();
    EXPECT_EQ(*written, 9 + 520);
    const QByteArray bytes = buffer.data();
    ASSERT_TRUE(bytes.startsWith(Csv::byteOrderMark()));
    const QString text = QString::fromUtf8(bytes.mid(3));
    QStringList lines = text.split(QStringLiteral("\r\n"));
    ASSERT_EQ(lines.takeLast(), QString()) << "the last line ends with CRLF too";
    ASSERT_EQ(lines.size(), 1 + 9 + 520);
    EXPECT_EQ(lines.at(0),
        QStringLiteral("Time (UTC),Actor,Login As by,Action,Entity type,Entity ID,Customer,"
                       "Reseller,Reason,Before,After,Batch ID"));

    // Newest first: the Login As event, then the vendor's settings change.
    const QString time9 = testNow().addSecs(9 * 60).toUTC().toString(Qt::ISODate);
    ASSERT_TRUE(time9.endsWith(QLatin1Char('Z')));
    EXPECT_TRUE(lines.at(1).startsWith(time9
        + QStringLiteral(",client_admin user,support user,"
                         "customer.edit,customer,")))
        << lines.at(1).toStdString();
    EXPECT_TRUE(lines.at(1).contains(QStringLiteral(
        ",asked by phone,\"{\"\"name\"\":\"\"Old, Inc.\"\",\"\"status\"\":\"\"trial\"\"}\",")))
        << lines.at(1).toStdString();

    // The malicious reason comes out as text, not a formula.
    const auto withB = std::find_if(lines.begin(), lines.end(),
        [](const QString &line) { return line.contains(QStringLiteral(",Bravo,")); });
    ASSERT_NE(withB, lines.end());
    EXPECT_TRUE(withB->contains(QStringLiteral(",'=cmd|' /C calc'!A0,"))) << withB->toStdString();

    // A filtered export as reseller A: its scope only.
    QBuffer scoped;
    ASSERT_TRUE(scoped.open(QIODevice::WriteOnly));
    AuditFilter f;
    f.action = QStringLiteral("customer.edit");
    Result<qint64> mine = m_service->exportCsv(*m_world.resellerAdmin, f, scoped);
    ASSERT_TRUE(mine.has_value());
    EXPECT_EQ(*mine, 2);
    EXPECT_FALSE(QString::fromUtf8(scoped.data()).contains(QStringLiteral("Bravo")));
    EXPECT_FALSE(QString::fromUtf8(scoped.data()).contains(QStringLiteral("calc")));

    // A device that refuses writes is an error, not a short file.
    QBuffer closedDevice;
    Result<qint64> refused = m_service->exportCsv(*m_world.admin, {}, closedDevice);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::Unavailable);
}

RD_INSTANTIATE_FOR_BACKENDS(AuditServiceTest);
