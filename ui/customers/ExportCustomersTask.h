#pragma once

#include <atomic>
#include <optional>

#include <QObject>
#include <QString>

#include "services/CustomerExportService.h"
#include "services/Session.h"

class QProgressDialog;
class QThread;
class QWidget;

namespace rd {

struct UiServices;

// Customers → Export…: asks where to save (CSV or Excel), then writes the
// customers of the current view (its search, filters and sort) on a worker
// thread with a database connection of its own
// (CustomerExportService::exportJob), while a progress dialog
// shows how far it is and can cancel it. Cancelled or failed, no file is
// written; done, finished() carries the status-bar message. One export at a
// time; destroying the task cancels a running export and waits for it.
class ExportCustomersTask final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportCustomersTask)

public:
    // `parent` is the window the dialogs belong to.
    ExportCustomersTask(const Session &session, UiServices &services, QWidget *parent);
    ~ExportCustomersTask() override;

    // Asks for the file (a save dialog with CSV and Excel filters), then
    // starts. Nothing happens when the dialog is cancelled.
    void chooseFileAndStart(const CustomerQuery &query);
    // Starts writing the query's customers to path; false when an export
    // is already running.
    bool start(const CustomerQuery &query, const QString &path, ExportFormat format);

    bool isRunning() const noexcept { return m_thread != nullptr; }
    QProgressDialog *progressDialog() const noexcept { return m_progress; }

    // The format a chosen file name asks for: its extension, else the
    // selected filter (true: Excel).
    static ExportFormat formatFor(const QString &path, bool excelFilter);

Q_SIGNALS:
    // The export ended: a message for the status bar ("Exported 12
    // customers to …", "Export cancelled …"); `ok` is false after an error
    // (already shown in a message box).
    void finished(const QString &message, bool ok);

private:
    void progressed(qint64 done, qint64 total);
    void done();

    Session m_session;
    UiServices &m_services;
    QWidget *m_window = nullptr;
    QThread *m_thread = nullptr;
    QProgressDialog *m_progress = nullptr;
    std::atomic_bool m_cancel {false};
    QString m_path;
    // Written by the worker before it ends, read after.
    std::optional<Result<CustomerExportSummary>> m_result;
};

} // namespace rd
