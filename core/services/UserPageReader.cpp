#include "services/UserPageReader.h"

#include <functional>

#include <QDateTime>
#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QTimer>
#include <QWaitCondition>

#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "storage/Database.h"
#include "storage/QueryInterrupt.h"

namespace rd {

namespace {

// Anchors are read this many pages at a time, so a page the user asks for
// never waits behind more than one chunk.
constexpr int AnchorChunkPages = 50;

bool reachableFromAnotherConnection(const ConnectionProfile &profile)
{
    if (profile.dialect() != Dialect::SQLite)
        return true;
    const QString &path = profile.filePath();
    return !path.isEmpty() && path != QLatin1String(":memory:")
        && !path.contains(QLatin1String("mode=memory"));
}

} // namespace

class UserPageReader::Private
{
public:
    // One unit of work, copied out of the shared state.
    struct Job
    {
        quint64 generation = 0;
        std::optional<Session> session;
        UserPageQuery query;
        QDateTime now;
        bool anchors = false;
        UserPageRequest request;
        std::optional<UserListKey> after; // anchors: continue after this key
        int every = 0;
    };

    Private(UserPageReader *owner, const UserService &users)
        : q(owner)
        , guiUsers(users)
        , profile(users.databaseProfile())
    { }

    UserPageReader *q;
    const UserService &guiUsers;
    ConnectionProfile profile;
    std::unique_ptr<QThread> thread;
    QTimer *syncTimer = nullptr;

    QMutex mutex;
    QWaitCondition changed;
    // Everything below is guarded by mutex.
    bool stopRequested = false;
    quint64 generation = 0;
    std::optional<Session> session;
    UserPageQuery query;
    QDateTime guiNow;                                   // stamped by the caller's thread
    QList<std::pair<UserPageRequest, QDateTime>> queue; // most wanted last
    struct
    {
        bool active = false;
        int every = 0;
        int limit = 0;
        int found = 0;
        std::optional<UserListKey> after;
    } anchors;
    struct
    {
        bool active = false;
        quint64 generation = 0;
        int page = -1;
        bool interrupted = false;
    } running;
    bool onCallerThread = false;
    std::function<void()> interrupt; // while the worker's connection is open
    int interrupts = 0;
    int offsetReads = 0;
    int pageReads = 0;

    bool hasWork() const { return session && (!queue.isEmpty() || anchors.active); }

    // Under mutex: the next job (the most wanted page, else an anchor chunk).
    Job takeJob()
    {
        Job job;
        job.generation = generation;
        job.session = session;
        job.query = query;
        job.now = guiNow;
        if (!queue.isEmpty()) {
            auto [request, stamped] = queue.takeLast();
            job.request = request;
            job.now = stamped;
            ++pageReads;
            if (request.kind == UserPageRequest::Kind::AtRow)
                ++offsetReads;
        } else {
            job.anchors = true;
            job.after = anchors.after;
            job.every = anchors.every;
        }
        running.active = true;
        running.generation = job.generation;
        running.page = job.anchors ? -1 : job.request.page;
        running.interrupted = false;
        return job;
    }

    // Under mutex: interrupts the running read.
    void interruptRunning()
    {
        if (!running.active || running.interrupted)
            return;
        running.interrupted = true;
        ++interrupts;
        if (interrupt)
            interrupt();
    }

    static UserPageReply run(const UserService &users, const Job &job)
    {
        UserPageReply reply;
        reply.generation = job.generation;
        if (!job.anchors) {
            reply.page = job.request.page;
            Result<QList<UserListRow>> rows = read(users, *job.session, job.query, job.request);
            if (rows)
                reply.rows = std::move(*rows);
            else
                reply.error = rows.error().message();
            return reply;
        }
        Result<QList<UserListKey>> keys = users.membershipAnchors(
            *job.session, job.query, job.after, job.every * AnchorChunkPages, job.every);
        if (keys) {
            reply.anchors = std::move(*keys);
            reply.anchorsComplete = reply.anchors.size() < AnchorChunkPages;
        } else {
            reply.error = keys.error().message();
        }
        return reply;
    }

    // Under mutex: records the job's end; false when its reply is stale.
    bool finish(const Job &job, UserPageReply &reply)
    {
        const bool interrupted = running.interrupted;
        running.active = false;
        if (job.generation != generation || interrupted)
            return false;
        if (job.anchors) {
            if (!reply.error.isEmpty()) {
                anchors.active = false;
                return true;
            }
            const int room = anchors.limit - anchors.found;
            if (reply.anchors.size() >= room) {
                reply.anchors.resize(qMax(0, room));
                reply.anchorsComplete = true;
            }
            anchors.found += static_cast<int>(reply.anchors.size());
            if (!reply.anchors.isEmpty())
                anchors.after = reply.anchors.constLast();
            if (reply.anchorsComplete)
                anchors.active = false;
        }
        return true;
    }

