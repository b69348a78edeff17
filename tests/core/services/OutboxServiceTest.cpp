#include <QMap>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "MatrixTable.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "mail/MessageComposer.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/OutboxService.h"
#include "storage/OutboxRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of the section 3 row. A wrong permission table in
// the code cannot make this copy wrong too.
const char *const MatrixRows = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| audit log, outbox | all | all | own portal | – | – | – | – |
| add customer (wizard), edit, (de)activate | ✓ | – | ✓ scope | – | – | – | – |
)";

const QList<Role> &Columns = matrixColumns();

QString cell(const char *action, Role role)
{
    return matrixCell(MatrixRows, action, role);
}

const QString Secret = QStringLiteral("s3cret-one-time-code-XYZ");

class OutboxServiceTest : public DatabaseTest
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
        m_service = std::make_unique<OutboxService>(db(), m_clock, *m_access);

        // One message for each place a mail can belong to.
        m_mailA = queue(m_world.customerA, m_world.resellerA, OutboxKind::Setup, true);
        m_mailB = queue(m_world.customerB, m_world.resellerB, OutboxKind::Setup, true);
        m_mailAB = queue(m_world.customerAB, m_world.resellerB, OutboxKind::TrialReminder, false);
        m_mailA1 = queue(m_world.customerA1, m_world.resellerA1, OutboxKind::Setup, true);
        m_mailDirect = queue(m_world.customerDirect, 0, OutboxKind::LoginAsNotice, false);
        m_portalA = queue(0, m_world.resellerA, OutboxKind::Invitation, true);
        m_portalB = queue(0, m_world.resellerB, OutboxKind::Invitation, true);
        m_vendor = queue(0, 0, OutboxKind::PasswordReset, true);
    }

    // A queued message as the services write it; withSecret: the body holds
    // the placeholder and the row the secret.
    qint64 queue(qint64 customerId, qint64 resellerId, OutboxKind kind, bool withSecret,
        const QString &recipient = {}, const QString &subject = {})
    {
        const qint64 n = ++m_queued;
        OutboxRow row;
        row.createdAt = m_clock.now().addSecs(n);
        row.kind = kind;
        row.customerId = customerId;
        row.resellerId = resellerId;
        row.recipient
            = recipient.isEmpty() ? QStringLiteral("person%1@mail.example").arg(n) : recipient;
        row.subject = subject.isEmpty() ? QStringLiteral("Message number %1").arg(n) : subject;
        row.body = withSecret ? QStringLiteral("Your code: ") + MessageComposer::secretPlaceholder()
                              : QStringLiteral("Your trial ends soon.");
        row.secret = withSecret ? Secret : QString();
        row.notBefore = row.createdAt;
        Result<qint64> id = OutboxRepository(db()).insert(row);
        EXPECT_TRUE(id.has_value()) << id.error().toString().toStdString();
        return id.value_or(0);
    }

    // Puts a row in a state the dispatcher would have left it in.
    void setState(qint64 id, const char *status, const QString &error = {}, int attempts = 1)
    {
        QSqlQuery q(db().connection());
        q.prepare(QStringLiteral(
            "UPDATE outbox SET status = ?, last_error = ?, attempts = ? WHERE id = ?"));
        q.addBindValue(QString::fromLatin1(status));
        q.addBindValue(error.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : error);
        q.addBindValue(attempts);
        q.addBindValue(id);
        ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();
    }

    OutboxRow row(qint64 id)
    {
        Result<OutboxRow> r = OutboxRepository(db()).find(id);
        EXPECT_TRUE(r.has_value());
        return r.value_or(OutboxRow {});
    }

    QSet<qint64> visible(const Session &session, OutboxQuery query = {})
    {
        Result<QList<OutboxEntry>> entries = m_service->list(session, query);
        EXPECT_TRUE(entries.has_value()) << entries.error().toString().toStdString();
        QSet<qint64> ids;
        for (const OutboxEntry &e : entries.value_or(QList<OutboxEntry> {}))
            ids.insert(e.id);
        return ids;
    }

    QList<OutboxEntry> entries(const Session &session, OutboxQuery query = {})
    {
        Result<QList<OutboxEntry>> list = m_service->list(session, query);
        EXPECT_TRUE(list.has_value()) << list.error().toString().toStdString();
        return list.value_or(QList<OutboxEntry> {});
    }

    int count(const char *table, const QString &where = {})
    {
        QSqlQuery q(db().connection());
        q.exec(QStringLiteral("SELECT count(*) FROM ") + QString::fromLatin1(table)
            + (where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where));
        return q.next() ? q.value(0).toInt() : -1;
    }

    // Everything resend or cancel could change.
    QStringList footprint()
    {
        QStringList state;
        QSqlQuery q(db().connection());
        q.exec(QStringLiteral("SELECT id, status, attempts, version, secret, not_before, "
                              "next_attempt_at, last_error FROM outbox ORDER BY id"));
        while (q.next()) {
            QStringList columns;
            for (int i = 0; i < 8; ++i)
                columns.append(q.value(i).toString());
            state.append(columns.join(QLatin1Char('|')));
        }
        state.append(QString::number(count("audit_events")));
        return state;
    }

    QStringList auditTexts(const char *action)
    {
        QSqlQuery q(db().connection());
        q.prepare(QStringLiteral(
            "SELECT entity_type, entity_id, before_json, after_json, coalesce(reason, '') "
            "FROM audit_events WHERE action = ? ORDER BY id"));
        q.addBindValue(QString::fromLatin1(action));
        q.exec();
        QStringList texts;
        while (q.next()) {
            texts.append(q.value(0).toString() + QLatin1Char(' ') + q.value(1).toString()
                + QLatin1Char(' ') + q.value(2).toString() + QLatin1Char(' ')
                + q.value(3).toString() + QLatin1Char(' ') + q.value(4).toString());
        }
        return texts;
    }

    QSet<qint64> allMail() const
    {
        return {m_mailA, m_mailB, m_mailAB, m_mailA1, m_mailDirect, m_portalA, m_portalB, m_vendor};
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<OutboxService> m_service;
    qint64 m_queued = 0;
    qint64 m_mailA = 0;
    qint64 m_mailB = 0;
    qint64 m_mailAB = 0;
    qint64 m_mailA1 = 0;
    qint64 m_mailDirect = 0;
    qint64 m_portalA = 0;
    qint64 m_portalB = 0;
    qint64 m_vendor = 0;
};

} // namespace

