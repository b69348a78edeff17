#include "GuiFixture.h"

#include <stdexcept>

#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QSettings>
#include <QWidget>

namespace rd::test {

void GuiFixture::setUpOn(Backend backend, bool demo)
{
    // Saved window and column layouts start empty in every test (each test
    // process has its own settings folder, see GuiTestMain.cpp).
    QSettings().clear();

    Result<std::unique_ptr<TestDatabase>> created = TestDatabase::create(backend);
    ASSERT_TRUE(created.has_value()) << created.error().toString().toStdString();
    m_testDatabase = std::move(*created);
    Result<std::unique_ptr<Database>> db = m_testDatabase->open();
    ASSERT_TRUE(db.has_value());
    m_db = std::move(*db);
    if (demo) {
        Result<DemoSummary> seeded = DemoData::seedIfEmpty(*m_db, m_clock, m_hasher);
        ASSERT_TRUE(seeded.has_value() && seeded->seeded)
            << (seeded ? "" : seeded.error().toString().toStdString());
    }
    m_access = std::make_unique<AccessControl>(*m_db, m_clock);
    m_authenticator = std::make_unique<LocalAuthenticator>(*m_db, m_clock, m_hasher);
    m_customers = std::make_unique<CustomerService>(*m_db, m_clock, *m_access);
    m_resellers = std::make_unique<ResellerService>(*m_db, m_clock, *m_access);
    m_transfers = std::make_unique<TransferService>(*m_db, m_clock, *m_access, *m_authenticator);
    m_users = std::make_unique<UserService>(*m_db, m_clock, *m_access);
    m_settings = std::make_unique<SettingsService>(*m_db, m_clock, *m_access);
    m_catalogue = std::make_unique<CatalogueService>(*m_db, *m_access);
    m_outbox = std::make_unique<OutboxService>(*m_db, m_clock, *m_access);
    m_clientAccount = std::make_unique<ClientAccountService>(*m_db, m_clock, *m_access);
    m_impersonation = std::make_unique<ImpersonationService>(*m_db, m_clock, *m_access);
    m_audit = std::make_unique<AuditService>(*m_db, *m_access);
    m_customerImport = std::make_unique<CustomerImportService>(*m_db, m_clock, *m_access);
    // A keychain service name of this process's own, so tests never see the
    // entries of a real installation (or of another test process).
    m_credentials = std::make_unique<CredentialStore>(
        QStringLiteral("ResellerDesk-test-%1").arg(QCoreApplication::applicationPid()));
    m_services = std::make_unique<UiServices>(UiServices {*m_customers, *m_resellers, *m_transfers,
        *m_users, *m_settings, *m_catalogue, *m_outbox, *m_credentials, *m_authenticator, m_clock,
        *m_clientAccount, *m_impersonation, *m_audit, m_db->profile(), *m_customerImport});
}

Session GuiFixture::signIn(const QString &email)
{
    Result<SignInResult> signedIn = m_authenticator->signIn(email, DemoData::demoPassword());
    if (!signedIn) {
        throw std::runtime_error(signedIn.error().toString().toStdString());
    }
    Result<Session> session
        = m_authenticator->openSession(*signedIn, signedIn->memberships.constFirst().id());
    if (!session) {
        throw std::runtime_error(session.error().toString().toStdString());
    }
    return *session;
}

void GuiFixture::screenshot(QWidget *widget, const QString &name)
{
    const QString directory = qEnvironmentVariable("RESELLERDESK_SCREENSHOT_DIR");
    if (directory.isEmpty() || widget == nullptr)
        return;
    QDir().mkpath(directory);
    widget->show();
    widget->raise();
    widget->activateWindow();
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    const QString path = QDir(directory).filePath(name + QStringLiteral(".png"));
    EXPECT_TRUE(widget->grab().save(path)) << path.toStdString();
}

} // namespace rd::test
