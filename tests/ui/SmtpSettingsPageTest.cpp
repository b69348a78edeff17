#include <memory>
#include <optional>
#include <string>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>
#include <QUuid>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "TestSmtp.h"
#include "settings/SettingsDialog.h"
#include "settings/SmtpSettingsPage.h"

using namespace rd;
using namespace rd::test;

namespace {

QString env(const char *name)
{
    return qEnvironmentVariable(name);
}

class SmtpSettingsPageTest : public GuiFixture
{
protected:
    SettingsService::Versioned stored()
    {
        Result<SettingsService::Versioned> read = m_settings->settings(admin());
        EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().toString().toStdString());
        return read.value_or(SettingsService::Versioned {});
    }

    // Whether this process can use a secret service. With
    // RESELLERDESK_TEST_KEYRING=1 (scripts/test started gnome-keyring) it
    // must.
    bool keychainWorks()
    {
        Result<QString> probe = m_credentials->read(QStringLiteral("probe:nothing-here"));
        const bool works = probe || probe.error().code() != ErrorCode::Unavailable;
        // scripts/test starts a keyring (RESELLERDESK_TEST_KEYRING=1); in CI it
        // must work unless this is the run that hides it on purpose
        // (RESELLERDESK_TEST_NO_KEYCHAIN=1, see tests/ui/CMakeLists.txt).
        const bool hidden
            = qEnvironmentVariable("RESELLERDESK_TEST_NO_KEYCHAIN") == QLatin1String("1");
        if (hidden) {
            EXPECT_FALSE(works) << "the keychain was meant to be unreachable in this run";
        } else if (qEnvironmentVariable("RESELLERDESK_TEST_KEYRING") == QLatin1String("1")
            || qEnvironmentVariableIsSet("CI")) {
            EXPECT_TRUE(works) << probe.error().message().toStdString();
        }
        return works;
    }

    static SmtpSettingsPage *showEmailTab(SettingsDialog &dialog)
    {
        auto *page = find<SmtpSettingsPage>(dialog, "smtpPage");
        find<QTabWidget>(dialog, "settingsTabs")->setCurrentWidget(page);
        return page;
    }

    static void choose(QWidget &parent, SmtpProfile::Security security)
    {
        auto *combo = find<QComboBox>(parent, "smtpSecurity");
        combo->setCurrentIndex(combo->findData(int(security)));
    }

    // The page filled for the test server's STARTTLS port with its user.
    static void fillForTestServer(QWidget &dialog, const QString &password)
    {
        const QString address = env("RESELLERDESK_TEST_SMTP_TLS");
        type(dialog, "smtpHost", address.section(QLatin1Char(':'), 0, -2));
        choose(dialog, SmtpProfile::Security::StartTls);
        find<QSpinBox>(dialog, "smtpPort")->setValue(address.section(QLatin1Char(':'), -1).toInt());
        type(dialog, "smtpUser", env("RESELLERDESK_TEST_SMTP_USER"));
        type(dialog, "smtpPassword", password);
        type(dialog, "smtpCaFile", env("RESELLERDESK_TEST_SMTP_CA"));
        type(dialog, "smtpSenderAddress", QStringLiteral("support@northwind.example"));
        // Not typed: QTest types ASCII only.
        find<QLineEdit>(dialog, "smtpSenderName")
            ->setText(QStringLiteral("Jürgen Müller – Northwind"));
    }

    // Clicks Send Test Email, answers the recipient prompt (checking its
    // prefill) and waits for the outcome.
    static void sendTest(SettingsDialog &dialog, const QString &recipient, const QString &prefill)
    {
        QString offered;
        whenModal([&](QWidget *modal) {
            auto *ask = qobject_cast<QInputDialog *>(modal);
            ASSERT_NE(ask, nullptr) << modal->metaObject()->className();
            EXPECT_EQ(ask->objectName(), QStringLiteral("testRecipientDialog"));
            offered = ask->textValue();
            ask->setTextValue(recipient);
            ask->accept();
        });
        auto *button = find<QPushButton>(dialog, "sendTestButton");
        auto *page = find<SmtpSettingsPage>(dialog, "smtpPage");
        button->click();
        EXPECT_EQ(offered, prefill);
        EXPECT_TRUE(page->isSending());
        EXPECT_FALSE(button->isEnabled());
        EXPECT_EQ(button->text(), SmtpSettingsPage::tr("Sending…"));
        EXPECT_TRUE(QTest::qWaitFor([page] { return !page->isSending(); }, 30000));
        EXPECT_TRUE(button->isEnabled());
    }
};

