#pragma once

#include <QAbstractTableModel>

#include "common/AsyncKeysetPages.h"
#include "common/KeysetPageCache.h"
#include "services/OutboxService.h"

class QColor;
class QPalette;

namespace rd {

class Session;

// The outbox the session may see, newest first, however large: rowCount()
// is the exact number the query lists, rows are read a page at a time when
// first shown (keyset on the id from a neighbouring page or either end, from
// an anchor for a jump far into the middle; OFFSET only before the anchors
// got there) and at most a bounded number of pages is kept
// (KeysetPageCache). Status, filters and search are applied by the
// database (OutboxService). Every page but the first is read on a worker
// connection as in AuditTableModel (AsyncKeysetPages): data() gives an
// empty cell until it arrives, then dataChanged() repaints it.
class OutboxTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutboxTableModel)

public:
    enum Column {
        Created,
        Status,
        Kind,
        Recipient,
        Subject,
        Customer,
        Attempts,
        LastError,
        NextAttempt,
        Sent,
        ColumnCount
    };

    OutboxTableModel(const Session &session, OutboxService &outbox, QObject *parent = nullptr);
    // Stops the worker before the model goes.
    ~OutboxTableModel() override;

    // Shows the rows of the query (its page position and limit are the
    // model's own): counts them, drops every page read.
    void setQuery(const OutboxQuery &query);
    const OutboxQuery &query() const noexcept { return m_query; }
    // The same query again: a new count, every page read anew.
    void reload();
    // Rows per page, the cache bound and how near the end a page is read
    // from the end, from the next setQuery()/reload().
    void setPaging(int pageRows, int cachedPages,
        int endRows = KeysetPageCache<OutboxEntry, qint64>::MaxEndRows);
    int pageRows() const noexcept { return m_pages.cache().pageRows(); }
    int cachedPageCount() const { return m_pages.cache().cachedPageCount(); }
    int cachedPagesLimit() const noexcept { return m_pages.cache().maxPages(); }
    const KeysetPageCache<OutboxEntry, qint64>::Stats &readStats() const noexcept
    {
        return m_pages.cache().stats();
    }

    // The message on a row, its page read (on this thread) when it is not
    // cached; nullptr outside the rows or when the read failed. Valid until
    // the next read.
    const OutboxEntry *entryAt(int row) const;
    // The message on a row when its page is cached, without reading.
    const OutboxEntry *cachedEntryAt(int row) const;
    // The row of a message among the pages read, else -1.
    int rowOfId(qint64 id) const;
    // Reads the pages holding rows first..last (bounded by the cache).
    rd::Status loadRows(int first, int last);
    // The last error of loading, empty when the last load succeeded.
    const QString &loadError() const noexcept { return m_pages.cache().lastError(); }

    // As AuditTableModel: pages on their way, anchors, worker counters.
    bool isReading() const noexcept { return m_pages.isReading(); }
    int anchorCount() const { return m_pages.anchorCount(); }
    bool anchorsComplete() const noexcept { return m_pages.anchorsComplete(); }
    int workerPageReads() const { return m_pages.workerPageReads(); }
    int workerOffsetReads() const { return m_pages.workerOffsetReads(); }
    int staleRepliesDropped() const noexcept { return m_pages.staleRepliesDropped(); }
    int interruptedReads() const { return m_pages.interruptedReads(); }
    bool readsOnWorker() const { return m_pages.readsOnWorker(); }

    static QString statusText(OutboxStatus status);
    // The status column's text colour on `palette` (invalid: the palette's own).
    static QColor statusForeground(OutboxStatus status, const QPalette &palette);
    static QString kindText(OutboxKind kind);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // After each setQuery()/reload(), with the error text when it failed.
    void loaded(const QString &error);
    // A page read on the worker failed; its rows stay empty until the next
    // reload().
    void loadFailed(const QString &message);

private:
    const Session &m_session;
    OutboxService &m_outbox;
    OutboxQuery m_query;
    mutable AsyncKeysetPages<OutboxEntry, qint64, OutboxQuery> m_pages;
};

} // namespace rd
