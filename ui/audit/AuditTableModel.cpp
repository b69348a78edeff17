#include "audit/AuditTableModel.h"

#include <QLocale>

#include "services/Session.h"

namespace rd {

namespace {

QString when(const QDateTime &time)
{
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat)
                          : QString();
}

} // namespace

AuditTableModel::AuditTableModel(const Session &session, AuditService &audit, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_audit(audit)
{ }

void AuditTableModel::setPageSize(int rows)
{
    m_pageSize = qBound(1, rows, 1000);
}

void AuditTableModel::setFilter(const AuditFilter &filter)
{
    m_filter = filter;
    reload();
}

void AuditTableModel::reload()
{
    Result<QList<AuditListRow>> page = fetch({});
    m_changing = true;
    beginResetModel();
    if (page) {
        m_rows = std::move(*page);
        m_atEnd = m_rows.size() < m_pageSize;
        m_error.clear();
    } else {
        m_rows.clear();
        m_atEnd = true;
        m_error = page.error().message();
    }
    endResetModel();
    m_changing = false;
    Q_EMIT loaded(m_error);
}

Result<QList<AuditListRow>> AuditTableModel::fetch(const AuditCursor &after) const
{
    return m_audit.list(m_session, m_filter, after, m_pageSize);
}

bool AuditTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void AuditTableModel::fetchMore(const QModelIndex &parent)
{
    // Not from a handler of a change being announced (the model tester and
    // the view ask there): that would nest two changes and fetch one page
    // twice. The view asks again when it scrolls.
    if (parent.isValid() || m_atEnd || m_rows.isEmpty() || m_changing)
        return;
    m_changing = true;
    Result<QList<AuditListRow>> page = fetch(AuditService::cursorAfter(m_rows.constLast()));
    if (!page) {
        // Stop asking; Refresh starts again.
        m_atEnd = true;
        m_error = page.error().message();
        m_changing = false;
        Q_EMIT loaded(m_error);
        return;
    }
    m_atEnd = page->size() < m_pageSize;
    if (!page->isEmpty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(page->size()) - 1);
        m_rows.append(*page);
        endInsertRows();
    }
    m_changing = false;
    Q_EMIT loaded({});
}

const AuditListRow *AuditTableModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int AuditTableModel::rowOfId(qint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).event.id == id)
            return row;
    }
    return -1;
}

QString AuditTableModel::entityText(const AuditEventRow &event)
{
    if (event.entityId <= 0)
        return event.entityType;
    return tr("%1 #%2").arg(event.entityType, QString::number(event.entityId));
}

QString AuditTableModel::actorText(const AuditListRow &row)
{
    if (row.event.actorUserId <= 0)
        return tr("System");
    return row.actorName;
}

int AuditTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AuditTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AuditListRow &row = m_rows.at(index.row());
    const AuditEventRow &e = row.event;
    const int column = index.column();
    switch (role) {
    case Qt::ToolTipRole:
        if (column == LoginAsBy && !row.impersonatorName.isEmpty())
            return tr("Made by %1 while %2 was logged in as them (Login As)")
                .arg(actorText(row), row.impersonatorName);
        if (column == Reason && !e.reason.isEmpty())
            return e.reason;
        if (column == Time && e.occurredAt.isValid())
            return QLocale().toString(e.occurredAt.toLocalTime(), QLocale::LongFormat);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case Time:
        return when(e.occurredAt);
    case Actor:
        return actorText(row);
    case LoginAsBy:
        // The text itself marks an event made during Login As.
        return row.impersonatorName.isEmpty() ? QString()
                                              : tr("Login As: %1").arg(row.impersonatorName);
    case Action:
        return e.action;
    case Entity:
        return entityText(e);
    case Customer:
        return row.customerName;
    case Reseller:
        return row.resellerName;
    case Reason:
        // One line in the table; the tooltip and the detail have it all.
        return QString(e.reason).replace(QLatin1Char('\n'), QLatin1Char(' '));
    default:
        return {};
    }
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Actor:
        return tr("Actor");
    case LoginAsBy:
        return tr("Login As by");
    case Action:
        return tr("Action");
    case Entity:
        return tr("Entity");
    case Customer:
        return tr("Customer");
    case Reseller:
        return tr("Reseller");
    case Reason:
        return tr("Reason");
    default:
        return {};
    }
}

} // namespace rd