class SmtpSettingsRoundTripTest : public GuiBackendFixture
{ };

} // namespace

TEST_P(SmtpSettingsRoundTripTest, SavedSettingsAreShownAgainAndThePasswordOnlyInTheKeychain)
{
    const Session session = admin();
    const QString password = QStringLiteral("Smtp-Secret-%1").arg(QUuid::createUuid().toString());
    {
        SettingsDialog dialog(session, services());
        dialog.show();
        find<QTabWidget>(dialog, "settingsTabs")
            ->setCurrentWidget(find<SmtpSettingsPage>(dialog, "smtpPage"));
        EXPECT_FALSE(find<QCheckBox>(dialog, "smtpEnabled")->isChecked());
        EXPECT_TRUE(find<QLineEdit>(dialog, "smtpHost")->text().isEmpty());
        EXPECT_EQ(find<QSpinBox>(dialog, "smtpPort")->value(), 587);
        GuiFixture::screenshot(&dialog, QStringLiteral("smtp-page-empty"));

        find<QCheckBox>(dialog, "smtpEnabled")->setChecked(true);
        type(dialog, "smtpHost", QStringLiteral("mail.northwind.example"));
        auto *security = find<QComboBox>(dialog, "smtpSecurity");
        security->setCurrentIndex(security->findData(int(SmtpProfile::Security::ImplicitTls)));
        type(dialog, "smtpUser", QStringLiteral("mailer@northwind.example"));
        type(dialog, "smtpPassword", password);
        type(dialog, "smtpSenderAddress", QStringLiteral("support@northwind.example"));
        type(dialog, "smtpSenderName", QStringLiteral("Northwind Support"));
        type(dialog, "smtpCaFile", QStringLiteral("/etc/ssl/certs/company-ca.pem"));
        GuiFixture::screenshot(&dialog, QStringLiteral("smtp-page-filled"));
        auto *save = find<QPushButton>(dialog, "saveButton");
        ASSERT_TRUE(save->isEnabled()) << dialog.problem().toStdString();
        save->click();
        ASSERT_EQ(dialog.result(), QDialog::Accepted);
    }

    Result<SettingsService::Versioned> read = m_settings->settings(session);
    ASSERT_TRUE(read.has_value());
    const SmtpSettings saved = read->settings.smtp;
    EXPECT_TRUE(saved.enabled);
    EXPECT_EQ(saved.host, QStringLiteral("mail.northwind.example"));
    EXPECT_EQ(saved.port, 465);
    EXPECT_EQ(saved.security, SmtpProfile::Security::ImplicitTls);
    EXPECT_EQ(saved.userName, QStringLiteral("mailer@northwind.example"));
    EXPECT_EQ(saved.senderAddress, QStringLiteral("support@northwind.example"));
    EXPECT_EQ(saved.senderName, QStringLiteral("Northwind Support"));
    EXPECT_EQ(saved.caFile, QStringLiteral("/etc/ssl/certs/company-ca.pem"));
    // Never in the database or QSettings.
    for (const QString &value : saved.toStored())
        EXPECT_FALSE(value.contains(password));
    QSettings settings;
    settings.sync();
    for (const QString &key : settings.allKeys())
        EXPECT_FALSE(settings.value(key).toString().contains(password)) << key.toStdString();

    const QString key = CredentialStore::smtpKey(saved.host, saved.port, saved.userName);
    Result<QString> kept = m_credentials->read(key);
    const bool keychain = kept || kept.error().code() != ErrorCode::Unavailable;
    if (keychain) {
        ASSERT_TRUE(kept.has_value()) << kept.error().message().toStdString();
        EXPECT_EQ(*kept, password);
    }

    SettingsDialog reopened(session, services());
    reopened.show();
    find<QTabWidget>(reopened, "settingsTabs")
        ->setCurrentWidget(find<SmtpSettingsPage>(reopened, "smtpPage"));
    EXPECT_TRUE(find<QCheckBox>(reopened, "smtpEnabled")->isChecked());
    EXPECT_EQ(find<QLineEdit>(reopened, "smtpHost")->text(), saved.host);
    EXPECT_EQ(find<QSpinBox>(reopened, "smtpPort")->value(), 465);
    EXPECT_EQ(find<QComboBox>(reopened, "smtpSecurity")->currentData().toInt(),
        int(SmtpProfile::Security::ImplicitTls));
    EXPECT_EQ(find<QLineEdit>(reopened, "smtpUser")->text(), saved.userName);
    EXPECT_EQ(find<QLineEdit>(reopened, "smtpSenderAddress")->text(), saved.senderAddress);
    EXPECT_EQ(find<QLineEdit>(reopened, "smtpSenderName")->text(), saved.senderName);
    EXPECT_EQ(find<QLineEdit>(reopened, "smtpCaFile")->text(), saved.caFile);
    auto *passwordEdit = find<QLineEdit>(reopened, "smtpPassword");
    EXPECT_TRUE(passwordEdit->text().isEmpty()) << "the secret is never put into the widget";
    if (keychain) {
        EXPECT_TRUE(find<QCheckBox>(reopened, "smtpStorePassword")->isChecked());
        EXPECT_FALSE(shown(reopened, "keychainNote"));

        // Unchecking "keep" and saving removes it.
        find<QCheckBox>(reopened, "smtpStorePassword")->setChecked(false);
        EXPECT_TRUE(shown(reopened, "keychainNote"));
        find<QPushButton>(reopened, "saveButton")->click();
        ASSERT_EQ(reopened.result(), QDialog::Accepted);
        Result<QString> removed = m_credentials->read(key);
        ASSERT_FALSE(removed.has_value());
        EXPECT_EQ(removed.error().code(), ErrorCode::NotFound);
    } else {
        EXPECT_TRUE(shown(reopened, "keychainNote"));
        EXPECT_FALSE(find<QCheckBox>(reopened, "smtpStorePassword")->isEnabled());
    }
}

