#pragma once

#include <memory>
#include <optional>

#include <QCoreApplication>

#include "CommandLine.h"
#include "domain/Error.h"

class QWidget;

namespace rd {
class AccessControl;
class Authenticator;
class CustomerService;
class Database;
class MainWindow;
class ResellerService;
class Session;
class SystemClock;
} // namespace rd

namespace rd::app {

// The composition root: chooses and opens the database, creates the
// services and windows and hands each what it needs. Nothing else in the
// program creates long-lived objects.
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
    void createServices();
    std::optional<Session> firstRun();
    std::optional<Session> signIn();
    std::optional<Session> signInDemoUser();
    bool showMainWindow(const Session &session);
    void armScreenshot();

    CommandLineOptions m_options;
    std::unique_ptr<SystemClock> m_clock;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<Authenticator> m_authenticator;
    std::unique_ptr<ResellerService> m_resellers;
    std::unique_ptr<CustomerService> m_customers;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_mainWindow;
    bool m_screenshotTaken = false;
};

} // namespace rd::app
