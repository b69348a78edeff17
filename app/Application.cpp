#include "Application.h"

#include <cstdio>

#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>

#include "mainwindow/MainWindow.h"
#include "security/LocalAuthenticator.h"
#include "security/PasswordHasher.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/DemoData.h"
#include "services/ResellerService.h"
#include "services/Session.h"
#include "signin/ChangePasswordDialog.h"
#include "signin/ConnectionDialog.h"
#include "signin/FirstRunDialog.h"
#include "signin/SignInDialog.h"
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
{ }

Application::~Application()
{
    // Windows first, then the services they use, then the database.
    m_mainWindow.reset();
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
        const bool fromDialog = m_options.database.isEmpty() && !m_options.demo;
        if (!m_options.database.isEmpty()) {
            profile = ConnectionProfile::fromUrl(m_options.database);
        } else if (m_options.demo) {
            profile = ConnectionProfile::sqlite(defaultDataFile(QStringLiteral("demo.sqlite")));
        } else {
            ConnectionDialog dialog;
            if (dialog.exec() != QDialog::Accepted)
                return fail(ErrorCode::InvalidInput, tr("No database was chosen."));
            profile = ConnectionProfile::fromUrl(dialog.connectionUrl());
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

void Application::createServices()
{
    m_access = std::make_unique<AccessControl>(*m_database);
    m_authenticator = std::make_unique<LocalAuthenticator>(
        *m_database, *m_clock, PasswordHasher(PasswordCost::production()));
    m_resellers = std::make_unique<ResellerService>(*m_database, *m_clock, *m_access);
    m_customers = std::make_unique<CustomerService>(*m_database, *m_clock, *m_access);
}

std::optional<Session> Application::firstRun()
{
    FirstRunDialog dialog;
    for (;;) {
        if (dialog.exec() != QDialog::Accepted)
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
    return *session;
}

std::optional<Session> Application::signIn()
{
    QString email;
    QString notice;
    for (;;) {
        SignInDialog dialog(*m_authenticator, m_database->profile().displayName());
        if (m_options.demo) {
            dialog.setHint(tr("Demo logins: %1, support@demo.resellerdesk.test, "
                              "admin@northwind.test, manager@northwind.test — password “%2”. "
                              "See docs/demo.md for all of them.")
                               .arg(DemoData::demoAdministratorEmail(), DemoData::demoPassword()));
        }
        if (!notice.isEmpty())
            dialog.setHint(notice);
        if (!email.isEmpty())
            dialog.setEmail(email);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;

        const SignInResult &result = dialog.signedIn();
        if (!result.mustChangePassword) {
            Result<Session> session = m_authenticator->openSession(result, dialog.membershipId());
            if (session)
                return *session;
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

bool Application::showMainWindow(const Session &session)
{
    m_session = std::make_unique<Session>(session);
    const MainWindowContext context {
        *m_session, *m_resellers, *m_customers, *m_clock, m_database->profile().displayName()};
    m_mainWindow = std::make_unique<MainWindow>(context);

    // The window's own loop: it ends when the window closes (Quit, the
    // window's close button, or signing out); QApplication::exit ends it too.
    QEventLoop loop;
    bool signOut = false;
    QObject::connect(m_mainWindow.get(), &MainWindow::signOutRequested, &loop, [&] {
        signOut = true;
        m_mainWindow->close();
    });
    QObject::connect(m_mainWindow.get(), &MainWindow::closed, &loop, &QEventLoop::quit);
    m_mainWindow->show();
    loop.exec();
    m_mainWindow.reset();
    m_session.reset();
    return signOut && !m_screenshotTaken;
}

int Application::run()
{
    // The program runs its own loops between dialogs and windows; closing
    // the sign-in dialog must not end it.
    QApplication::setQuitOnLastWindowClosed(false);
    armScreenshot();
    if (Status opened = openDatabase(); !opened) {
        if (m_screenshotTaken)
            return 0;
        showError(opened.error());
        return 1;
    }
    createServices();

    if (m_options.demo) {
        PasswordHasher hasher(PasswordCost::production());
        Result<DemoSummary> demo = DemoData::seedIfEmpty(*m_database, *m_clock, hasher);
        if (!demo) {
            showError(demo.error());
            return 1;
        }
        if (demo->seeded) {
            std::fprintf(stderr,
                "resellerdesk: demo data created: %d resellers, %d customers, %d users\n",
                demo->resellers, demo->customers, demo->users);
        }
    }

    for (;;) {
        std::optional<Session> session;
        Result<bool> empty = m_authenticator->needsFirstAdministrator();
        if (!empty) {
            showError(empty.error());
            return 1;
        }
        if (*empty)
            session = firstRun();
        else if (!m_options.demoUser.isEmpty())
            session = signInDemoUser();
        else
            session = signIn();
        if (!session)
            return m_screenshotTaken ? 0 : (m_options.demoUser.isEmpty() ? 0 : 1);
        if (!showMainWindow(*session))
            return 0;
    }
}

} // namespace rd::app
