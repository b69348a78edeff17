#include "outbox/OutboxTableModel.h"

#include <climits>

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>
#include <QStyle>

#include "common/Appearance.h"
#include "services/OutboxPageReads.h"
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
    const QColor colour = OutboxTableModel::statusForeground(status, QGuiApplication::palette());
    return colour.isValid() ? QVariant(QBrush(colour)) : QVariant();
}

} // namespace

OutboxTableModel::OutboxTableModel(const Session &session, OutboxService &outbox, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_outbox(outbox)
    , m_pages(outbox.databaseProfile(), outbox.clock(), OutboxPageReads::entries(outbox),
          &OutboxPageReads::openEntries, QStringLiteral("OutboxPageReader"))
{
    m_pages.rowsChanged = [this](qint64 first, qint64 last) {
        last = qMin<qint64>(last, rowCount() - 1);
        if (last >= first)
            Q_EMIT dataChanged(
                index(static_cast<int>(first), 0), index(static_cast<int>(last), ColumnCount - 1));
    };
    m_pages.readFailed = [this](const QString &message) { Q_EMIT loadFailed(message); };
}

OutboxTableModel::~OutboxTableModel() = default;

void OutboxTableModel::setPaging(int pageRows, int cachedPages, int endRows)
{
    m_pages.cache().setPaging(qMin(pageRows, OutboxService::MaxPageRows), cachedPages, endRows);
}

void OutboxTableModel::setQuery(const OutboxQuery &query)
{
    m_query = query;
    m_query.beforeId = 0;
    m_query.afterId = 0;
    m_query.oldest = false;
    m_query.offset = 0;
    reload();
}

void OutboxTableModel::reload()
{
    beginResetModel();
    (void)m_pages.reset(m_session, m_query);
    endResetModel();
    Q_EMIT loaded(m_pages.cache().lastError());
}

const OutboxEntry *OutboxTableModel::entryAt(int row) const
{
    return m_pages.row(row);
}

const OutboxEntry *OutboxTableModel::cachedEntryAt(int row) const
{
    return m_pages.cache().cached(row);
}

int OutboxTableModel::rowOfId(qint64 id) const
{
    const std::optional<qint64> row
        = m_pages.cache().findCached([id](const OutboxEntry &entry) { return entry.id == id; });
    return row ? static_cast<int>(*row) : -1;
}

rd::Status OutboxTableModel::loadRows(int first, int last)
{
    return m_pages.loadRows(first, last);
}

QColor OutboxTableModel::statusForeground(OutboxStatus status, const QPalette &palette)
{
    // Dark red, amber and green on a light base; their light tints on a dark
    // one. Both pass 4.5:1 against the base (LookAndFeelTest). The status
    // also has its icon and its word: colour is never the only sign.
    const bool dark = isDark(palette);
    switch (status) {
    case OutboxStatus::Failed:
        return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x00, 0x20);
    case OutboxStatus::Unknown:
        return dark ? QColor(0xff, 0xcc, 0x80) : QColor(0x8a, 0x4b, 0x00);
    case OutboxStatus::Sent:
        return dark ? QColor(0xa5, 0xd6, 0xa7) : QColor(0x1b, 0x5e, 0x20);
    case OutboxStatus::Pending:
    case OutboxStatus::Sending:
    case OutboxStatus::Cancelled:
        break;
    }
    return {};
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
    return parent.isValid() ? 0 : static_cast<int>(qMin<qint64>(m_pages.cache().total(), INT_MAX));
}

int OutboxTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OutboxTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::TextAlignmentRole
        && role != Qt::DecorationRole && role != Qt::ForegroundRole)
        return {};
    const OutboxEntry *entry = m_pages.requested(index.row());
    if (!entry)
        return {}; // not read yet (its page is on its way), failed, or deleted meanwhile
    const OutboxEntry &e = *entry;
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