TEST_F(SmtpSettingsPageTest, WithoutAKeychainThePageSaysSoAndSavingStillWorks)
{
    if (keychainWorks())
        GTEST_SKIP() << "a secret service is running: covered by the round trip";
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();
    showEmailTab(dialog);
    type(dialog, "smtpHost", QStringLiteral("mail.example.com"));
    type(dialog, "smtpUser", QStringLiteral("mailer"));
    type(dialog, "smtpPassword", QStringLiteral("typed-each-time"));
    type(dialog, "smtpSenderAddress", QStringLiteral("support@example.com"));

    // The keychain's own text, and what happens instead.
    Result<QString> probe = m_credentials->read(QStringLiteral("probe"));
    ASSERT_FALSE(probe.has_value());
    ASSERT_TRUE(shown(dialog, "keychainNote"));
    const QString note = text(dialog, "keychainNote");
    EXPECT_TRUE(note.contains(probe.error().message())) << note.toStdString();
    EXPECT_TRUE(note.contains(SmtpSettingsPage::tr("ask for it"))) << note.toStdString();
    EXPECT_FALSE(find<QCheckBox>(dialog, "smtpStorePassword")->isEnabled());
    EXPECT_FALSE(find<QCheckBox>(dialog, "smtpStorePassword")->isChecked());
    screenshot(&dialog, QStringLiteral("smtp-page-keychain-unavailable"));

    find<QPushButton>(dialog, "saveButton")->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(stored().settings.smtp.host, QStringLiteral("mail.example.com"));
    for (const QString &value : stored().settings.smtp.toStored())
        EXPECT_FALSE(value.contains(QStringLiteral("typed-each-time")));
}

