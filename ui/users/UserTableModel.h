#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "services/UserService.h"

namespace rd {

// The memberships a session may manage (UserService::listUsers), one row
// per membership. The list is per scope (one portal, one account, or the
// vendor's whole installation), small enough to hold whole; the page sorts
// and filters it in memory through a proxy.
class UserTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UserTableModel)

public:
    enum Column { Email, Name, Role, Context, Status, LastSignIn, ColumnCount };

    // What the proxy sorts by: the rule-10 rank for Role, the time for
    // "Last sign-in" (never signed in sorts first), the text otherwise.
    static constexpr int SortRole = Qt::UserRole;

    explicit UserTableModel(QObject *parent = nullptr);

    void setUsers(QList<UserListRow> users);
    const UserListRow *userAt(int row) const;
    // The row of a membership, -1 when it is not listed.
    int rowOfMembership(qint64 membershipId) const;

    static QString statusText(const UserListRow &user);
    static QString contextText(const UserListRow &user);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const UserListRow &user, int column) const;
    QVariant sortKey(const UserListRow &user, int column) const;

    QList<UserListRow> m_users;
};

} // namespace rd
