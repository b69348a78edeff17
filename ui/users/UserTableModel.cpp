#include "users/UserTableModel.h"

#include <climits>

#include <QTimer>

#include "common/Formatting.h"

namespace rd {

namespace {

// Pages data() may have asked for at once: the visible ones, a few more
// after a fast scroll; older requests are stale.
constexpr int MaxPendingPages = 8;

// How long a query must stay before its anchors are built (typing a filter
// starts none).
constexpr int AnchorDelayMs = 300;

} // namespace

UserTableModel::UserTableModel(const Session &session, const UserService &users, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_users(users)
    , m_reader(std::make_unique<UserPageReader>(users))
    , m_loadTimer(new QTimer(this))
    , m_anchorTimer(new QTimer(this))
{
    // A zero timer: the pages the view asked for while painting go to the
    // worker once it has finished.
    m_loadTimer->setSingleShot(true);
    m_loadTimer->setInterval(0);
    connect(m_loadTimer, &QTimer::timeout, this, &UserTableModel::loadPending);
    connect(m_reader.get(), &UserPageReader::replied, this, &UserTableModel::pageReplied);
    m_anchorTimer->setSingleShot(true);
    m_anchorTimer->setInterval(AnchorDelayMs);
    connect(m_anchorTimer, &QTimer::timeout, this,
        [this] { m_reader->buildAnchors(m_cache.pageRows(), MaxAnchors); });
}

UserTableModel::~UserTableModel() = default;

void UserTableModel::setPaging(int pageRows, int cachedPages, int endRows)
{
    m_cache.setPaging(qMin(pageRows, UserService::MaxPageRows), cachedPages, endRows);
}

KeysetPageCache<UserListRow, UserListKey>::Source UserTableModel::source() const
{
    // Copies of the query: a page read later belongs to the query the
    // cache was reset with.
    const UserPageQuery query = m_query;
    const Session &session = m_session;
    const UserService &users = m_users;
    KeysetPageCache<UserListRow, UserListKey>::Source source;
    source.count = [&users, &session, query] { return users.countMemberships(session, query); };
    source.after = [&users, &session, query](const std::optional<UserListKey> &key, int limit) {
        return users.membershipsAfter(session, query, key, limit);
    };
    source.before = [&users, &session, query](const std::optional<UserListKey> &key, int limit) {
        return users.membershipsBefore(session, query, key, limit);
    };
    source.atRow = [&users, &session, query](qint64 offset, int limit) {
        return users.membershipsAtRow(session, query, offset, limit);
    };
    source.keyOf = [](const UserListRow &row) { return UserListKey::of(row); };
    return source;
}

rd::Status UserTableModel::setQuery(const UserPageQuery &query)
{
    beginResetModel();
    m_query = query;
    m_pending.clear();
    m_loadTimer->stop();
    m_anchorTimer->stop();
    m_anchorsComplete = false;
    // Whatever the worker still reads for the previous query is dropped.
    m_reader->setQuery(++m_generation, m_session, m_query);
    rd::Status result = m_cache.reset(source());
    // The first screen at once, without placeholders.
    if (result && m_cache.total() > 0)
        result = m_cache.loadRows(0, 0);
    endResetModel();
    // Jumps need anchors only past the pages the first page and a reverse
    // query reach.
    if (result && m_cache.total() > qint64 {m_cache.pageRows()} + m_cache.endRows())
        m_anchorTimer->start();
    else
        m_anchorsComplete = true;
    return result;
}

const UserListRow *UserTableModel::userAt(int row) const
{
    const int page = m_cache.pageOf(row);
    const bool wasCached = m_cache.isCached(page);
    const UserListRow *user = m_cache.row(row);
    if (!wasCached && m_cache.isCached(page)) {
        // Read here: the view may show placeholders for it.
        m_pending.removeOne(page);
        const_cast<UserTableModel *>(this)->notifyPage(page);
    }
    return user;
}

const UserListRow *UserTableModel::requestedRow(int row) const
{
    if (const UserListRow *user = m_cache.cached(row))
        return user;
    const int page = m_cache.pageOf(row);
    if (m_cache.isCached(page))
        return nullptr; // read short or failed: not asked again
    m_pending.removeOne(page);
    m_pending.append(page);
    if (m_pending.size() > MaxPendingPages)
        m_pending.removeFirst();
    m_loadTimer->start();
    return nullptr;
}

void UserTableModel::loadPending()
{
    // The most recent request last: the worker reads it first.
    QList<UserPageRequest> requests;
    for (qsizetype i = 0; i < m_pending.size();) {
        const int page = m_pending.at(i);
        const std::optional<Cache::Read> read
            = m_cache.isCached(page) ? std::nullopt : m_cache.plan(page);
        if (!read) {
            m_pending.removeAt(i);
            continue;
        }
        UserPageRequest request;
        request.page = page;
        request.key = read->key;
        request.offset = read->offset;
        request.limit = read->limit;
        request.keep = read->keep;
        switch (read->kind) {
        case Cache::Read::Kind::After:
            request.kind = UserPageRequest::Kind::After;
            break;
        case Cache::Read::Kind::Before:
            request.kind = UserPageRequest::Kind::Before;
            break;
        case Cache::Read::Kind::AtRow:
            request.kind = UserPageRequest::Kind::AtRow;
            break;
        }
        requests.append(request);
        ++i;
    }
    m_reader->want(requests);
}

void UserTableModel::pageReplied(const UserPageReply &reply)
{
    if (reply.generation != m_generation) {
        ++m_staleReplies;
        return;
    }
    if (reply.page < 0) {
        if (!reply.error.isEmpty()) {
            // Jumps keep working by OFFSET; the user needs no message.
            m_anchorsComplete = true;
            return;
        }
        m_cache.appendAnchors(reply.anchors);
        m_anchorsComplete = reply.anchorsComplete;
        return;
    }
    // Read on this thread meanwhile (userAt, loadRows): that copy stays.
    if (m_cache.isCached(reply.page)) {
        m_pending.removeOne(reply.page);
        return;
    }
    m_pending.removeOne(reply.page);
    m_cache.insertPage(reply.page, reply.rows);
    notifyPage(reply.page);
    if (!reply.error.isEmpty())
        Q_EMIT loadFailed(reply.error);
}

void UserTableModel::notifyPage(int page)
{
    const qint64 first = qint64 {page} * m_cache.pageRows();
    const qint64 last = qMin(first + m_cache.pageRows(), qint64 {rowCount()}) - 1;
    if (last >= first)
        Q_EMIT dataChanged(
            index(static_cast<int>(first), 0), index(static_cast<int>(last), ColumnCount - 1));
}

int UserTableModel::workerPageReads() const
{
    return m_reader->pageReadCount();
}

int UserTableModel::workerOffsetReads() const
{
    return m_reader->offsetReadCount();
}

int UserTableModel::interruptedReads() const
{
    return m_reader->interruptCount();
}

bool UserTableModel::readsOnWorker() const
{
    return m_reader->isThreaded();
}

const UserListRow *UserTableModel::cachedUserAt(int row) const
{
    return m_cache.cached(row);
}

rd::Status UserTableModel::loadRows(int first, int last)
{
    first = qMax(0, first);
    last = qMin(last, rowCount() - 1);
    if (last < first)
        return {};
    QList<int> read;
    for (int page = m_cache.pageOf(first); page <= m_cache.pageOf(last); ++page) {
        if (!m_cache.isCached(page))
            read.append(page);
    }
    const rd::Status result = m_cache.loadRows(first, last);
    for (const int page : std::as_const(read)) {
        if (m_cache.isCached(page)) {
            m_pending.removeOne(page);
            notifyPage(page);
        }
    }
    return result;
}

std::optional<int> UserTableModel::loadedRowOf(qint64 membershipId) const
{
    const std::optional<qint64> row = m_cache.findCached(
        [membershipId](const UserListRow &user) { return user.membershipId == membershipId; });
    if (!row)
        return std::nullopt;
    return static_cast<int>(*row);
}

int UserTableModel::rowOfMembership(qint64 membershipId) const
{
    if (const std::optional<int> loaded = loadedRowOf(membershipId))
        return *loaded;
    Result<std::optional<qint64>> position
        = m_users.membershipPosition(m_session, m_query, membershipId);
    if (!position || !*position || **position >= rowCount())
        return -1;
    return static_cast<int>(**position);
}

std::optional<UserSort> UserTableModel::sortFor(int column)
{
    switch (column) {
    case Email:
        return UserSort::Email;
    case Name:
        return UserSort::Name;
    case Role:
        return UserSort::Role;
    case Status:
        return UserSort::Status;
    case LastSignIn:
        return UserSort::LastSignIn;
    default:
        return std::nullopt;
    }
}

void UserTableModel::sort(int column, Qt::SortOrder order)
{
    const std::optional<UserSort> sort = sortFor(column);
    if (!sort)
        return;
    const bool ascending = order == Qt::AscendingOrder;
    if (*sort == m_query.sort && ascending == m_query.ascending)
        return;
    UserPageQuery query = m_query;
    query.sort = *sort;
    query.ascending = ascending;
    (void)setQuery(query);
}

QString UserTableModel::statusText(const UserListRow &user)
{
    // A deactivated membership cannot be used whatever the lock says, so
    // that is what the row tells first.
    if (!user.active)
        return tr("Inactive");
    if (user.locked)
        return tr("Locked");
    return tr("Active");
}

QString UserTableModel::contextText(const UserListRow &user)
{
    if (contextKindOf(user.role) == ContextKind::Vendor && user.contextName.isEmpty())
        return UserService::vendorContextName();
    return user.contextName;
}

int UserTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(qMin<qint64>(m_cache.total(), INT_MAX));
}

int UserTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const UserListRow *row = requestedRow(index.row());
    if (!row)
        return {}; // not read yet (its page is on its way), failed, or deleted meanwhile
    const UserListRow &user = *row;
    if (role == Qt::DisplayRole)
        return display(user, index.column());
    if (index.column() == Status && user.active && user.locked)
        return tr("Locked out after failed sign-ins; the lock ends by itself.");
    if (index.column() == Context) {
        switch (contextKindOf(user.role)) {
        case ContextKind::Vendor:
            return tr("The vendor: every reseller and customer");
        case ContextKind::Reseller:
            return tr("Reseller portal");
        case ContextKind::Customer:
            return tr("Client account");
        }
    }
    return {};
}

QVariant UserTableModel::display(const UserListRow &user, int column) const
{
    switch (column) {
    case Email:
        return user.email;
    case Name:
        return user.displayName;
    case Role:
        return roleDisplayName(user.role);
    case Context:
        return contextText(user);
    case Status:
        return statusText(user);
    case LastSignIn:
        return user.lastLoginAt.isValid() ? dateTimeText(user.lastLoginAt) : tr("Never");
    default:
        return {};
    }
}

QVariant UserTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Email:
        return tr("Email");
    case Name:
        return tr("Name");
    case Role:
        return tr("Role");
    case Context:
        return tr("Context");
    case Status:
        return tr("Status");
    case LastSignIn:
        return tr("Last sign-in");
    default:
        return {};
    }
}

} // namespace rd
