#pragma once

#include <QList>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace rd {

class Error;
class Session;
class UserTableModel;
struct UiServices;
struct UserListRow;

// User management (rules 10 and 11, section 3 "manage users"): the
// memberships the session may manage (sorted and filtered by the database,
// read a page at a time: UserTableModel), a filter box (the start of the
// email, name or context, applied once typing pauses), a count, and the
// actions on them. The actions exist only for roles that may manage
// users; core checks every call again.
//
// objectNames: "usersPage", "userFilter", "userTable", "userCount",
// "usersMessage"; actions "addUserAction", "changeRoleAction",
// "deactivateUserAction", "reactivateUserAction", "resetPasswordAction".
class UsersPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsersPage)

public:
    UsersPage(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~UsersPage() override;

    void refresh();
    void focusFilter();
    UserTableModel *model() const noexcept { return m_model; }
    QTableView *view() const noexcept { return m_view; }
    QLineEdit *filterBox() const noexcept { return m_filter; }

    // The page's own actions for the main window's menu and toolbar; empty
    // when the session may not manage users.
    QList<QAction *> pageActions() const { return m_actions; }

    // The memberships selected in the table (in view order).
    QList<const UserListRow *> selectedUsers() const;
    // Selects the membership's row, if it is listed and not filtered out
    // (its row is counted by the database when its page was not read).
    void selectMembership(qint64 membershipId);

private:
    void createActions();
    void sortChanged(int column, Qt::SortOrder order);
    void updateActions();
    void updateCount();
    bool mayChange(const UserListRow &user) const;
    void showMessage(const QString &text);

    void addUser();
    void changeRole();
    void setActive(bool active);
    void resetPassword();
    // Conflict: says so and, when the user agrees, reloads. Other errors:
    // a message box.
    void reportError(const QString &title, const Error &error);

    const Session &m_session;
    UiServices &m_services;
    UserTableModel *m_model = nullptr;
    QTimer *m_filterDelay = nullptr;
    qint64 m_unfiltered = 0; // the count without the filter
    QLineEdit *m_filter = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_message = nullptr;
    // What to do when the list is empty, or that the filter matches nothing.
    QLabel *m_emptyState = nullptr;
    QTableView *m_view = nullptr;
    QList<QAction *> m_actions;
    QAction *m_add = nullptr;
    QAction *m_changeRole = nullptr;
    QAction *m_deactivate = nullptr;
    QAction *m_reactivate = nullptr;
    QAction *m_resetPassword = nullptr;
    bool m_sized = false;
};

} // namespace rd
