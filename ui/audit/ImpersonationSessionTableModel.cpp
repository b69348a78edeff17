#include "audit/ImpersonationSessionTableModel.h"

#include <climits>

#include <QLocale>

#include "services/AuditPageReads.h"
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
    , m_pages(audit.databaseProfile(), audit.clock(), AuditPageReads::sessions(audit),
          &AuditPageReads::openSessions, QStringLiteral("SessionPageReader"))
{
    m_pages.rowsChanged = [this](qint64 first, qint64 last) {
        last = qMin<qint64>(last, rowCount() - 1);
        if (last >= first)
            Q_EMIT dataChanged(
                index(static_cast<int>(first), 0), index(static_cast<int>(last), ColumnCount - 1));
    };
    m_pages.readFailed = [this](const QString &message) { Q_EMIT loadFailed(message); };
}

ImpersonationSessionTableModel::~ImpersonationSessionTableModel() = default;

void ImpersonationSessionTableModel::setPaging(int pageRows, int cachedPages, int endRows)
{
    m_pages.cache().setPaging(qMin(pageRows, AuditService::MaxPageRows), cachedPages, endRows);
}

void ImpersonationSessionTableModel::setFilter(const ImpersonationLogFilter &filter)
{
    m_filter = filter;
    reload();
}

void ImpersonationSessionTableModel::reload()
{
    beginResetModel();
    (void)m_pages.reset(m_session, m_filter);
    endResetModel();
    Q_EMIT loaded(m_pages.cache().lastError());
}

const ImpersonationLogRow *ImpersonationSessionTableModel::rowAt(int row) const
{
    return m_pages.row(row);
}

const ImpersonationLogRow *ImpersonationSessionTableModel::cachedRowAt(int row) const
{
    return m_pages.cache().cached(row);
}

int ImpersonationSessionTableModel::rowOfId(qint64 id) const
{
    const std::optional<qint64> row = m_pages.cache().findCached(
        [id](const ImpersonationLogRow &listed) { return listed.id == id; });
    return row ? static_cast<int>(*row) : -1;
}

rd::Status ImpersonationSessionTableModel::loadRows(int first, int last)
{
    return m_pages.loadRows(first, last);
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
    return parent.isValid() ? 0 : static_cast<int>(qMin<qint64>(m_pages.cache().total(), INT_MAX));
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
    const ImpersonationLogRow *listed = m_pages.requested(index.row());
    if (!listed)
        return {}; // not read yet (its page is on its way), failed, or deleted meanwhile
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
