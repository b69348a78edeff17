#include "ImportCommand.h"

#include <QFile>
#include <QTextStream>

#include "services/CustomerImportService.h"
#include "services/ResellerService.h"
#include "services/Session.h"
#include "storage/CatalogueRepository.h"

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
    return tr("Usage: resellerdesk import FILE [--reseller NAME | --direct] [--plan NAME] "
              "[--paid] [--dry-run] [--send-setup-emails]");
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
        } else if (a == QStringLiteral("--direct")) {
            parsed.direct = true;
        } else if (a == QStringLiteral("--paid")) {
            parsed.paid = true;
        } else if (a == QStringLiteral("--plan")) {
            if (i + 1 >= arguments.size())
                return fail(ErrorCode::InvalidInput, tr("--plan needs the name of a plan."));
            parsed.plan = arguments.at(++i);
        } else if (a.startsWith(QStringLiteral("--plan="))) {
            parsed.plan = a.mid(7);
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
    if (parsed.direct && !parsed.reseller.trimmed().isEmpty())
        return fail(ErrorCode::InvalidInput,
            tr("Give either --reseller NAME or --direct: customers join one reseller portal, or "
               "none."));
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

Result<qint64> ImportCommand::portalOf(const Arguments &arguments) const
{
    if (!arguments.reseller.trimmed().isEmpty())
        return resellerId(arguments.reseller);
    if (m_session.resellerId() > 0 || arguments.direct)
        return 0; // the session's own portal, or direct accounts
    return fail(ErrorCode::InvalidInput,
        tr("Name the reseller portal the customers join with --reseller NAME, or give --direct "
           "to make them direct accounts of the vendor."));
}

Result<qint64> ImportCommand::planId(const QString &name, qint64 portal) const
{
    Result<QList<PlanRow>> plans = m_imports.plansFor(m_session, portal);
    if (!plans)
        return fail(plans.error());
    const QString wanted = name.trimmed().toCaseFolded();
    QStringList offered;
    for (const PlanRow &plan : *plans) {
        if (plan.name.trimmed().toCaseFolded() == wanted || plan.code.toCaseFolded() == wanted)
            return plan.id;
        offered.append(plan.name);
    }
    return fail(ErrorCode::NotFound,
        tr("There is no plan named “%1” for these customers. Plans offered: %2.")
            .arg(name, offered.join(QStringLiteral(", "))));
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
    Result<qint64> reseller = portalOf(arguments);
    if (!reseller)
        return failWith(reseller.error().message());
    qint64 defaultPlan = 0;
    if (!arguments.plan.trimmed().isEmpty()) {
        const qint64 portal = *reseller != 0 ? *reseller : m_session.resellerId();
        Result<qint64> plan = planId(arguments.plan, portal);
        if (!plan)
            return failWith(plan.error().message());
        defaultPlan = *plan;
    }
    QFile file(arguments.file);
    if (!file.open(QIODevice::ReadOnly))
        return failWith(
            tr("The file %1 cannot be opened: %2").arg(arguments.file, file.errorString()));
    Result<ImportFile> read = CustomerImportService::readCsv(file);
    if (!read)
        return failWith(tr("%1: %2").arg(arguments.file, read.error().message()));

    ImportOptions options;
    options.resellerId = *reseller;
    options.defaultPlanId = defaultPlan;
    options.defaultTrial = !arguments.paid;
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