TEST_P(OutboxServiceTest, ListAndSummaryFollowTheMatrix)
{
    setState(m_mailA, "failed", QStringLiteral("550 no such user"));
    setState(m_mailB, "unknown", QStringLiteral("connection lost after DATA"));
    for (const Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const Session &session = m_world.as(role);
        const QString expected = cell("audit log, outbox", role);
        Result<QList<OutboxEntry>> list = m_service->list(session, {});
        Result<OutboxSummary> summary = m_service->summary(session);
        if (expected == QStringLiteral("–")) {
            ASSERT_FALSE(list.has_value());
            EXPECT_EQ(list.error().code(), ErrorCode::PermissionDenied);
            ASSERT_FALSE(summary.has_value());
            EXPECT_EQ(summary.error().code(), ErrorCode::PermissionDenied);
            continue;
        }
        ASSERT_TRUE(list.has_value()) << list.error().toString().toStdString();
        ASSERT_TRUE(summary.has_value()) << summary.error().toString().toStdString();
        if (expected == QStringLiteral("all")) {
            EXPECT_EQ(visible(session), allMail());
            EXPECT_EQ(summary->failed, 1);
            EXPECT_EQ(summary->unknown, 1);
            EXPECT_EQ(summary->pending, 6);
        } else {
            ASSERT_EQ(expected, QStringLiteral("own portal"));
            // Reseller A: its customers (owned or additionally assigned) and
            // its own users' mail; not its sub-portal's customers.
            EXPECT_EQ(visible(session), (QSet<qint64> {m_mailA, m_mailAB, m_portalA}));
            EXPECT_EQ(summary->failed, 1);
            EXPECT_EQ(summary->unknown, 0) << "B's unknown mail is not counted";
            EXPECT_EQ(summary->pending, 2);
            EXPECT_EQ(summary->lastError, QStringLiteral("550 no such user"));
        }
    }
}

