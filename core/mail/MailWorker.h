#pragma once

#include <chrono>
#include <memory>

#include <QDateTime>
#include <QObject>
#include <QString>

#include "mail/Dispatcher.h"
#include "mail/SmtpProfile.h"
#include "storage/ConnectionProfile.h"

namespace rd {

// Delivers the outbox in the background for a desktop: a thread of its own
// with its own Database connection (opened from `database`, password
// included) and an SmtpTransport, running Dispatcher::runOnce whenever woken
// and otherwise every `idleInterval` (other desktops queue mail too). The
// GUI thread never waits on SMTP or on the lease queries.
//
// Signals are emitted from the worker thread; receivers in the GUI thread
// get them queued.
class MailWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MailWorker)

public:
    struct Config
    {
        ConnectionProfile database;
        SmtpProfile smtp;
        std::chrono::milliseconds idleInterval = std::chrono::seconds(30);
        // Empty: Dispatcher::defaultLeaseOwner().
        QString leaseOwner;
    };

    explicit MailWorker(Config config, QObject *parent = nullptr);
    // Stops and waits for the thread (at most one message's timeouts).
    ~MailWorker() override;

    void start();
    // Finishes the message in hand, then ends the thread. Safe to call twice.
    void stop();
    // Look for due mail now (e.g. right after this desktop queued some).
    // Thread-safe.
    void wake();

    bool isRunning() const;

signals:
    // After each run that claimed or recovered something.
    void ran(const rd::DispatchCounts &counts);
    // The run could not happen (database unreachable, ...): the message is
    // translated; the worker keeps trying at the idle interval.
    void problem(const QString &message);

private:
    // The thread's body: opens the database, then runs and waits until
    // stopped.
    void work();

    class Private;
    std::unique_ptr<Private> d;
};

} // namespace rd

Q_DECLARE_METATYPE(rd::DispatchCounts)
