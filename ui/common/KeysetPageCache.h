#pragma once

#include <functional>
#include <optional>
#include <utility>

#include <QHash>
#include <QList>
#include <QString>

#include "domain/Error.h"

namespace rd {

// The rows of a list the database sorts, filters and pages, however long,
// for a table model: an exact total, pages of pageRows() rows read on
// demand, at most maxPages() of them kept (the least recently used goes
// first), so memory stays bounded whatever the user does.
//
// A page is read from the key of a neighbouring cached page (keyset: the
// rows after the previous page's last row, or before the next page's
// first), from the end (the last rows by a reverse query, as cheap as the
// first), for a jump far from both ends and from every cached page from
// the anchor before it (appendAnchors(): the key of every page's last row,
// when the model had them built), and only without one by OFFSET. The
// reads go through the Source's functions, which a service scopes; the
// cache knows nothing of SQL or of the rows' contents.
//
// Rows another connection inserted or deleted since reset() shift the rows
// after them: a page read later from its neighbour's key continues the order
// exactly; a page read by OFFSET, from an anchor or from the end lands by as
// many rows off until the next reset() (the same staleness the total has).
// A page read short (rows deleted meanwhile) leaves its last rows empty.
//
// row() and loadRows() read on the caller's thread. A model that must not
// block (UserTableModel, and through AsyncKeysetPages the audit log, Login
// As sessions and the outbox) asks plan() how to read a page, has it read
// elsewhere (a worker connection) and stores the rows with insertPage().
// Each keyset read should be one range on an index (a few ms at a million
// rows), which the Source must provide for after() and before().
template<typename Row, typename Key> class KeysetPageCache final
{
public:
    struct Source
    {
        // The number of rows (exact).
        std::function<Result<qint64>()> count;
        // Up to `limit` rows after the key, or the first rows without one, in order.
        std::function<Result<QList<Row>>(const std::optional<Key> &, int limit)> after;
        // The `limit` rows before the key, or the last rows without one, in order.
        std::function<Result<QList<Row>>(const std::optional<Key> &, int limit)> before;
        // Up to `limit` rows from row `offset` on.
        std::function<Result<QList<Row>>(qint64 offset, int limit)> atRow;
        std::function<Key(const Row &)> keyOf;
    };

    // How each page was read since the last reset().
    struct Stats
    {
        int keysetReads = 0; // after or before a neighbouring page's key, or the first page
        int endReads = 0;    // the last rows, by the reverse order
        int anchorReads = 0; // a jump: after the anchor before the page
        int offsetReads = 0; // a jump before the anchors got there: OFFSET
    };

    static constexpr int DefaultPageRows = 200;
    static constexpr int DefaultMaxPages = 50;
    // A page this close to the end is read from the end (by default).
    static constexpr int MaxEndRows = 1000;

    // From the next reset(): rows per page (1..MaxEndRows), the cache bound
    // (>= 2), and how close to the end a page must be to be read from the
    // end rather than by OFFSET (pageRows..MaxEndRows).
    void setPaging(int pageRows, int maxPages, int endRows = MaxEndRows)
    {
        m_nextPageRows = qBound(1, pageRows, MaxEndRows);
        m_nextMaxPages = qMax(2, maxPages);
        m_nextEndRows = qBound(m_nextPageRows, endRows, MaxEndRows);
    }
    int pageRows() const noexcept { return m_pageRows; }
    int maxPages() const noexcept { return m_maxPages; }
    // Pages this close to the end are read from the end.
    int endRows() const noexcept { return m_endRows; }

    // A new query, or the same again: drops every page and counts. On error
    // the list is empty.
    Status reset(Source source)
    {
        m_source = std::move(source);
        m_pageRows = m_nextPageRows;
        m_maxPages = m_nextMaxPages;
        m_endRows = m_nextEndRows;
        m_pages.clear();
        m_anchors.clear();
        m_stats = {};
        m_error.clear();
        m_total = 0;
        Result<qint64> total = m_source.count();
        if (!total) {
            m_source = {};
            m_error = total.error().message();
            return fail(total.error());
        }
        m_total = qMax(qint64 {0}, *total);
        return {};
    }
    // Empty, with nothing to read from.
    void clear()
    {
        m_source = {};
        m_pages.clear();
        m_anchors.clear();
        m_total = 0;
        m_error.clear();
    }

    qint64 total() const noexcept { return m_total; }
    int cachedPageCount() const { return static_cast<int>(m_pages.size()); }
    const Stats &stats() const noexcept { return m_stats; }
    // The message of the last failed read or count; empty after a success.
    const QString &lastError() const noexcept { return m_error; }

    // The row when its page is cached (the page counts as used), else nullptr.
    const Row *cached(qint64 row) const
    {
        if (row < 0 || row >= m_total)
            return nullptr;
        const auto found = m_pages.find(pageOf(row));
        if (found == m_pages.end())
            return nullptr;
        found->lastUse = ++m_useCounter;
        const qint64 offset = row - pageOf(row) * qint64 {m_pageRows};
        return offset < found->rows.size() ? &found->rows.at(offset) : nullptr;
    }

    // The row, its page read now when it is not cached; nullptr when the
    // read failed (lastError()) or came back short.
    const Row *row(qint64 row)
    {
        if (row < 0 || row >= m_total)
            return nullptr;
        if (!m_pages.contains(pageOf(row)))
            (void)loadPage(pageOf(row));
        return cached(row);
    }

    // Reads the pages holding rows first..last that are not cached, at most
    // maxPages() of them.
    Status loadRows(qint64 first, qint64 last)
    {
        first = qMax(qint64 {0}, first);
        last = qMin(last, m_total - 1);
        if (last < first)
            return {};
        const int firstPage = pageOf(first);
        const int lastPage = qMin(pageOf(last), firstPage + m_maxPages - 1);
        Status result;
        for (int page = firstPage; page <= lastPage; ++page) {
            if (m_pages.contains(page)) {
                m_pages[page].lastUse = ++m_useCounter;
                continue;
            }
            if (Status loaded = loadPage(page); !loaded && result)
                result = loaded;
        }
        return result;
    }

    // The first cached row that matches, or nothing.
    std::optional<qint64> findCached(const std::function<bool(const Row &)> &matches) const
    {
        for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
            for (qsizetype i = 0; i < it->rows.size(); ++i) {
                if (matches(it->rows.at(i)))
                    return it.key() * qint64 {m_pageRows} + i;
            }
        }
        return std::nullopt;
    }

