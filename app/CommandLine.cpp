#include "CommandLine.h"

#include "domain/Language.h"

#include <cstdio>
#include <cstdlib>

#include <QCommandLineParser>

#include "services/CustomerExportService.h"

namespace rd::app {

namespace {

const QString DispatchName = QStringLiteral("dispatch");
const QString ExportName = QStringLiteral("export");
const QString ImportName = QStringLiteral("import");
const QString CustomersName = QStringLiteral("customers");

CommandLineOptions::Command commandNamed(const QStringList &positional)
{
    if (positional.isEmpty())
        return CommandLineOptions::Command::Desktop;
    const QString &first = positional.constFirst();
    if (first == DispatchName)
        return CommandLineOptions::Command::Dispatch;
    if (first == ExportName)
        return CommandLineOptions::Command::Export;
    if (first == ImportName)
        return CommandLineOptions::Command::Import;
    return CommandLineOptions::Command::Desktop;
}

// The parser and its options, shared by parse() and command().
struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption database {{QStringLiteral("d"), QStringLiteral("database")},
        CommandLine::tr("Open this database: an SQLite file path, or a "
                        "postgresql://user@host:port/database address (a password in the address "
                        "is used for this session only, never saved)."),
        CommandLine::tr("file-or-url")};
    QCommandLineOption language {QStringLiteral("lang"),
        CommandLine::tr("Use this language instead of the system's: %1.")
            .arg(availableLanguages().join(QStringLiteral(", "))),
        CommandLine::tr("code")};
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
    QCommandLineOption user {QStringLiteral("user"),
        CommandLine::tr("With export or import: sign in as this user (default: the "
                        "RESELLERDESK_USER environment variable)."),
        CommandLine::tr("email")};
    QCommandLineOption passwordFile {QStringLiteral("password-file"),
        CommandLine::tr("With export or import: read the user's password from the first line of "
                        "this file (readable by its owner only) when RESELLERDESK_PASSWORD is not "
                        "set."),
        CommandLine::tr("file")};
    QCommandLineOption membership {QStringLiteral("membership"),
        CommandLine::tr("With export or import: work as this membership (its number or the name "
                        "of its reseller portal or client account) when the user has several."),
        CommandLine::tr("id-or-name")};
    QCommandLineOption format {QStringLiteral("format"),
        CommandLine::tr("With export: csv or xlsx (default: from the --output file's extension, "
                        "else csv)."),
        CommandLine::tr("csv|xlsx")};
    QCommandLineOption output {{QStringLiteral("o"), QStringLiteral("output")},
        CommandLine::tr("With export: the file to write (default: customers-DATE.csv or .xlsx in "
                        "the current directory). It is replaced only when the export succeeds."),
        CommandLine::tr("file")};
    QCommandLineOption search {QStringLiteral("search"),
        CommandLine::tr("With export: only customers whose company, domain, contact or email "
                        "contains this text."),
        CommandLine::tr("term")};
    QCommandLineOption sort {QStringLiteral("sort"),
        CommandLine::tr("With export: the order, by company (default), domain, contact, email, "
                        "reseller, plan, status or created."),
        CommandLine::tr("column")};
    QCommandLineOption descending {
        QStringLiteral("descending"), CommandLine::tr("With export: sort in descending order.")};
    QCommandLineOption reseller {QStringLiteral("reseller"),
        CommandLine::tr("With import: the reseller portal the imported customers belong to."),
        CommandLine::tr("name")};
    QCommandLineOption direct {QStringLiteral("direct"),
        CommandLine::tr("With import: the customers become direct accounts of the vendor "
                        "(administrators; instead of --reseller).")};
    QCommandLineOption plan {QStringLiteral("plan"),
        CommandLine::tr("With import: the plan of rows whose plan cell is empty (name or code)."),
        CommandLine::tr("plan")};
    QCommandLineOption paid {QStringLiteral("paid"),
        CommandLine::tr("With import: rows whose trial/paid cell is empty are paid (default: "
                        "trial).")};
    QCommandLineOption dryRun {QStringLiteral("dry-run"),
        CommandLine::tr("With import: check every row and report, but change nothing.")};
    QCommandLineOption sendSetupEmails {QStringLiteral("send-setup-emails"),
        CommandLine::tr("With import: queue a setup email for each imported customer.")};