TEST_F(SmtpSettingsPageTest, PortFollowsTheSecurityModeUntilEdited)
{
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();
    showEmailTab(dialog);
    auto *port = find<QSpinBox>(dialog, "smtpPort");
    EXPECT_EQ(port->value(), 587);
    choose(dialog, SmtpProfile::Security::ImplicitTls);
    EXPECT_EQ(port->value(), 465);
    choose(dialog, SmtpProfile::Security::Plain);
    EXPECT_EQ(port->value(), 25);
    choose(dialog, SmtpProfile::Security::StartTls);
    EXPECT_EQ(port->value(), 587);

    port->setValue(2525);
    choose(dialog, SmtpProfile::Security::ImplicitTls);
    EXPECT_EQ(port->value(), 2525) << "a port the user chose stays";
    choose(dialog, SmtpProfile::Security::Plain);
    EXPECT_EQ(port->value(), 2525);
}

TEST_F(SmtpSettingsPageTest, UnencryptedModeShowsAWarningAndAllowsPlainCredentialsOnlyThen)
{
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();
    showEmailTab(dialog);
    auto *warning = find<QLabel>(dialog, "plainTextWarning");
    auto *allow = find<QCheckBox>(dialog, "smtpAllowPlainAuth");
    EXPECT_FALSE(warning->isVisible());
    EXPECT_FALSE(allow->isEnabled());

    choose(dialog, SmtpProfile::Security::Plain);
    EXPECT_TRUE(warning->isVisible());
    EXPECT_FALSE(warning->text().isEmpty());
    EXPECT_TRUE(allow->isEnabled());
    screenshot(&dialog, QStringLiteral("smtp-page-plain-warning"));

    choose(dialog, SmtpProfile::Security::ImplicitTls);
    EXPECT_FALSE(warning->isVisible());
    EXPECT_FALSE(allow->isEnabled());
}

TEST_F(SmtpSettingsPageTest, InvalidValuesAreShownBesideTheirFieldsAndNothingIsSaved)
{
    const Session session = admin();
    const SettingsService::Versioned before = stored();
    SettingsDialog dialog(session, services());
    dialog.show();
    showEmailTab(dialog);
    auto *save = find<QPushButton>(dialog, "saveButton");
    ASSERT_TRUE(save->isEnabled());

    // Checked as it is typed.
    type(dialog, "smtpSenderAddress", QStringLiteral("not an address"));
    EXPECT_FALSE(save->isEnabled());
    EXPECT_TRUE(shown(dialog, "smtpSenderAddressReason"));
    screenshot(&dialog, QStringLiteral("smtp-page-invalid"));
    save->click();
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    type(dialog, "smtpSenderAddress", QStringLiteral("support@example.com"));
    EXPECT_FALSE(shown(dialog, "smtpSenderAddressReason"));
    EXPECT_TRUE(save->isEnabled());

    // Delivering needs a host: core's rule, shown beside the host.
    find<QCheckBox>(dialog, "smtpEnabled")->setChecked(true);
    EXPECT_FALSE(save->isEnabled());
    EXPECT_TRUE(shown(dialog, "smtpHostReason")) << dialog.problem().toStdString();
    type(dialog, "smtpHost", QStringLiteral("mail.example.com"));
    EXPECT_FALSE(shown(dialog, "smtpHostReason"));
    EXPECT_TRUE(save->isEnabled()) << dialog.problem().toStdString();

    // Core refuses the same, naming the same fields.
    DomainSettings bad = before.settings;
    bad.smtp.enabled = true;
    bad.smtp.senderAddress = QStringLiteral("support@example.com");
    Result<qint64> refused = m_settings->save(session, bad, before.version);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(refused.error().field(), QStringLiteral("smtp_host"));
    bad.smtp.host = QStringLiteral("mail.example.com");
    bad.smtp.senderAddress = QStringLiteral("not an address");
    refused = m_settings->save(session, bad, before.version);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field(), QStringLiteral("smtp_sender_address"));
    EXPECT_EQ(stored().version, before.version);
}

