#pragma once

#include <QCoreApplication>
#include <QDate>
#include <QString>

#include "CommandLine.h"
#include "services/CustomerExportService.h"

namespace rd {
class CredentialStore;
}

namespace rd::app {

// `resellerdesk export customers`: signs in without a window
// (HeadlessSignIn) and writes the customers the session may see, searched
// and sorted as the options say, to a CSV or XLSX file through
// CustomerExportService (the same code as the desktop's Customers → Export).
// Prints one summary line ("Exported N customers to FILE.") on standard
// output. Exit status 0 when written, 1 when the database or the file cannot
// be used, 2 for a usage or sign-in mistake.
class ExportCommand final
{
    Q_DECLARE_TR_FUNCTIONS(ExportCommand)

public:
    ExportCommand(CommandLineOptions options, CredentialStore &keychain);

    // Needs a QCoreApplication; returns the process exit status.
    int run();

    // --format, else the --output file's extension, else CSV.
    static ExportFormat formatOf(const CommandLineOptions &options);
    // --output, else customers-DATE.csv / .xlsx in the current directory.
    static QString outputOf(const CommandLineOptions &options, ExportFormat format, QDate today);
    // The view the options describe: --search, --sort, --descending.
    static CustomerQuery queryOf(const CommandLineOptions &options);

private:
    CommandLineOptions m_options;
    CredentialStore &m_keychain;
};

} // namespace rd::app
