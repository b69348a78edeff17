#include "Application.h"

#include <cstdio>

#include "SingleInstance.h"

#include <QApplication>
#include <QDir>
#include <QInputDialog>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>

#include "client/ClientWindow.h"
#include "common/UiServices.h"
#include "mail/MailWorker.h"
#include "mainwindow/MainWindow.h"
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
#include "signin/ChangePasswordDialog.h"
#include "signin/ConnectionDialog.h"
#include "signin/FirstRunDialog.h"
#include "signin/SignInDialog.h"
#include "storage/ChangeNotifier.h"
#include "storage/ConnectionProfile.h"
#include "storage/Database.h"

namespace rd::app {

namespace {

bool interactive()
{
    return QGuiApplication::platformName() != QLatin1String("offscreen");
}

void showError(const Error &error, QWidget *parent = nullptr)
{
    std::fprintf(stderr, "resellerdesk: %s\n", qPrintable(error.toString()));
    if (!interactive())
        return;
    QMessageBox box(QMessageBox::Critical, Application::tr("ResellerDesk"), error.message(),
        QMessageBox::Ok, parent);
    if (!error.detail().isEmpty())
        box.setDetailedText(error.detail());
    box.exec();
}

QString defaultDataFile(const QString &name)
{
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);
    return QDir(dataDir).filePath(name);
}

} // namespace

Application::Application(CommandLineOptions options)
    : m_options(std::move(options))
    , m_clock(std::make_unique<SystemClock>())
    , m_credentials(std::make_unique<CredentialStore>())
{ }

Application::~Application()
{
    releaseServices();
}

void Application::releaseServices()
{
    // Windows first, then the mail worker and the services they use, then
    // the database.
    m_mainWindow.reset();
    m_clientWindow.reset();
    m_changes.reset();
    stopMailWorker();
    m_uiServices.reset();
    m_clientAccount.reset();
    m_catalogue.reset();
    m_impersonation.reset();
    m_outbox.reset();
    m_customerImport.reset();
    m_audit.reset();
    m_settings.reset();
    m_users.reset();
    m_transfers.reset();
    m_customers.reset();
    m_resellers.reset();
    m_authenticator.reset();
    m_access.reset();
    m_database.reset();
}

void Application::armScreenshot()
{
    if (m_options.screenshot.isEmpty())
        return;
    QTimer::singleShot(400, qApp, [this] {
        QWidget *shown = QApplication::activeModalWidget();
        if (!shown)
            shown = m_mainWindow.get();
        if (!shown)
            shown = m_clientWindow.get();
        if (!shown)
            shown = QApplication::activeWindow();
        const bool saved = shown && shown->grab().save(m_options.screenshot, "PNG");
        if (!saved)
            std::fprintf(
                stderr, "resellerdesk: cannot write %s\n", qPrintable(m_options.screenshot));
        m_screenshotTaken = saved;
        QCoreApplication::exit(saved ? 0 : 1);
    });
}

Status Application::openDatabase()
{
    for (;;) {
        Result<ConnectionProfile> profile = fail(ErrorCode::InvalidInput, QString());
        const bool fromDialog
            = m_changeDatabase || (m_options.database.isEmpty() && !m_options.demo);
        if (fromDialog) {
            ConnectionDialog dialog;
            dialog.setCredentialStore(m_credentials.get());
            if (dialog.exec() != QDialog::Accepted)
                return fail(ErrorCode::InvalidInput, tr("No database was chosen."));
            profile = ConnectionProfile::fromUrl(dialog.connectionUrl());
        } else if (!m_options.database.isEmpty()) {
            profile = ConnectionProfile::fromUrl(m_options.database);
        } else {
            profile = ConnectionProfile::sqlite(defaultDataFile(QStringLiteral("demo.sqlite")));
        }
        if (profile) {
            if (Status mine = claimDatabase(*profile); !mine) {
                if (!fromDialog) {
                    m_alreadyOpen = true;
                    std::fprintf(stderr, "resellerdesk: %s\n", qPrintable(mine.error().message()));
                    return mine;
                }
                profile = fail(mine.error());
            }
        }
        if (profile) {
            Result<std::unique_ptr<Database>> database = Database::open(*profile);
            if (database) {
                m_database = std::move(*database);
                return {};
            }
            profile = fail(database.error());
        }
        if (!fromDialog)
            return fail(profile.error());
        showError(profile.error()); // and ask again
    }
}

