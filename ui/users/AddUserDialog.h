#pragma once

#include <utility>

#include <QDialog>

#include "services/UserService.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTimer;

namespace rd {

class Session;
struct UiServices;

// Adds a user (rule 10): email, name, a role the session may grant and the
// context that role lives in: the vendor for vendor roles (shown, nothing to
// choose), a reseller portal for reseller roles, a client account for client
// roles (the own account for a Client Admin; otherwise found by a search).
// When the email already has a login, core gives that login the new
// membership; outcome() says so.
//
// objectNames: "addUserDialog", "email", "displayName", "role",
// "vendorContext", "resellerContext", "clientAccount" (a Client Admin's
// fixed account), "customerSearch", "customerResults",
// "customerSearchHint", "sendInvitation", "emailError",
// "displayNameError", "roleError", "contextError", "reasonLabel" (what
// else keeps Add disabled), "addButton", "cancelButton".
class AddUserDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddUserDialog)

public:
    // At most this many customers are listed for one search.
    static constexpr int SearchLimit = 20;

    AddUserDialog(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~AddUserDialog() override;

    // What core did, valid after the dialog was accepted.
    const AddedUser &added() const noexcept { return m_added; }
    // One sentence about it for the page: a new login or a membership added
    // to an existing one, and whether an email is queued.
    const QString &outcome() const noexcept { return m_outcome; }

    // Adds the user through UserService; stays open on error.
    void accept() override;

private:
    enum class Field { None, Email, DisplayName, Role, Context };

    Role currentRole() const;
    ContextKind currentKind() const;
    qint64 contextId() const;
    QString contextName() const;

    void roleChanged();
    // Fits the height to the visible rows; grows only, unless shrink.
    void fitHeight(bool shrink);
    void loadResellerContexts();
    void loadOwnAccount();
    void searchCustomers();
    void updateState();
    // The first thing that keeps Add disabled, and where to say it.
    std::pair<Field, QString> problem() const;
    void showProblem(Field field, const QString &message);
    QLabel *labelFor(Field field) const;

    const Session &m_session;
    UiServices &m_services;
    AddedUser m_added;
    QString m_outcome;

    QLineEdit *m_email = nullptr;
    QLineEdit *m_displayName = nullptr;
    QComboBox *m_role = nullptr;
    QLabel *m_roleHint = nullptr;
    QLabel *m_contextLabel = nullptr; // its text and buddy follow the role
    QLabel *m_vendorContext = nullptr;
    QComboBox *m_resellerContext = nullptr;
    QLabel *m_clientAccount = nullptr;
    QWidget *m_customerPicker = nullptr;
    QLineEdit *m_customerSearch = nullptr;
    QListWidget *m_customerResults = nullptr;
    QLabel *m_customerSearchHint = nullptr;
    QCheckBox *m_sendInvitation = nullptr;
    QLabel *m_invitationHint = nullptr;
    QLabel *m_emailError = nullptr;
    QLabel *m_displayNameError = nullptr;
    QLabel *m_roleError = nullptr;
    QLabel *m_contextError = nullptr;
    QLabel *m_reasonLabel = nullptr;
    QPushButton *m_addButton = nullptr;
    QTimer *m_searchDebounce = nullptr;

    bool m_resellersLoaded = false;
    QString m_resellersError;
    bool m_ownAccountLoaded = false;
    qint64 m_ownAccountId = 0;
    QString m_ownAccountName;
    QString m_ownAccountError;
    bool m_customersSearched = false;
    QString m_customerSearchError;
    // A core refusal, shown beside its field until the input changes.
    Field m_serverField = Field::None;
    QString m_serverMessage;
};

} // namespace rd
