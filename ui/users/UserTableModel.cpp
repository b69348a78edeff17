#include "users/UserTableModel.h"

#include <limits>

#include "common/Formatting.h"

namespace rd {

UserTableModel::UserTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void UserTableModel::setUsers(QList<UserListRow> users)
{
    beginResetModel();
    m_users = std::move(users);
    endResetModel();
}

const UserListRow *UserTableModel::userAt(int row) const
{
    return row >= 0 && row < m_users.size() ? &m_users.at(row) : nullptr;
}

int UserTableModel::rowOfMembership(qint64 membershipId) const
{
    for (int row = 0; row < m_users.size(); ++row) {
        if (m_users.at(row).membershipId == membershipId)
            return row;
    }
    return -1;
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
    return parent.isValid() ? 0 : static_cast<int>(m_users.size());
}

int UserTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const UserListRow &user = m_users.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(user, index.column());
    case SortRole:
        return sortKey(user, index.column());
    case Qt::ToolTipRole:
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
    default:
        return {};
    }
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

QVariant UserTableModel::sortKey(const UserListRow &user, int column) const
{
    switch (column) {
    case Role:
        return rank(user.role);
    case LastSignIn:
        return user.lastLoginAt.isValid() ? user.lastLoginAt.toMSecsSinceEpoch()
                                          : std::numeric_limits<qint64>::min();
    default:
        return display(user, column);
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
