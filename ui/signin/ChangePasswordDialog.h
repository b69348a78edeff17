#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace rd {

// "Choose your password": asked for after signing in with a temporary
// password (or when the password must otherwise be replaced). OK is enabled
// once the new password is strong enough and the confirmation matches.
class ChangePasswordDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChangePasswordDialog)

public:
    explicit ChangePasswordDialog(QWidget *parent = nullptr);
    ~ChangePasswordDialog() override;

    // For a signed-in user changing a password they know: adds a "current
    // password" field above the new one (a forced change after a temporary
    // password does not need it: the caller has that secret already).
    void requireCurrentPassword();
    QString currentPassword() const;
    QString newPassword() const;

    // Why the input cannot be used yet; empty when OK is enabled.
    QString problem() const;

    // Shows why the server refused the password, for the caller that keeps
    // the dialog open; selects the new password for retyping. Replaced by
    // the next edit.
    void setError(const QString &message);

    // Closes only when the input is valid.
    void accept() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateState();

    QLineEdit *m_currentPassword = nullptr;
    QLineEdit *m_newPassword = nullptr;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_intro = nullptr;
    QLabel *m_reasonLabel = nullptr;
    QPushButton *m_okButton = nullptr;
};

} // namespace rd
