#include <chrono>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "storage/OutboxRepository.h"

using namespace rd;
using namespace rd::test;
using namespace std::chrono_literals;

namespace {

class OutboxLeaseTest : public DatabaseTest
{
protected:
    qint64 queue(const QString &recipient, const QDateTime &notBefore,
        OutboxStatus status = OutboxStatus::Pending)
    {
        OutboxRow row;
        row.createdAt = testNow();
        row.kind = OutboxKind::Setup;
        row.recipient = recipient;
        row.subject = QStringLiteral("Welcome");
        row.body = QStringLiteral("Your code: {{one-time-code}}");
        row.secret = QStringLiteral("S3CRET-") + recipient;
        row.status = status;
        row.notBefore = notBefore;
        Result<qint64> id = OutboxRepository(db()).insert(row);
        EXPECT_TRUE(id.has_value()) << id.error().toString().toStdString();
        return id.value_or(0);
    }

    OutboxRow read(qint64 id)
    {
        Result<OutboxRow> row = OutboxRepository(db()).find(id);
        EXPECT_TRUE(row.has_value()) << row.error().toString().toStdString();
        return row.value_or(OutboxRow {});
    }

    QList<OutboxRow> claim(const QDateTime &now, const QString &owner, int limit = 10,
        std::chrono::milliseconds lease = 5min)
    {
        Result<QList<OutboxRow>> rows = OutboxRepository(db()).claimDue(now, owner, lease, limit);
        EXPECT_TRUE(rows.has_value()) << rows.error().toString().toStdString();
        return rows.value_or(QList<OutboxRow> {});
    }

    static QList<qint64> ids(const QList<OutboxRow> &rows)
    {
        QList<qint64> result;
        for (const OutboxRow &row : rows)
            result.append(row.id);
        return result;
    }

    const QDateTime t0 = testNow();
};

} // namespace

TEST_P(OutboxLeaseTest, ClaimsOnlyDueRowsOldestFirstUpToTheLimit)
{
    const qint64 newer = queue(QStringLiteral("b@example.com"), t0.addSecs(-60));
    const qint64 older = queue(QStringLiteral("a@example.com"), t0.addSecs(-120));
    const qint64 future = queue(QStringLiteral("c@example.com"), t0.addSecs(60));
    queue(QStringLiteral("d@example.com"), t0.addSecs(-300), OutboxStatus::Cancelled);
    queue(QStringLiteral("e@example.com"), t0.addSecs(-300), OutboxStatus::Sent);

    const QList<OutboxRow> first = claim(t0, QStringLiteral("desk-a"), 1);
    ASSERT_EQ(ids(first), QList<qint64> {older});
    const OutboxRow &claimed = first.front();
    EXPECT_EQ(claimed.status, OutboxStatus::Sending);
    EXPECT_EQ(claimed.attempts, 1);
    EXPECT_EQ(claimed.leaseOwner, QStringLiteral("desk-a"));
    EXPECT_EQ(claimed.leaseExpiresAt, t0.addSecs(300));
    EXPECT_EQ(claimed.secret, QStringLiteral("S3CRET-a@example.com")) << "the sender needs it";
    EXPECT_EQ(read(older).status, OutboxStatus::Sending);

    EXPECT_EQ(ids(claim(t0, QStringLiteral("desk-a"))), QList<qint64> {newer})
        << "the future, cancelled, sent and already claimed rows are not due";
    EXPECT_TRUE(claim(t0, QStringLiteral("desk-b")).isEmpty());
    EXPECT_EQ(ids(claim(t0.addSecs(60), QStringLiteral("desk-b"))), QList<qint64> {future})
        << "not_before is inclusive";
}

