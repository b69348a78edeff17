#include <chrono>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

#include <QHash>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "mail/Dispatcher.h"
#include "mail/MailTransport.h"
#include "mail/MessageComposer.h"
#include "mail/RetryPolicy.h"
#include "services/Clock.h"
#include "storage/OutboxRepository.h"
#include "storage/WriteTransaction.h"

using namespace rd;
using namespace rd::test;
using namespace std::chrono_literals;

namespace {

DeliveryReceipt receipt(DeliveryOutcome outcome, const QString &detail = {})
{
    DeliveryReceipt r;
    r.outcome = outcome;
    r.detail = detail;
    return r;
}

// Answers each recipient from its script, in order; unscripted sends succeed.
class ScriptedTransport final : public MailTransport
{
public:
    void script(const QString &recipient, std::deque<DeliveryReceipt> answers)
    {
        m_scripts.insert(recipient, std::move(answers));
    }

    DeliveryReceipt send(const OutgoingMail &mail) override
    {
        m_calls.append(mail);
        std::deque<DeliveryReceipt> &answers = m_scripts[mail.recipient];
        if (answers.empty()) {
            DeliveryReceipt sent = receipt(DeliveryOutcome::Sent);
            sent.messageId = QStringLiteral("<%1@test>").arg(mail.outboxId);
            return sent;
        }
        DeliveryReceipt next = answers.front();
        answers.pop_front();
        return next;
    }

    const QList<OutgoingMail> &calls() const { return m_calls; }

private:
    QHash<QString, std::deque<DeliveryReceipt>> m_scripts;
    QList<OutgoingMail> m_calls;
};

// Counts deliveries per outbox id from any number of threads.
class CountingTransport final : public MailTransport
{
public:
    DeliveryReceipt send(const OutgoingMail &mail) override
    {
        const std::lock_guard lock(m_mutex);
        ++m_deliveries[mail.outboxId];
        DeliveryReceipt sent = receipt(DeliveryOutcome::Sent);
        sent.messageId = QStringLiteral("<%1@test>").arg(mail.outboxId);
        return sent;
    }

    QHash<qint64, int> deliveries() const
    {
        const std::lock_guard lock(m_mutex);
        return m_deliveries;
    }

private:
    mutable std::mutex m_mutex;
    QHash<qint64, int> m_deliveries;
};

class DispatcherTest : public DatabaseTest
{
protected:
    qint64 queue(const QString &recipient, const QString &secret = {},
        const QString &body = QStringLiteral("Hello"))
    {
        return queueIn(db(), recipient, secret, body);
    }

    static qint64 queueIn(Database &database, const QString &recipient, const QString &secret = {},
        const QString &body = QStringLiteral("Hello"))
    {
        OutboxRow row;
        row.createdAt = testNow();
        row.kind = OutboxKind::Invitation;
        row.recipient = recipient;
        row.subject = QStringLiteral("Invitation");
        row.body = body;
        row.secret = secret;
        row.notBefore = testNow();
        Result<qint64> id = OutboxRepository(database).insert(row);
        EXPECT_TRUE(id.has_value()) << id.error().toString().toStdString();
        return id.value_or(0);
    }

    OutboxRow read(qint64 id)
    {
        Result<OutboxRow> row = OutboxRepository(db()).find(id);
        EXPECT_TRUE(row.has_value()) << row.error().toString().toStdString();
        return row.value_or(OutboxRow {});
    }

    DispatchCounts run(Dispatcher &dispatcher)
    {
        Result<DispatchCounts> counts = dispatcher.runOnce();
        EXPECT_TRUE(counts.has_value()) << counts.error().toString().toStdString();
        return counts.value_or(DispatchCounts {});
    }

    static Dispatcher::Options options(const QString &owner = QStringLiteral("desk-test"))
    {
        Dispatcher::Options o;
        o.leaseOwner = owner;
        return o;
    }

    ManualClock m_clock {testNow()};
    ScriptedTransport m_transport;
};

} // namespace

