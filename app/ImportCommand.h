#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "domain/Error.h"

class QTextStream;

namespace rd {
class CustomerImportService;
class ResellerService;
class Session;
} // namespace rd

namespace rd::app {

// `resellerdesk import FILE [--reseller NAME | --direct] [--plan NAME] [--paid]
// [--dry-run] [--send-setup-emails]`: imports customers from a CSV file
// without a window, for automation. The customers join the named reseller
// portal; a reseller's own user may leave --reseller out (its own portal);
// an administrator names a portal or asks for direct accounts. The columns
// are mapped from the header's names (as the import dialog guesses them);
// --plan and --paid fill empty plan and trial/paid cells. Every row is validated first; refused
// rows are printed one per line ("line N: reason") on the error stream and a summary on the output;
// with --dry-run nothing is written. Setup emails are off unless asked
// for. The caller opens the database and signs in; the session's
// permissions apply as in the dialog. Exit status: 0 every row imported
// (or would be), 1 any row refused, 2 a usage or file error (nothing
// imported).
class ImportCommand final
{
    Q_DECLARE_TR_FUNCTIONS(ImportCommand)

public:
    struct Arguments
    {
        QString file;
        QString reseller;
        bool direct = false;
        QString plan;
        bool paid = false;
        bool dryRun = false;
        bool sendSetupEmails = false;
    };

    static constexpr int ExitImported = 0;
    static constexpr int ExitRowsRefused = 1;
    static constexpr int ExitUsage = 2;

    ImportCommand(CustomerImportService &imports, ResellerService &resellers,
        const Session &session, QTextStream &out, QTextStream &err);

    // The arguments after "import".
    static Result<Arguments> parse(const QStringList &arguments);
    static QString usage();

    // Returns the exit status.
    int run(const QStringList &arguments);
    int run(const Arguments &arguments);

private:
    Result<qint64> resellerId(const QString &name) const;
    // The portal the arguments name (0: a reseller's own, or direct).
    Result<qint64> portalOf(const Arguments &arguments) const;
    Result<qint64> planId(const QString &name, qint64 portal) const;

    CustomerImportService &m_imports;
    ResellerService &m_resellers;
    const Session &m_session;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace rd::app
