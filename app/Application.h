#pragma once

#include <memory>
#include <optional>

#include <QCoreApplication>

#include "CommandLine.h"
#include "domain/Error.h"

class QWidget;

namespace rd {
class AccessControl;
class ConnectionProfile;
class Authenticator;
class CatalogueService;
class ChangeNotifier;
class ClientAccountService;
class ClientWindow;
class CredentialStore;
class CustomerService;
class Database;
class ImpersonationService;
class MailWorker;
class MainWindow;
class OutboxService;
class AuditService;
class CustomerImportService;
class ResellerService;
class Session;
class SettingsService;
class SystemClock;
class TransferService;
class UserService;
struct SignInResult;
struct UiServices;
} // namespace rd

namespace rd::app {

// The composition root: chooses and opens the database, creates the
// services and windows and hands each what it needs. Nothing else in the
// program creates long-lived objects.
class SingleInstance;

class Application final
{
    Q_DECLARE_TR_FUNCTIONS(Application)

public:
    explicit Application(CommandLineOptions options);
    ~Application();
    Q_DISABLE_COPY_MOVE(Application)

    // Runs the whole program; returns the process exit status.
    int run();

private:
    Status openDatabase();
    // One window per database: refuses (Conflict) when another ResellerDesk
    // already has it open, after bringing that one's window to the front;
    // otherwise answers later launches on it.
    Status claimDatabase(const ConnectionProfile &profile);
    void raiseWindow();
    void createServices();
    void releaseServices();
    // Fills an empty database with the demo installation.
    bool seedDemoData();
    std::optional<Session> firstRun();
    std::optional<Session> signIn();
    std::optional<Session> signInDemoUser();
    // Opens another membership of the signed-in user; nothing when the
    // user cancels.
    std::optional<Session> switchMembership(const Session &current);
    // Runs the main window until it closes. Returns what comes next.
    enum class Next { Quit, SignIn, SwitchMembership };
    void startChangeNotifier();
    Next showMainWindow(const Session &session);
    // A client membership gets the client view instead of the main window:
    // signing out goes back to the sign-in, closing it quits.
    Next showClientWindow(const Session &session);
    void armScreenshot();
    // This desktop delivers the outbox when email is on and it holds the
    // SMTP password (a user-less server needs none); otherwise it only
    // queues, and the mail indicator says so. Restarted for each main
    // window so changed settings take effect.
    void startMailWorker();
    void stopMailWorker();

    CommandLineOptions m_options;
    std::unique_ptr<SingleInstance> m_instance; // this window's claim on its database
    bool m_alreadyOpen = false;                 // another instance has the database
    std::unique_ptr<SystemClock> m_clock;
    std::unique_ptr<CredentialStore> m_credentials; // outlives database changes
    std::unique_ptr<Database> m_database;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<Authenticator> m_authenticator;
    std::unique_ptr<ResellerService> m_resellers;
    std::unique_ptr<CustomerService> m_customers;
    std::unique_ptr<TransferService> m_transfers;
    std::unique_ptr<UserService> m_users;
    std::unique_ptr<SettingsService> m_settings;
    std::unique_ptr<CatalogueService> m_catalogue;
    std::unique_ptr<OutboxService> m_outbox;
    std::unique_ptr<ClientAccountService> m_clientAccount;
    std::unique_ptr<ImpersonationService> m_impersonation;
    std::unique_ptr<AuditService> m_audit;
    std::unique_ptr<CustomerImportService> m_customerImport;
    std::unique_ptr<UiServices> m_uiServices;
    // Who signed in last, for switching between their memberships.
    std::unique_ptr<SignInResult> m_signedIn;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MailWorker> m_mailWorker; // uses its own connection to m_database's profile
    // Live refresh of the main window: follows m_database's connection.
    std::unique_ptr<ChangeNotifier> m_changes;
    std::unique_ptr<MainWindow> m_mainWindow;
    std::unique_ptr<ClientWindow> m_clientWindow;
    bool m_screenshotTaken = false;
    bool m_demoSeeded = false;     // the first-run dialog chose demo data
    bool m_changeDatabase = false; // the sign-in dialog asked for another database
};

} // namespace rd::app