    Parser()
    {
        parser.setApplicationDescription(CommandLine::tr(
            "ResellerDesk manages resellers and their customers: onboarding, trials, transfers "
            "between resellers and audited Login As.\n\n"
            "“resellerdesk dispatch --database FILE-OR-URL” delivers the queued email without a "
            "window (for a server without a display): it uses the SMTP settings of the database "
            "and runs until stopped (SIGTERM or Ctrl+C), or with --once until nothing is due.\n\n"
            "“resellerdesk export customers --database FILE-OR-URL --format csv|xlsx” writes the "
            "customers the signed-in user may see to a file; “resellerdesk import FILE --database "
            "FILE-OR-URL” adds the customers of a CSV file. Both sign in without a window: the "
            "user from --user or RESELLERDESK_USER, the password from RESELLERDESK_PASSWORD, "
            "--password-file, the system keychain or a prompt on the terminal. Exit status 2 "
            "means a usage or sign-in mistake, 1 a failure."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({database, language, demo, screenshot, demoUser, once, smtpPasswordFile,
            interval, user, passwordFile, membership, format, output, search, sort, descending,
            reseller, direct, plan, paid, dryRun, sendSetupEmails});
        parser.addPositionalArgument(QStringLiteral("command"),
            CommandLine::tr("dispatch: deliver the queued email headless; export customers: write "
                            "the customers to a file; import FILE: add customers from a CSV "
                            "file. Without a command the windows open."),
            QStringLiteral("[dispatch | export customers | import FILE]"));
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
    return commandNamed(p.parser.positionalArguments());
}

QString CommandLine::requestedLanguage(const QStringList &arguments)
{
    Parser p;
    static_cast<void>(p.parser.parse(arguments));
    return p.parser.value(p.language);
}

CommandLineOptions CommandLine::parse(const QStringList &arguments)
{
    Parser p;
    QCommandLineParser &parser = p.parser;
    parser.process(arguments);

    CommandLineOptions options;
    QStringList positional = parser.positionalArguments();
    options.command = commandNamed(positional);
    using Command = CommandLineOptions::Command;
    if (options.command != Command::Desktop)
        positional.removeFirst();
    if (options.command == Command::Export) {
        if (positional.isEmpty() || positional.constFirst() != CustomersName)
            refuse(tr("export needs what to export: “export customers”. See --help."));
        positional.removeFirst();
    } else if (options.command == Command::Import) {
        if (positional.isEmpty())
            refuse(tr("import needs the CSV file: “import FILE”. See --help."));
        options.importFile = positional.takeFirst();
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

    const bool headlessSignIn
        = options.command == Command::Export || options.command == Command::Import;
    if (headlessSignIn) {
        const QString name = options.command == Command::Export ? ExportName : ImportName;
        if (parser.isSet(p.demo) || parser.isSet(p.screenshot) || parser.isSet(p.demoUser))
            refuse(tr("%1 opens no window: it takes neither --demo, --demo-user nor --screenshot.")
                       .arg(name));
        if (!parser.isSet(p.database))
            refuse(tr("%1 needs the database: add --database FILE-OR-URL.").arg(name));
        options.user = parser.value(p.user);
        options.passwordFile = parser.value(p.passwordFile);
        options.membership = parser.value(p.membership);
    } else if (parser.isSet(p.user) || parser.isSet(p.passwordFile) || parser.isSet(p.membership)) {
        refuse(tr("--user, --password-file and --membership work only with export and import."));
    }

    if (options.command == Command::Export) {
        options.exportFormat = parser.value(p.format).trimmed().toLower();
        if (!options.exportFormat.isEmpty()
            && !CustomerExportService::formatFromName(options.exportFormat))
            refuse(tr("--format takes csv or xlsx, not “%1”.").arg(parser.value(p.format)));
        options.output = parser.value(p.output);
        if (parser.isSet(p.output) && options.output.trimmed().isEmpty())
            refuse(tr("--output needs a file name."));
        options.search = parser.value(p.search);
        options.sort = parser.value(p.sort).trimmed().toLower();
        if (!options.sort.isEmpty() && !CustomerExportService::sortFromName(options.sort))
            refuse(tr("--sort takes one of %1, not “%2”.")
                       .arg(CustomerExportService::sortNames().join(QStringLiteral(", ")),
                           parser.value(p.sort)));
        options.descending = parser.isSet(p.descending);
    } else if (parser.isSet(p.format) || parser.isSet(p.output) || parser.isSet(p.search)
        || parser.isSet(p.sort) || parser.isSet(p.descending)) {
        refuse(tr("--format, --output, --search, --sort and --descending work only with export."));
    }

    if (options.command == Command::Import) {
        options.reseller = parser.value(p.reseller);
        options.direct = parser.isSet(p.direct);
        options.plan = parser.value(p.plan);
        options.paid = parser.isSet(p.paid);
        options.dryRun = parser.isSet(p.dryRun);
        options.sendSetupEmails = parser.isSet(p.sendSetupEmails);
        if (options.dryRun && options.sendSetupEmails)
            refuse(
                tr("--dry-run changes nothing and sends nothing: leave out --send-setup-emails."));
    } else if (parser.isSet(p.reseller) || parser.isSet(p.direct) || parser.isSet(p.plan)
        || parser.isSet(p.paid) || parser.isSet(p.dryRun) || parser.isSet(p.sendSetupEmails)) {
        refuse(tr("--reseller, --direct, --plan, --paid, --dry-run and --send-setup-emails work "
                  "only with import."));
    }

    if (parser.isSet(p.language)) {
        options.language = chooseLanguage(parser.value(p.language), {});
        if (options.language.isEmpty())
            refuse(tr("--lang takes one of %1, not “%2”.")
                       .arg(availableLanguages().join(QStringLiteral(", ")),
                           parser.value(p.language)));
    }
    options.database = parser.value(p.database);
    options.demo = parser.isSet(p.demo);
    options.screenshot = parser.value(p.screenshot);
    options.demoUser = parser.value(p.demoUser);
    return options;
}

} // namespace rd::app
