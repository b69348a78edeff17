#pragma once

#include <optional>

#include <QDialog>

#include "services/ClientAccountService.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace rd {

class Session;
struct UiServices;

// File → Import Usage… (administrators): the metering system's monthly CSV.
// Choosing a file runs a dry run at once; the dialog shows what would be
// imported and every refused row with its line number, and Import applies
// the valid rows (one transaction, audited) — or Cancel leaves everything
// as it was.
class UsageImportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsageImportDialog)

public:
    UsageImportDialog(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~UsageImportDialog() override;

    // Checks this file (a dry run) as if it had been chosen; for the
    // Browse button and for tests.
    void setFile(const QString &path);

    // The last report: the dry run's, or the import's once Import succeeded.
    const std::optional<UsageImportReport> &report() const noexcept { return m_report; }

    void accept() override;

private:
    void browse();
    void check();
    void showReport(const UsageImportReport &report);
    void showProblem(const QString &message);
    // The file's bytes, or the reason it cannot be read.
    Result<QByteArray> readFile() const;

    const Session &m_session;
    UiServices &m_services;
    QLineEdit *m_file = nullptr;
    QLabel *m_summary = nullptr;
    QTableWidget *m_refused = nullptr;
    QPushButton *m_import = nullptr;
    std::optional<UsageImportReport> m_report;
};

} // namespace rd
