#pragma once

#include <QAbstractTableModel>

#include "common/KeysetPageCache.h"
#include "services/AuditService.h"

namespace rd {

class Session;

// The audit events the session may see, newest first, however many (the log
// only grows): rowCount() is the exact number matching the filter, rows are
// read a page at a time when first shown (keyset on time and id from a
// neighbouring page or either end; OFFSET only for a jump far into the
// middle) and at most a bounded number of pages is kept (KeysetPageCache).
// Filters are applied by the database (AuditService). Events made during
// Login As say so in the "Login As by" column (text, not colour).
class AuditTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditTableModel)

public:
    enum Column { Time, Actor, LoginAsBy, Action, Entity, Customer, Reseller, Reason, ColumnCount };

    AuditTableModel(const Session &session, AuditService &audit, QObject *parent = nullptr);

    // Starts again from the newest event with these filters.
    void setFilter(const AuditFilter &filter);
    const AuditFilter &filter() const noexcept { return m_filter; }
    // The same filter again: a new count, every page read anew.
    void reload();
    // Rows per page, the cache bound and how near the end a page is read
    // from the end, from the next setFilter()/reload().
    void setPaging(int pageRows, int cachedPages,
        int endRows = KeysetPageCache<AuditListRow, AuditCursor>::MaxEndRows);
    int pageRows() const noexcept { return m_cache.pageRows(); }
    int cachedPageCount() const { return m_cache.cachedPageCount(); }
    int cachedPagesLimit() const noexcept { return m_cache.maxPages(); }
    const KeysetPageCache<AuditListRow, AuditCursor>::Stats &readStats() const noexcept
    {
        return m_cache.stats();
    }

    // The event on a row, its page read when it is not cached; nullptr
    // outside the rows or when the read failed. Valid until the next read.
    const AuditListRow *rowAt(int row) const;
    // The row of an event among the pages read, else -1.
    int rowOfId(qint64 id) const;
    // Reads the pages holding rows first..last (bounded by the cache).
    rd::Status loadRows(int first, int last);
    // The last error of loading, empty when the last load succeeded.
    const QString &loadError() const noexcept { return m_cache.lastError(); }

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

private:
    KeysetPageCache<AuditListRow, AuditCursor>::Source source() const;

    const Session &m_session;
    AuditService &m_audit;
    AuditFilter m_filter;
    mutable KeysetPageCache<AuditListRow, AuditCursor> m_cache;
};

} // namespace rd
