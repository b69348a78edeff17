#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include <QList>
#include <QString>
#include <QTimer>

#include "common/KeysetPageCache.h"
#include "services/KeysetPageReader.h"
#include "services/Session.h"

namespace rd {

// The rows of a list a table model shows without ever blocking the window,
// as UserTableModel does the Users table's: a KeysetPageCache whose pages
// data() asks for are planned here and read on a worker connection
// (KeysetPageReader), with anchors built in the background so a jump (the
// scroll bar, Ctrl+End) reads one keyset page instead of walking all the
// rows before it.
//
// reset() counts and reads the first page at once; requested() returns a
// cached row or nullptr (a placeholder: an empty cell) and queues its page
// for the worker; when the page arrives `rowsChanged` is called with the
// page's rows (the model emits dataChanged()). Replies of an older query
// are dropped; pages the user scrolled past are dropped from the worker's
// queue unread, and a running read nobody wants any more is interrupted.
// row() and loadRows() still read on the calling thread (a selection, a
// dialog's row), from the anchors when they exist.
//
// Anchors: once a query has stayed for a moment the worker reads, in
// chunks, the key of the last row of every page (at most MaxAnchors keys).
// A new query drops them and builds them again.
template<typename Row, typename Key, typename Query> class AsyncKeysetPages final
{
    Q_DISABLE_COPY_MOVE(AsyncKeysetPages)

public:
    using Cache = KeysetPageCache<Row, Key>;
    using Reader = KeysetPageReader<Row, Key, Query>;
    using Reads = KeysetListReads<Row, Key, Query>;

    // Anchors kept per query: 20,000 pages of 200 rows = 4M rows; beyond,
    // a jump falls back to OFFSET (on the worker).
    static constexpr int MaxAnchors = 20000;
    // Pages data() may have asked for at once: the visible ones, a few more
    // after a fast scroll; older requests are stale.
    static constexpr int MaxPendingPages = 8;
    // How long a query must stay before its anchors are built (typing a
    // filter starts none).
    static constexpr int AnchorDelayMs = 300;

    // guiReads read on this thread (counts, the first page, row(),
    // loadRows(), and every page when the reader has no worker).
    AsyncKeysetPages(ConnectionProfile profile, const Clock &guiClock, Reads guiReads,
        typename Reader::OpenReads openReads, const QString &threadName)
        : m_reads(guiReads)
        , m_reader(std::make_unique<Reader>(
              std::move(profile), guiClock, std::move(guiReads), std::move(openReads), threadName))
    {
        // A zero timer: the pages the view asked for while painting go to
        // the worker once it has finished.
        m_loadTimer.setSingleShot(true);
        m_loadTimer.setInterval(0);
        QObject::connect(&m_loadTimer, &QTimer::timeout, &m_loadTimer, [this] { loadPending(); });
        m_anchorTimer.setSingleShot(true);
        m_anchorTimer.setInterval(AnchorDelayMs);
        QObject::connect(&m_anchorTimer, &QTimer::timeout, &m_anchorTimer,
            [this] { m_reader->buildAnchors(m_cache.pageRows(), MaxAnchors); });
        m_reader->onReply([this](const typename Reader::Reply &reply) { replied(reply); });
    }
    // The reader (and its worker) stops before the cache goes.
    ~AsyncKeysetPages() { m_reader.reset(); }

    // Called with the rows first..last whose page arrived or was read here.
    std::function<void(qint64 first, qint64 last)> rowsChanged;
    // Called when a page read on the worker failed (its rows stay empty).
    std::function<void(const QString &message)> readFailed;

    Cache &cache() noexcept { return m_cache; }
    const Cache &cache() const noexcept { return m_cache; }

    // A new query (or the same again): counts it and reads its first page
    // here; whatever the worker still reads for the previous one is
    // dropped. Call inside the model's reset.
    Status reset(const Session &session, const Query &query)
    {
        m_pending.clear();
        m_loadTimer.stop();
        m_anchorTimer.stop();
        m_anchorsComplete = false;
        m_reader->setQuery(++m_generation, session, query);
        Status result = m_cache.reset(source(session, query));
        // The first screen at once, without placeholders.
        if (result && m_cache.total() > 0)
            result = m_cache.loadRows(0, 0);
        // Jumps need anchors only past the pages the first page and a
        // reverse query reach.
        if (result && m_cache.total() > qint64 {m_cache.pageRows()} + m_cache.endRows())
            m_anchorTimer.start();
        else
            m_anchorsComplete = true;
        return result;
    }

    // The row if its page is cached, else nullptr and the page queued for
    // the worker (a page read short or failed is not asked for again).
    const Row *requested(qint64 row)
    {
        if (const Row *cached = m_cache.cached(row))
            return cached;
        if (row < 0 || row >= m_cache.total())
            return nullptr;
        const int page = m_cache.pageOf(row);
        if (m_cache.isCached(page))
            return nullptr;
        m_pending.removeOne(page);
        m_pending.append(page);
        if (m_pending.size() > MaxPendingPages)
            m_pending.removeFirst();
        m_loadTimer.start();
        return nullptr;
    }

    // The row, its page read here when it is not cached.
    const Row *row(qint64 row)
    {
        const int page = m_cache.pageOf(row);
        const bool wasCached = m_cache.isCached(page);
        const Row *found = m_cache.row(row);
        if (!wasCached && m_cache.isCached(page))
            readHere(page);
        return found;
    }

    // Reads the pages holding rows first..last here (bounded by the cache).
    Status loadRows(qint64 first, qint64 last)
    {
        first = qMax(qint64 {0}, first);
        last = qMin(last, m_cache.total() - 1);
        if (last < first)
            return {};
        QList<int> read;
        for (int page = m_cache.pageOf(first); page <= m_cache.pageOf(last); ++page) {
            if (!m_cache.isCached(page))
                read.append(page);
        }
        const Status result = m_cache.loadRows(first, last);
        for (const int page : std::as_const(read)) {
            if (m_cache.isCached(page))
                readHere(page);
        }
        return result;
    }

    // Whether pages data() asked for are still being read.
    bool isReading() const noexcept { return !m_pending.isEmpty(); }
    // The anchors of the current query read so far, and whether all are.
    int anchorCount() const { return static_cast<int>(m_cache.anchors().size()); }
    bool anchorsComplete() const noexcept { return m_anchorsComplete; }
    // For tests and benchmarks: pages read on the worker (or its
    // synchronous stand-in), OFFSET reads there, replies of an older query
    // dropped, stale reads interrupted, and whether a worker thread reads.
    int workerPageReads() const { return m_reader->pageReadCount(); }
    int workerOffsetReads() const { return m_reader->offsetReadCount(); }
    int staleRepliesDropped() const noexcept { return m_staleReplies; }
    int interruptedReads() const { return m_reader->interruptCount(); }
    bool readsOnWorker() const { return m_reader->isThreaded(); }

private:
    typename Cache::Source source(const Session &session, const Query &query) const
    {
        // Copies of the session and the query: a page read later belongs
        // to the query the cache was reset with.
        const Reads &reads = m_reads;
        typename Cache::Source source;
        source.count = [&reads, session, query] { return reads.count(session, query); };
        source.after = [&reads, session, query](const std::optional<Key> &key, int limit) {
            return reads.after(session, query, key, limit);
        };
        source.before = [&reads, session, query](const std::optional<Key> &key, int limit) {
            return reads.before(session, query, key, limit);
        };
        source.atRow = [&reads, session, query](qint64 offset, int limit) {
            return reads.atRow(session, query, offset, limit);
        };
        source.keyOf = reads.keyOf;
        return source;
    }

    // A page read on this thread: the view may show placeholders for it.
    void readHere(int page)
    {
        m_pending.removeOne(page);
        notifyPage(page);
    }

    // Sends the pages data() asked for to the worker, the most recent last
    // (read first).
    void loadPending()
    {
        QList<typename Reader::Request> requests;
        for (qsizetype i = 0; i < m_pending.size();) {
            const int page = m_pending.at(i);
            const std::optional<typename Cache::Read> read
                = m_cache.isCached(page) ? std::nullopt : m_cache.plan(page);
            if (!read) {
                m_pending.removeAt(i);
                continue;
            }
            typename Reader::Request request;
            request.page = page;
            request.key = read->key;
            request.offset = read->offset;
            request.limit = read->limit;
            request.keep = read->keep;
            switch (read->kind) {
            case Cache::Read::Kind::After:
                request.kind = Reader::Request::Kind::After;
                break;
            case Cache::Read::Kind::Before:
                request.kind = Reader::Request::Kind::Before;
                break;
            case Cache::Read::Kind::AtRow:
                request.kind = Reader::Request::Kind::AtRow;
                break;
            }
            requests.append(request);
            ++i;
        }
        m_reader->want(requests);
    }

    void replied(const typename Reader::Reply &reply)
    {
        if (reply.generation != m_generation) {
            ++m_staleReplies;
            return;
        }
        if (reply.page < 0) {
            if (!reply.error.isEmpty()) {
                // Jumps keep working by OFFSET; the user needs no message.
                m_anchorsComplete = true;
                return;
            }
            m_cache.appendAnchors(reply.anchors);
            m_anchorsComplete = reply.anchorsComplete;
            return;
        }
        m_pending.removeOne(reply.page);
        // Read on this thread meanwhile (row, loadRows): that copy stays.
        if (m_cache.isCached(reply.page))
            return;
        m_cache.insertPage(reply.page, reply.rows);
        notifyPage(reply.page);
        if (!reply.error.isEmpty() && readFailed)
            readFailed(reply.error);
    }

    void notifyPage(int page)
    {
        const qint64 first = qint64 {page} * m_cache.pageRows();
        const qint64 last = qMin(first + m_cache.pageRows(), m_cache.total()) - 1;
        if (last >= first && rowsChanged)
            rowsChanged(first, last);
    }

    const Reads m_reads;
    Cache m_cache;
    std::unique_ptr<Reader> m_reader;
    quint64 m_generation = 0;
    bool m_anchorsComplete = false;
    int m_staleReplies = 0;
    // Pages data() asked for and not read yet, the most recent last.
    QList<int> m_pending;
    QTimer m_loadTimer;
    QTimer m_anchorTimer;
};

} // namespace rd
