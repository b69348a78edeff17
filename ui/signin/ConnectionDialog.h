#pragma once

#include <QDialog>
#include <QList>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace rd {

class CredentialStore;

// "Open database": an SQLite file or a PostgreSQL server. The choice and
// every field except the password are remembered in QSettings (group
// "connection"), loaded here and saved when the dialog is accepted, and so
// are the last few connections used (a "Recent" list of profiles). The
// password is never written there: with a credential store it may be kept
// in the system keychain instead ("Remember the password", under
// CredentialStore::databaseKey), and is then filled in for that profile.
//
// objectNames: "recentConnections", "sqliteChoice", "sqlitePath",
// "browseButton", "postgresChoice", "pgHost", "pgPort", "pgDatabase",
// "pgUser", "pgPassword", "rememberPassword", "keychainNote",
// "reasonLabel", "okButton", "cancelButton".
class ConnectionDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionDialog)

public:
    enum class Kind { SQLite, PostgreSQL };

    explicit ConnectionDialog(QWidget *parent = nullptr);
    ~ConnectionDialog() override;

    // The keychain for PostgreSQL passwords; null (the default): none, the
    // password is typed each time. Not owned; must outlive the dialog.
    void setCredentialStore(CredentialStore *store);

    Kind kind() const;

    // For SQLite the absolute file path; for PostgreSQL
    // "postgresql://user:password@host:port/database", percent-encoded.
    // Contains the password: never log or store it.
    QString connectionUrl() const;

    // Why the input cannot be used yet; empty when OK is enabled.
    QString problem() const;

    // Shows why opening failed (e.g. the server refused the password), for
    // the caller that keeps the dialog open. Replaced by the next edit.
    void setError(const QString &message);

    // Saves the settings and closes, only when the input is valid.
    void accept() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    // The last connections used (kind and fields, never a password), most
    // recent first, at most MaxRecent.
    void loadRecent();
    void applyRecent(int index);
    void loadSettings();
    void saveSettings() const;
    void updateState();
    void browse();
    // The keychain key of the PostgreSQL profile as entered.
    QString passwordKey() const;
    // Fills the password stored for the PostgreSQL profile as entered.
    void fillStoredPassword();
    void showKeychainError(const QString &message);
    // Stores or removes the password as "Remember" says; false (and the
    // reason shown) when the keychain refused.
    bool rememberPassword();

    static constexpr int MaxRecent = 8;
    QComboBox *m_recent = nullptr;
    QRadioButton *m_sqliteChoice = nullptr;
    QRadioButton *m_postgresChoice = nullptr;
    QList<QWidget *> m_sqliteWidgets;   // enabled when SQLite is chosen
    QList<QWidget *> m_postgresWidgets; // enabled when PostgreSQL is chosen
    QLineEdit *m_sqlitePath = nullptr;
    QPushButton *m_browseButton = nullptr;
    QLineEdit *m_pgHost = nullptr;
    QSpinBox *m_pgPort = nullptr;
    QLineEdit *m_pgDatabase = nullptr;
    QLineEdit *m_pgUser = nullptr;
    QLineEdit *m_pgPassword = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_keychainNote = nullptr;
    CredentialStore *m_credentials = nullptr;
    bool m_keychainUnavailable = false;
    QLabel *m_reasonLabel = nullptr;
    QPushButton *m_okButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
};

} // namespace rd
