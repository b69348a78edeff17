#include <memory>

#include <QApplication>
#include <QIcon>
#include <QTextStream>

#include "Application.h"
#include "CommandLine.h"
#include "DispatchCommand.h"
#include "ExportCommand.h"
#include "HeadlessSignIn.h"
#include "ImportCommand.h"
#include "common/Appearance.h"
#include "common/Translations.h"
#include "security/CredentialStore.h"
#include "services/CustomerImportService.h"
#include "services/ResellerService.h"

namespace {

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("ResellerDesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("ResellerDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RESELLERDESK_VERSION));
}

// The language of --lang (checked by CommandLine::parse later), else the
// system's: installed before anything is printed or shown.
void installTranslations(QCoreApplication &application)
{
    rd::installTranslations(
        application, rd::app::CommandLine::requestedLanguage(QCoreApplication::arguments()));
}

// --help and --version only print: they must work without a display.
bool onlyPrints(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version"
            || arg == "-v")
            return true;
    }
    return false;
}

// `dispatch`, `export` and `import` run headless: no display, no widgets.
bool headless(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return rd::app::CommandLine::command(arguments)
        != rd::app::CommandLineOptions::Command::Desktop;
}

// `import FILE`: the sign-in is shared with export (HeadlessSignIn); the
// import itself is app/ImportCommand.
int runImport(const rd::app::CommandLineOptions &options)
{
    rd::CredentialStore keychain;
    int status = 1;
    std::unique_ptr<rd::app::HeadlessConnection> connection
        = rd::app::connectHeadless(options, keychain, &status);
    if (!connection)
        return status;
    rd::CustomerImportService imports(*connection->db, connection->clock, *connection->access);
    rd::ResellerService resellers(*connection->db, connection->clock, *connection->access);
    QTextStream out(stdout);
    QTextStream err(stderr);
    rd::app::ImportCommand command(imports, resellers, *connection->session, out, err);
    rd::app::ImportCommand::Arguments arguments;
    arguments.file = options.importFile;
    arguments.reseller = options.reseller;
    arguments.direct = options.direct;
    arguments.plan = options.plan;
    arguments.paid = options.paid;
    arguments.dryRun = options.dryRun;
    arguments.sendSetupEmails = options.sendSetupEmails;
    return command.run(arguments);
}

int runHeadless(const rd::app::CommandLineOptions &options)
{
    using Command = rd::app::CommandLineOptions::Command;
    switch (options.command) {
    case Command::Export: {
        rd::CredentialStore keychain;
        rd::app::ExportCommand command(options, keychain);
        return command.run();
    }
    case Command::Import:
        return runImport(options);
    case Command::Dispatch:
    case Command::Desktop:
        break;
    }
    rd::app::DispatchCommand command(options);
    return command.run();
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv)) {
        QCoreApplication printer(argc, argv);
        installTranslations(printer);
        describeApplication();
        rd::app::CommandLine::parse(QCoreApplication::arguments()); // prints and exits
        return 0;
    }

    if (headless(argc, argv)) {
        QCoreApplication application(argc, argv);
        installTranslations(application);
        describeApplication();
        return runHeadless(rd::app::CommandLine::parse(QCoreApplication::arguments()));
    }

    QApplication application(argc, argv);
    installTranslations(application);
    describeApplication();
    QApplication::setDesktopFileName(QStringLiteral("org.resellerdesk.ResellerDesk"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/resellerdesk.svg")));
    // The saved View ▸ Appearance choice, before the first window opens.
    rd::applyTheme(rd::savedTheme());

    const rd::app::CommandLineOptions options
        = rd::app::CommandLine::parse(QApplication::arguments());
    rd::app::Application app(options);
    return app.run();
}
