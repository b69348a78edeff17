#pragma once

#include <optional>

#include <QDialog>

#include "security/Authenticator.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace rd {

// Signs a user in through the Authenticator: email and password (or the
// temporary password from a setup email), then, for a user with several
// memberships, the context to work in. Accepted when a session can be
// opened, or when the user must choose a new password first
// (result().mustChangePassword).
class SignInDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInDialog)

public:
    // The result code when the user asked for another database (the
    // "Change Database…" button): the caller shows the connection dialog.
    static constexpr int ChangeDatabase = 2;

    SignInDialog(
        Authenticator &authenticator, const QString &databaseName, QWidget *parent = nullptr);

    // Shown under the fields, e.g. the demo logins.
    void setHint(const QString &hint);
    void setEmail(const QString &email);

    const SignInResult &signedIn() const { return *m_result; }
    qint64 membershipId() const noexcept { return m_membershipId; }
    // What the user typed as password: needed once to set a new password.
    QString secret() const;

    // "Reseller Admin — Northwind": how a membership is offered for choice.
    static QString describe(const Membership &membership, const SignInResult &result);

private:
    void updateButtons();
    void signIn();
    void choose();

    Authenticator &m_authenticator;
    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_email = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_reason = nullptr;
    QLabel *m_hint = nullptr;
    QComboBox *m_memberships = nullptr;
    QPushButton *m_signIn = nullptr;
    std::optional<SignInResult> m_result;
    qint64 m_membershipId = 0;
};

} // namespace rd
