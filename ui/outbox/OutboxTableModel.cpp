#include "outbox/OutboxTableModel.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QStyle>

#include "services/Session.h"

namespace rd {

namespace {

QString when(const QDateTime &time)
{
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat)
                          : QString();
}

// Colour and icon repeat what the status text says; neither is the only cue.
QStyle::StandardPixmap statusIcon(OutboxStatus status)
{
    switch (status) {
    case OutboxStatus::Pending:
        return QStyle::SP_BrowserReload;
    case OutboxStatus::Sending:
        return QStyle::SP_ArrowUp;
    case OutboxStatus::Sent:
        return QStyle::SP_DialogApplyButton;
    case OutboxStatus::Failed:
        return QStyle::SP_MessageBoxCritical;
    case OutboxStatus::Unknown:
        return QStyle::SP_MessageBoxWarning;
    case OutboxStatus::Cancelled:
        break;
    }
    return QStyle::SP_DialogCancelButton;
}

QVariant statusColour(OutboxStatus status)
{
    switch (status) {
    case OutboxStatus::Failed:
        return QBrush(QColor(0xb0, 0x00, 0x20));
    case OutboxStatus::Unknown:
        return QBrush(QColor(0x8a, 0x4b, 0x00));
    case OutboxStatus::Sent:
        return QBrush(QColor(0x1b, 0x5e, 0x20));
    case OutboxStatus::Pending:
    case OutboxStatus::Sending:
    case OutboxStatus::Cancelled:
        break;
    }
    return {};
}

} // namespace

OutboxTableModel::OutboxTableModel(const Session &session, OutboxService &outbox, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_outbox(outbox)
{ }

void OutboxTableModel::setPageSize(int rows)
{
    m_pageSize = qBound(1, rows, 1000);
}

void OutboxTableModel::setQuery(const OutboxQuery &query)
{
    m_query = query;
    reload();
}

void OutboxTableModel::reload()
{
    Result<QList<OutboxEntry>> page = fetch(0);
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

Result<QList<OutboxEntry>> OutboxTableModel::fetch(qint64 beforeId) const
{
    OutboxQuery query = m_query;
    query.beforeId = beforeId;
    query.limit = m_pageSize;
    return m_outbox.list(m_session, query);
}

bool OutboxTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void OutboxTableModel::fetchMore(const QModelIndex &parent)
{
    // Not from a handler of a change being announced (the model tester and
    // the view ask there): that would nest two changes and fetch one page
    // twice. The view asks again when it scrolls.
    if (parent.isValid() || m_atEnd || m_rows.isEmpty() || m_changing)
        return;
    m_changing = true;
    Result<QList<OutboxEntry>> page = fetch(m_rows.constLast().id);
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

const OutboxEntry *OutboxTableModel::entryAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int OutboxTableModel::rowOfId(qint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id)
            return row;
    }
    return -1;
}

QString OutboxTableModel::statusText(OutboxStatus status)
{
    switch (status) {
    case OutboxStatus::Pending:
        return tr("Pending");
    case OutboxStatus::Sending:
        return tr("Sending");
    case OutboxStatus::Sent:
        return tr("Sent");
    case OutboxStatus::Failed:
        return tr("Failed");
    case OutboxStatus::Unknown:
        return tr("Outcome unknown");
    case OutboxStatus::Cancelled:
        break;
    }
    return tr("Cancelled");
}

QString OutboxTableModel::kindText(OutboxKind kind)
{
    switch (kind) {
    case OutboxKind::Setup:
        return tr("Setup");
    case OutboxKind::Invitation:
        return tr("Invitation");
    case OutboxKind::PasswordReset:
        return tr("Password reset");
    case OutboxKind::PortalInvitation:
        return tr("Portal invitation");
    case OutboxKind::TrialReminder:
        return tr("Trial reminder");
    case OutboxKind::LoginAsNotice:
        break;
    }
    return tr("Login As notice");
}

int OutboxTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int OutboxTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OutboxTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const OutboxEntry &e = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::TextAlignmentRole:
        return column == Attempts ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                                  : QVariant();
    case Qt::DecorationRole:
        return column == Status
            ? QVariant(QApplication::style()->standardIcon(statusIcon(e.status)))
            : QVariant();
    case Qt::ForegroundRole:
        return column == Status ? statusColour(e.status) : QVariant();
    case Qt::ToolTipRole:
        if ((column == Status || column == LastError) && !e.lastError.isEmpty())
            return tr("%1 — last error: %2").arg(statusText(e.status), e.lastError);
        break;
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case Created:
        return when(e.createdAt);
    case Status:
        return statusText(e.status);
    case Kind:
        return kindText(e.kind);
    case Recipient:
        return e.recipient;
    case Subject:
        return e.subject;
    case Customer:
        return e.customerName;
    case Attempts:
        return QLocale().toString(e.attempts);
    case LastError:
        return e.lastError;
    case NextAttempt:
        // Only waiting mail has one: the retry time, or the not-before time.
        if (e.status != OutboxStatus::Pending)
            return QString();
        return when(e.nextAttemptAt.isValid() && e.nextAttemptAt > e.notBefore ? e.nextAttemptAt
                                                                               : e.notBefore);
    case Sent:
        return when(e.sentAt);
    default:
        return {};
    }
}

QVariant OutboxTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Created:
        return tr("Created");
    case Status:
        return tr("Status");
    case Kind:
        return tr("Kind");
    case Recipient:
        return tr("Recipient");
    case Subject:
        return tr("Subject");
    case Customer:
        return tr("Customer");
    case Attempts:
        return tr("Attempts");
    case LastError:
        return tr("Last error");
    case NextAttempt:
        return tr("Next attempt");
    case Sent:
        return tr("Sent");
    default:
        return {};
    }
}

} // namespace rd
