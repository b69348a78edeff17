#include "audit/ImpersonationSessionTableModel.h"

#include <QLocale>

#include "services/Clock.h"
#include "services/Session.h"

namespace rd {

namespace {

QString when(const QDateTime &time)
{
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat)
                          : QString();
}

} // namespace

ImpersonationSessionTableModel::ImpersonationSessionTableModel(
    const Session &session, AuditService &audit, const Clock &clock, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_audit(audit)
    , m_clock(clock)
{ }

void ImpersonationSessionTableModel::setPageSize(int rows)
{
    m_pageSize = qBound(1, rows, 1000);
}

void ImpersonationSessionTableModel::setFilter(const ImpersonationLogFilter &filter)
{
    m_filter = filter;
    reload();
}

void ImpersonationSessionTableModel::reload()
{
    Result<QList<ImpersonationLogRow>> page = fetch({});
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

Result<QList<ImpersonationLogRow>> ImpersonationSessionTableModel::fetch(
    const AuditCursor &after) const
{
    return m_audit.impersonationSessions(m_session, m_filter, after, m_pageSize);
}

bool ImpersonationSessionTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void ImpersonationSessionTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_atEnd || m_rows.isEmpty() || m_changing)
        return;
    m_changing = true;
    Result<QList<ImpersonationLogRow>> page = fetch(AuditService::cursorAfter(m_rows.constLast()));
    if (!page) {
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

const ImpersonationLogRow *ImpersonationSessionTableModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int ImpersonationSessionTableModel::rowOfId(qint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id)
            return row;
    }
    return -1;
}

QString ImpersonationSessionTableModel::durationText(qint64 seconds)
{
    const qint64 s = qMax<qint64>(0, seconds);
    const qint64 hours = s / 3600;
    const qint64 minutes = (s % 3600) / 60;
    const qint64 rest = s % 60;
    const auto two = [](qint64 n) { return QStringLiteral("%1").arg(n, 2, 10, QLatin1Char('0')); };
    if (hours > 0)
        return QString::number(hours) + QLatin1Char(':') + two(minutes) + QLatin1Char(':')
            + two(rest);
    return two(minutes) + QLatin1Char(':') + two(rest);
}

QString ImpersonationSessionTableModel::endReasonText(const QString &key)
{
    if (key == u"closed")
        return tr("Closed");
    if (key == u"signed_out")
        return tr("Signed out");
    if (key == u"expired")
        return tr("Expired");
    if (key == u"app_exit")
        return tr("App exit");
    return key;
}

QDateTime ImpersonationSessionTableModel::endOf(const ImpersonationLogRow &row) const
{
    if (row.endedAt.isValid())
        return row.endedAt;
    const QDateTime now = m_clock.now();
    return row.expiresAt.isValid() && row.expiresAt <= now ? row.expiresAt : now;
}

int ImpersonationSessionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ImpersonationSessionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImpersonationSessionTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ImpersonationLogRow &row = m_rows.at(index.row());
    const int column = index.column();
    const bool ended = row.endedAt.isValid();
    const bool expired = !ended && row.expiresAt.isValid() && row.expiresAt <= m_clock.now();
    switch (role) {
    case Qt::TextAlignmentRole:
        return column == Duration ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                                  : QVariant();
    case Qt::ToolTipRole:
        if (column == Reason && !row.reason.isEmpty())
            return row.reason;
        if (column == Ended && !ended)
            return tr("Expires %1").arg(when(row.expiresAt));
        if (column == Customer && !row.resellerName.isEmpty())
            return tr("%1 (reseller %2)").arg(row.customerName, row.resellerName);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case Started:
        return when(row.startedAt);
    case Ended:
        if (ended)
            return when(row.endedAt);
        return expired ? tr("expired") : tr("open");
    case Duration:
        return durationText(row.startedAt.secsTo(endOf(row)));
    case Impersonator:
        return row.impersonatorName;
    case ClientUser:
        return row.clientUserName;
    case Customer:
        return row.customerName;
    case Reason:
        return QString(row.reason).replace(QLatin1Char('\n'), QLatin1Char(' '));
    case HowEnded:
        if (ended)
            return endReasonText(row.endReason);
        return expired ? tr("Expired (never closed)") : tr("Still open");
    default:
        return {};
    }
}

QVariant ImpersonationSessionTableModel::headerData(
    int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Started:
        return tr("Started");
    case Ended:
        return tr("Ended");
    case Duration:
        return tr("Duration");
    case Impersonator:
        return tr("Impersonator");
    case ClientUser:
        return tr("Client user");
    case Customer:
        return tr("Customer");
    case Reason:
        return tr("Reason");
    case HowEnded:
        return tr("How it ended");
    default:
        return {};
    }
}

} // namespace rd
