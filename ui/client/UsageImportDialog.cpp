#include "client/UsageImportDialog.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "services/Session.h"

namespace rd {

namespace {

// A usage export is small (one row per customer and month); anything much
// larger is not one.
constexpr qint64 MaxFileBytes = 64LL * 1024 * 1024;

} // namespace

UsageImportDialog::UsageImportDialog(const Session &session, UiServices &services, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("usageImportDialog"));
    setWindowTitle(tr("Import Usage"));
    resize(680, 480);

    auto *intro = new QLabel(
        tr("Imports the metering system's monthly export: a CSV file with a header row naming "
           "the columns customer_id (or domain), month (YYYY-MM) and used. The file is checked "
           "first; nothing changes until you choose Import."),
        this);
    intro->setWordWrap(true);

    m_file = new QLineEdit(this);
    m_file->setObjectName(QStringLiteral("fileEdit"));
    m_file->setAccessibleName(tr("Usage file"));
    m_file->setPlaceholderText(tr("Choose a CSV file…"));
    connect(m_file, &QLineEdit::returnPressed, this, &UsageImportDialog::check);
    auto *browse = new QPushButton(tr("&Browse…"), this);
    browse->setObjectName(QStringLiteral("browseButton"));
    connect(browse, &QPushButton::clicked, this, &UsageImportDialog::browse);
    auto *checkButton = new QPushButton(tr("&Check File"), this);
    checkButton->setObjectName(QStringLiteral("checkButton"));
    connect(checkButton, &QPushButton::clicked, this, &UsageImportDialog::check);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    fileRow->addWidget(checkButton);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("reportSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_refused = new QTableWidget(0, 2, this);
    m_refused->setObjectName(QStringLiteral("refusedTable"));
    m_refused->setAccessibleName(tr("Refused rows"));
    m_refused->setHorizontalHeaderLabels({tr("Line"), tr("Problem")});
    m_refused->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_refused->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_refused->verticalHeader()->setVisible(false);
    m_refused->horizontalHeader()->setStretchLastSection(true);
    m_refused->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("importButton"));
    m_import->setEnabled(false);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &UsageImportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(fileRow);
    layout->addWidget(m_summary);
    layout->addWidget(m_refused, 1);
    layout->addStretch(0);
    layout->addWidget(buttons);
}

UsageImportDialog::~UsageImportDialog() = default;

void UsageImportDialog::browse()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Usage"), m_file->text(), tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        setFile(path);
}

void UsageImportDialog::setFile(const QString &path)
{
    m_file->setText(path);
    check();
}

Result<QByteArray> UsageImportDialog::readFile() const
{
    const QString path = m_file->text().trimmed();
    if (path.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Choose the file to import."));
    QFile file(path);
    if (QFileInfo(file).size() > MaxFileBytes)
        return fail(ErrorCode::InvalidInput,
            tr("%1 is too large for a usage export.").arg(QFileInfo(path).fileName()));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::InvalidInput,
            tr("%1 cannot be read: %2").arg(QFileInfo(path).fileName(), file.errorString()));
    return file.readAll();
}

void UsageImportDialog::check()
{
    m_report.reset();
    m_import->setEnabled(false);
    Result<QByteArray> bytes = readFile();
    if (!bytes) {
        showProblem(bytes.error().message());
        return;
    }
    Result<UsageImportReport> report
        = m_services.clientAccount.importUsageCsv(m_session, *bytes, true);
    if (!report) {
        showProblem(report.error().message());
        return;
    }
    m_report = *report;
    showReport(*report);
    m_import->setEnabled(report->imported > 0);
}

void UsageImportDialog::showProblem(const QString &message)
{
    m_summary->setText(message);
    m_refused->setRowCount(0);
    m_refused->hide();
}

void UsageImportDialog::showReport(const UsageImportReport &report)
{
    const QLocale locale;
    const QString read = locale.toString(report.rowsRead);
    const QString good = locale.toString(report.imported);
    const QString bad = locale.toString(report.refused.size());
    if (report.dryRun) {
        m_summary->setText(report.imported > 0
                ? tr("Rows read: %1. Ready to import: %2. Refused: %3 (listed below; they will "
                     "be skipped).")
                      .arg(read, good, bad)
                : tr("Rows read: %1. Nothing can be imported. Refused: %2.").arg(read, bad));
    } else {
        m_summary->setText(tr("Rows read: %1. Imported: %2. Refused: %3.").arg(read, good, bad));
    }
    m_refused->setRowCount(static_cast<int>(report.refused.size()));
    for (int row = 0; row < report.refused.size(); ++row) {
        const UsageImportRefusal &r = report.refused.at(row);
        auto *line = new QTableWidgetItem(locale.toString(r.line));
        line->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_refused->setItem(row, 0, line);
        m_refused->setItem(row, 1, new QTableWidgetItem(r.message));
    }
    m_refused->resizeColumnToContents(0);
    m_refused->setVisible(!report.refused.isEmpty());
}

void UsageImportDialog::accept()
{
    if (!m_report || m_report->imported == 0)
        return;
    Result<QByteArray> bytes = readFile();
    if (!bytes) {
        showProblem(bytes.error().message());
        m_import->setEnabled(false);
        return;
    }
    Result<UsageImportReport> report
        = m_services.clientAccount.importUsageCsv(m_session, *bytes, false);
    if (!report) {
        showError(this, tr("Import Usage"), report.error());
        return;
    }
    m_report = *report;
    showReport(*report);
    QDialog::accept();
}

} // namespace rd
