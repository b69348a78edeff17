#pragma once

#include <memory>
#include <optional>

#include <QAbstractTableModel>
#include <QList>
#include <QString>

#include "common/KeysetPageCache.h"
#include "services/UserPageReader.h"
#include "services/UserService.h"

class QTimer;

namespace rd {

class Session;

// The memberships a session may manage (UserService::membershipsAfter & co.),
// one row per membership, however many: an administrator's scope is the
// whole installation, a million client admins and more. Sorted and
// filtered by the database; rowCount() is the exact total (a kept counter
// unfiltered); rows are read a page at a time when first shown and at most
// a bounded number of pages is kept (KeysetPageCache).
//
// setQuery() counts and reads the first page at once; every other page
// data() shows is read on a worker thread with its own connection
// (UserPageReader): until it arrives data() returns nothing (an empty
// cell), then dataChanged() repaints it, so the window never waits on the
// database. A page comes from a neighbouring page's key (scrolling), from
// the end (a reverse query), from the nearest anchor (a jump: the scroll
// bar, Ctrl+End) or, until the anchors got there, by OFFSET on the worker.
//
// Anchors: once a query has stayed for a moment the worker reads, in the
// background and in chunks, the key of the last row of every page (a walk
// over the sort index that reads no names; at most MaxAnchors keys). A new
// query or reload() drops them and builds them again.
//
// Replies of an older query are dropped; pages the user scrolled past are
// dropped from the worker's queue unread, and a running read nobody wants
// any more is interrupted. userAt() and loadRows() still read on the
// calling thread (a selection, a dialog's row), from the anchors when they
// exist.
class UserTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UserTableModel)

public:
    enum Column { Email, Name, Role, Context, Status, LastSignIn, ColumnCount };

    // Anchors kept per query: 20,000 pages of 200 rows = 4M rows; beyond,
    // a jump falls back to OFFSET (on the worker).
    static constexpr int MaxAnchors = 20000;

    UserTableModel(const Session &session, const UserService &users, QObject *parent = nullptr);
    // Stops the worker before the model goes.
    ~UserTableModel() override;

    // Rows per page, the cache bound and how near the end a page is read
    // from the end, from the next setQuery()/reload().
    void setPaging(int pageRows, int cachedPages,
        int endRows = KeysetPageCache<UserListRow, UserListKey>::MaxEndRows);
    int pageRows() const noexcept { return m_cache.pageRows(); }
    int cachedPageCount() const { return m_cache.cachedPageCount(); }
    int cachedPagesLimit() const noexcept { return m_cache.maxPages(); }
    const KeysetPageCache<UserListRow, UserListKey>::Stats &readStats() const noexcept
    {
        return m_cache.stats();
    }

    // Shows the rows of the query: counts them, drops every page read. On
    // error the model is empty and the error returned.
    rd::Status setQuery(const UserPageQuery &query);
    // The same query again (after a change): a new count, pages read anew.
    rd::Status reload() { return setQuery(m_query); }
    const UserPageQuery &query() const noexcept { return m_query; }
    qint64 total() const noexcept { return m_cache.total(); }
    // The message of the last failed read, empty otherwise.
    const QString &loadError() const noexcept { return m_cache.lastError(); }

    // The membership on a row, its page read when it is not cached;
    // nullptr outside the rows or when the read failed.
    const UserListRow *userAt(int row) const;
    // The membership on a row when its page is cached, without reading.
    const UserListRow *cachedUserAt(int row) const;
    // Reads the pages holding rows first..last now, on this thread
    // (bounded by the cache).
    rd::Status loadRows(int first, int last);

    // Whether pages data() asked for are still being read.
    bool isReading() const noexcept { return !m_pending.isEmpty(); }
    // The anchors of the current query read so far, and whether all are.
    int anchorCount() const { return static_cast<int>(m_cache.anchors().size()); }
    bool anchorsComplete() const noexcept { return m_anchorsComplete; }
    // For tests and benchmarks: pages read on the worker (or its
    // synchronous stand-in), OFFSET reads there, replies of an older query
    // dropped, stale reads interrupted, and whether a worker thread reads.
    int workerPageReads() const;
    int workerOffsetReads() const;
    int staleRepliesDropped() const noexcept { return m_staleReplies; }
    int interruptedReads() const;
    bool readsOnWorker() const;
    // The row of a membership among the rows read, or nothing.
    std::optional<int> loadedRowOf(qint64 membershipId) const;
    // The row of a membership in the current order (from the rows read,
    // else counted by the database), -1 when it is not listed.
    int rowOfMembership(qint64 membershipId) const;

    // The database order for a column; nothing for Context (within one
    // portal or account every row has the same context; across the
    // installation no index orders memberships by their context's name).
    static std::optional<UserSort> sortFor(int column);
    static QString statusText(const UserListRow &user);
    static QString contextText(const UserListRow &user);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Sorts by the database (a new query); a column without a database
    // order is ignored.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    // A page could not be read; its rows stay empty until the next query.
    void loadFailed(const QString &message);

private:
    using Cache = KeysetPageCache<UserListRow, UserListKey>;

    QVariant display(const UserListRow &user, int column) const;
    Cache::Source source() const;
    // The row if its page is cached, else nullptr and the page queued for
    // the worker.
    const UserListRow *requestedRow(int row) const;
    // Sends the pages data() asked for to the worker.
    void loadPending();
    void pageReplied(const UserPageReply &reply);
    void notifyPage(int page);

    const Session &m_session;
    const UserService &m_users;
    std::unique_ptr<UserPageReader> m_reader;
    quint64 m_generation = 0;
    bool m_anchorsComplete = false;
    int m_staleReplies = 0;
    UserPageQuery m_query;
    mutable Cache m_cache;
    // Pages data() asked for and not read yet, the most recent last.
    mutable QList<int> m_pending;
    QTimer *m_loadTimer = nullptr;
    QTimer *m_anchorTimer = nullptr;
};

} // namespace rd
