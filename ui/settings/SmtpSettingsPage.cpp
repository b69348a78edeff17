#include "settings/SmtpSettingsPage.h"

#include <memory>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QUuid>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/EmailAddress.h"
#include "mail/SmtpTransport.h"
#include "security/CredentialStore.h"
#include "services/Clock.h"
#include "services/Session.h"

namespace rd {

namespace {

const QString HostField = QStringLiteral("smtp_host");
const QString PortField = QStringLiteral("smtp_port");
const QString SecurityField = QStringLiteral("smtp_security");
const QString UserField = QStringLiteral("smtp_user");
const QString AllowPlainAuthField = QStringLiteral("smtp_allow_plain_auth");
const QString SenderAddressField = QStringLiteral("smtp_sender_address");
const QString SenderNameField = QStringLiteral("smtp_sender_name");
const QString CaFileField = QStringLiteral("smtp_ca_file");
const QString EnabledField = QStringLiteral("smtp_enabled");

} // namespace

SmtpSettingsPage::SmtpSettingsPage(
    const Session &session, UiServices &services, bool readOnly, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_services(services)
    , m_readOnly(readOnly)
{
    setObjectName(QStringLiteral("smtpPage"));

    const auto lineEdit = [this](const QString &objectName, const QString &accessibleName) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(objectName);
        edit->setAccessibleName(accessibleName);
        edit->setReadOnly(m_readOnly);
        return edit;
    };

    m_enabled = new QCheckBox(tr("&Deliver email through this server"), this);
    m_enabled->setObjectName(QStringLiteral("smtpEnabled"));
    m_enabled->setAccessibleName(tr("Deliver email through this server"));
    m_enabled->setToolTip(tr("While this is off, emails wait in the outbox."));

    m_host = lineEdit(QStringLiteral("smtpHost"), tr("Mail server host"));
    m_host->setPlaceholderText(tr("e.g. smtp.example.com"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("smtpPort"));
    m_port->setAccessibleName(tr("Mail server port"));
    m_port->setRange(1, 65535);
    m_port->setAlignment(Qt::AlignRight);
    m_port->setReadOnly(m_readOnly);
    if (m_readOnly)
        m_port->setButtonSymbols(QAbstractSpinBox::NoButtons);

    m_security = new QComboBox(this);
    m_security->setObjectName(QStringLiteral("smtpSecurity"));
    m_security->setAccessibleName(tr("Connection security"));
    m_security->addItem(tr("STARTTLS"), int(SmtpProfile::Security::StartTls));
    m_security->addItem(tr("Implicit TLS (port 465)"), int(SmtpProfile::Security::ImplicitTls));
    m_security->addItem(tr("None (unencrypted)"), int(SmtpProfile::Security::Plain));

    m_plainWarning = new QLabel(tr("Without encryption, anyone on the network path can read the "
                                   "emails, including the one-time setup codes they carry. Use "
                                   "this only for a relay on this computer or a trusted network."),
        this);
    m_plainWarning->setObjectName(QStringLiteral("plainTextWarning"));
    m_plainWarning->setWordWrap(true);
    m_plainWarning->setAccessibleName(tr("Warning about unencrypted mail"));
    fillWidth(m_plainWarning);

    m_allowPlainAuth = new QCheckBox(tr("Allo&w the password without encryption"), this);
    m_allowPlainAuth->setObjectName(QStringLiteral("smtpAllowPlainAuth"));
    m_allowPlainAuth->setAccessibleName(tr("Allow the password without encryption"));
    m_allowPlainAuth->setToolTip(tr("Only with security None: the user name and password are sent "
                                    "as readable text."));

    m_caFile = lineEdit(QStringLiteral("smtpCaFile"), tr("CA certificates file"));
    m_caFile->setPlaceholderText(tr("Optional: a PEM file, e.g. your company's CA"));
    m_caBrowse = new QPushButton(tr("&Browse…"), this);
    m_caBrowse->setObjectName(QStringLiteral("smtpCaBrowse"));
    m_caBrowse->setAccessibleName(tr("Browse for the CA certificates file"));
    m_caBrowse->setAutoDefault(false);
    m_caBrowse->setVisible(!m_readOnly);

    m_user = lineEdit(QStringLiteral("smtpUser"), tr("SMTP user name"));
    m_user->setPlaceholderText(tr("Empty when the server needs no sign-in"));
    m_password = lineEdit(QStringLiteral("smtpPassword"), tr("SMTP password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_storePassword = new QCheckBox(tr("&Keep the password in this computer's keychain"), this);
    m_storePassword->setObjectName(QStringLiteral("smtpStorePassword"));
    m_storePassword->setAccessibleName(tr("Keep the password in this computer's keychain"));
    m_storePassword->setChecked(true);
    m_keychainNote
        = createHiddenReasonLabel(QStringLiteral("keychainNote"), tr("About the keychain"), this);
    fillWidth(m_keychainNote);

    m_senderAddress = lineEdit(QStringLiteral("smtpSenderAddress"), tr("Sender address"));
    m_senderAddress->setPlaceholderText(tr("e.g. support@example.com"));
    m_senderName = lineEdit(QStringLiteral("smtpSenderName"), tr("Sender name"));
    m_senderName->setPlaceholderText(tr("Optional, e.g. your company's name"));

    m_sendTest = new QPushButton(tr("Send Test &Email…"), this);
    m_sendTest->setObjectName(QStringLiteral("sendTestButton"));
    m_sendTest->setAccessibleName(tr("Send a test email"));
    m_sendTest->setAutoDefault(false);
    m_sendTest->setToolTip(tr("Sends one message with the settings as entered, before saving."));
    m_testResult = createReasonLabel(QStringLiteral("testResult"), this);
    m_testResult->setAccessibleName(tr("Test email result"));
    fillWidth(m_testResult);
    m_testResult->hide();

    const auto addRow
        = [this](QFormLayout *form, const QString &label, QWidget *input, QLayout *row = nullptr) {
              auto *caption = new QLabel(label, this);
              caption->setBuddy(input);
              if (row != nullptr)
                  form->addRow(caption, row);
              else
                  form->addRow(caption, input);
          };
    const auto newForm = [](QGroupBox *box) {
        auto *form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
        return form;
    };

    auto *server = new QGroupBox(tr("Server"), this);
    QFormLayout *serverForm = newForm(server);
    serverForm->addRow(m_enabled);
    serverForm->addRow(addReason(QStringLiteral("smtpEnabledReason"), EnabledField, m_enabled));
    addRow(serverForm, tr("&Host:"), m_host);
    serverForm->addRow(nullptr, addReason(QStringLiteral("smtpHostReason"), HostField, m_host));
    addRow(serverForm, tr("Se&curity:"), m_security);
    serverForm->addRow(nullptr, m_plainWarning);
    serverForm->addRow(
        nullptr, addReason(QStringLiteral("smtpSecurityReason"), SecurityField, m_security));
    auto *portRow = new QHBoxLayout;
    portRow->addWidget(m_port);
    portRow->addStretch();
    addRow(serverForm, tr("P&ort:"), m_port, portRow);
    serverForm->addRow(nullptr, addReason(QStringLiteral("smtpPortReason"), PortField, m_port));
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(m_caBrowse);
    addRow(serverForm, tr("CA cer&tificates:"), m_caFile, caRow);
    serverForm->addRow(
        nullptr, addReason(QStringLiteral("smtpCaFileReason"), CaFileField, m_caFile));

    auto *signIn = new QGroupBox(tr("Sign-in"), this);
    QFormLayout *signInForm = newForm(signIn);
    addRow(signInForm, tr("&User name:"), m_user);
    signInForm->addRow(nullptr, addReason(QStringLiteral("smtpUserReason"), UserField, m_user));
    if (!m_readOnly) {
        addRow(signInForm, tr("&Password:"), m_password);
        signInForm->addRow(nullptr, m_storePassword);
        signInForm->addRow(nullptr, m_keychainNote);
    } else {
        // The password is this desktop's own business: nothing to show.
        m_password->hide();
        m_storePassword->hide();
    }
    signInForm->addRow(nullptr, m_allowPlainAuth);
    signInForm->addRow(nullptr,
        addReason(
            QStringLiteral("smtpAllowPlainAuthReason"), AllowPlainAuthField, m_allowPlainAuth));

    auto *sender = new QGroupBox(tr("Sender"), this);
    QFormLayout *senderForm = newForm(sender);
    addRow(senderForm, tr("Sender &address:"), m_senderAddress);
    senderForm->addRow(nullptr,
        addReason(QStringLiteral("smtpSenderAddressReason"), SenderAddressField, m_senderAddress));
    addRow(senderForm, tr("Sender &name:"), m_senderName);
    senderForm->addRow(
        nullptr, addReason(QStringLiteral("smtpSenderNameReason"), SenderNameField, m_senderName));
    // A form sizes a wrapped label for its narrowest width: keep that close
    // to the real one, or the rows below get blank space.
    for (QLabel *wrapped : {m_plainWarning, m_keychainNote, m_testResult})
        wrapped->setMinimumWidth(wrapped->fontMetrics().averageCharWidth() * 50);
    if (m_readOnly) {
        // Hints about what to type would only mislead here.
        for (QLineEdit *edit : findChildren<QLineEdit *>())
            edit->setPlaceholderText(QString());
    }

    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_sendTest, 0, Qt::AlignTop | Qt::AlignLeft);
    testRow->addWidget(m_testResult, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(server);
    layout->addWidget(signIn);
    layout->addWidget(sender);
    if (!m_readOnly)
        layout->addLayout(testRow);
    else
        m_sendTest->hide();
    layout->addStretch();

    setTabOrder(m_enabled, m_host);
    setTabOrder(m_host, m_security);
    setTabOrder(m_security, m_port);
    setTabOrder(m_port, m_caFile);
    setTabOrder(m_caFile, m_caBrowse);
    setTabOrder(m_caBrowse, m_user);
    setTabOrder(m_user, m_password);
    setTabOrder(m_password, m_storePassword);
    setTabOrder(m_storePassword, m_allowPlainAuth);
    setTabOrder(m_allowPlainAuth, m_senderAddress);
    setTabOrder(m_senderAddress, m_senderName);
    setTabOrder(m_senderName, m_sendTest);

    m_port->setValue(SmtpSettings::defaultPort(security()));
    connect(m_security, &QComboBox::currentIndexChanged, this, &SmtpSettingsPage::securityChanged);
    for (QLineEdit *edit : {m_host, m_user, m_senderAddress, m_senderName, m_caFile})
        connect(edit, &QLineEdit::textChanged, this, &SmtpSettingsPage::changed);
    connect(m_port, &QSpinBox::valueChanged, this, &SmtpSettingsPage::changed);
    for (QCheckBox *box : {m_enabled, m_allowPlainAuth})
        connect(box, &QCheckBox::toggled, this, &SmtpSettingsPage::changed);
    connect(this, &SmtpSettingsPage::changed, this, &SmtpSettingsPage::updateState);
    connect(m_password, &QLineEdit::textChanged, this, &SmtpSettingsPage::updateState);
    connect(m_storePassword, &QCheckBox::toggled, this, &SmtpSettingsPage::updateState);
    connect(m_caBrowse, &QPushButton::clicked, this, &SmtpSettingsPage::browseCaFile);
    connect(m_sendTest, &QPushButton::clicked, this, &SmtpSettingsPage::sendTestEmail);
    updateState();
}

SmtpSettingsPage::~SmtpSettingsPage()
{
    // The sending thread owns copies of everything it uses and deletes
    // itself when done; only its report to this page must not arrive.
    if (m_sending != nullptr)
        disconnect(m_sending, nullptr, this, nullptr);
}

QLabel *SmtpSettingsPage::addReason(const QString &objectName, const QString &field, QWidget *input)
{
    QLabel *reason = createReasonLabel(objectName, this);
    reason->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    // As in the dialog: a wrapped label sized for its narrowest width would
    // leave blank lines in the form.
    reason->setMinimumWidth(reason->fontMetrics().averageCharWidth() * 40);
    reason->hide();
    m_reasons.insert(field, reason);
    m_inputs.insert(field, input);
    return reason;
}

void SmtpSettingsPage::setSettings(const SmtpSettings &settings)
{
    m_enabled->setChecked(settings.enabled);
    m_host->setText(settings.host);
    m_security->setCurrentIndex(m_security->findData(int(settings.security)));
    m_lastSecurity = settings.security;
    m_port->setValue(settings.port);
    m_user->setText(settings.userName);
    m_allowPlainAuth->setChecked(settings.allowCredentialsWithoutTls);
    m_senderAddress->setText(settings.senderAddress);
    m_senderName->setText(settings.senderName);
    m_caFile->setText(settings.caFile);
    m_password->clear();
    m_storedKey = currentKey();
    readKeychainState();
    updateState();
}

SmtpSettings SmtpSettingsPage::settings() const
{
    SmtpSettings s;
    s.enabled = m_enabled->isChecked();
    s.host = m_host->text().trimmed();
    s.port = m_port->value();
    s.security = security();
    s.userName = m_user->text().trimmed();
    s.allowCredentialsWithoutTls = m_allowPlainAuth->isChecked();
    s.senderAddress = m_senderAddress->text().trimmed();
    s.senderName = m_senderName->text().trimmed();
    s.caFile = m_caFile->text().trimmed();
    return s;
}

SmtpSettingsPage::Problem SmtpSettingsPage::problem() const
{
    const SmtpSettings entered = settings();
    if (Status valid = entered.validate(); !valid)
        return {valid.error().field(), valid.error().message()};
    // Cheap enough to check at every keystroke, whether enabled or not.
    if (!entered.senderAddress.isEmpty()) {
        if (Result<EmailAddress> address = EmailAddress::parse(entered.senderAddress); !address)
            return {SenderAddressField, address.error().message()};
    }
    return {};
}

SmtpProfile::Security SmtpSettingsPage::security() const
{
    return static_cast<SmtpProfile::Security>(m_security->currentData().toInt());
}

QString SmtpSettingsPage::currentKey() const
{
    return CredentialStore::smtpKey(
        m_host->text().trimmed(), m_port->value(), m_user->text().trimmed());
}

void SmtpSettingsPage::readKeychainState()
{
    if (m_readOnly)
        return;
    Result<QString> stored = m_services.credentials.read(m_storedKey);
    if (stored) {
        m_keychain = Keychain::Stored;
    } else if (stored.error().code() == ErrorCode::NotFound) {
        m_keychain = Keychain::Empty;
    } else {
        showKeychainError(stored.error());
        return;
    }
    m_keychainError.clear();
    m_storePassword->setEnabled(true);
    m_storePassword->setChecked(true);
}

void SmtpSettingsPage::showKeychainError(const Error &error)
{
    m_keychain = Keychain::Unavailable;
    m_keychainError = error.message();
    m_storePassword->setChecked(false);
    m_storePassword->setEnabled(false);
    updateState();
}

void SmtpSettingsPage::securityChanged()
{
    // The port follows the mode while it is the previous mode's usual one:
    // a port the user chose stays.
    const SmtpProfile::Security now = security();
    if (m_port->value() == SmtpSettings::defaultPort(m_lastSecurity))
        m_port->setValue(SmtpSettings::defaultPort(now));
    m_lastSecurity = now;
    emit changed();
}

void SmtpSettingsPage::updateState()
{
    const bool plain = security() == SmtpProfile::Security::Plain;
    m_plainWarning->setVisible(plain);
    m_allowPlainAuth->setEnabled(!m_readOnly && plain);
    m_security->setEnabled(!m_readOnly);
    m_enabled->setEnabled(!m_readOnly);

    const bool needsPassword = !m_user->text().trimmed().isEmpty();
    m_password->setEnabled(needsPassword);
    m_storePassword->setEnabled(needsPassword && m_keychain != Keychain::Unavailable);

    // The placeholder says what an empty field means.
    const bool storedHere = m_keychain == Keychain::Stored && currentKey() == m_storedKey;
    if (!needsPassword)
        m_password->setPlaceholderText(tr("Not needed without a user name"));
    else if (storedHere)
        m_password->setPlaceholderText(tr("Stored in the keychain; type to replace it"));
    else
        m_password->setPlaceholderText(tr("Not stored on this computer"));

    QString note;
    if (m_keychain == Keychain::Unavailable) {
        // The keychain's message already says that it cannot be used, and why.
        note = tr("%1\nThe password is not stored: this desktop will ask for it when it sends "
                  "mail.")
                   .arg(m_keychainError);
    } else if (needsPassword && storedHere && !m_storePassword->isChecked()) {
        note = tr("Saving removes the stored password from this computer's keychain.");
    } else if (needsPassword && m_password->text().isEmpty() && !storedHere) {
        note = tr("Without a stored password this desktop does not deliver mail; another "
                  "desktop that has it, or the dispatch service, does.");
    }
    setReason(m_keychainNote, note);
    if (QWidget *top = window(); top != this)
        growToFit(top);
}

void SmtpSettingsPage::browseCaFile()
{
    const QString current = m_caFile->text().trimmed();
    const QString chosen = QFileDialog::getOpenFileName(this, tr("Choose the CA certificates file"),
        current.isEmpty() ? QString() : QFileInfo(current).absolutePath(),
        tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    if (!chosen.isEmpty())
        m_caFile->setText(QDir::toNativeSeparators(chosen));
}

Status SmtpSettingsPage::storePassword()
{
    if (m_readOnly || m_keychain == Keychain::Unavailable)
        return {};
    CredentialStore &store = m_services.credentials;
    const QString key = currentKey();
    const bool needsPassword = !m_user->text().trimmed().isEmpty();
    const bool keep = needsPassword && m_storePassword->isChecked();
    const bool movedServer = key != m_storedKey && m_keychain == Keychain::Stored;
    QString secret = m_password->text();

    Status done;
    if (keep && secret.isEmpty() && movedServer) {
        // Same password, saved under the server's new address.
        Result<QString> previous = store.read(m_storedKey);
        if (previous)
            secret = *previous;
    }
    if (keep && !secret.isEmpty())
        done = store.write(key, secret);
    else if (!keep)
        done = store.remove(key);
    if (done && movedServer)
        done = store.remove(m_storedKey);
    if (!done) {
        showKeychainError(done.error());
        return done;
    }
    if (keep && !secret.isEmpty())
        m_keychain = Keychain::Stored;
    else if (!keep)
        m_keychain = Keychain::Empty;
    else if (movedServer)
        m_keychain = Keychain::Empty;
    m_storedKey = key;
    m_password->clear();
    updateState();
    return {};
}

void SmtpSettingsPage::sendTestEmail()
{
    if (m_readOnly || isSending())
        return;
    SmtpSettings entered = settings();
    entered.enabled = true; // checked as for delivery, whatever the switch says
    const auto refuse = [this](const QString &field, const QString &message) {
        setTestResult(tr("Not sent: %1").arg(message));
        if (QWidget *input = m_inputs.value(field))
            input->setFocus();
    };
    if (Status valid = entered.validate(); !valid)
        return refuse(valid.error().field(), valid.error().message());
    if (entered.host.isEmpty())
        return refuse(HostField, tr("Enter the mail server's host name."));
    if (entered.senderAddress.isEmpty())
        return refuse(SenderAddressField, tr("Enter the sender address."));
    if (const Problem wrong = problem(); !wrong.message.isEmpty())
        return refuse(wrong.field, wrong.message);

    QString password = m_password->text();
    if (!entered.userName.isEmpty() && password.isEmpty()) {
        Result<QString> stored = m_services.credentials.read(currentKey());
        if (!stored) {
            if (stored.error().code() != ErrorCode::NotFound)
                showKeychainError(stored.error());
            m_password->setFocus();
            return setTestResult(
                tr("Not sent: enter the password; none is stored on this computer for %1.")
                    .arg(entered.userName));
        }
        password = *stored;
    }

    QInputDialog ask(this);
    ask.setObjectName(QStringLiteral("testRecipientDialog"));
    ask.setWindowTitle(tr("Send Test Email"));
    ask.setLabelText(tr("Send a test message to:"));
    ask.setTextValue(m_session.userEmail());
    ask.setOkButtonText(tr("&Send"));
    if (ask.exec() != QDialog::Accepted)
        return;
    const QString recipient = ask.textValue().trimmed();
    if (Result<EmailAddress> address = EmailAddress::parse(recipient); !address)
        return setTestResult(tr("Not sent: %1").arg(address.error().message()));

    SmtpProfile profile = entered.toProfile(password);
    profile.messageIdSeed = QUuid::createUuid().toString(QUuid::Id128);
    // Not an outbox row: any id will do, the seeds make the Message-ID unique.
    OutgoingMail mail;
    mail.outboxId = 1;
    mail.stableSeed = profile.messageIdSeed;
    mail.recipient = recipient;
    mail.subject = tr("ResellerDesk test email");
    mail.body = tr("This message was sent from the ResellerDesk settings by %1 to check the mail "
                   "server %2:%3.\n\nIf you can read it, ResellerDesk can deliver email.\n")
                    .arg(m_session.userName(), entered.host)
                    .arg(entered.port);

    // Everything the thread uses is its own copy: the page may be closed
    // before the server answers.
    auto receipt = std::make_shared<DeliveryReceipt>();
    QThread *thread = QThread::create([profile = std::move(profile), mail, receipt] {
        SystemClock clock;
        SmtpTransport transport(profile, clock);
        *receipt = transport.send(mail);
    });
    thread->setObjectName(QStringLiteral("smtpTestEmail"));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, receipt, recipient] {
        m_sending = nullptr;
        showTestOutcome(recipient, *receipt);
    });
    m_sending = thread;
    m_sendTest->setEnabled(false);
    m_sendTest->setText(tr("Sending…"));
    setTestResult(tr("Sending a test message to %1…").arg(recipient));
    thread->start();
}

void SmtpSettingsPage::showTestOutcome(const QString &recipient, const DeliveryReceipt &receipt)
{
    m_sendTest->setEnabled(true);
    m_sendTest->setText(tr("Send Test &Email…"));
    if (receipt.outcome == DeliveryOutcome::Sent)
        setTestResult(tr("Sent to %1. The server accepted it as Message-ID %2.")
                          .arg(recipient, receipt.messageId));
    else
        setTestResult(tr("Not sent: %1").arg(receipt.detail));
}

void SmtpSettingsPage::setTestResult(const QString &text)
{
    setReason(m_testResult, text);
    if (QWidget *top = window(); top != this)
        growToFit(top);
}

} // namespace rd
