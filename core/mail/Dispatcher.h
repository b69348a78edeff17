#pragma once

#include <chrono>

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"
#include "mail/RetryPolicy.h"

namespace rd {

class Clock;
class Database;
class MailTransport;
struct OutboxRow;

// What one dispatcher run did.
struct DispatchCounts
{
    int recovered = 0; // crashed senders' rows turned 'unknown'
    int claimed = 0;   // rows this run leased (0: nothing was due)
    int sent = 0;
    int retried = 0;    // temporary failure, back to pending with a later attempt
    int failed = 0;     // permanent failure, or no attempt left
    int unknown = 0;    // lost after DATA: never resent automatically
    int lostLeases = 0; // the row was cancelled or recovered while we sent it
};

// Delivers due outbox rows through a transport: recovers expired leases,
// claims a batch under its own lease and records each outcome. It has no
// thread or timer of its own: the caller (a worker thread, or the headless
// `resellerdesk dispatch`) loops and gives it a Database opened in that
// thread.
class Dispatcher final
{
    Q_DECLARE_TR_FUNCTIONS(Dispatcher)

public:
    struct Options
    {
        // Unique per running dispatcher, e.g. defaultLeaseOwner().
        QString leaseOwner;
        // Must outlast a whole batch at the transport's worst-case timeouts:
        // a lease that expires while we still send makes the row 'unknown'.
        std::chrono::milliseconds leaseDuration = std::chrono::minutes(10);
        int batchSize = 10;
        RetryPolicy retry;
    };

    Dispatcher(Database &db, MailTransport &transport, const Clock &clock, Options options);

    Result<DispatchCounts> runOnce();

    // "host:pid:random", so two desktops (or two runs on one) never share one.
    static QString defaultLeaseOwner();

private:
    // The outcome is recorded; an Error only when it could not be.
    Status deliver(const OutboxRow &row, DispatchCounts &counts);
    Status record(Status marked, int &counter, DispatchCounts &counts);

    Database &m_db;
    MailTransport &m_transport;
    const Clock &m_clock;
    Options m_options;
};

} // namespace rd
