#pragma once

#include <QAbstractTableModel>

#include "common/AsyncKeysetPages.h"
#include "common/KeysetPageCache.h"
#include "services/AuditService.h"

namespace rd {

class Clock;
class Session;

// The Login As sessions the session may see (same scope as the audit log),
// newest first, windowed like AuditTableModel: an exact row count, pages
// read on demand, a bounded number of them kept; every page but the first
// read on a worker (AsyncKeysetPages: placeholders until it arrives, jumps
// from anchors built in the background). A session that was never closed
// reads "open" until it expires, then "expired".
class ImpersonationSessionTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImpersonationSessionTableModel)

public:
    enum Column {
        Started,
        Ended,
        Duration,
        Impersonator,
        ClientUser,
        Customer,
        Reason,
        HowEnded,
        ColumnCount
    };

    ImpersonationSessionTableModel(
        const Session &session, AuditService &audit, const Clock &clock, QObject *parent = nullptr);
    // Stops the worker before the model goes.
    ~ImpersonationSessionTableModel() override;

    void setFilter(const ImpersonationLogFilter &filter);
    const ImpersonationLogFilter &filter() const noexcept { return m_filter; }
    // The same filter again: a new count, every page read anew.
    void reload();
    // As AuditTableModel::setPaging.
    void setPaging(int pageRows, int cachedPages,
        int endRows = KeysetPageCache<ImpersonationLogRow, AuditCursor>::MaxEndRows);
    int pageRows() const noexcept { return m_pages.cache().pageRows(); }
    int cachedPageCount() const { return m_pages.cache().cachedPageCount(); }
    int cachedPagesLimit() const noexcept { return m_pages.cache().maxPages(); }
    const KeysetPageCache<ImpersonationLogRow, AuditCursor>::Stats &readStats() const noexcept
    {
        return m_pages.cache().stats();
    }

    // The session on a row, its page read (on this thread) when it is not
    // cached; nullptr outside the rows or when the read failed. Valid until
    // the next read.
    const ImpersonationLogRow *rowAt(int row) const;
    // The session on a row when its page is cached, without reading.
    const ImpersonationLogRow *cachedRowAt(int row) const;
    // The row of a session among the pages read, else -1.
    int rowOfId(qint64 id) const;
    rd::Status loadRows(int first, int last);
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

    // "mm:ss" under an hour, else "h:mm:ss"; negative counts as 0.
    static QString durationText(qint64 seconds);
    // The translated end reason of impersonation_sessions.end_reason.
    static QString endReasonText(const QString &key);

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
    // When the session ended or ends: its end, its expiry once passed, or now.
    QDateTime endOf(const ImpersonationLogRow &row) const;

    const Session &m_session;
    AuditService &m_audit;
    const Clock &m_clock;
    ImpersonationLogFilter m_filter;
    mutable AsyncKeysetPages<ImpersonationLogRow, AuditCursor, ImpersonationLogFilter> m_pages;
};

} // namespace rd