TEST_P(OutboxLeaseTest, ARetriedRowWaitsForItsNextAttemptAndCountsAttempts)
{
    const qint64 id = queue(QStringLiteral("a@example.com"), t0);
    ASSERT_EQ(claim(t0, QStringLiteral("desk-a")).size(), 1);
    OutboxRepository outbox(db());
    ASSERT_TRUE(outbox.markRetry(
        id, QStringLiteral("desk-a"), t0.addSecs(60), QStringLiteral("421 try later")));

    OutboxRow row = read(id);
    EXPECT_EQ(row.status, OutboxStatus::Pending);
    EXPECT_EQ(row.nextAttemptAt, t0.addSecs(60));
    EXPECT_EQ(row.lastError, QStringLiteral("421 try later"));
    EXPECT_TRUE(row.leaseOwner.isEmpty());
    EXPECT_FALSE(row.leaseExpiresAt.isValid());
    EXPECT_EQ(row.secret, QStringLiteral("S3CRET-a@example.com"));

    EXPECT_TRUE(claim(t0.addSecs(59), QStringLiteral("desk-a")).isEmpty());
    const QList<OutboxRow> again = claim(t0.addSecs(60), QStringLiteral("desk-b"));
    ASSERT_EQ(ids(again), QList<qint64> {id});
    EXPECT_EQ(again.front().attempts, 2);
    EXPECT_EQ(again.front().leaseOwner, QStringLiteral("desk-b"));
}

TEST_P(OutboxLeaseTest, OnlyTheLeaseOwnerRecordsTheOutcomeAndSentRedactsTheSecret)
{
    const qint64 id = queue(QStringLiteral("a@example.com"), t0);
    ASSERT_EQ(claim(t0, QStringLiteral("desk-a")).size(), 1);
    OutboxRepository outbox(db());

    for (const Status &refused :
        {outbox.markSent(id, QStringLiteral("desk-b"), QStringLiteral("<m@x>"), t0),
            outbox.markRetry(id, QStringLiteral("desk-b"), t0, QStringLiteral("e")),
            outbox.markFailed(id, QStringLiteral("desk-b"), QStringLiteral("e")),
            outbox.markUnknown(id, QStringLiteral("desk-b"), QStringLiteral("e"))}) {
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::Conflict);
    }
    EXPECT_EQ(read(id).status, OutboxStatus::Sending);

    const QDateTime sentAt = t0.addSecs(5);
    ASSERT_TRUE(
        outbox.markSent(id, QStringLiteral("desk-a"), QStringLiteral("<42@resellerdesk>"), sentAt));
    const OutboxRow row = read(id);
    EXPECT_EQ(row.status, OutboxStatus::Sent);
    EXPECT_EQ(row.sentAt, sentAt);
    EXPECT_EQ(row.messageId, QStringLiteral("<42@resellerdesk>"));
    EXPECT_TRUE(row.secret.isEmpty()) << "the secret is redacted once delivered";
    EXPECT_TRUE(row.body.contains(QStringLiteral("{{one-time-code}}")));
    EXPECT_TRUE(row.leaseOwner.isEmpty());
    EXPECT_FALSE(row.leaseExpiresAt.isValid());

    Status twice = outbox.markSent(id, QStringLiteral("desk-a"), QStringLiteral("<x>"), sentAt);
    ASSERT_FALSE(twice.has_value());
    EXPECT_EQ(twice.error().code(), ErrorCode::Conflict);
}

TEST_P(OutboxLeaseTest, FailedAndUnknownKeepTheSecretForAResend)
{
    const qint64 failed = queue(QStringLiteral("a@example.com"), t0);
    const qint64 unknown = queue(QStringLiteral("b@example.com"), t0);
    ASSERT_EQ(claim(t0, QStringLiteral("desk-a")).size(), 2);
    OutboxRepository outbox(db());
    ASSERT_TRUE(outbox.markFailed(failed, QStringLiteral("desk-a"), QStringLiteral("550 no")));
    ASSERT_TRUE(
        outbox.markUnknown(unknown, QStringLiteral("desk-a"), QStringLiteral("lost after DATA")));

    const OutboxRow f = read(failed);
    EXPECT_EQ(f.status, OutboxStatus::Failed);
    EXPECT_EQ(f.lastError, QStringLiteral("550 no"));
    EXPECT_EQ(f.secret, QStringLiteral("S3CRET-a@example.com"));
    const OutboxRow u = read(unknown);
    EXPECT_EQ(u.status, OutboxStatus::Unknown);
    EXPECT_EQ(u.lastError, QStringLiteral("lost after DATA"));
    EXPECT_EQ(u.secret, QStringLiteral("S3CRET-b@example.com"));

    EXPECT_TRUE(claim(t0.addDays(1), QStringLiteral("desk-a")).isEmpty())
        << "failed and unknown are never claimed again";
}