    // --- Reading elsewhere (a worker thread): plan, read, store ---

    // How a page is read: from a neighbouring page's key, from the end, from
    // the anchor ending the page before, or by OFFSET.
    struct Read
    {
        enum class Kind { After, Before, AtRow };
        Kind kind = Kind::After;
        std::optional<Key> key; // After, Before: none means from the start or the end
        qint64 offset = 0;      // AtRow
        int limit = 0;
        // Rows kept from the start of the result (a page read from the end
        // reads to the end); 0 keeps them all.
        int keep = 0;
    };

    int pageOf(qint64 row) const { return static_cast<int>(row / m_pageRows); }
    bool isCached(int page) const { return m_pages.contains(page); }

    // How to read a page now (counted in stats()), or nothing when it has no
    // rows or nothing to read from.
    std::optional<Read> plan(int page)
    {
        if (!m_source.count)
            return std::nullopt;
        const qint64 first = page * qint64 {m_pageRows};
        const int rows = static_cast<int>(qMin<qint64>(m_pageRows, m_total - first));
        if (rows <= 0 || page < 0)
            return std::nullopt;
        Read read;
        read.limit = rows;
        if (const auto previous = m_pages.constFind(page - 1);
            previous != m_pages.cend() && !previous->rows.isEmpty()) {
            // Scrolling down: after the previous page's last row.
            ++m_stats.keysetReads;
            read.key = m_source.keyOf(previous->rows.constLast());
        } else if (const auto next = m_pages.constFind(page + 1);
                   next != m_pages.cend() && !next->rows.isEmpty()) {
            // Scrolling up: before the next page's first row.
            ++m_stats.keysetReads;
            read.kind = Read::Kind::Before;
            read.key = m_source.keyOf(next->rows.constFirst());
        } else if (page == 0) {
            ++m_stats.keysetReads;
        } else if (const qint64 fromEnd = m_total - first; fromEnd <= m_endRows) {
            // Near the end: the last rows by the reverse order, the page's
            // first (fewer than counted, deleted meanwhile: missing at the end).
            ++m_stats.endReads;
            read.kind = Read::Kind::Before;
            read.limit = static_cast<int>(fromEnd);
            read.keep = rows;
        } else if (page - 1 < m_anchors.size()) {
            // A jump: after the anchor ending the page before.
            ++m_stats.anchorReads;
            read.key = m_anchors.at(page - 1);
        } else {
            ++m_stats.offsetReads;
            read.kind = Read::Kind::AtRow;
            read.offset = first;
        }
        return read;
    }