TEST(RetryPolicyTest, BacksOffFromOneMinuteDoublingToOneHourThenGivesUp)
{
    const RetryPolicy policy;
    const std::chrono::seconds expected[] = {1min, 2min, 4min, 8min, 16min, 32min, 60min, 60min};
    for (int attempt = 1; attempt <= 8; ++attempt)
        EXPECT_EQ(policy.delayAfter(attempt), expected[attempt - 1]) << attempt;
    EXPECT_EQ(policy.delayAfter(1000), 60min) << "no overflow";

    const QDateTime failedAt = testNow();
    EXPECT_EQ(policy.nextAttempt(failedAt, 3), failedAt.addSecs(4 * 60));
    EXPECT_EQ(policy.maxAttempts(), 12);
    EXPECT_TRUE(policy.nextAttempt(failedAt, 11).has_value());
    EXPECT_FALSE(policy.nextAttempt(failedAt, 12).has_value()) << "twelve attempts, then failed";

    const RetryPolicy quick(10s, 25s, 4);
    EXPECT_EQ(quick.delayAfter(1), 10s);
    EXPECT_EQ(quick.delayAfter(2), 20s);
    EXPECT_EQ(quick.delayAfter(3), 25s);
    EXPECT_FALSE(quick.nextAttempt(failedAt, 4).has_value());
}

