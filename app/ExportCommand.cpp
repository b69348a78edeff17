#include "ExportCommand.h"

#include <cstdio>

#include <QDir>
#include <QFileInfo>

#include "HeadlessSignIn.h"
#include "storage/Database.h"

namespace rd::app {

ExportCommand::ExportCommand(CommandLineOptions options, CredentialStore &keychain)
    : m_options(std::move(options))
    , m_keychain(keychain)
{ }

ExportFormat ExportCommand::formatOf(const CommandLineOptions &options)
{
    if (std::optional<ExportFormat> named
        = CustomerExportService::formatFromName(options.exportFormat))
        return *named;
    return options.output.endsWith(QLatin1String(".xlsx"), Qt::CaseInsensitive) ? ExportFormat::Xlsx
                                                                                : ExportFormat::Csv;
}

QString ExportCommand::outputOf(const CommandLineOptions &options, ExportFormat format, QDate today)
{
    if (!options.output.isEmpty())
        return options.output;
    return QDir::current().filePath(
        QStringLiteral("customers-%1.%2")
            .arg(today.toString(Qt::ISODate), CustomerExportService::formatName(format)));
}

CustomerQuery ExportCommand::queryOf(const CommandLineOptions &options)
{
    CustomerQuery query;
    query.search = options.search;
    query.sort = CustomerExportService::sortFromName(options.sort).value_or(CustomerSort::Company);
    query.ascending = !options.descending;
    return query;
}

int ExportCommand::run()
{
    int status = 1;
    std::unique_ptr<HeadlessConnection> connection
        = connectHeadless(m_options, m_keychain, &status);
    if (!connection)
        return status;

    const ExportFormat format = formatOf(m_options);
    const QString output
        = outputOf(m_options, format, connection->clock.now().toLocalTime().date());
    const CustomerExportService exporter(*connection->db, connection->clock, *connection->access);
    Result<CustomerExportSummary> exported
        = exporter.exportCustomers(*connection->session, queryOf(m_options), format, output);
    if (!exported) {
        printHeadlessError(exported.error().message());
        return 1;
    }
    const QString path = QDir::toNativeSeparators(QFileInfo(output).absoluteFilePath());
    std::fprintf(stdout, "%s\n",
        qPrintable(exported->rows == 1
                ? tr("Exported 1 customer to %1.").arg(path)
                : tr("Exported %1 customers to %2.").arg(exported->rows).arg(path)));
    std::fflush(stdout);
    return 0;
}

} // namespace rd::app
