#include "users/UserTableModel.h"

#include <climits>

#include "common/Formatting.h"

namespace rd {

UserTableModel::UserTableModel(const Session &session, const UserService &users, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_users(users)
{ }

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
    rd::Status result = m_cache.reset(source());
    // The first screen at once.
    if (result && m_cache.total() > 0)
        result = m_cache.loadRows(0, 0);
    endResetModel();
    return result;
}

const UserListRow *UserTableModel::userAt(int row) const
{
    return m_cache.row(row);
}

const UserListRow *UserTableModel::cachedUserAt(int row) const
{
    return m_cache.cached(row);
}

rd::Status UserTableModel::loadRows(int first, int last)
{
    return m_cache.loadRows(first, last);
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
    const UserListRow *row = m_cache.row(index.row());
    if (!row)
        return {}; // the read failed, or the row was deleted meanwhile
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