TEST_P(DispatcherTest, ATemporaryFailureIsRetriedLaterAndDeliveredOnce)
{
    const qint64 id = queue(QStringLiteral("a@example.com"));
    m_transport.script(QStringLiteral("a@example.com"),
        {receipt(DeliveryOutcome::TemporaryFailure, QStringLiteral("451 try again later"))});
    Dispatcher dispatcher(db(), m_transport, m_clock, options());

    DispatchCounts first = run(dispatcher);
    EXPECT_EQ(first.claimed, 1);
    EXPECT_EQ(first.retried, 1);
    EXPECT_EQ(first.sent, 0);
    OutboxRow row = read(id);
    EXPECT_EQ(row.status, OutboxStatus::Pending);
    EXPECT_EQ(row.nextAttemptAt, testNow().addSecs(60));
    EXPECT_EQ(row.lastError, QStringLiteral("451 try again later"));

    m_clock.advanceMs(59'000);
    EXPECT_EQ(run(dispatcher).claimed, 0) << "the back-off is respected";

    m_clock.advanceMs(1'000);
    DispatchCounts second = run(dispatcher);
    EXPECT_EQ(second.sent, 1);
    row = read(id);
    EXPECT_EQ(row.status, OutboxStatus::Sent);
    EXPECT_EQ(row.attempts, 2);
    EXPECT_EQ(row.sentAt, testNow().addSecs(60));
    EXPECT_EQ(row.messageId, QStringLiteral("<%1@test>").arg(id));
    EXPECT_EQ(m_transport.calls().size(), 2) << "one refused, one delivered";

    m_clock.advanceMs(3'600'000);
    EXPECT_EQ(run(dispatcher).claimed, 0);
    EXPECT_EQ(m_transport.calls().size(), 2);
}

TEST_P(DispatcherTest, APermanentFailureIsFailedAndVisible)
{
    const qint64 id = queue(QStringLiteral("nobody@example.com"));
    m_transport.script(QStringLiteral("nobody@example.com"),
        {receipt(DeliveryOutcome::PermanentFailure, QStringLiteral("550 no such mailbox"))});
    Dispatcher dispatcher(db(), m_transport, m_clock, options());

    EXPECT_EQ(run(dispatcher).failed, 1);
    const OutboxRow row = read(id);
    EXPECT_EQ(row.status, OutboxStatus::Failed);
    EXPECT_EQ(row.lastError, QStringLiteral("550 no such mailbox"));
    m_clock.advanceMs(86'400'000);
    EXPECT_EQ(run(dispatcher).claimed, 0);
    EXPECT_EQ(m_transport.calls().size(), 1);
}

TEST_P(DispatcherTest, LostAfterDataIsUnknownAndNeverResent)
{
    const qint64 id = queue(QStringLiteral("a@example.com"));
    m_transport.script(QStringLiteral("a@example.com"),
        {receipt(DeliveryOutcome::Unknown, QStringLiteral("connection closed after DATA"))});
    Dispatcher dispatcher(db(), m_transport, m_clock, options());

    EXPECT_EQ(run(dispatcher).unknown, 1);
    EXPECT_EQ(read(id).status, OutboxStatus::Unknown);
    for (int i = 0; i < 3; ++i) {
        m_clock.advanceMs(3'600'000);
        EXPECT_EQ(run(dispatcher).claimed, 0);
    }
    EXPECT_EQ(m_transport.calls().size(), 1);
    EXPECT_EQ(read(id).status, OutboxStatus::Unknown);
}

TEST_P(DispatcherTest, GivesUpAfterTheLastAttempt)
{
    const qint64 id = queue(QStringLiteral("a@example.com"));
    m_transport.script(QStringLiteral("a@example.com"),
        {receipt(DeliveryOutcome::TemporaryFailure, QStringLiteral("421 busy")),
            receipt(DeliveryOutcome::TemporaryFailure, QStringLiteral("connection refused")),
            receipt(DeliveryOutcome::TemporaryFailure, QStringLiteral("timeout"))});
    Dispatcher::Options o = options();
    o.retry = RetryPolicy(1min, 1h, 3);
    Dispatcher dispatcher(db(), m_transport, m_clock, o);

    EXPECT_EQ(run(dispatcher).retried, 1);
    m_clock.advanceMs(60'000);
    EXPECT_EQ(run(dispatcher).retried, 1);
    m_clock.advanceMs(120'000);
    EXPECT_EQ(run(dispatcher).failed, 1);
    const OutboxRow row = read(id);
    EXPECT_EQ(row.status, OutboxStatus::Failed);
    EXPECT_EQ(row.attempts, 3);
    EXPECT_TRUE(row.lastError.contains(QStringLiteral("timeout"))) << row.lastError.toStdString();
    EXPECT_TRUE(row.lastError.contains(QStringLiteral("No attempt is left")))
        << row.lastError.toStdString();
}

TEST_P(DispatcherTest, TheSecretIsPutInOnlyForTheTransportAndRedactedOnceSent)
{
    const QString body
        = QStringLiteral("Your code is %1.").arg(MessageComposer::secretPlaceholder());
    const qint64 id = queue(QStringLiteral("a@example.com"), QStringLiteral("K7Q-42X"), body);
    Dispatcher dispatcher(db(), m_transport, m_clock, options());

    EXPECT_EQ(run(dispatcher).sent, 1);
    ASSERT_EQ(m_transport.calls().size(), 1);
    const OutgoingMail &mail = m_transport.calls().front();
    EXPECT_EQ(mail.outboxId, id);
    EXPECT_EQ(mail.recipient, QStringLiteral("a@example.com"));
    EXPECT_EQ(mail.subject, QStringLiteral("Invitation"));
    EXPECT_EQ(mail.body, QStringLiteral("Your code is K7Q-42X."));
    const OutboxRow row = read(id);
    EXPECT_TRUE(row.secret.isEmpty());
    EXPECT_EQ(row.body, body) << "the stored body keeps the placeholder";
}

TEST_P(DispatcherTest, APlaceholderWithoutItsSecretIsNeverSent)
{
    const qint64 id = queue(QStringLiteral("a@example.com"), QString(),
        QStringLiteral("Code: %1").arg(MessageComposer::secretPlaceholder()));
    Dispatcher dispatcher(db(), m_transport, m_clock, options());

    EXPECT_EQ(run(dispatcher).failed, 1);
    EXPECT_TRUE(m_transport.calls().isEmpty());
    EXPECT_EQ(read(id).status, OutboxStatus::Failed);
}

TEST_P(DispatcherTest, ACrashedSendersRowIsRecoveredAsUnknownAndNotResent)
{
    const qint64 id = queue(QStringLiteral("a@example.com"));
    // Another desktop claimed it and then died.
    Result<QList<OutboxRow>> claimed = OutboxRepository(db()).claimDue(
        testNow(), QStringLiteral("crashed-desk"), std::chrono::minutes(10), 10);
    ASSERT_TRUE(claimed.has_value());
    ASSERT_EQ(claimed->size(), 1);
    Dispatcher dispatcher(db(), m_transport, m_clock, options());

    m_clock.advanceMs(9 * 60'000);
    DispatchCounts live = run(dispatcher);
    EXPECT_EQ(live.recovered, 0) << "a live lease is never taken over";
    EXPECT_EQ(live.claimed, 0);
    EXPECT_EQ(read(id).status, OutboxStatus::Sending);

    m_clock.advanceMs(60'000);
    DispatchCounts expired = run(dispatcher);
    EXPECT_EQ(expired.recovered, 1);
    EXPECT_EQ(expired.claimed, 0);
    EXPECT_EQ(read(id).status, OutboxStatus::Unknown);
    EXPECT_TRUE(m_transport.calls().isEmpty());
}

TEST_P(DispatcherTest, ABatchMixesOutcomesAndClaimsAtMostTheBatchSize)
{
    for (int i = 0; i < 5; ++i)
        queue(QStringLiteral("user%1@example.com").arg(i));
    m_transport.script(QStringLiteral("user1@example.com"),
        {receipt(DeliveryOutcome::TemporaryFailure, QStringLiteral("421"))});
    m_transport.script(QStringLiteral("user2@example.com"),
        {receipt(DeliveryOutcome::PermanentFailure, QStringLiteral("550"))});
    Dispatcher::Options o = options();
    o.batchSize = 3;
    Dispatcher dispatcher(db(), m_transport, m_clock, o);

    DispatchCounts first = run(dispatcher);
    EXPECT_EQ(first.claimed, 3);
    EXPECT_EQ(first.sent, 1);
    EXPECT_EQ(first.retried, 1);
    EXPECT_EQ(first.failed, 1);
    DispatchCounts second = run(dispatcher);
    EXPECT_EQ(second.claimed, 2);
    EXPECT_EQ(second.sent, 2);
}

TEST_P(DispatcherTest, TwoDispatchersOnTheirOwnConnectionsDeliverEachMessageExactlyOnce)
{
    constexpr int Messages = 500;
    QList<qint64> ids;
    {
        // One transaction: 500 single inserts on PostgreSQL are slow otherwise.
        Result<WriteTransaction> transaction = WriteTransaction::begin(db());
        ASSERT_TRUE(transaction.has_value());
        for (int i = 0; i < Messages; ++i)
            ids.append(queue(QStringLiteral("bulk%1@example.com").arg(i)));
        ASSERT_TRUE(transaction->commit());
    }

    CountingTransport transport;
    struct Worker
    {
        DispatchCounts total;
        int runs = 0;
        QString error;
    };
    const auto drain = [&](const QString &owner, Worker &worker) {
        Result<std::unique_ptr<Database>> own = testDatabase().open();
        if (!own) {
            worker.error = own.error().toString();
            return;
        }
        const ManualClock clock(testNow());
        Dispatcher::Options o = options(owner);
        o.batchSize = 7;
        Dispatcher dispatcher(**own, transport, clock, o);
        for (;;) {
            Result<DispatchCounts> counts = dispatcher.runOnce();
            if (!counts) {
                worker.error = counts.error().toString();
                return;
            }
            ++worker.runs;
            worker.total.claimed += counts->claimed;
            worker.total.sent += counts->sent;
            worker.total.lostLeases += counts->lostLeases;
            if (counts->claimed == 0)
                return;
        }
    };
    Worker a;
    Worker b;
    std::thread ta([&] { drain(QStringLiteral("desk-a"), a); });
    std::thread tb([&] { drain(QStringLiteral("desk-b"), b); });
    ta.join();
    tb.join();
    ASSERT_TRUE(a.error.isEmpty()) << a.error.toStdString();
    ASSERT_TRUE(b.error.isEmpty()) << b.error.toStdString();

    const QHash<qint64, int> deliveries = transport.deliveries();
    int sent = 0;
    int duplicated = 0;
    int lost = 0;
    for (qint64 id : ids) {
        const int n = deliveries.value(id);
        sent += n > 0 ? 1 : 0;
        duplicated += n > 1 ? n - 1 : 0;
        lost += n == 0 ? 1 : 0;
        const OutboxRow row = read(id);
        EXPECT_EQ(row.status, OutboxStatus::Sent) << id;
        EXPECT_EQ(row.attempts, 1) << id;
    }
    std::cout << "[ counts   ] " << backendName(GetParam()) << ": sent " << sent << ", duplicated "
              << duplicated << ", lost " << lost << " (desk-a " << a.total.sent << " in " << a.runs
              << " runs, desk-b " << b.total.sent << " in " << b.runs << " runs)\n";
    EXPECT_EQ(sent, Messages);
    EXPECT_EQ(duplicated, 0);
    EXPECT_EQ(lost, 0);
    EXPECT_EQ(deliveries.size(), Messages);
    EXPECT_EQ(a.total.sent + b.total.sent, Messages);
    EXPECT_EQ(a.total.lostLeases + b.total.lostLeases, 0);
}

RD_INSTANTIATE_FOR_BACKENDS(DispatcherTest);