    // Stores a page read elsewhere (it replaces a cached copy); the least
    // recently used pages beyond the bound go.
    void insertPage(int page, QList<Row> rows)
    {
        if (page < 0 || !m_source.count)
            return;
        store(page, std::move(rows));
    }

    // Jump points of the current query: anchors()[i] is the key of the last
    // row of page i (the rows of every pageRows()-th place, in order). A
    // page far from every cached page is then read after the anchor before
    // it instead of by OFFSET. reset() drops them.
    void appendAnchors(const QList<Key> &keys) { m_anchors.append(keys); }
    const QList<Key> &anchors() const noexcept { return m_anchors; }

private:
    struct Page
    {
        QList<Row> rows;
        quint64 lastUse = 0;
    };

    Status loadPage(int page)
    {
        if (!m_source.count)
            return {};
        const std::optional<Read> read = plan(page);
        if (!read)
            return {};
        Result<QList<Row>> rows = QList<Row>();
        switch (read->kind) {
        case Read::Kind::After:
            rows = m_source.after(read->key, read->limit);
            break;
        case Read::Kind::Before:
            rows = m_source.before(read->key, read->limit);
            break;
        case Read::Kind::AtRow:
            rows = m_source.atRow(read->offset, read->limit);
            break;
        }
        Status result;
        if (!rows) {
            // Cached empty, so the view does not ask again and again.
            m_error = rows.error().message();
            result = fail(rows.error());
            rows = QList<Row>();
        } else {
            m_error.clear();
            if (read->keep > 0 && rows->size() > read->keep)
                rows->resize(read->keep);
        }
        store(page, std::move(*rows));
        return result;
    }

    void store(int page, QList<Row> rows)
    {
        m_pages.insert(page, Page {std::move(rows), ++m_useCounter});
        // The least recently used pages beyond the bound go.
        while (m_pages.size() > m_maxPages) {
            auto oldest = m_pages.end();
            for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
                if (it.key() != page && (oldest == m_pages.end() || it->lastUse < oldest->lastUse))
                    oldest = it;
            }
            m_pages.erase(oldest);
        }
    }

    Source m_source;
    qint64 m_total = 0;
    int m_pageRows = DefaultPageRows;
    int m_maxPages = DefaultMaxPages;
    int m_nextPageRows = DefaultPageRows;
    int m_nextMaxPages = DefaultMaxPages;
    int m_endRows = MaxEndRows;
    int m_nextEndRows = MaxEndRows;
    mutable QHash<int, Page> m_pages;
    QList<Key> m_anchors;
    mutable quint64 m_useCounter = 0;
    Stats m_stats;
    QString m_error;
};

} // namespace rd
