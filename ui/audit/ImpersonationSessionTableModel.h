#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "services/AuditService.h"

namespace rd {

class Clock;
class Session;

// The Login As sessions the session may see (same scope as the audit log),
// newest first, a page at a time like AuditTableModel. A session that was
// never closed reads "open" until it expires, then "expired".
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

    void setFilter(const ImpersonationLogFilter &filter);
    const ImpersonationLogFilter &filter() const noexcept { return m_filter; }
    void reload();
    void setPageSize(int rows);
    int pageSize() const noexcept { return m_pageSize; }

    const ImpersonationLogRow *rowAt(int row) const;
    int rowOfId(qint64 id) const;
    const QString &loadError() const noexcept { return m_error; }

    // "mm:ss" under an hour, else "h:mm:ss"; negative counts as 0.
    static QString durationText(qint64 seconds);
    // The translated end reason of impersonation_sessions.end_reason.
    static QString endReasonText(const QString &key);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void loaded(const QString &error);

private:
    Result<QList<ImpersonationLogRow>> fetch(const AuditCursor &after) const;
    // When the session ended or ends: its end, its expiry once passed, or now.
    QDateTime endOf(const ImpersonationLogRow &row) const;

    const Session &m_session;
    AuditService &m_audit;
    const Clock &m_clock;
    ImpersonationLogFilter m_filter;
    QList<ImpersonationLogRow> m_rows;
    QString m_error;
    int m_pageSize = 200;
    bool m_atEnd = true;
    bool m_changing = false;
};

} // namespace rd