    // The worker thread's body.
    void work()
    {
        Database::Options options;
        options.migrate = false; // the GUI's connection migrated it already
        Result<std::unique_ptr<Database>> opened = Database::open(profile, options);
        if (!opened) {
            // E.g. the server allows no more connections: the table still
            // works, read on the caller's thread.
            {
                const QMutexLocker lock(&mutex);
                onCallerThread = true;
            }
            QMetaObject::invokeMethod(
                q, [this] { readOnCallerThread(); }, Qt::QueuedConnection);
            return;
        }
        std::unique_ptr<Database> db = std::move(*opened);
        ManualClock clock(QDateTime::currentDateTimeUtc());
        auto access = std::make_unique<AccessControl>(*db, clock);
        auto users = std::make_unique<UserService>(*db, clock, *access);
        {
            const QMutexLocker lock(&mutex);
            interrupt = QueryInterrupt::of(*db);
        }

        for (;;) {
            Job job;
            {
                const QMutexLocker lock(&mutex);
                while (!stopRequested && !hasWork())
                    changed.wait(&mutex);
                if (stopRequested)
                    break;
                job = takeJob();
            }
            clock.set(job.now);
            UserPageReply reply = run(*users, job);
            bool current = false;
            {
                const QMutexLocker lock(&mutex);
                current = finish(job, reply);
            }
            if (current)
                Q_EMIT q->replied(reply);
        }

        {
            const QMutexLocker lock(&mutex);
            interrupt = nullptr;
        }
        users.reset();
        access.reset();
        db.reset();
    }

    // On the caller's thread: switches to the synchronous path.
    void readOnCallerThread()
    {
        if (!syncTimer) {
            syncTimer = new QTimer(q);
            syncTimer->setSingleShot(true);
            syncTimer->setInterval(0);
            QObject::connect(syncTimer, &QTimer::timeout, q, [this] { runSync(); });
        }
        const QMutexLocker lock(&mutex);
        onCallerThread = true;
        if (hasWork())
            syncTimer->start();
    }

    // The synchronous path: one job per timer tick, on the caller's thread.
    void runSync()
    {
        Job job;
        {
            const QMutexLocker lock(&mutex);
            if (!hasWork())
                return;
            job = takeJob();
        }
        UserPageReply reply = run(guiUsers, job);
        bool current = false;
        bool more = false;
        {
            const QMutexLocker lock(&mutex);
            current = finish(job, reply);
            more = hasWork();
        }
        if (more)
            syncTimer->start();
        if (current)
            Q_EMIT q->replied(reply);
    }

    // Under mutex: wakes whoever reads (the worker starts, and connects,
    // with the first work).
    void wake()
    {
        if (onCallerThread) {
            if (syncTimer)
                syncTimer->start();
        } else if (!thread) {
            thread.reset(QThread::create([this] { work(); }));
            thread->setObjectName(QStringLiteral("UserPageReader"));
            thread->start();
        } else {
            changed.wakeAll();
        }
    }
};

UserPageReader::UserPageReader(const UserService &users, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, users))
{
    qRegisterMetaType<rd::UserPageReply>();
    if (!reachableFromAnotherConnection(d->profile))
        d->readOnCallerThread();
}

UserPageReader::~UserPageReader()
{
    if (!d->thread)
        return;
    {
        const QMutexLocker lock(&d->mutex);
        d->stopRequested = true;
        d->interruptRunning();
        d->changed.wakeAll();
    }
    d->thread->wait();
}

bool UserPageReader::isThreaded() const
{
    const QMutexLocker lock(&d->mutex);
    return !d->onCallerThread;
}

void UserPageReader::setQuery(
    quint64 generation, const Session &session, const UserPageQuery &query)
{
    const QDateTime now = d->guiUsers.clock().now();
    const QMutexLocker lock(&d->mutex);
    if (d->running.active && d->running.generation != generation)
        d->interruptRunning();
    d->generation = generation;
    d->session = session;
    d->query = query;
    d->guiNow = now;
    d->queue.clear();
    d->anchors = {};
}

void UserPageReader::want(const QList<UserPageRequest> &pages)
{
    const QDateTime now = d->guiUsers.clock().now();
    const QMutexLocker lock(&d->mutex);
    d->guiNow = now;
    d->queue.clear();
    bool runningWanted = false;
    for (const UserPageRequest &request : pages) {
        // The page being read now is not read twice.
        if (d->running.active && d->running.generation == d->generation
            && d->running.page == request.page) {
            runningWanted = true;
            continue;
        }
        d->queue.append({request, now});
    }
    // A page the user scrolled away from: stop it.
    if (d->running.active && d->running.page >= 0 && !runningWanted)
        d->interruptRunning();
    if (!d->queue.isEmpty())
        d->wake();
}

void UserPageReader::buildAnchors(int every, int maxAnchors)
{
    const QMutexLocker lock(&d->mutex);
    d->anchors = {};
    d->anchors.active = maxAnchors > 0;
    d->anchors.every = qMax(1, every);
    d->anchors.limit = maxAnchors;
    if (d->anchors.active)
        d->wake();
}

int UserPageReader::interruptCount() const
{
    const QMutexLocker lock(&d->mutex);
    return d->interrupts;
}

int UserPageReader::offsetReadCount() const
{
    const QMutexLocker lock(&d->mutex);
    return d->offsetReads;
}

int UserPageReader::pageReadCount() const
{
    const QMutexLocker lock(&d->mutex);
    return d->pageReads;
}

Result<QList<UserListRow>> UserPageReader::read(const UserService &users, const Session &session,
    const UserPageQuery &query, const UserPageRequest &request)
{
    Result<QList<UserListRow>> rows;
    switch (request.kind) {
    case UserPageRequest::Kind::After:
        rows = users.membershipsAfter(session, query, request.key, request.limit);
        break;
    case UserPageRequest::Kind::Before:
        rows = users.membershipsBefore(session, query, request.key, request.limit);
        break;
    case UserPageRequest::Kind::AtRow:
        rows = users.membershipsAtRow(session, query, request.offset, request.limit);
        break;
    }
    if (rows && request.keep > 0 && rows->size() > request.keep)
        rows->resize(request.keep);
    return rows;
}

} // namespace rd
