#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "services/OutboxService.h"

namespace rd {

class Session;

// The outbox the session may see, newest first, fetched a page at a time:
// the first page on setQuery(), the next ones when the view scrolls to the
// end (canFetchMore / fetchMore, keyset on the id), so a large outbox is
// never loaded whole. Status, filters and search are applied by the
// database (OutboxService).
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

    // Starts again from the newest message with these filters (beforeId
    // and limit of the query are the model's own).
    void setQuery(const OutboxQuery &query);
    // The same query again, from the newest message.
    void reload();
    void setPageSize(int rows);
    int pageSize() const noexcept { return m_pageSize; }

    const OutboxEntry *entryAt(int row) const;
    int rowOfId(qint64 id) const;
    // The last error of loading, empty when the last load succeeded.
    const QString &loadError() const noexcept { return m_error; }

    static QString statusText(OutboxStatus status);
    static QString kindText(OutboxKind kind);

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
    Result<QList<OutboxEntry>> fetch(qint64 beforeId) const;

    const Session &m_session;
    OutboxService &m_outbox;
    OutboxQuery m_query;
    QList<OutboxEntry> m_rows;
    QString m_error;
    int m_pageSize = 200;
    bool m_atEnd = true;
    bool m_changing = false; // a reset or an insertion is being announced
};

} // namespace rd
