#pragma once

#include <memory>

#include <QString>

class QWidget;

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "common/UiServices.h"
#include "security/CredentialStore.h"
#include "security/LocalAuthenticator.h"
#include "security/PasswordHasher.h"
#include "services/AccessControl.h"
#include "services/AuditService.h"
#include "services/CatalogueService.h"
#include "services/ClientAccountService.h"
#include "services/Clock.h"
#include "services/CustomerImportService.h"
#include "services/CustomerService.h"
#include "services/DemoData.h"
#include "services/ImpersonationService.h"
#include "services/OutboxService.h"
#include "services/ResellerService.h"
#include "services/Session.h"
#include "services/SettingsService.h"
#include "services/TransferService.h"
#include "services/UserService.h"

namespace rd::test {

// The demo installation (DemoData) on a fresh SQLite database with every
// service a window or dialog needs. Demo sign-ins (password
// DemoData::demoPassword()):
//   admin@demo.resellerdesk.test    Administrator
//   support@demo.resellerdesk.test  Support
//   admin@northwind.test            Reseller Admin of Northwind
//   manager@northwind.test          Reseller Manager of Northwind
//   user@northwind.test             Reseller User of Northwind
//   priya.costa@alpinefoods.test    Client Admin of Alpine Foods
//   colleague@alpinefoods.test      Client User of Alpine Foods
class GuiFixture : public ::testing::Test
{
protected:
    void SetUp() override { setUpOn(Backend::SQLite); }
    // The demo installation on a fresh database of this backend; without
    // demo, an installation with no user yet (first run).
    void setUpOn(Backend backend, bool demo = true);

    // Signs in with the demo password and opens the user's first membership;
    // throws (a test failure) when that is refused.
    Session signIn(const QString &email);
    Session admin() { return signIn(DemoData::demoAdministratorEmail()); }
    Session support() { return signIn(QStringLiteral("support@demo.resellerdesk.test")); }
    Session resellerAdmin() { return signIn(QStringLiteral("admin@northwind.test")); }
    Session resellerManager() { return signIn(QStringLiteral("manager@northwind.test")); }
    Session resellerUser() { return signIn(QStringLiteral("user@northwind.test")); }

    UiServices &services() { return *m_services; }

    // Saves widget->grab() as <name>.png into $RESELLERDESK_SCREENSHOT_DIR
    // when that is set (scripts/screenshots sets it and runs the GUI tests
    // under Xvfb); does nothing otherwise. Shows the widget first.
    static void screenshot(QWidget *widget, const QString &name);

    ManualClock m_clock {testNow()};
    PasswordHasher m_hasher {PasswordCost::minimum()};
    std::unique_ptr<TestDatabase> m_testDatabase;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<LocalAuthenticator> m_authenticator;
    std::unique_ptr<CustomerService> m_customers;
    std::unique_ptr<ResellerService> m_resellers;
    std::unique_ptr<TransferService> m_transfers;
    std::unique_ptr<UserService> m_users;
    std::unique_ptr<SettingsService> m_settings;
    std::unique_ptr<CatalogueService> m_catalogue;
    std::unique_ptr<OutboxService> m_outbox;
    std::unique_ptr<ClientAccountService> m_clientAccount;
    std::unique_ptr<ImpersonationService> m_impersonation;
    std::unique_ptr<AuditService> m_audit;
    std::unique_ptr<CustomerImportService> m_customerImport;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<UiServices> m_services;
};

// The same on SQLite and PostgreSQL: TEST_P(...) with
// RD_INSTANTIATE_FOR_BACKENDS(Suite). Without a PostgreSQL server the
// PostgreSQL half skips on a developer machine and fails in CI.
class GuiBackendFixture : public GuiFixture, public ::testing::WithParamInterface<Backend>
{
protected:
    void SetUp() override
    {
        RD_REQUIRE_BACKEND(GetParam());
        setUpOn(GetParam());
    }
};

} // namespace rd::test
