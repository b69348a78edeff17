#pragma once

#include <QDialog>

#include "services/UserService.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace rd {

class Session;
struct UiServices;

// Gives one membership another role of the same kind of context (a
// reseller role for another reseller role, a client role for another
// client role), among the roles the session may grant. Saves through
// UserService::changeRole with the version that was read (rule 14); a
// conflict offers to reload the membership.
//
// objectNames: "changeRoleDialog", "userLabel", "contextLabel",
// "currentRole", "newRole", "roleError", "saveButton", "cancelButton".
class ChangeRoleDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChangeRoleDialog)

public:
    ChangeRoleDialog(const Session &session, UiServices &services, const UserListRow &membership,
        QWidget *parent = nullptr);
    ~ChangeRoleDialog() override;

    // After acceptance: the role given and the membership's new version.
    Role newRole() const;
    int newVersion() const noexcept { return m_newVersion; }
    // The membership as last read (updated by a reload).
    const UserListRow &membership() const noexcept { return m_membership; }

    void accept() override;
    // Reads the membership again (after someone else changed it).
    void reload();

private:
    void showMembership();
    void updateState();

    const Session &m_session;
    UiServices &m_services;
    UserListRow m_membership;
    int m_newVersion = 0;
    QString m_serverMessage; // a refusal from core, until the choice changes

    QLabel *m_userLabel = nullptr;
    QLabel *m_contextLabel = nullptr;
    QLabel *m_currentRole = nullptr;
    QComboBox *m_newRole = nullptr;
    QLabel *m_roleError = nullptr;
    QPushButton *m_save = nullptr;
};

} // namespace rd
