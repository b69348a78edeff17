#include "customers/ExportCustomersTask.h"

#include <climits>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QThread>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "services/Clock.h"

namespace rd {

ExportCustomersTask::ExportCustomersTask(
    const Session &session, UiServices &services, QWidget *parent)
    : QObject(parent)
    , m_session(session)
    , m_services(services)
    , m_window(parent)
{ }

ExportCustomersTask::~ExportCustomersTask()
{
    if (m_thread) {
        m_cancel = true;
        m_thread->wait();
    }
}

ExportFormat ExportCustomersTask::formatFor(const QString &path, bool excelFilter)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("xlsx"))
        return ExportFormat::Xlsx;
    if (suffix == QLatin1String("csv"))
        return ExportFormat::Csv;
    return excelFilter ? ExportFormat::Xlsx : ExportFormat::Csv;
}

void ExportCustomersTask::chooseFileAndStart(const CustomerQuery &query)
{
    if (isRunning())
        return;
    const QString csvFilter = tr("CSV files (*.csv)");
    const QString excelFilter = tr("Excel workbook (*.xlsx)");
    // No extension: the chosen file type adds its own.
    const QString suggested = QDir::home().filePath(
        QStringLiteral("customers-%1")
            .arg(m_services.clock.now().toLocalTime().toString(QStringLiteral("yyyy-MM-dd"))));
    QFileDialog dialog(m_window, tr("Export Customers"), suggested);
    dialog.setObjectName(QStringLiteral("exportCustomersDialog"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setNameFilters({csvFilter, excelFilter});
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    // A name without .csv or .xlsx gets the chosen type's extension; the
    // dialog only asked about replacing the name as typed.
    QString path = dialog.selectedFiles().constFirst();
    const bool excel = dialog.selectedNameFilter() == excelFilter;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("csv") && suffix != QLatin1String("xlsx")) {
        path += excel ? QStringLiteral(".xlsx") : QStringLiteral(".csv");
        if (QFileInfo::exists(path)
            && QMessageBox::question(m_window, tr("Export Customers"),
                   tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(path)))
                != QMessageBox::Yes)
            return;
    }
    start(query, path, formatFor(path, excel));
}

bool ExportCustomersTask::start(
    const CustomerQuery &query, const QString &path, ExportFormat format)
{
    if (isRunning())
        return false;
    m_cancel = false;
    m_result.reset();
    m_path = path;

    m_progress
        = new QProgressDialog(tr("Exporting customers to %1…").arg(QDir::toNativeSeparators(path)),
            tr("Cancel"), 0, 0, m_window);
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setWindowTitle(tr("Export Customers"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setMinimumDuration(300);
    connect(m_progress, &QProgressDialog::canceled, this, [this] {
        m_cancel = true;
        if (m_progress)
            m_progress->setLabelText(tr("Cancelling…"));
    });

    const CustomerExportService::ExportJob work = CustomerExportService::exportJob(
        m_services.database, m_services.clock, m_session, query, format, path);
    m_thread = QThread::create([this, work] {
        m_result = work(
            [this](qint64 rows, qint64 total) {
                QMetaObject::invokeMethod(
                    this, [this, rows, total] { progressed(rows, total); }, Qt::QueuedConnection);
            },
            &m_cancel);
    });
    m_thread->setObjectName(QStringLiteral("customerExport"));
    connect(m_thread, &QThread::finished, this, &ExportCustomersTask::done);
    m_thread->start();
    return true;
}

void ExportCustomersTask::progressed(qint64 done, qint64 total)
{
    if (!m_progress || m_cancel)
        return;
    m_progress->setMaximum(static_cast<int>(qMin<qint64>(total, INT_MAX)));
    m_progress->setValue(static_cast<int>(qMin<qint64>(done, INT_MAX)));
}

void ExportCustomersTask::done()
{
    m_thread->wait();
    m_thread->deleteLater();
    m_thread = nullptr;
    if (m_progress) {
        m_progress->hide();
        m_progress->deleteLater();
        m_progress = nullptr;
    }
    const QString file = QDir::toNativeSeparators(m_path);
    if (!m_result || !*m_result) {
        const Error error = m_result ? m_result->error()
                                     : Error(ErrorCode::Unavailable, tr("The export stopped."));
        showError(m_window, tr("Export Customers"), error);
        Q_EMIT finished(tr("The customers were not exported: %1").arg(error.message()), false);
        return;
    }
    const CustomerExportSummary summary = **m_result;
    if (summary.cancelled) {
        Q_EMIT finished(tr("Export cancelled: %1 was not written.").arg(file), true);
        return;
    }
    Q_EMIT finished(summary.rows == 1
            ? tr("Exported 1 customer to %1.").arg(file)
            : tr("Exported %1 customers to %2.").arg(QLocale().toString(summary.rows), file),
        true);
}

} // namespace rd
