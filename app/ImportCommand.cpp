#include "ImportCommand.h"

#include <QFile>
#include <QTextStream>

#include "services/CustomerImportService.h"
#include "services/ResellerService.h"
#include "services/Session.h"

namespace rd::app {

ImportCommand::ImportCommand(CustomerImportService &imports, ResellerService &resellers,
    const Session &session, QTextStream &out, QTextStream &err)
    : m_imports(imports)
    , m_resellers(resellers)
    , m_session(session)
    , m_out(out)
    , m_err(err)
{ }

QString ImportCommand::usage()
{
    return tr("Usage: resellerdesk import FILE --reseller NAME [--dry-run] [--send-setup-emails]");
}

Result<ImportCommand::Arguments> ImportCommand::parse(const QStringList &arguments)
{
    Arguments parsed;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QStringLiteral("--dry-run")) {
            parsed.dryRun = true;
        } else if (a == QStringLiteral("--send-setup-emails")) {
            parsed.sendSetupEmails = true;
        } else if (a == QStringLiteral("--reseller")) {
            if (i + 1 >= arguments.size())
                return fail(
                    ErrorCode::InvalidInput, tr("--reseller needs the name of a reseller portal."));
            parsed.reseller = arguments.at(++i);
        } else if (a.startsWith(QStringLiteral("--reseller="))) {
            parsed.reseller = a.mid(11);
        } else if (a.startsWith(QStringLiteral("--"))) {
            return fail(ErrorCode::InvalidInput, tr("Unknown option %1.").arg(a));
        } else if (parsed.file.isEmpty()) {
            parsed.file = a;
        } else {
            return fail(ErrorCode::InvalidInput,
                tr("Give one file to import; “%1” is one too many.").arg(a));
        }
    }
    if (parsed.file.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Name the CSV file to import."));
    if (parsed.reseller.trimmed().isEmpty())
        return fail(ErrorCode::InvalidInput,
            tr("Name the reseller portal the customers join with --reseller NAME."));
    return parsed;
}

Result<qint64> ImportCommand::resellerId(const QString &name) const
{
    Result<QList<ResellerSummary>> resellers = m_resellers.listResellers(m_session);
    if (!resellers)
        return fail(resellers.error());
    const QString wanted = name.trimmed().toCaseFolded();
    for (const ResellerSummary &r : *resellers) {
        if (r.name.trimmed().toCaseFolded() == wanted)
            return r.id;
    }
    return fail(ErrorCode::NotFound,
        tr("There is no reseller portal named “%1” that you can see. Check the name (as the "
           "Resellers page shows it).")
            .arg(name));
}

int ImportCommand::run(const QStringList &arguments)
{
    Result<Arguments> parsed = parse(arguments);
    if (!parsed) {
        m_err << parsed.error().message() << '\n' << usage() << '\n';
        m_err.flush();
        return ExitUsage;
    }
    return run(*parsed);
}

int ImportCommand::run(const Arguments &arguments)
{
    auto failWith = [this](const QString &message) {
        m_err << message << '\n';
        m_err.flush();
        return ExitUsage;
    };
    Result<qint64> reseller = resellerId(arguments.reseller);
    if (!reseller)
        return failWith(reseller.error().message());
    QFile file(arguments.file);
    if (!file.open(QIODevice::ReadOnly))
        return failWith(
            tr("The file %1 cannot be opened: %2").arg(arguments.file, file.errorString()));
    Result<ImportFile> read = CustomerImportService::readCsv(file);
    if (!read)
        return failWith(tr("%1: %2").arg(arguments.file, read.error().message()));

    ImportOptions options;
    options.resellerId = *reseller;
    options.sendSetupEmails = arguments.sendSetupEmails;
    Result<ImportPreview> preview = m_imports.preview(
        m_session, *read, CustomerImportService::guessMapping(read->header), options);
    if (!preview)
        return failWith(preview.error().message());

    auto printRefused = [this](int line, const QString &reason) {
        m_err << tr("line %1: %2").arg(line).arg(reason) << '\n';
    };
    const int rows = static_cast<int>(preview->rows.size());
    if (arguments.dryRun) {
        for (const ImportRow &row : preview->rows) {
            for (const ImportIssue &issue : row.issues)
                printRefused(row.line, issue.message);
        }
        m_err.flush();
        m_out << tr("Dry run, nothing was written. Rows: %1; would be imported: %2; refused: %3.")
                     .arg(rows)
                     .arg(preview->validCount)
                     .arg(preview->invalidCount)
              << '\n';
        m_out.flush();
        return preview->invalidCount > 0 ? ExitRowsRefused : ExitImported;
    }

    Result<ImportResult> result = m_imports.importRows(m_session, *preview);
    if (!result)
        return failWith(result.error().message());
    for (const ImportRefusal &refusal : result->refused)
        printRefused(refusal.line, refusal.reason);
    m_err.flush();
    m_out << tr("Rows: %1; imported: %2; refused: %3.")
                 .arg(rows)
                 .arg(result->importedLines.size())
                 .arg(result->refused.size())
          << '\n';
    m_out.flush();
    return result->refused.isEmpty() ? ExitImported : ExitRowsRefused;
}

} // namespace rd::app
