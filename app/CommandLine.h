#pragma once

#include <optional>

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace rd::app {

// What the user asked for on the command line.
struct CommandLineOptions
{
    enum class Command {
        Desktop,  // the windows (the default)
        Dispatch, // `dispatch`: deliver the outbox headless, no display needed
        Export,   // `export customers`: write the customers to CSV or XLSX, headless
        Import,   // `import FILE`: add the customers of a CSV file, headless
    };

    Command command = Command::Desktop;
    QString database;   // a file path or postgresql:// URL; empty: the default file
    QString language;   // --lang: "en", "de" or "fr"; empty: the system's language
    bool demo = false;  // open (creating if needed) the demo database
    QString screenshot; // save a PNG of the first window shown and quit (docs and checks)
    QString demoUser;   // with --demo: sign in as this demo login without the dialog

    // dispatch only
    bool once = false;        // deliver what is due, print a summary and exit
    QString smtpPasswordFile; // the SMTP password's first line, when the keychain has none
    int intervalSeconds = 30; // how often to look for due mail when running on

    // export and import: who signs in (HeadlessSignIn)
    QString user;         // --user, else RESELLERDESK_USER
    QString passwordFile; // --password-file: the password's first line (owner-only file)
    QString membership;   // --membership: an id or a context name, for several memberships

    // export only
    QString exportFormat; // "csv" or "xlsx"; empty: from --output's extension, else csv
    QString output;       // the file; empty: customers-DATE.EXT in the current directory
    QString search;       // the search box's term
    QString sort;         // a CustomerExportService::sortNames() entry; empty: company
    bool descending = false;

    // import only
    QString importFile;  // the CSV file
    QString reseller;    // --reseller: the reseller portal the customers join
    bool direct = false; // --direct: direct accounts of the vendor (administrators)
    QString plan;        // --plan: the plan of rows without one (name or code)
    bool paid = false;   // --paid: rows without a trial/paid cell are paid
    bool dryRun = false; // check every row, change nothing
    bool sendSetupEmails = false;
};

// Parses the arguments with QCommandLineParser. --help and --version print
// and exit; a mistake prints a clear message and exits with status 2. Each
// option is accepted only with the commands it applies to.
class CommandLine final
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)

public:
    static CommandLineOptions parse(const QStringList &arguments);

    // The command the arguments name, without printing or exiting (for
    // main() to choose the application class before parse() runs).
    static CommandLineOptions::Command command(const QStringList &arguments);
    // The value of --lang as given (unchecked), for main() to install the
    // translations before parse() prints help or a mistake; empty without it.
    static QString requestedLanguage(const QStringList &arguments);
};

} // namespace rd::app