Status Application::claimDatabase(const ConnectionProfile &profile)
{
    // A --screenshot run (documentation, checks) looks and quits: it neither
    // claims the database nor defers to a window already open on it.
    if (!m_options.screenshot.isEmpty())
        return {};
    const QString name = SingleInstance::serverNameFor(profile);
    if (m_instance && m_instance->serverName() == name)
        return {}; // the database this window already has
    auto instance = std::make_unique<SingleInstance>(name);
    if (instance->activateRunning()) {
        return fail(ErrorCode::Conflict,
            tr("ResellerDesk is already open on %1; its window has been brought to the front.")
                .arg(profile.displayName()));
    }
    if (!instance->listen()) {
        // Not fatal: this window works, a second launch just opens another.
        std::fprintf(stderr, "resellerdesk: cannot watch for a second launch: %s\n",
            qPrintable(instance->errorString()));
    }
    QObject::connect(instance.get(), &SingleInstance::activationRequested, instance.get(),
        [this] { raiseWindow(); });
    m_instance = std::move(instance);
    return {};
}

void Application::raiseWindow()
{
    QWidget *window = QApplication::activeModalWidget();
    if (!window && m_mainWindow)
        window = m_mainWindow.get();
    if (!window && m_clientWindow)
        window = m_clientWindow.get();
    if (!window) {
        const QWidgetList windows = QApplication::topLevelWidgets();
        for (QWidget *candidate : windows) {
            if (candidate->isVisible() && candidate->isWindow()) {
                window = candidate;
                break;
            }
        }
    }
    if (!window)
        return;
    window->setWindowState((window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    window->show();
    window->raise();
    window->activateWindow();
}

void Application::createServices()
{
    m_access = std::make_unique<AccessControl>(*m_database, *m_clock);
    m_authenticator = std::make_unique<LocalAuthenticator>(
        *m_database, *m_clock, PasswordHasher(PasswordCost::production()));
    m_resellers = std::make_unique<ResellerService>(*m_database, *m_clock, *m_access);
    m_customers = std::make_unique<CustomerService>(*m_database, *m_clock, *m_access);
    m_transfers
        = std::make_unique<TransferService>(*m_database, *m_clock, *m_access, *m_authenticator);
    m_users = std::make_unique<UserService>(*m_database, *m_clock, *m_access);
    m_settings = std::make_unique<SettingsService>(*m_database, *m_clock, *m_access);
    m_catalogue = std::make_unique<CatalogueService>(*m_database, *m_access);
    m_outbox = std::make_unique<OutboxService>(*m_database, *m_clock, *m_access);
    m_clientAccount = std::make_unique<ClientAccountService>(*m_database, *m_clock, *m_access);
    m_impersonation = std::make_unique<ImpersonationService>(*m_database, *m_clock, *m_access);
    m_audit = std::make_unique<AuditService>(*m_database, *m_access);
    m_customerImport = std::make_unique<CustomerImportService>(*m_database, *m_clock, *m_access);
    m_uiServices = std::make_unique<UiServices>(
        UiServices {*m_customers, *m_resellers, *m_transfers, *m_users, *m_settings, *m_catalogue,
            *m_outbox, *m_credentials, *m_authenticator, *m_clock, *m_clientAccount,
            *m_impersonation, *m_audit, m_database->profile(), *m_customerImport});
}

bool Application::seedDemoData()
{
    QApplication::setOverrideCursor(Qt::WaitCursor);
    PasswordHasher hasher(PasswordCost::production());
    Result<DemoSummary> demo = DemoData::seedIfEmpty(*m_database, *m_clock, hasher);
    QApplication::restoreOverrideCursor();
    if (!demo) {
        showError(demo.error());
        return false;
    }
    if (demo->seeded) {
        std::fprintf(stderr,
            "resellerdesk: demo data created: %d resellers, %d customers, %d users\n",
            demo->resellers, demo->customers, demo->users);
    }
    return true;
}

std::optional<Session> Application::firstRun()
{
    FirstRunDialog dialog;
    for (;;) {
        const int outcome = dialog.exec();
        if (outcome == FirstRunDialog::UseDemoData) {
            if (seedDemoData())
                m_demoSeeded = true;
            return std::nullopt;
        }
        if (outcome != QDialog::Accepted)
            return std::nullopt;
        Result<Session> session = m_authenticator->createFirstAdministrator(
            dialog.email(), dialog.displayName(), dialog.password());
        if (session)
            return *session;
        showError(session.error(), &dialog);
    }
}

std::optional<Session> Application::signInDemoUser()
{
    Result<SignInResult> signedIn
        = m_authenticator->signIn(m_options.demoUser, DemoData::demoPassword());
    if (!signedIn || signedIn->memberships.isEmpty()) {
        showError(signedIn ? Error(ErrorCode::PermissionDenied, tr("The demo login has no access."))
                           : signedIn.error());
        return std::nullopt;
    }
    Result<Session> session
        = m_authenticator->openSession(*signedIn, signedIn->memberships.constFirst().id());
    if (!session) {
        showError(session.error());
        return std::nullopt;
    }
    m_signedIn = std::make_unique<SignInResult>(*signedIn);
    return *session;
}

std::optional<Session> Application::signIn()
{
    QString email;
    QString notice;
    for (;;) {
        SignInDialog dialog(*m_authenticator, m_database->profile().displayName());
        if (m_options.demo || m_demoSeeded) {
            dialog.setHint(tr("Demo logins: %1, support@demo.resellerdesk.test, "
                              "admin@northwind.test, manager@northwind.test — password “%2”. "
                              "See docs/demo.md for all of them.")
                               .arg(DemoData::demoAdministratorEmail(), DemoData::demoPassword()));
        }
        if (!notice.isEmpty())
            dialog.setHint(notice);
        if (!email.isEmpty())
            dialog.setEmail(email);
        const int outcome = dialog.exec();
        if (outcome == SignInDialog::ChangeDatabase) {
            m_changeDatabase = true;
            return std::nullopt;
        }
        if (outcome != QDialog::Accepted)
            return std::nullopt;

        const SignInResult &result = dialog.signedIn();
        if (!result.mustChangePassword) {
            Result<Session> session = m_authenticator->openSession(result, dialog.membershipId());
            if (session) {
                m_signedIn = std::make_unique<SignInResult>(result);
                return *session;
            }
            showError(session.error(), &dialog);
            continue;
        }
        // A temporary password: choose a real one, then sign in with it.
        ChangePasswordDialog change;
        bool changed = false;
        while (!changed && change.exec() == QDialog::Accepted) {
            Status set = m_authenticator->setPassword(
                result.userId, dialog.secret(), change.newPassword());
            if (set)
                changed = true;
            else
                change.setError(set.error().message());
        }
        email = result.email;
        notice = changed ? tr("Your password is set. Sign in with it now.") : QString();
    }
}

std::optional<Session> Application::switchMembership(const Session &current)
{
    if (!m_signedIn || m_signedIn->memberships.size() < 2)
        return std::nullopt;
    QStringList choices;
    int currentIndex = 0;
    for (int i = 0; i < m_signedIn->memberships.size(); ++i) {
        const Membership &membership = m_signedIn->memberships.at(i);
        choices.append(SignInDialog::describe(membership, *m_signedIn));
        if (membership.id() == current.membershipId())
            currentIndex = i;
    }
    bool chosen = false;
    const QString choice = QInputDialog::getItem(
        nullptr, tr("Switch Membership"), tr("Work as:"), choices, currentIndex, false, &chosen);
    const auto index = choices.indexOf(choice);
    if (!chosen || index < 0 || index == currentIndex)
        return std::nullopt;
    Result<Session> session
        = m_authenticator->openSession(*m_signedIn, m_signedIn->memberships.at(index).id());
    if (!session) {
        showError(session.error());
        return std::nullopt;
    }
    return *session;
}

void Application::startMailWorker()
{
    stopMailWorker();
    Result<DomainSettings> settings = m_settings->current();
    if (!settings) {
        std::fprintf(stderr, "resellerdesk: this desktop does not deliver email: %s\n",
            qPrintable(settings.error().toString()));
        return;
    }
    const SmtpSettings &smtp = settings->smtp;
    if (!smtp.enabled)
        return;
    if (Status valid = smtp.validate(); !valid) {
        std::fprintf(stderr, "resellerdesk: this desktop does not deliver email: %s\n",
            qPrintable(valid.error().message()));
        return;
    }
    QString password;
    if (!smtp.userName.isEmpty()) {
        Result<QString> stored
            = m_credentials->read(CredentialStore::smtpKey(smtp.host, smtp.port, smtp.userName));
        if (!stored || stored->isEmpty()) {
            // No dialog at every start: the mail indicator explains it.
            std::fprintf(stderr,
                "resellerdesk: this desktop does not deliver email (no SMTP password): %s\n",
                stored ? "the keychain entry is empty" : qPrintable(stored.error().message()));
            return;
        }
        password = *stored;
    }
    MailWorker::Config config;
    config.database = m_database->profile();
    config.smtp = smtp.toProfile(password);
    m_mailWorker = std::make_unique<MailWorker>(std::move(config));
    m_mailWorker->start();
}

void Application::stopMailWorker()
{
    // Waits for the message in hand, so the row is never left leased.
    m_mailWorker.reset();
}

void Application::startChangeNotifier()
{
    // Changes made on other desktops reach the open views; without it the
    // window works on, refreshed by its own actions and View ▸ Refresh.
    m_changes = std::make_unique<ChangeNotifier>(*m_database);
    if (Status listening = m_changes->start(); !listening) {
        std::fprintf(stderr, "resellerdesk: %s\n", qPrintable(listening.error().toString()));
        m_changes.reset();
    }
}

Application::Next Application::showMainWindow(const Session &session)
{
    m_session = std::make_unique<Session>(session);
    startMailWorker();
    MainWindowContext context {*m_session, *m_uiServices, m_database->profile().displayName(),
        m_signedIn && m_signedIn->userId == session.userId() && m_signedIn->memberships.size() > 1};
    context.mailWorker = m_mailWorker.get();
    startChangeNotifier();
    context.changes = m_changes.get();
    m_mainWindow = std::make_unique<MainWindow>(context);

    // The window's own loop: it ends when the window closes (Quit, the
    // window's close button, signing out or switching membership);
    // QApplication::exit ends it too.
    QEventLoop loop;
    Next next = Next::Quit;
    QObject::connect(m_mainWindow.get(), &MainWindow::signOutRequested, &loop, [&] {
        next = Next::SignIn;
        m_mainWindow->close();
    });
    QObject::connect(m_mainWindow.get(), &MainWindow::switchMembershipRequested, &loop, [&] {
        next = Next::SwitchMembership;
        m_mainWindow->close();
    });
    QObject::connect(m_mainWindow.get(), &MainWindow::closed, &loop, &QEventLoop::quit);
    m_mainWindow->show();
    loop.exec();
    m_mainWindow.reset();
    m_changes.reset();
    stopMailWorker();
    m_session.reset();
    return m_screenshotTaken ? Next::Quit : next;
}

Application::Next Application::showClientWindow(const Session &session)
{
    m_session = std::make_unique<Session>(session);
    startChangeNotifier();
    m_clientWindow = std::make_unique<ClientWindow>(ClientWindowContext {
        *m_session, *m_uiServices, m_database->profile().displayName(), {}, m_changes.get()});
    QEventLoop loop;
    Next next = Next::Quit;
    QObject::connect(m_clientWindow.get(), &ClientWindow::signOutRequested, &loop, [&] {
        next = Next::SignIn;
        m_clientWindow->close();
    });
    QObject::connect(m_clientWindow.get(), &ClientWindow::closed, &loop, &QEventLoop::quit);
    m_clientWindow->show();
    loop.exec();
    m_clientWindow.reset();
    m_changes.reset();
    m_session.reset();
    return m_screenshotTaken ? Next::Quit : next;
}

int Application::run()
{
    // The program runs its own loops between dialogs and windows; closing
    // the sign-in dialog must not end it.
    QApplication::setQuitOnLastWindowClosed(false);
    armScreenshot();
    if (Status opened = openDatabase(); !opened) {
        if (m_screenshotTaken || m_alreadyOpen)
            return 0;
        showError(opened.error());
        return 1;
    }
    createServices();

    if (m_options.demo && !seedDemoData())
        return 1;

    for (;;) {
        std::optional<Session> session;
        Result<bool> empty = m_authenticator->needsFirstAdministrator();
        if (!empty) {
            showError(empty.error());
            return 1;
        }
        if (*empty) {
            session = firstRun();
            if (!session && m_demoSeeded)
                continue; // now sign in with a demo login
        } else if (!m_options.demoUser.isEmpty())
            session = signInDemoUser();
        else
            session = signIn();
        if (!session && m_changeDatabase) {
            // Back to the connection dialog, then sign in to the new database.
            releaseServices();
            Status reopened = openDatabase();
            m_changeDatabase = false;
            if (!reopened)
                return 0; // the user cancelled the connection dialog
            createServices();
            continue;
        }
        if (!session)
            return m_screenshotTaken ? 0 : (m_options.demoUser.isEmpty() ? 0 : 1);
        for (;;) {
            const Session current = *session;
            const Next next = isClientRole(current.role()) ? showClientWindow(current)
                                                           : showMainWindow(current);
            if (next == Next::Quit)
                return 0;
            if (next == Next::SignIn)
                break;
            // Switching: the chosen membership, or the same one again.
            session = switchMembership(current);
            if (!session)
                session = current;
        }
        m_signedIn.reset();
    }
}

} // namespace rd::app
