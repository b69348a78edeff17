#include "CommandLine.h"

#include <cstdio>
#include <cstdlib>

#include <QCommandLineParser>

namespace rd::app {

CommandLineOptions CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("ResellerDesk manages resellers and their customers: onboarding, trials, transfers "
           "between resellers and audited Login As."));
    parser.addHelpOption();
    parser.addVersionOption();

    const QCommandLineOption database({QStringLiteral("d"), QStringLiteral("database")},
        tr("Open this database: an SQLite file path, or a "
           "postgresql://user@host:port/database address (a password in the address is used "
           "for this session only, never saved)."),
        tr("file-or-url"));
    const QCommandLineOption demo(
        QStringLiteral("demo"), tr("Open the demo database, creating it on first use."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        tr("Save a PNG picture of the first window shown and quit."), tr("file"));
    const QCommandLineOption demoUser(QStringLiteral("demo-user"),
        tr("With --demo: sign in as this demo login (see docs/demo.md) without the sign-in "
           "dialog."),
        tr("email"));
    parser.addOptions({database, demo, screenshot, demoUser});
    parser.process(arguments);

    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "%s\n",
            qPrintable(tr("Unexpected argument “%1”. See --help.")
                           .arg(parser.positionalArguments().constFirst())));
        std::exit(2);
    }
    if (parser.isSet(database) && parser.isSet(demo)) {
        std::fprintf(stderr, "%s\n", qPrintable(tr("Use either --database or --demo, not both.")));
        std::exit(2);
    }

    if (parser.isSet(demoUser) && !parser.isSet(demo)) {
        std::fprintf(stderr, "%s\n", qPrintable(tr("--demo-user works only with --demo.")));
        std::exit(2);
    }

    CommandLineOptions options;
    options.demoUser = parser.value(demoUser);
    options.database = parser.value(database);
    options.demo = parser.isSet(demo);
    options.screenshot = parser.value(screenshot);
    return options;
}

} // namespace rd::app
