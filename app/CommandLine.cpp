#include "CommandLine.h"

#include <cstdio>
#include <cstdlib>

#include <QCommandLineParser>

namespace rd::app {

namespace {

const QString DispatchName = QStringLiteral("dispatch");

// The parser and its options, shared by parse() and command().
struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption database {{QStringLiteral("d"), QStringLiteral("database")},
        CommandLine::tr("Open this database: an SQLite file path, or a "
                        "postgresql://user@host:port/database address (a password in the address "
                        "is used for this session only, never saved)."),
        CommandLine::tr("file-or-url")};
    QCommandLineOption demo {QStringLiteral("demo"),
        CommandLine::tr("Open the demo database, creating it on first use.")};
    QCommandLineOption screenshot {QStringLiteral("screenshot"),
        CommandLine::tr("Save a PNG picture of the first window shown and quit."),
        CommandLine::tr("file")};
    QCommandLineOption demoUser {QStringLiteral("demo-user"),
        CommandLine::tr("With --demo: sign in as this demo login (see docs/demo.md) without the "
                        "sign-in dialog."),
        CommandLine::tr("email")};
    QCommandLineOption once {QStringLiteral("once"),
        CommandLine::tr("With dispatch: deliver the email that is due, print a summary and exit "
                        "instead of running on.")};
    QCommandLineOption smtpPasswordFile {QStringLiteral("smtp-password-file"),
        CommandLine::tr("With dispatch: read the SMTP password from the first line of this file "
                        "(readable by its owner only) instead of the system keychain."),
        CommandLine::tr("file")};
    QCommandLineOption interval {QStringLiteral("interval"),
        CommandLine::tr("With dispatch: look for due email every this many seconds (default 30)."),
        CommandLine::tr("seconds"), QStringLiteral("30")};

    Parser()
    {
        parser.setApplicationDescription(CommandLine::tr(
            "ResellerDesk manages resellers and their customers: onboarding, trials, transfers "
            "between resellers and audited Login As.\n\n"
            "“resellerdesk dispatch --database FILE-OR-URL” delivers the queued email without a "
            "window (for a server without a display): it uses the SMTP settings of the database "
            "and runs until stopped (SIGTERM or Ctrl+C), or with --once until nothing is due."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({database, demo, screenshot, demoUser, once, smtpPasswordFile, interval});
        parser.addPositionalArgument(DispatchName,
            CommandLine::tr("Deliver the queued email headless instead of opening the windows."),
            QStringLiteral("[dispatch]"));
    }
};

[[noreturn]] void refuse(const QString &message)
{
    std::fprintf(stderr, "%s\n", qPrintable(message));
    std::exit(2);
}

} // namespace

CommandLineOptions::Command CommandLine::command(const QStringList &arguments)
{
    Parser p;
    // Mistakes are reported by parse() later; only the command matters here.
    static_cast<void>(p.parser.parse(arguments));
    const QStringList positional = p.parser.positionalArguments();
    return !positional.isEmpty() && positional.constFirst() == DispatchName
        ? CommandLineOptions::Command::Dispatch
        : CommandLineOptions::Command::Desktop;
}

CommandLineOptions CommandLine::parse(const QStringList &arguments)
{
    Parser p;
    QCommandLineParser &parser = p.parser;
    parser.process(arguments);

    CommandLineOptions options;
    QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty() && positional.constFirst() == DispatchName) {
        options.command = CommandLineOptions::Command::Dispatch;
        positional.removeFirst();
    }
    if (!positional.isEmpty())
        refuse(tr("Unexpected argument “%1”. See --help.").arg(positional.constFirst()));
    if (parser.isSet(p.database) && parser.isSet(p.demo))
        refuse(tr("Use either --database or --demo, not both."));
    if (parser.isSet(p.demoUser) && !parser.isSet(p.demo))
        refuse(tr("--demo-user works only with --demo."));

    if (options.command == CommandLineOptions::Command::Dispatch) {
        if (parser.isSet(p.demo) || parser.isSet(p.screenshot))
            refuse(tr("dispatch opens no window: it takes neither --demo nor --screenshot."));
        if (!parser.isSet(p.database))
            refuse(tr("dispatch needs the database: add --database FILE-OR-URL."));
        bool number = false;
        options.intervalSeconds = parser.value(p.interval).toInt(&number);
        if (!number || options.intervalSeconds < 1 || options.intervalSeconds > 86'400)
            refuse(tr("--interval takes a number of seconds from 1 to 86400."));
        options.once = parser.isSet(p.once);
        options.smtpPasswordFile = parser.value(p.smtpPasswordFile);
    } else if (parser.isSet(p.once) || parser.isSet(p.smtpPasswordFile)
        || parser.isSet(p.interval)) {
        refuse(tr("--once, --smtp-password-file and --interval work only with dispatch."));
    }

    options.database = parser.value(p.database);
    options.demo = parser.isSet(p.demo);
    options.screenshot = parser.value(p.screenshot);
    options.demoUser = parser.value(p.demoUser);
    return options;
}

} // namespace rd::app
