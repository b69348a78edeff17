#pragma once

#include <optional>

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace rd::app {

// What the user asked for on the command line.
struct CommandLineOptions
{
    QString database;   // a file path or postgresql:// URL; empty: the default file
    bool demo = false;  // open (creating if needed) the demo database
    QString screenshot; // save a PNG of the first window shown and quit (docs and checks)
    QString demoUser;   // with --demo: sign in as this demo login without the dialog
};

// Parses the arguments with QCommandLineParser. --help and --version print
// and exit; a mistake prints a clear message and exits with status 2.
class CommandLine final
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)

public:
    static CommandLineOptions parse(const QStringList &arguments);
};

} // namespace rd::app
