#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <optional>

#include <QDialog>

#include "services/CustomerImportService.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QThread;
class QTimer;

namespace rd {

class Session;
struct UiServices;

// Customers → Import from CSV…: choose a file, check the column mapping
// (guessed from the header, a combo per field), the reseller portal and
// whether setup emails go out, and see every row validated (the table
// shows the first rows; the counts cover all). Import runs off the GUI
// thread on a connection of its own, in batches, with a progress bar and a
// Cancel that undoes the unfinished batch; the summary says which lines
// were imported, and the refused rows can be saved as a CSV report.
class ImportCustomersDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportCustomersDialog)

public:
    // How many rows of the file the preview table shows.
    static constexpr int PreviewRows = 500;

    ImportCustomersDialog(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~ImportCustomersDialog() override;

    // Reads and checks this file as if it had been chosen with Browse.
    void setFile(const QString &path);
    QComboBox *mappingBox(ImportField field) const;

    const std::optional<ImportPreview> &preview() const noexcept { return m_preview; }
    const std::optional<ImportResult> &result() const noexcept { return m_result; }
    bool isImporting() const noexcept { return m_thread != nullptr; }

    // The Import button: starts the import of the valid rows.
    void startImport();
    // While importing: stops after the current row; the unfinished batch
    // is undone.
    void cancelImport();
    // The refused rows (of the import, or else of the preview) as CSV.
    bool saveErrorReport(const QString &path);

    void reject() override;

Q_SIGNALS:
    // An import ended with this many customers added (also when cancelled).
    void imported(int customers);

private:
    void browse();
    void fillResellers();
    void fillPlans();
    void mappingChanged();
    void check();
    void showPreview();
    void showProblem(const QString &message);
    void pollProgress();
    void importFinished();
    void saveReport();
    void updateButtons();
    ImportOptions options() const;

    struct Job; // shared with the worker thread

    const Session &m_session;
    UiServices &m_services;
    QLineEdit *m_file = nullptr;
    QComboBox *m_reseller = nullptr;
    QComboBox *m_defaultPlan = nullptr;
    QCheckBox *m_setupEmails = nullptr;
    std::array<QComboBox *, ImportFieldCount> m_mapping {};
    QLabel *m_summary = nullptr;
    QCheckBox *m_onlyProblems = nullptr;
    QTableWidget *m_table = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_import = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_saveReport = nullptr;
    QPushButton *m_close = nullptr;
    QTimer *m_poll = nullptr;

    std::optional<ImportFile> m_fileData;
    std::optional<ImportPreview> m_preview;
    std::optional<ImportResult> m_result;
    bool m_filling = false;
    std::unique_ptr<QThread> m_thread; // the running import
    std::shared_ptr<Job> m_job;
};

} // namespace rd
