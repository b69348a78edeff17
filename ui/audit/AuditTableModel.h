#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "services/AuditService.h"

namespace rd {

class Session;

// The audit events the session may see, newest first, fetched a page at a
// time: the first page on setFilter(), the next ones when the view scrolls
// to the end (canFetchMore / fetchMore, keyset on time and id), so a large
// log is never loaded whole. Filters are applied by the database
// (AuditService). Events made during Login As say so in the "Login As by"
// column (text, not colour).
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
    // The same filter again, from the newest event.
    void reload();
    void setPageSize(int rows);
    int pageSize() const noexcept { return m_pageSize; }

    const AuditListRow *rowAt(int row) const;
    int rowOfId(qint64 id) const;
    // The last error of loading, empty when the last load succeeded.
    const QString &loadError() const noexcept { return m_error; }

    // "customer #12"; the type alone when there is no id.
    static QString entityText(const AuditEventRow &event);
    // The actor's name, or "System" for events without a user.
    static QString actorText(const AuditListRow &row);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    // After each load (the first page or one more), with the error text
    // when it failed.
    void loaded(const QString &error);

private:
    Result<QList<AuditListRow>> fetch(const AuditCursor &after) const;

    const Session &m_session;
    AuditService &m_audit;
    AuditFilter m_filter;
    QList<AuditListRow> m_rows;
    QString m_error;
    int m_pageSize = 200;
    bool m_atEnd = true;
    bool m_changing = false; // a reset or an insertion is being announced
};

} // namespace rd
