#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QMutexLocker>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <QWaitCondition>

#include "domain/Error.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "storage/ConnectionProfile.h"
#include "storage/Database.h"
#include "storage/QueryInterrupt.h"

namespace rd {

// One page a table wants, planned by the table (which knows the
// neighbouring keys and the anchors: KeysetPageCache::plan()) and read by a
// KeysetPageReader.
template<typename Key> struct KeysetPageRequest
{
    enum class Kind {
        After,  // keyset: rows after `key` (the first rows when empty)
        Before, // keyset: rows before `key` (the last rows when empty)
        AtRow,  // OFFSET: only when no key is near (a jump before the anchors got there)
    };
    int page = 0;
    Kind kind = Kind::After;
    std::optional<Key> key;
    qint64 offset = 0; // AtRow
    int limit = 0;
    // Rows kept from the start of the result (the last page read from the
    // end reads more than it keeps); 0 keeps them all.
    int keep = 0;
};

// What came back for a request of query `generation`: a page (page >= 0)
// or the next anchors (page < 0). An error leaves rows empty.
template<typename Row, typename Key> struct KeysetPageReply
{
    quint64 generation = 0;
    int page = -1;
    QList<Row> rows;
    // Keys of the last row of consecutive pages, continuing the anchors
    // sent before for this generation.
    QList<Key> anchors;
    bool anchorsComplete = false;
    QString error;
};

// The reads of one list through one service (on one connection), for any
// session and query: the service applies the session's scope and refusals
// to each, exactly as for the GUI's own reads.
template<typename Row, typename Key, typename Query> struct KeysetListReads
{
    using Rows = Result<QList<Row>>;
    std::function<Result<qint64>(const Session &, const Query &)> count;
    // Up to `limit` rows after the key (the first rows without one), in order.
    std::function<Rows(const Session &, const Query &, const std::optional<Key> &, int limit)>
        after;
    // The `limit` rows before the key (the last rows without one), in order.
    std::function<Rows(const Session &, const Query &, const std::optional<Key> &, int limit)>
        before;
    // Up to `limit` rows from row `offset` on (OFFSET).
    std::function<Rows(const Session &, const Query &, qint64 offset, int limit)> atRow;
    // Of the next `rows` rows after the key (from the first without one),
    // the keys of every `every`-th one.
    std::function<Result<QList<Key>>(
        const Session &, const Query &, const std::optional<Key> &, int rows, int every)>
        anchors;
    std::function<Key(const Row &)> keyOf;
};

// True unless the database is one a second connection cannot reach (SQLite
// ":memory:").
bool reachableFromAnotherConnection(const ConnectionProfile &profile);

// Reads a table's pages off the GUI thread, as UserPageReader does the
// Users table's, for any list given as KeysetListReads: a worker thread
// with its own Database connection (opened from the profile of the GUI's
// database) and its own services over it (built there by OpenReads), so
// every read is scoped and checked exactly like the GUI's.
//
// - Every request belongs to a query generation (setQuery). Replies of an
//   older generation are never delivered; a running read of an older
//   generation, or of a page nobody wants any more, is interrupted
//   (storage/QueryInterrupt).
// - want() replaces the queued pages; the most wanted (last) is read first.
// - After the wanted pages, and only while none is queued, it builds the
//   jump anchors of the query in chunks (KeysetListReads::anchors), so a
//   later jump reads one keyset page instead of an OFFSET.
//
// Each request is stamped with the GUI's clock on the calling thread; the
// worker's own clock is set to that stamp before it reads (the GUI's clock
// may be a ManualClock in tests, which is not thread-safe).
//
// A database a second connection cannot reach (SQLite ":memory:"), or a
// worker whose connection was refused, is read on the caller's thread from
// a zero timer instead, through the GUI's reads, with the same replies. All
// member functions are for the thread that created the reader; replies are
// delivered there (to the function given to onReply()).
template<typename Row, typename Key, typename Query> class KeysetPageReader final
{
    Q_DISABLE_COPY_MOVE(KeysetPageReader)

public:
    using Request = KeysetPageRequest<Key>;
    using Reply = KeysetPageReply<Row, Key>;
    using Reads = KeysetListReads<Row, Key, Query>;
    // Builds the reads on the worker thread over its own connection, with
    // services that judge time by `clock`; what they need lives as long as
    // the returned object.
    using OpenReads = std::function<std::shared_ptr<const Reads>(Database &, const Clock &)>;

    // Anchors are read this many pages at a time, so a page the user asks
    // for never waits behind more than one chunk.
    static constexpr int AnchorChunkPages = 50;

    KeysetPageReader(ConnectionProfile profile, const Clock &guiClock, Reads guiReads,
        OpenReads openReads, QString threadName)
        : m_profile(std::move(profile))
        , m_guiClock(guiClock)
        , m_guiReads(std::move(guiReads))
        , m_openReads(std::move(openReads))
        , m_threadName(std::move(threadName))
    {
        if (!reachableFromAnotherConnection(m_profile))
            readOnCallerThread();
    }

    // Interrupts what runs and waits for the worker thread.
    ~KeysetPageReader()
    {
        if (!m_thread)
            return;
        {
            const QMutexLocker lock(&m_mutex);
            m_stopRequested = true;
            interruptRunning();
            m_changed.wakeAll();
        }
        m_thread->wait();
    }

    // Where replies go (on the caller's thread).
    void onReply(std::function<void(const Reply &)> deliver) { m_deliver = std::move(deliver); }

    // False on the synchronous path.
    bool isThreaded() const
    {
        const QMutexLocker lock(&m_mutex);
        return !m_onCallerThread;
    }

    // A new query: everything queued is dropped, a running read of an older
    // generation interrupted.
    void setQuery(quint64 generation, const Session &session, const Query &query)
    {
        const QDateTime now = m_guiClock.now();
        const QMutexLocker lock(&m_mutex);
        if (m_running.active && m_running.generation != generation)
            interruptRunning();
        m_generation = generation;
        m_session = session;
        m_query = query;
        m_guiNow = now;
        m_queue.clear();
        m_anchors = {};
    }

    // The pages wanted now for the current generation, the most wanted last.
    void want(const QList<Request> &pages)
    {
        const QDateTime now = m_guiClock.now();
        const QMutexLocker lock(&m_mutex);
        m_guiNow = now;
        m_queue.clear();
        bool runningWanted = false;
        for (const Request &request : pages) {
            // The page being read now is not read twice.
            if (m_running.active && m_running.generation == m_generation
                && m_running.page == request.page) {
                runningWanted = true;
                continue;
            }
            m_queue.append({request, now});
        }
        // A page the user scrolled away from: stop it.
        if (m_running.active && m_running.page >= 0 && !runningWanted)
            interruptRunning();
        if (!m_queue.isEmpty())
            wake();
    }

    // Starts building the anchors of the current query: the key of every
    // `every`-th row, at most maxAnchors of them (bounded memory).
    void buildAnchors(int every, int maxAnchors)
    {
        const QMutexLocker lock(&m_mutex);
        m_anchors = {};
        m_anchors.active = maxAnchors > 0;
        m_anchors.every = qMax(1, every);
        m_anchors.limit = maxAnchors;
        if (m_anchors.active)
            wake();
    }

    // For tests: reads interrupted because they became stale, OFFSET reads
    // and page reads made (on the worker or the synchronous path).
    int interruptCount() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_interrupts;
    }
    int offsetReadCount() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_offsetReads;
    }
    int pageReadCount() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_pageReads;
    }

    // One request through some reads (the worker's, or the caller's on the
    // synchronous path).
    static Result<QList<Row>> read(
        const Reads &reads, const Session &session, const Query &query, const Request &request)
    {
        Result<QList<Row>> rows;
        switch (request.kind) {
        case Request::Kind::After:
            rows = reads.after(session, query, request.key, request.limit);
            break;
        case Request::Kind::Before:
            rows = reads.before(session, query, request.key, request.limit);
            break;
        case Request::Kind::AtRow:
            rows = reads.atRow(session, query, request.offset, request.limit);
            break;
        }
        if (rows && request.keep > 0 && rows->size() > request.keep)
            rows->resize(request.keep);
        return rows;
    }

