#include <memory>

#include <QApplication>
#include <QIcon>

#include "Application.h"
#include "CommandLine.h"
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

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv)) {
        QCoreApplication printer(argc, argv);
        describeApplication();
        rd::app::CommandLine::parse(QCoreApplication::arguments()); // prints and exits
        return 0;
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