TEST_P(OutboxServiceTest, AResellerAdminNeverSeesAnotherPortalsMail)
{
    EXPECT_EQ(visible(*m_world.resellerAdminB), (QSet<qint64> {m_mailB, m_mailAB, m_portalB}));
    EXPECT_EQ(visible(*m_world.resellerAdminA1), (QSet<qint64> {m_mailA1}));
    // Scope "all" reaches every customer, not other portals' user mail.
    EXPECT_EQ(visible(*m_world.resellerAdminC),
        (QSet<qint64> {m_mailA, m_mailB, m_mailAB, m_mailA1, m_mailDirect}));

    // Acting on what it cannot see reads as "does not exist" and changes nothing.
    setState(m_mailB, "failed", QStringLiteral("550"));
    setState(m_portalB, "failed", QStringLiteral("550"));
    const QStringList before = footprint();
    for (const qint64 id : {m_mailB, m_portalB, m_mailA1, m_vendor, qint64(999999)}) {
        Status resent = m_service->resend(*m_world.resellerAdmin, id);
        ASSERT_FALSE(resent.has_value());
        EXPECT_EQ(resent.error().code(), ErrorCode::NotFound) << id;
        Status cancelled = m_service->cancel(*m_world.resellerAdmin, id);
        ASSERT_FALSE(cancelled.has_value());
        EXPECT_EQ(cancelled.error().code(), ErrorCode::NotFound) << id;
    }
    EXPECT_EQ(footprint(), before);
}

TEST_P(OutboxServiceTest, ResendAndCancelFollowTheMatrix)
{
    for (const Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const Session &session = m_world.as(role);
        // A failed customer mail and a pending portal mail of reseller A.
        const qint64 failed = queue(m_world.customerA, m_world.resellerA, OutboxKind::Setup, true);
        setState(failed, "failed", QStringLiteral("550 mailbox unavailable"));
        const qint64 pending = queue(0, m_world.resellerA, OutboxKind::Invitation, true);

        const QString sees = cell("audit log, outbox", role);
        const bool acts = cell("add customer (wizard), edit, (de)activate", role) != u"–";
        const QStringList before = footprint();
        Status resent = m_service->resend(session, failed);
        Status cancelled = m_service->cancel(session, pending);
        if (sees != u"–" && acts) {
            EXPECT_TRUE(resent.has_value()) << resent.error().toString().toStdString();
            EXPECT_TRUE(cancelled.has_value()) << cancelled.error().toString().toStdString();
            EXPECT_EQ(row(failed).status, OutboxStatus::Pending);
            EXPECT_EQ(row(pending).status, OutboxStatus::Cancelled);
            continue;
        }
        ASSERT_FALSE(resent.has_value());
        ASSERT_FALSE(cancelled.has_value());
        EXPECT_EQ(resent.error().code(), ErrorCode::PermissionDenied);
        EXPECT_EQ(cancelled.error().code(), ErrorCode::PermissionDenied);
        EXPECT_EQ(footprint(), before) << "a refused call changes nothing";

        if (sees != u"–") {
            // Support looks but does not act, and the list says so.
            setState(pending, "failed", QStringLiteral("550"));
            for (const OutboxEntry &e : entries(session)) {
                EXPECT_FALSE(e.canResend) << e.id;
                EXPECT_FALSE(e.canCancel) << e.id;
            }
        }
    }
}

TEST_P(OutboxServiceTest, CanResendAndCanCancelFollowTheState)
{
    const qint64 reminder = queue(m_world.customerA, m_world.resellerA, OutboxKind::TrialReminder,
        false, {}, QStringLiteral("Trial ends"));
    setState(m_mailA, "failed", QStringLiteral("550"));
    setState(m_mailB, "unknown", QStringLiteral("cut after DATA"));
    setState(m_mailAB, "sent");
    setState(m_mailA1, "sending");
    setState(reminder, "cancelled");
    ASSERT_TRUE(m_service->cancel(*m_world.admin, m_portalA)); // had a code: now redacted

    QMap<qint64, std::pair<bool, bool>> flags;
    for (const OutboxEntry &e : entries(*m_world.admin))
        flags.insert(e.id, {e.canResend, e.canCancel});
    EXPECT_EQ(flags.value(m_mailA), std::make_pair(true, true)) << "failed";
    EXPECT_EQ(flags.value(m_mailB), std::make_pair(true, true)) << "unknown";
    EXPECT_EQ(flags.value(m_mailAB), std::make_pair(false, false)) << "sent";
    EXPECT_EQ(flags.value(m_mailA1), std::make_pair(false, false)) << "sending";
    EXPECT_EQ(flags.value(m_mailDirect), std::make_pair(false, true)) << "pending";
    EXPECT_EQ(flags.value(reminder), std::make_pair(true, false)) << "cancelled, no code";
    EXPECT_EQ(flags.value(m_portalA), std::make_pair(false, false)) << "cancelled, code gone";
}

