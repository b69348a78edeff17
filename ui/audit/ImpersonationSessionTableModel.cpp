#include "audit/ImpersonationSessionTableModel.h"

#include <climits>

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

void ImpersonationSessionTableModel::setPaging(int pageRows, int cachedPages, int endRows)
{
    m_cache.setPaging(qMin(pageRows, AuditService::MaxPageRows), cachedPages, endRows);
}

void ImpersonationSessionTableModel::setFilter(const ImpersonationLogFilter &filter)
{
    m_filter = filter;
    reload();
}

KeysetPageCache<ImpersonationLogRow, AuditCursor>::Source
ImpersonationSessionTableModel::source() const
{
    const ImpersonationLogFilter filter = m_filter;
    const Session &session = m_session;
    const AuditService &audit = m_audit;
    KeysetPageCache<ImpersonationLogRow, AuditCursor>::Source source;
    source.count
        = [&audit, &session, filter] { return audit.countImpersonationSessions(session, filter); };
    source.after = [&audit, &session, filter](const std::optional<AuditCursor> &key, int limit) {
        return audit.impersonationSessions(session, filter, key.value_or(AuditCursor {}), limit);
    };
    source.before = [&audit, &session, filter](const std::optional<AuditCursor> &key, int limit) {
        return audit.impersonationSessionsBefore(
            session, filter, key.value_or(AuditCursor {}), limit);
    };
    source.atRow = [&audit, &session, filter](qint64 offset, int limit) {
        return audit.impersonationSessionsAtRow(session, filter, offset, limit);
    };
    source.keyOf = [](const ImpersonationLogRow &row) { return AuditService::cursorAfter(row); };
    return source;
}

void ImpersonationSessionTableModel::reload()
{
    beginResetModel();
    if (m_cache.reset(source()) && m_cache.total() > 0)
        (void)m_cache.loadRows(0, 0);
    endResetModel();
    Q_EMIT loaded(m_cache.lastError());
}

const ImpersonationLogRow *ImpersonationSessionTableModel::rowAt(int row) const
{
    return m_cache.row(row);
}

int ImpersonationSessionTableModel::rowOfId(qint64 id) const
{
    const std::optional<qint64> row
        = m_cache.findCached([id](const ImpersonationLogRow &listed) { return listed.id == id; });
    return row ? static_cast<int>(*row) : -1;
}

rd::Status ImpersonationSessionTableModel::loadRows(int first, int last)
{
    return m_cache.loadRows(first, last);
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
    return parent.isValid() ? 0 : static_cast<int>(qMin<qint64>(m_cache.total(), INT_MAX));
}

int ImpersonationSessionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImpersonationSessionTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::TextAlignmentRole)
        return {};
    const ImpersonationLogRow *listed = m_cache.row(index.row());
    if (!listed)
        return {}; // the read failed, or the row was deleted meanwhile
    const ImpersonationLogRow &row = *listed;
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