TEST_F(SmtpSettingsPageTest, OnlyAdministratorsChangeTheMailServer)
{
    DomainSettings changed = stored().settings;
    changed.smtp.host = QStringLiteral("mail.example.com");
    changed.smtp.senderAddress = QStringLiteral("support@example.com");
    ASSERT_TRUE(m_settings->save(admin(), changed, stored().version).has_value());

    for (const Session &session : {resellerAdmin(), resellerManager()}) {
        SCOPED_TRACE(roleKey(session.role()).toStdString());
        SettingsDialog dialog(session, services());
        dialog.show();
        showEmailTab(dialog);
        auto *host = find<QLineEdit>(dialog, "smtpHost");
        EXPECT_EQ(host->text(), QStringLiteral("mail.example.com"));
        EXPECT_TRUE(host->isReadOnly());
        EXPECT_TRUE(find<QSpinBox>(dialog, "smtpPort")->isReadOnly());
        EXPECT_FALSE(find<QComboBox>(dialog, "smtpSecurity")->isEnabled());
        EXPECT_FALSE(find<QCheckBox>(dialog, "smtpEnabled")->isEnabled());
        EXPECT_FALSE(find<QPushButton>(dialog, "sendTestButton")->isVisible());
        EXPECT_FALSE(find<QLineEdit>(dialog, "smtpPassword")->isVisible());
        EXPECT_FALSE(find<QPushButton>(dialog, "smtpCaBrowse")->isVisible());
        if (session.role() == Role::ResellerAdmin)
            screenshot(&dialog, QStringLiteral("smtp-page-read-only"));
    }

    // Core refuses everyone else, and Support does not even see them.
    DomainSettings other = stored().settings;
    other.smtp.host = QStringLiteral("evil.example.com");
    for (const Session &session : {resellerAdmin(), resellerManager(), support(), resellerUser()}) {
        SCOPED_TRACE(roleKey(session.role()).toStdString());
        Result<qint64> refused = m_settings->save(session, other, stored().version);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
    }
    EXPECT_EQ(stored().settings.smtp.host, QStringLiteral("mail.example.com"));
    const Session staff = support();
    SettingsDialog dialog(staff, services());
    dialog.show();
    EXPECT_FALSE(find<SmtpSettingsPage>(dialog, "smtpPage")->isEnabled());
    EXPECT_TRUE(find<QLineEdit>(dialog, "smtpHost")->text().isEmpty());
}

TEST_F(SmtpSettingsPageTest, TestEmailIsSentWithTheValuesAsEnteredAndShowsTheMessageId)
{
    RD_REQUIRE_SMTP();
    const Session session = admin();
    const SettingsService::Versioned before = stored();
    SettingsDialog dialog(session, services());
    dialog.show();
    showEmailTab(dialog);
    fillForTestServer(dialog, env("RESELLERDESK_TEST_SMTP_PASSWORD"));

    const QString recipient = uniqueRecipient(QStringLiteral("settings-test"));
    sendTest(dialog, recipient, session.userEmail());
    const QString result = text(dialog, "testResult");
    EXPECT_TRUE(result.contains(QStringLiteral("Message-ID <"))) << result.toStdString();
    EXPECT_TRUE(result.contains(recipient)) << result.toStdString();
    EXPECT_EQ(spooledFor(recipient), 1);
    screenshot(&dialog, QStringLiteral("smtp-page-test-success"));
    EXPECT_EQ(stored().version, before.version) << "testing saves nothing";
}

TEST_F(SmtpSettingsPageTest, ATestWithAWrongPasswordShowsTheServersRefusal)
{
    RD_REQUIRE_SMTP();
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();
    showEmailTab(dialog);
    fillForTestServer(dialog, QStringLiteral("not-the-password"));

    const QString recipient = uniqueRecipient(QStringLiteral("settings-test"));
    sendTest(dialog, recipient, session.userEmail());
    const QString result = text(dialog, "testResult");
    EXPECT_TRUE(result.contains(QStringLiteral("535"))) << result.toStdString();
    EXPECT_FALSE(result.contains(QStringLiteral("not-the-password")));
    EXPECT_EQ(spooledFor(recipient), 0);
    screenshot(&dialog, QStringLiteral("smtp-page-test-failure"));
}

TEST_F(SmtpSettingsPageTest, ATestWithoutTheCaFileShowsTheCertificateError)
{
    RD_REQUIRE_SMTP();
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();
    showEmailTab(dialog);
    fillForTestServer(dialog, env("RESELLERDESK_TEST_SMTP_PASSWORD"));
    find<QLineEdit>(dialog, "smtpCaFile")->clear();

    const QString recipient = uniqueRecipient(QStringLiteral("settings-test"));
    sendTest(dialog, recipient, session.userEmail());
    const QString result = text(dialog, "testResult");
    EXPECT_TRUE(result.contains(QStringLiteral("TLS"))) << result.toStdString();
    EXPECT_EQ(spooledFor(recipient), 0);
}