TEST_P(OutboxServiceTest, ResendQueuesTheSameRowAgain)
{
    setState(m_mailA, "failed", QStringLiteral("550 mailbox unavailable"), 3);
    const OutboxRow before = row(m_mailA);
    const int messagesBefore = count("outbox");
    m_clock.advanceMs(3600 * 1000);

    ASSERT_TRUE(m_service->resend(*m_world.admin, m_mailA));
    const OutboxRow after = row(m_mailA);
    EXPECT_EQ(count("outbox"), messagesBefore) << "the same row, so the same Message-ID";
    EXPECT_EQ(after.status, OutboxStatus::Pending);
    EXPECT_EQ(after.attempts, 0);
    EXPECT_EQ(after.notBefore, m_clock.now());
    EXPECT_FALSE(after.nextAttemptAt.isValid());
    EXPECT_EQ(after.secret, Secret) << "the code still goes out";
    EXPECT_EQ(after.lastError, QStringLiteral("550 mailbox unavailable")) << "kept until retried";
    EXPECT_EQ(after.version, before.version + 1);

    // The dispatcher picks up that very row, with its secret.
    Result<QList<OutboxRow>> claimed = OutboxRepository(db()).claimDue(
        m_clock.now(), QStringLiteral("test"), std::chrono::minutes(5), 100);
    ASSERT_TRUE(claimed.has_value());
    bool found = false;
    for (const OutboxRow &r : *claimed) {
        if (r.id == m_mailA) {
            found = true;
            EXPECT_EQ(r.secret, Secret);
        }
    }
    EXPECT_TRUE(found);

    const QStringList audit = auditTexts("outbox.resend");
    ASSERT_EQ(audit.size(), 1);
    EXPECT_TRUE(audit.constFirst().contains(QString::number(m_mailA)));
    EXPECT_TRUE(audit.constFirst().contains(QStringLiteral("setup")));
    EXPECT_TRUE(audit.constFirst().contains(before.recipient));
    EXPECT_FALSE(audit.constFirst().contains(Secret));
    EXPECT_FALSE(audit.constFirst().contains(QStringLiteral("Your code")));
}

TEST_P(OutboxServiceTest, CancelRedactsTheSecretAndARedactedCodeIsNeverResent)
{
    ASSERT_TRUE(m_service->cancel(*m_world.resellerAdmin, m_mailA));
    const OutboxRow cancelled = row(m_mailA);
    EXPECT_EQ(cancelled.status, OutboxStatus::Cancelled);
    EXPECT_TRUE(cancelled.secret.isEmpty());
    const QStringList audit = auditTexts("outbox.cancel");
    ASSERT_EQ(audit.size(), 1);
    EXPECT_TRUE(audit.constFirst().contains(cancelled.recipient));
    EXPECT_FALSE(audit.constFirst().contains(Secret));

    const QStringList before = footprint();
    Status resent = m_service->resend(*m_world.admin, m_mailA);
    ASSERT_FALSE(resent.has_value());
    EXPECT_EQ(resent.error().code(), ErrorCode::InvalidInput);
    EXPECT_TRUE(resent.error().message().contains(QStringLiteral("one-time code")));
    EXPECT_TRUE(resent.error().message().contains(QStringLiteral("Resend Setup Email")));
    Status again = m_service->cancel(*m_world.admin, m_mailA);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(footprint(), before);

    // A cancelled mail that never carried a code may go out after all.
    ASSERT_TRUE(m_service->cancel(*m_world.admin, m_mailAB));
    ASSERT_TRUE(m_service->resend(*m_world.admin, m_mailAB));
    EXPECT_EQ(row(m_mailAB).status, OutboxStatus::Pending);
}

