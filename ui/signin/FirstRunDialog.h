#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace rd {

// "Create the first administrator": shown when the database has no users
// yet. OK is enabled once the email parses, the name is given (at most
// TextLimits::UserName characters), the password is strong enough and the
// confirmation matches; the core checks all of this again.
class FirstRunDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FirstRunDialog)

public:
    // The result code when the user chose to explore with demo data instead
    // of creating the first administrator.
    static constexpr int UseDemoData = 2;

    explicit FirstRunDialog(QWidget *parent = nullptr);
    ~FirstRunDialog() override;

    // The email as typed, without surrounding whitespace.
    QString email() const;
    // The name without surrounding whitespace.
    QString displayName() const;
    QString password() const;

    // Why the input cannot be used yet; empty when OK is enabled.
    QString problem() const;

    // Shows why creating the administrator failed, for the caller that keeps
    // the dialog open. Replaced by the next edit.
    void setError(const QString &message);

    // Closes only when the input is valid.
    void accept() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateState();

    QLineEdit *m_email = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_reasonLabel = nullptr;
    QPushButton *m_okButton = nullptr;
};

} // namespace rd
