#include "audit/AuditTableModel.h"

#include <climits>

#include <QLocale>

#include "services/AuditPageReads.h"
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
    , m_pages(audit.databaseProfile(), audit.clock(), AuditPageReads::events(audit),
          &AuditPageReads::openEvents, QStringLiteral("AuditPageReader"))
{
    m_pages.rowsChanged = [this](qint64 first, qint64 last) {
        last = qMin<qint64>(last, rowCount() - 1);
        if (last >= first)
            Q_EMIT dataChanged(
                index(static_cast<int>(first), 0), index(static_cast<int>(last), ColumnCount - 1));
    };
    m_pages.readFailed = [this](const QString &message) { Q_EMIT loadFailed(message); };
}

AuditTableModel::~AuditTableModel() = default;

void AuditTableModel::setPaging(int pageRows, int cachedPages, int endRows)
{
    m_pages.cache().setPaging(qMin(pageRows, AuditService::MaxPageRows), cachedPages, endRows);
}

void AuditTableModel::setFilter(const AuditFilter &filter)
{
    m_filter = filter;
    reload();
}

void AuditTableModel::reload()
{
    beginResetModel();
    (void)m_pages.reset(m_session, m_filter);
    endResetModel();
    Q_EMIT loaded(m_pages.cache().lastError());
}

const AuditListRow *AuditTableModel::rowAt(int row) const
{
    return m_pages.row(row);
}

const AuditListRow *AuditTableModel::cachedRowAt(int row) const
{
    return m_pages.cache().cached(row);
}

int AuditTableModel::rowOfId(qint64 id) const
{
    const std::optional<qint64> row = m_pages.cache().findCached(
        [id](const AuditListRow &listed) { return listed.event.id == id; });
    return row ? static_cast<int>(*row) : -1;
}

rd::Status AuditTableModel::loadRows(int first, int last)
{
    return m_pages.loadRows(first, last);
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
    return parent.isValid() ? 0 : static_cast<int>(qMin<qint64>(m_pages.cache().total(), INT_MAX));
}

int AuditTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const AuditListRow *listed = m_pages.requested(index.row());
    if (!listed)
        return {}; // not read yet (its page is on its way), failed, or deleted meanwhile
    const AuditListRow &row = *listed;
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