TEST_P(OutboxServiceTest, StatesThatRefuseAreExplained)
{
    setState(m_mailA, "sending");
    setState(m_mailB, "sent");
    const QStringList before = footprint();

    Status cancelSending = m_service->cancel(*m_world.admin, m_mailA);
    ASSERT_FALSE(cancelSending.has_value());
    EXPECT_EQ(cancelSending.error().code(), ErrorCode::Conflict);
    Status resendSending = m_service->resend(*m_world.admin, m_mailA);
    ASSERT_FALSE(resendSending.has_value());
    EXPECT_EQ(resendSending.error().code(), ErrorCode::InvalidInput);

    Status resendSent = m_service->resend(*m_world.admin, m_mailB);
    ASSERT_FALSE(resendSent.has_value());
    EXPECT_EQ(resendSent.error().code(), ErrorCode::InvalidInput);
    Status cancelSent = m_service->cancel(*m_world.admin, m_mailB);
    ASSERT_FALSE(cancelSent.has_value());
    EXPECT_EQ(cancelSent.error().code(), ErrorCode::InvalidInput);

    Status resendPending = m_service->resend(*m_world.admin, m_mailDirect);
    ASSERT_FALSE(resendPending.has_value());
    EXPECT_EQ(resendPending.error().code(), ErrorCode::InvalidInput);
    for (const Status &refused :
        {cancelSending, resendSending, resendSent, cancelSent, resendPending})
        EXPECT_FALSE(refused.error().message().isEmpty());
    EXPECT_EQ(footprint(), before);
}

TEST_P(OutboxServiceTest, ResendAndCancelOfVendorAndPortalMail)
{
    setState(m_vendor, "failed", QStringLiteral("550"));
    Status bySupport = m_service->resend(*m_world.support, m_vendor);
    ASSERT_FALSE(bySupport.has_value());
    EXPECT_EQ(bySupport.error().code(), ErrorCode::PermissionDenied);
    ASSERT_TRUE(m_service->resend(*m_world.admin, m_vendor));

    // A Reseller Admin manages its own portal's users' mail.
    setState(m_portalA, "unknown", QStringLiteral("cut"));
    ASSERT_TRUE(m_service->resend(*m_world.resellerAdmin, m_portalA));
    EXPECT_EQ(row(m_portalA).status, OutboxStatus::Pending);
}

TEST_P(OutboxServiceTest, PagesAreNewestFirstWithoutGapsOrRepeats)
{
    for (int i = 0; i < 25; ++i)
        queue(m_world.customerA, m_world.resellerA, OutboxKind::TrialReminder, false);
    OutboxQuery query;
    query.limit = 10;
    QList<qint64> seen;
    for (int pageNo = 0; pageNo < 10; ++pageNo) {
        const QList<OutboxEntry> page = entries(*m_world.admin, query);
        if (page.isEmpty())
            break;
        EXPECT_LE(page.size(), 10);
        for (const OutboxEntry &e : page) {
            if (!seen.isEmpty()) {
                EXPECT_LT(e.id, seen.constLast()) << "newest first";
            }
            seen.append(e.id);
        }
        query.beforeId = page.constLast().id;
    }
    EXPECT_EQ(seen.size(), 33);
    EXPECT_EQ(QSet<qint64>(seen.begin(), seen.end()).size(), 33);

    // The Reseller Admin's pages hold only its own mail.
    query.beforeId = 0;
    query.limit = 1000;
    EXPECT_EQ(visible(*m_world.resellerAdmin, query).size(), 28);
    query.limit = 5000; // clamped, not refused
    EXPECT_EQ(visible(*m_world.admin, query).size(), 33);
}

