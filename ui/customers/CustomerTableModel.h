#pragma once

#include <memory>
#include <optional>

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

#include "services/CustomerPageReader.h"
#include "services/CustomerService.h"

class QTimer;

namespace rd {

class Session;

// Every customer a session may see, however many, as CustomerService
// returns them (scoped, sorted and filtered by the database), read a page
// at a time. rowCount() is the total (one count per query). setQuery()
// reads the first page at once; every other page is read when it is first
// shown, on a worker thread with its own connection (CustomerPageReader):
// until it arrives data() shows a placeholder, then dataChanged() repaints
// it, so the window never waits on the database. A page comes from the
// neighbouring page's key (keyset, scrolling), from the end (a reverse
// query, the last pages), from the nearest anchor (a jump: the scroll bar,
// Ctrl+End) or, until the anchors exist, by OFFSET on the worker.
//
// Anchors: once a query has stayed for a moment the worker reads, in the
// background, the key of the last row of every page (one pass over the sort index, a few
// thousand keys at most: MaxAnchors). They belong to one query: a new sort
// or filter drops them; a refresh of the same query has them built again
// but keeps using the old ones until the new ones replace them. Rows
// another desktop inserted or deleted shift the rows after that point: a
// page read from an anchor older than the change is off by as many rows
// until the rebuilt anchor replaces it (the same staleness the count has
// between refreshes).
//
// Replies of an older query are dropped; pages the user scrolled past are
// dropped from the worker's queue unread, and a running OFFSET read nobody
// wants any more is interrupted. At most cachedPages pages are kept: the
// least recently shown one goes first, so memory stays bounded whatever
// the user does.
class CustomerTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomerTableModel)

public:
    // The order people read a row in: who, in which state, on what, through
    // whom, then the contact details.
    enum Column {
        Company,
        Status,
        Plan,
        Reseller,
        OtherResellers,
        Contact,
        Email,
        Domain,
        PriceList,
        Budget,
        Created,
        ColumnCount
    };

    static constexpr int DefaultPageRows = 200;
    static constexpr int DefaultCachedPages = 50;
    // Anchors kept per query (keys of every page's last row): 20,000 pages
    // of 200 rows = 4M rows; beyond, a jump falls back to OFFSET.
    static constexpr int MaxAnchors = 20000;

    CustomerTableModel(
        const Session &session, const CustomerService &customers, QObject *parent = nullptr);
    // Stops the worker before the model goes, so no reply is left queued.
    ~CustomerTableModel() override;

    // Rows per page (at most CustomerService::MaxKeysetRows) and how many
    // pages are kept; from the next setQuery().
    void setPaging(int pageRows, int cachedPages);
    int pageRows() const noexcept { return m_pageRows; }
    int cachedPagesLimit() const noexcept { return m_cachedPages; }
    int cachedPageCount() const { return static_cast<int>(m_pages.size()); }

    // Shows the customers of the query (its offset and limit are ignored):
    // counts them and reads the first page now, the rest when it is shown
    // (on the worker); starts building the anchors.
    // `now` decides "trial, n days left" vs "expired". On error the model
    // is empty and the error returned.
    rd::Status setQuery(const CustomerQuery &query, const QDateTime &now);
    const CustomerQuery &query() const noexcept { return m_query; }
    qint64 total() const noexcept { return m_total; }

    // The customer on a row, or nullptr while its page is not loaded.
    const CustomerListRow *customerAt(int row) const;
    // Reads the pages holding rows first..last now, on this thread, at most
    // the cache bound of them (a selection, a jump to one customer: from
    // the anchors when they exist, else by OFFSET).
    rd::Status loadRows(int first, int last);
    // The row of the customer among the rows read, or nothing.
    std::optional<int> loadedRowOf(qint64 customerId) const;
    // The row of the customer in the current order (from the rows read, else
    // a count in the database: it reads the index up to the customer, so
    // use it for one customer, not for many), or nothing when the query
    // does not include it.
    Result<std::optional<int>> rowOfCustomer(qint64 customerId) const;

    // Whether pages the view asked for are still being read.
    bool isReading() const noexcept { return !m_pending.isEmpty(); }
    // The anchors of the current query read so far, and whether all are.
    int anchorCount() const noexcept { return static_cast<int>(m_anchors.size()); }
    bool anchorsComplete() const noexcept { return m_anchorsComplete; }
    // For tests and benchmarks: OFFSET reads since construction (worker and
    // loadRows), replies of an older query dropped, stale reads interrupted.
    int offsetReads() const;
    int staleRepliesDropped() const noexcept { return m_staleReplies; }
    int interruptedReads() const;
    // False when the database is read on this thread (SQLite :memory:).
    bool readsOnWorker() const;

    // The database sort key for a column, or nothing when it cannot sort.
    static std::optional<CustomerSort> sortFor(int column);
    static QString statusText(const CustomerListRow &row, const QDateTime &now);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // A page could not be read; its rows stay placeholders until the next
    // setQuery().
    void loadFailed(const QString &message);

private:
    struct Page
    {
        QList<CustomerListRow> rows;
        quint64 lastUse = 0;
    };

    int pageOf(int row) const { return row / m_pageRows; }
    // Whether two queries list the same rows in the same order (a refresh).
    static bool sameRows(const CustomerQuery &a, const CustomerQuery &b);
    // The row if its page is cached (marking the page used), else nullptr
    // and, when `request` is set, the page queued for loading.
    const CustomerListRow *cachedRow(int row, bool request) const;
    // How to read a page: from a neighbour's key, the end, an anchor, or
    // OFFSET; nothing when the page has no rows.
    std::optional<CustomerPageRequest> planPage(int page) const;
    // Fetches and caches one page on this thread; emits dataChanged unless
    // in a reset.
    rd::Status loadPage(int page, bool notify);
    // Caches a page read (evicting the least recently used beyond the bound).
    void storePage(int page, QList<CustomerListRow> rows, bool notify);
    // Sends the pages data() asked for to the worker.
    void loadPending();
    void pageReplied(const CustomerPageReply &reply);

    const Session &m_session;
    const CustomerService &m_customers;
    std::unique_ptr<CustomerPageReader> m_reader;
    quint64 m_generation = 0;
    QList<CustomerKey> m_anchors; // m_anchors[i]: the key of page i's last row
    qsizetype m_freshAnchors = 0; // read for this query; the rest are from before a refresh
    bool m_anchorsComplete = false;
    int m_offsetReads = 0; // on this thread; the worker counts its own
    int m_staleReplies = 0;
    CustomerQuery m_query;
    QDateTime m_now;
    qint64 m_total = 0;
    int m_pageRows = DefaultPageRows;
    int m_cachedPages = DefaultCachedPages;
    int m_nextPageRows = DefaultPageRows;
    int m_nextCachedPages = DefaultCachedPages;
    mutable QHash<int, Page> m_pages;
    mutable quint64 m_useCounter = 0;
    // Pages data() asked for and not read yet, the most recent last; older
    // requests are dropped when the user has scrolled past them.
    mutable QList<int> m_pending;
    QTimer *m_loadTimer = nullptr;
    QTimer *m_anchorTimer = nullptr;
};

} // namespace rd