TEST_F(SmtpSettingsPageTest, ATestUsesTheStoredPasswordWhenTheFieldIsEmpty)
{
    RD_REQUIRE_SMTP();
    if (!keychainWorks()) {
        // scripts/test starts a keyring: in CI its absence is a failure.
        if (::rd::test::inCi())
            FAIL() << "no secret service in this test run";
        GTEST_SKIP() << "no secret service in this test run";
    }
    const Session session = admin();
    const QString address = env("RESELLERDESK_TEST_SMTP_TLS");
    const QString key = CredentialStore::smtpKey(address.section(QLatin1Char(':'), 0, -2),
        address.section(QLatin1Char(':'), -1).toInt(), env("RESELLERDESK_TEST_SMTP_USER"));
    ASSERT_TRUE(m_credentials->write(key, env("RESELLERDESK_TEST_SMTP_PASSWORD")).has_value());

    SettingsDialog dialog(session, services());
    dialog.show();
    showEmailTab(dialog);
    fillForTestServer(dialog, QString());
    const QString recipient = uniqueRecipient(QStringLiteral("settings-test"));
    sendTest(dialog, recipient, session.userEmail());
    EXPECT_TRUE(text(dialog, "testResult").contains(QStringLiteral("Message-ID <")))
        << text(dialog, "testResult").toStdString();
    EXPECT_EQ(spooledFor(recipient), 1);
    ASSERT_TRUE(m_credentials->remove(key).has_value());
}

TEST_F(SmtpSettingsPageTest, ATestNeedsAPasswordWhenNoneIsStored)
{
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();
    showEmailTab(dialog);
    type(dialog, "smtpHost", QStringLiteral("mail.example.com"));
    type(dialog, "smtpUser", QStringLiteral("nobody-%1").arg(QUuid::createUuid().toString()));
    type(dialog, "smtpSenderAddress", QStringLiteral("support@example.com"));
    find<QPushButton>(dialog, "sendTestButton")->click();
    EXPECT_FALSE(find<SmtpSettingsPage>(dialog, "smtpPage")->isSending());
    EXPECT_TRUE(shown(dialog, "testResult"));
    EXPECT_EQ(dialog.focusWidget(), find<QLineEdit>(dialog, "smtpPassword"));

    // And a host first of all.
    type(dialog, "smtpHost", QString());
    find<QPushButton>(dialog, "sendTestButton")->click();
    EXPECT_FALSE(find<SmtpSettingsPage>(dialog, "smtpPage")->isSending());
    EXPECT_EQ(dialog.focusWidget(), find<QLineEdit>(dialog, "smtpHost"));
}

TEST_F(SmtpSettingsPageTest, ClosingTheDialogWhileSendingIsSafe)
{
    RD_REQUIRE_SMTP();
    const Session session = admin();
    const QString recipient = uniqueRecipient(QStringLiteral("settings-test"));
    {
        auto dialog = std::make_unique<SettingsDialog>(session, services());
        dialog->show();
        showEmailTab(*dialog);
        fillForTestServer(*dialog, env("RESELLERDESK_TEST_SMTP_PASSWORD"));
        whenModal([&recipient](QWidget *modal) {
            auto *ask = qobject_cast<QInputDialog *>(modal);
            ASSERT_NE(ask, nullptr);
            ask->setTextValue(recipient);
            ask->accept();
        });
        find<QPushButton>(*dialog, "sendTestButton")->click();
        ASSERT_TRUE(find<SmtpSettingsPage>(*dialog, "smtpPage")->isSending());
        dialog->reject();
    } // destroyed while the thread talks to the server

    // The thread finishes on its own, delivers once and cleans up.
    EXPECT_TRUE(QTest::qWaitFor([&recipient] { return spooledFor(recipient) == 1; }, 30000));
    QTest::qWait(200);
    EXPECT_EQ(spooledFor(recipient), 1);
}

RD_INSTANTIATE_FOR_BACKENDS(SmtpSettingsRoundTripTest);