TEST_P(OutboxServiceTest, FiltersNarrowInTheDatabase)
{
    const qint64 grace = queue(m_world.customerA, m_world.resellerA, OutboxKind::Setup, true,
        QStringLiteral("Grace.Hopper@Navy.example"), QStringLiteral("Your account"));
    const qint64 percent = queue(m_world.customerA, m_world.resellerA, OutboxKind::Setup, true,
        QStringLiteral("ops@percent.example"), QStringLiteral("100% ready for Ärger"));
    setState(m_mailA, "failed", QStringLiteral("550"));
    setState(m_mailB, "unknown", QStringLiteral("cut"));
    setState(m_mailAB, "sending");
    setState(m_mailA1, "sent");
    setState(m_mailDirect, "cancelled");

    const auto with = [](auto change) {
        OutboxQuery q;
        change(q);
        return q;
    };
    const Session &admin = *m_world.admin;
    EXPECT_EQ(visible(admin, with([](OutboxQuery &q) { q.status = OutboxStatus::Failed; })),
        (QSet<qint64> {m_mailA}));
    EXPECT_EQ(visible(admin, with([](OutboxQuery &q) { q.status = OutboxStatus::Unknown; })),
        (QSet<qint64> {m_mailB}));
    EXPECT_EQ(visible(admin, with([](OutboxQuery &q) { q.status = OutboxStatus::Sent; })),
        (QSet<qint64> {m_mailA1}));
    EXPECT_EQ(visible(admin, with([](OutboxQuery &q) { q.status = OutboxStatus::Cancelled; })),
        (QSet<qint64> {m_mailDirect}));
    EXPECT_EQ(visible(admin, with([](OutboxQuery &q) { q.status = OutboxStatus::Pending; })),
        (QSet<qint64> {m_mailAB, m_portalA, m_portalB, m_vendor, grace, percent}))
        << "pending includes the message being sent";
    EXPECT_EQ(visible(admin, with([](OutboxQuery &q) { q.problemsOnly = true; })),
        (QSet<qint64> {m_mailA, m_mailB}));

    // Search: recipient or subject, any case; wildcards are plain text.
    EXPECT_EQ(
        visible(admin, with([](OutboxQuery &q) { q.search = QStringLiteral("grace.HOPPER"); })),
        (QSet<qint64> {grace}));
    EXPECT_EQ(
        visible(admin, with([](OutboxQuery &q) { q.search = QStringLiteral("your ACCOUNT"); })),
        (QSet<qint64> {grace}));
    EXPECT_EQ(visible(admin, with([](OutboxQuery &q) { q.search = QStringLiteral("100%"); })),
        (QSet<qint64> {percent}));
    EXPECT_EQ(visible(admin, with([](OutboxQuery &q) { q.search = QStringLiteral("%"); })),
        (QSet<qint64> {percent}));
    EXPECT_EQ(visible(admin, with([](OutboxQuery &q) { q.search = QStringLiteral("Ärger"); })),
        (QSet<qint64> {percent}));
    // Filters combine, and with the scope.
    EXPECT_TRUE(visible(admin, with([](OutboxQuery &q) {
        q.search = QStringLiteral("grace");
        q.status = OutboxStatus::Failed;
    })).isEmpty());
    EXPECT_EQ(visible(*m_world.resellerAdminB, with([](OutboxQuery &q) { q.problemsOnly = true; })),
        (QSet<qint64> {m_mailB}));

    // What a row shows: its customer's name, never the body.
    for (const OutboxEntry &e : entries(admin)) {
        if (e.id == m_mailA) {
            EXPECT_EQ(e.customerName, QStringLiteral("Alpha"));
        }
        if (e.id == m_vendor) {
            EXPECT_TRUE(e.customerName.isEmpty());
        }
    }
}

TEST_P(OutboxServiceTest, SummaryCountsWithinTheScope)
{
    setState(m_mailA, "failed", QStringLiteral("older problem"));
    setState(m_mailAB, "unknown", QStringLiteral("newest problem"));
    setState(m_mailB, "sending");
    setState(m_mailA1, "sent");
    Result<OutboxSummary> all = m_service->summary(*m_world.admin);
    ASSERT_TRUE(all.has_value());
    EXPECT_EQ(all->pending, 5) << "pending and sending";
    EXPECT_EQ(all->failed, 1);
    EXPECT_EQ(all->unknown, 1);
    EXPECT_EQ(all->problems(), 2);
    EXPECT_EQ(all->lastError, QStringLiteral("newest problem"));
    EXPECT_EQ(all->oldestPending, row(m_mailB).createdAt);

    ASSERT_TRUE(m_service->cancel(*m_world.admin, m_mailA));
    ASSERT_TRUE(m_service->cancel(*m_world.admin, m_mailAB));
    Result<OutboxSummary> calm = m_service->summary(*m_world.admin);
    ASSERT_TRUE(calm.has_value());
    EXPECT_EQ(calm->problems(), 0);
    EXPECT_TRUE(calm->lastError.isEmpty());

    Result<OutboxSummary> subPortal = m_service->summary(*m_world.resellerAdminA1);
    ASSERT_TRUE(subPortal.has_value());
    EXPECT_EQ(subPortal->pending, 0);
    EXPECT_FALSE(subPortal->oldestPending.isValid());
}

TEST_P(OutboxServiceTest, AStaleResendGetsAConflict)
{
    setState(m_mailA, "failed", QStringLiteral("550"));
    const int version = row(m_mailA).version;
    ASSERT_TRUE(m_service->resend(*m_world.admin, m_mailA));
    // Another desktop resends the row it read earlier.
    Status stale = OutboxRepository(db()).resend(
        m_mailA, version, m_clock.now(), MessageComposer::secretPlaceholder());
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
}

RD_INSTANTIATE_FOR_BACKENDS(OutboxServiceTest);
