#include "mail/MailWorker.h"

#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QWaitCondition>

#include "mail/SmtpTransport.h"
#include "services/Clock.h"
#include "storage/Database.h"

namespace rd {

class MailWorker::Private
{
public:
    Config config;
    std::unique_ptr<QThread> thread;

    QMutex mutex;
    QWaitCondition changed;
    bool stopRequested = false; // guarded by mutex
    bool wakeRequested = false; // guarded by mutex

    bool stopping()
    {
        const QMutexLocker lock(&mutex);
        return stopRequested;
    }

    // Waits for the idle interval, a wake() or a stop(); false when stopping.
    bool idle()
    {
        const QMutexLocker lock(&mutex);
        if (!stopRequested && !wakeRequested) {
            changed.wait(&mutex, QDeadlineTimer(config.idleInterval));
        }
        wakeRequested = false;
        return !stopRequested;
    }
};

MailWorker::MailWorker(Config config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<rd::DispatchCounts>();
    d->config = std::move(config);
    if (d->config.leaseOwner.isEmpty())
        d->config.leaseOwner = Dispatcher::defaultLeaseOwner();
}

MailWorker::~MailWorker()
{
    stop();
}

void MailWorker::start()
{
    if (isRunning())
        return;
    {
        const QMutexLocker lock(&d->mutex);
        d->stopRequested = false;
    }
    d->thread.reset(QThread::create([this] { work(); }));
    d->thread->setObjectName(QStringLiteral("MailWorker"));
    d->thread->start();
}

void MailWorker::stop()
{
    if (!d->thread)
        return;
    {
        const QMutexLocker lock(&d->mutex);
        d->stopRequested = true;
        d->changed.wakeAll();
    }
    d->thread->wait();
    d->thread.reset();
}

void MailWorker::wake()
{
    const QMutexLocker lock(&d->mutex);
    d->wakeRequested = true;
    d->changed.wakeAll();
}

bool MailWorker::isRunning() const
{
    return d->thread && d->thread->isRunning();
}

void MailWorker::work()
{
    // Everything that touches Qt SQL or a socket is created, used and
    // destroyed in this thread.
    const SystemClock clock;
    SmtpTransport transport(d->config.smtp, clock);
    Dispatcher::Options options;
    options.leaseOwner = d->config.leaseOwner;
    // One message per run: stop() then waits for at most the message in
    // hand, and no other row sits leased behind a slow one.
    options.batchSize = 1;

    std::unique_ptr<Database> db;
    while (!d->stopping()) {
        if (!db) {
            Result<std::unique_ptr<Database>> opened = Database::open(d->config.database);
            if (!opened) {
                emit problem(opened.error().message());
                if (!d->idle())
                    break;
                continue;
            }
            db = std::move(*opened);
        }

        Dispatcher dispatcher(*db, transport, clock, options);
        const Result<DispatchCounts> counts = dispatcher.runOnce();
        if (!counts) {
            emit problem(counts.error().message());
            // Reconnect next time: the server may have restarted.
            db.reset();
            if (!d->idle())
                break;
            continue;
        }
        if (counts->claimed > 0 || counts->recovered > 0)
            emit ran(*counts);
        // More may be due right away; otherwise wait for new mail.
        if (counts->claimed == 0 && !d->idle())
            break;
    }
}

} // namespace rd
