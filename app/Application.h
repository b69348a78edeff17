#pragma once

#include <memory>

#include <QCoreApplication>

#include "CommandLine.h"

namespace rd {
class Database;
class MainWindow;
} // namespace rd

namespace rd::app {

// The composition root: opens the database the command line names, creates
// the services and windows, and hands each what it needs. Nothing else in
// the program creates long-lived objects.
class Application final
{
    Q_DECLARE_TR_FUNCTIONS(Application)

public:
    explicit Application(CommandLineOptions options);
    ~Application();
    Q_DISABLE_COPY_MOVE(Application)

    // Runs the event loop; returns the process exit status.
    int run();

private:
    CommandLineOptions m_options;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<MainWindow> m_mainWindow;
};

} // namespace rd::app