TEST_P(OutboxLeaseTest, AnExpiredLeaseIsRecoveredAsUnknownAndALiveOneIsLeftAlone)
{
    const qint64 crashed = queue(QStringLiteral("a@example.com"), t0);
    const qint64 live = queue(QStringLiteral("b@example.com"), t0);
    ASSERT_EQ(ids(claim(t0, QStringLiteral("crashed-desk"), 1, 1min)), QList<qint64> {crashed});
    ASSERT_EQ(
        ids(claim(t0.addSecs(30), QStringLiteral("live-desk"), 1, 1min)), QList<qint64> {live});
    OutboxRepository outbox(db());

    Result<int> early = outbox.recoverExpiredLeases(t0.addSecs(59));
    ASSERT_TRUE(early.has_value());
    EXPECT_EQ(*early, 0);

    Result<int> recovered = outbox.recoverExpiredLeases(t0.addSecs(60));
    ASSERT_TRUE(recovered.has_value());
    EXPECT_EQ(*recovered, 1);
    const OutboxRow row = read(crashed);
    EXPECT_EQ(row.status, OutboxStatus::Unknown);
    EXPECT_TRUE(row.lastError.contains(QStringLiteral("lease expired")));
    EXPECT_EQ(row.leaseOwner, QStringLiteral("crashed-desk")) << "shows who was sending";
    EXPECT_EQ(row.attempts, 1);
    EXPECT_EQ(read(live).status, OutboxStatus::Sending);
    EXPECT_EQ(read(live).leaseOwner, QStringLiteral("live-desk"));

    Status late = outbox.markSent(crashed, QStringLiteral("crashed-desk"), QString(), t0);
    ASSERT_FALSE(late.has_value());
    EXPECT_EQ(late.error().code(), ErrorCode::Conflict);
    EXPECT_TRUE(outbox.markSent(live, QStringLiteral("live-desk"), QString(), t0.addSecs(60)));
    EXPECT_EQ(*outbox.recoverExpiredLeases(t0.addDays(1)), 0) << "nothing else is sending";
    EXPECT_TRUE(claim(t0.addDays(1), QStringLiteral("desk")).isEmpty()) << "unknown is not resent";
}

TEST_P(OutboxLeaseTest, CancellingDoesNotTouchARowBeingSent)
{
    Result<Catalogue> catalogue = seedCatalogue(db());
    ASSERT_TRUE(catalogue.has_value()) << catalogue.error().toString().toStdString();
    Result<qint64> customer = seedCustomer(db(), *catalogue, QStringLiteral("Acme"));
    ASSERT_TRUE(customer.has_value());
    OutboxRow row;
    row.createdAt = t0;
    row.kind = OutboxKind::TrialReminder;
    row.customerId = *customer;
    row.recipient = QStringLiteral("a@example.com");
    row.subject = QStringLiteral("Trial");
    row.body = QStringLiteral("Ends soon");
    row.notBefore = t0;
    OutboxRepository outbox(db());
    Result<qint64> id = outbox.insert(row);
    ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();

    ASSERT_EQ(claim(t0, QStringLiteral("desk-a")).size(), 1);
    Result<int> cancelled = outbox.cancelPending(*customer, OutboxKind::TrialReminder);
    ASSERT_TRUE(cancelled.has_value());
    EXPECT_EQ(*cancelled, 0) << "too late to cancel: it is on its way";
    EXPECT_TRUE(outbox.markSent(*id, QStringLiteral("desk-a"), QString(), t0));
    Result<QList<OutboxRow>> rows = outbox.forCustomer(*customer);
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 1);
    EXPECT_EQ(rows->front().status, OutboxStatus::Sent);
}

RD_INSTANTIATE_FOR_BACKENDS(OutboxLeaseTest);
