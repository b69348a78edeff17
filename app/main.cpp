#include <memory>

#include <QApplication>
#include <QIcon>

#include "Application.h"
#include "CommandLine.h"
#include "DispatchCommand.h"
#include "common/Translations.h"

namespace {

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("ResellerDesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("ResellerDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RESELLERDESK_VERSION));
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

// `dispatch` runs headless: no display, no widgets.
bool headless(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return rd::app::CommandLine::command(arguments)
        == rd::app::CommandLineOptions::Command::Dispatch;
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv)) {
        QCoreApplication printer(argc, argv);
        describeApplication();
        rd::app::CommandLine::parse(QCoreApplication::arguments()); // prints and exits
        return 0;
    }

    if (headless(argc, argv)) {
        QCoreApplication application(argc, argv);
        rd::installTranslations(application);
        describeApplication();
        rd::app::DispatchCommand command(
            rd::app::CommandLine::parse(QCoreApplication::arguments()));
        return command.run();
    }

    QApplication application(argc, argv);
    rd::installTranslations(application);
    describeApplication();
    QApplication::setDesktopFileName(QStringLiteral("org.resellerdesk.ResellerDesk"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/resellerdesk.svg")));

    const rd::app::CommandLineOptions options
        = rd::app::CommandLine::parse(QApplication::arguments());
    rd::app::Application app(options);
    return app.run();
}