private:
    // One unit of work, copied out of the shared state.
    struct Job
    {
        quint64 generation = 0;
        std::optional<Session> session;
        Query query;
        QDateTime now;
        bool anchors = false;
        Request request;
        std::optional<Key> after; // anchors: continue after this key
        int every = 0;
    };

    bool hasWork() const { return m_session && (!m_queue.isEmpty() || m_anchors.active); }

    // Under the mutex: the next job (the most wanted page, else an anchor chunk).
    Job takeJob()
    {
        Job job;
        job.generation = m_generation;
        job.session = m_session;
        job.query = m_query;
        job.now = m_guiNow;
        if (!m_queue.isEmpty()) {
            auto [request, stamped] = m_queue.takeLast();
            job.request = request;
            job.now = stamped;
            ++m_pageReads;
            if (request.kind == Request::Kind::AtRow)
                ++m_offsetReads;
        } else {
            job.anchors = true;
            job.after = m_anchors.after;
            job.every = m_anchors.every;
        }
        m_running.active = true;
        m_running.generation = job.generation;
        m_running.page = job.anchors ? -1 : job.request.page;
        m_running.interrupted = false;
        return job;
    }

    // Under the mutex: interrupts the running read.
    void interruptRunning()
    {
        if (!m_running.active || m_running.interrupted)
            return;
        m_running.interrupted = true;
        ++m_interrupts;
        if (m_interrupt)
            m_interrupt();
    }

    static Reply run(const Reads &reads, const Job &job)
    {
        Reply reply;
        reply.generation = job.generation;
        if (!job.anchors) {
            reply.page = job.request.page;
            Result<QList<Row>> rows = read(reads, *job.session, job.query, job.request);
            if (rows)
                reply.rows = std::move(*rows);
            else
                reply.error = rows.error().message();
            return reply;
        }
        Result<QList<Key>> keys = reads.anchors(
            *job.session, job.query, job.after, job.every * AnchorChunkPages, job.every);
        if (keys) {
            reply.anchors = std::move(*keys);
            reply.anchorsComplete = reply.anchors.size() < AnchorChunkPages;
        } else {
            reply.error = keys.error().message();
        }
        return reply;
    }

    // Under the mutex: records the job's end; false when its reply is stale.
    bool finish(const Job &job, Reply &reply)
    {
        const bool interrupted = m_running.interrupted;
        m_running.active = false;
        if (job.generation != m_generation || interrupted)
            return false;
        if (job.anchors) {
            if (!reply.error.isEmpty()) {
                m_anchors.active = false;
                return true;
            }
            const int room = m_anchors.limit - m_anchors.found;
            if (reply.anchors.size() >= room) {
                reply.anchors.resize(qMax(0, room));
                reply.anchorsComplete = true;
            }
            m_anchors.found += static_cast<int>(reply.anchors.size());
            if (!reply.anchors.isEmpty())
                m_anchors.after = reply.anchors.constLast();
            if (reply.anchorsComplete)
                m_anchors.active = false;
        }
        return true;
    }

    // The worker thread's body.
    void work()
    {
        Database::Options options;
        options.migrate = false; // the GUI's connection migrated it already
        Result<std::unique_ptr<Database>> opened = Database::open(m_profile, options);
        if (!opened) {
            // E.g. the server allows no more connections: the table still
            // works, read on the caller's thread.
            {
                const QMutexLocker lock(&m_mutex);
                m_onCallerThread = true;
            }
            QMetaObject::invokeMethod(
                &m_context, [this] { readOnCallerThread(); }, Qt::QueuedConnection);
            return;
        }
        std::unique_ptr<Database> db = std::move(*opened);
        ManualClock clock(QDateTime::currentDateTimeUtc());
        std::shared_ptr<const Reads> reads = m_openReads(*db, clock);
        {
            const QMutexLocker lock(&m_mutex);
            m_interrupt = QueryInterrupt::of(*db);
        }

        for (;;) {
            Job job;
            {
                const QMutexLocker lock(&m_mutex);
                while (!m_stopRequested && !hasWork())
                    m_changed.wait(&m_mutex);
                if (m_stopRequested)
                    break;
                job = takeJob();
            }
            clock.set(job.now);
            Reply reply = run(*reads, job);
            bool current = false;
            {
                const QMutexLocker lock(&m_mutex);
                current = finish(job, reply);
            }
            // Delivered on the caller's thread; dropped unread when the
            // reader (and with it m_context) is gone first.
            if (current)
                QMetaObject::invokeMethod(
                    &m_context, [this, reply] { deliver(reply); }, Qt::QueuedConnection);
        }

        {
            const QMutexLocker lock(&m_mutex);
            m_interrupt = nullptr;
        }
        reads.reset();
        db.reset();
    }

    void deliver(const Reply &reply)
    {
        if (m_deliver)
            m_deliver(reply);
    }

    // On the caller's thread: switches to the synchronous path.
    void readOnCallerThread()
    {
        if (!m_syncTimer) {
            m_syncTimer = new QTimer(&m_context);
            m_syncTimer->setSingleShot(true);
            m_syncTimer->setInterval(0);
            QObject::connect(m_syncTimer, &QTimer::timeout, &m_context, [this] { runSync(); });
        }
        const QMutexLocker lock(&m_mutex);
        m_onCallerThread = true;
        if (hasWork())
            m_syncTimer->start();
    }

    // The synchronous path: one job per timer tick, on the caller's thread.
    void runSync()
    {
        Job job;
        {
            const QMutexLocker lock(&m_mutex);
            if (!hasWork())
                return;
            job = takeJob();
        }
        Reply reply = run(m_guiReads, job);
        bool current = false;
        bool more = false;
        {
            const QMutexLocker lock(&m_mutex);
            current = finish(job, reply);
            more = hasWork();
        }
        if (more)
            m_syncTimer->start();
        if (current)
            deliver(reply);
    }

    // Under the mutex: wakes whoever reads (the worker starts, and
    // connects, with the first work).
    void wake()
    {
        if (m_onCallerThread) {
            if (m_syncTimer)
                m_syncTimer->start();
        } else if (!m_thread) {
            m_thread.reset(QThread::create([this] { work(); }));
            m_thread->setObjectName(m_threadName);
            m_thread->start();
        } else {
            m_changed.wakeAll();
        }
    }

    const ConnectionProfile m_profile;
    const Clock &m_guiClock;
    const Reads m_guiReads;
    const OpenReads m_openReads;
    const QString m_threadName;
    std::function<void(const Reply &)> m_deliver;
    // Lives on the caller's thread: replies are queued to it, the
    // synchronous path's timer is its child.
    QObject m_context;
    QTimer *m_syncTimer = nullptr;
    std::unique_ptr<QThread> m_thread;

    mutable QMutex m_mutex;
    QWaitCondition m_changed;
    // Everything below is guarded by m_mutex.
    bool m_stopRequested = false;
    quint64 m_generation = 0;
    std::optional<Session> m_session;
    Query m_query;
    QDateTime m_guiNow;                           // stamped by the caller's thread
    QList<std::pair<Request, QDateTime>> m_queue; // most wanted last
    struct
    {
        bool active = false;
        int every = 0;
        int limit = 0;
        int found = 0;
        std::optional<Key> after;
    } m_anchors;
    struct
    {
        bool active = false;
        quint64 generation = 0;
        int page = -1;
        bool interrupted = false;
    } m_running;
    bool m_onCallerThread = false;
    std::function<void()> m_interrupt; // while the worker's connection is open
    int m_interrupts = 0;
    int m_offsetReads = 0;
    int m_pageReads = 0;
};

} // namespace rd
