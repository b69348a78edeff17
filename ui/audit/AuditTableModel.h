#pragma once

#include <QAbstractTableModel>

#include "common/AsyncKeysetPages.h"
#include "common/KeysetPageCache.h"
#include "services/AuditService.h"

namespace rd {

class Session;

// The audit events the session may see, newest first, however many (the log
// only grows): rowCount() is the exact number matching the filter, rows are
// read a page at a time when first shown and at most a bounded number of
// pages is kept (KeysetPageCache). Filters are applied by the database
// (AuditService). Events made during Login As say so in the "Login As by"
// column (text, not colour).
//
// reload() counts and reads the first page at once; every other page
// data() shows is read on a worker thread with its own connection
// (AsyncKeysetPages): until it arrives data() returns nothing (an empty
// cell), then dataChanged() repaints it, so the window never waits on the
// database. A page comes from a neighbouring page's key (scrolling), from
// the end (a reverse query), from the nearest anchor (a jump: the scroll
// bar, Ctrl+End; the anchors are built in the background once a filter has
// stayed) or, until the anchors got there, by OFFSET on the worker.
// rowAt() and loadRows() still read on the calling thread.
class AuditTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditTableModel)

public:
    enum Column { Time, Actor, LoginAsBy, Action, Entity, Customer, Reseller, Reason, ColumnCount };

    AuditTableModel(const Session &session, AuditService &audit, QObject *parent = nullptr);
    // Stops the worker before the model goes.
    ~AuditTableModel() override;

    // Starts again from the newest event with these filters.
    void setFilter(const AuditFilter &filter);
    const AuditFilter &filter() const noexcept { return m_filter; }
    // The same filter again: a new count, every page read anew.
    void reload();
    // Rows per page, the cache bound and how near the end a page is read
    // from the end, from the next setFilter()/reload().
    void setPaging(int pageRows, int cachedPages,
        int endRows = KeysetPageCache<AuditListRow, AuditCursor>::MaxEndRows);
    int pageRows() const noexcept { return m_pages.cache().pageRows(); }
    int cachedPageCount() const { return m_pages.cache().cachedPageCount(); }
    int cachedPagesLimit() const noexcept { return m_pages.cache().maxPages(); }
    const KeysetPageCache<AuditListRow, AuditCursor>::Stats &readStats() const noexcept
    {
        return m_pages.cache().stats();
    }

    // The event on a row, its page read (on this thread) when it is not
    // cached; nullptr outside the rows or when the read failed. Valid until
    // the next read.
    const AuditListRow *rowAt(int row) const;
    // The event on a row when its page is cached, without reading.
    const AuditListRow *cachedRowAt(int row) const;
    // The row of an event among the pages read, else -1.
    int rowOfId(qint64 id) const;
    // Reads the pages holding rows first..last (bounded by the cache).
    rd::Status loadRows(int first, int last);
    // The last error of loading, empty when the last load succeeded.
    const QString &loadError() const noexcept { return m_pages.cache().lastError(); }

    // Whether pages data() asked for are still being read.
    bool isReading() const noexcept { return m_pages.isReading(); }
    // The anchors of the current filter read so far, and whether all are.
    int anchorCount() const { return m_pages.anchorCount(); }
    bool anchorsComplete() const noexcept { return m_pages.anchorsComplete(); }
    // For tests and benchmarks: pages read on the worker (or its
    // synchronous stand-in), OFFSET reads there, replies of an older filter
    // dropped, stale reads interrupted, and whether a worker thread reads.
    int workerPageReads() const { return m_pages.workerPageReads(); }
    int workerOffsetReads() const { return m_pages.workerOffsetReads(); }
    int staleRepliesDropped() const noexcept { return m_pages.staleRepliesDropped(); }
    int interruptedReads() const { return m_pages.interruptedReads(); }
    bool readsOnWorker() const { return m_pages.readsOnWorker(); }

    // "customer #12"; the type alone when there is no id.
    static QString entityText(const AuditEventRow &event);
    // The actor's name, or "System" for events without a user.
    static QString actorText(const AuditListRow &row);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // After each setFilter()/reload(), with the error text when it failed.
    void loaded(const QString &error);
    // A page read on the worker failed; its rows stay empty until the next
    // reload().
    void loadFailed(const QString &message);

private:
    const Session &m_session;
    AuditService &m_audit;
    AuditFilter m_filter;
    mutable AsyncKeysetPages<AuditListRow, AuditCursor, AuditFilter> m_pages;
};

} // namespace rd
