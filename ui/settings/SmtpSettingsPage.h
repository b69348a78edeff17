#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

#include "domain/Error.h"
#include "mail/SmtpSettings.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QThread;

namespace rd {

class Session;
struct DeliveryReceipt;
struct UiServices;

// The SMTP part of the Settings dialog: the server every desktop delivers
// through (SmtpSettings, saved with the other domain settings by the
// dialog), and this desktop's password for it, which never goes into the
// settings: storePassword() puts it into the system keychain under
// CredentialStore::smtpKey once the dialog has saved. When the keychain
// cannot be used the page says so, with the keychain's own text.
//
// "Send Test Email…" sends one message with the values as entered (not yet
// saved) and the typed password, or the stored one when the field is empty,
// on a thread of its own; the page stays usable meanwhile and may be closed.
//
// objectNames: "smtpPage", "smtpEnabled", "smtpHost", "smtpPort",
// "smtpSecurity", "plainTextWarning", "smtpAllowPlainAuth", "smtpUser",
// "smtpPassword", "smtpStorePassword", "keychainNote", "smtpSenderAddress",
// "smtpSenderName", "smtpCaFile", "smtpCaBrowse", the reason labels
// "<input>Reason" (e.g. "smtpHostReason"), "sendTestButton", "testResult";
// the recipient prompt "testRecipientDialog".
class SmtpSettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SmtpSettingsPage)

public:
    SmtpSettingsPage(
        const Session &session, UiServices &services, bool readOnly, QWidget *parent = nullptr);
    // A test message still being sent finishes on its own thread.
    ~SmtpSettingsPage() override;

    // Shows saved settings, and whether this desktop's keychain holds their
    // password.
    void setSettings(const SmtpSettings &settings);
    // The settings as entered.
    SmtpSettings settings() const;

    struct Problem
    {
        QString field; // a stored key, as Error::field() names it
        QString message;
    };
    // What keeps the settings from being saved (SmtpSettings::validate, and
    // the sender address checked as it is typed); empty when nothing does.
    Problem problem() const;

    // Reason labels and inputs by the field names Error::field() uses, for
    // the dialog that shows the problems beside their fields.
    const QHash<QString, QLabel *> &reasons() const noexcept { return m_reasons; }
    const QHash<QString, QWidget *> &inputs() const noexcept { return m_inputs; }

    // After the settings were saved: stores the typed password (or moves the
    // stored one to the saved server's key), or removes it when "keep" is
    // unchecked. A keychain failure is shown on the page and returned.
    Status storePassword();

    bool isSending() const noexcept { return m_sending != nullptr; }

signals:
    // An input changed (for the dialog's validation).
    void changed();

private:
    enum class Keychain { Unknown, Stored, Empty, Unavailable };

    QLabel *addReason(const QString &objectName, const QString &field, QWidget *input);
    SmtpProfile::Security security() const;
    QString currentKey() const;
    void readKeychainState();
    void showKeychainError(const Error &error);
    void securityChanged();
    void updateState();
    void browseCaFile();
    void sendTestEmail();
    void showTestOutcome(const QString &recipient, const DeliveryReceipt &receipt);
    void setTestResult(const QString &text);

    const Session &m_session;
    UiServices &m_services;
    const bool m_readOnly;
    // The keychain key of the settings last shown or saved, and what it holds.
    QString m_storedKey;
    Keychain m_keychain = Keychain::Unknown;
    QString m_keychainError;
    SmtpProfile::Security m_lastSecurity = SmtpProfile::Security::StartTls;
    QThread *m_sending = nullptr;

    QCheckBox *m_enabled = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QComboBox *m_security = nullptr;
    QLabel *m_plainWarning = nullptr;
    QCheckBox *m_allowPlainAuth = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QCheckBox *m_storePassword = nullptr;
    QLabel *m_keychainNote = nullptr;
    QLineEdit *m_senderAddress = nullptr;
    QLineEdit *m_senderName = nullptr;
    QLineEdit *m_caFile = nullptr;
    QPushButton *m_caBrowse = nullptr;
    QPushButton *m_sendTest = nullptr;
    QLabel *m_testResult = nullptr;
    QHash<QString, QLabel *> m_reasons;
    QHash<QString, QWidget *> m_inputs;
};

} // namespace rd
