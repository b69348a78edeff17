#include "customers/ImportCustomersDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/Permission.h"
#include "services/CustomerService.h"
#include "services/ResellerService.h"
#include "services/Session.h"

namespace rd {

// What the worker thread and the dialog share: the worker writes, the
// dialog reads (atomics while it runs, the result once it has finished).
struct ImportCustomersDialog::Job
{
    std::atomic<bool> cancel {false};
    std::atomic<int> done {0};
    std::atomic<int> total {0};
    std::optional<Result<ImportResult>> result;
};

namespace {

enum PreviewColumn { LineColumn, ResultColumn, CompanyColumn, EmailColumn, ProblemColumn };

constexpr qint64 DirectAccount = 0;

} // namespace

ImportCustomersDialog::ImportCustomersDialog(
    const Session &session, UiServices &services, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("importCustomersDialog"));
    setWindowTitle(tr("Import Customers from CSV"));
    resize(860, 640);

    auto *intro = new QLabel(tr("Adds a customer for each row of a CSV file (UTF-8, with a "
                                "header row), with the same checks as New Customer. Nothing "
                                "changes until you choose Import."),
        this);
    intro->setWordWrap(true);

    m_file = new QLineEdit(this);
    m_file->setObjectName(QStringLiteral("fileEdit"));
    m_file->setAccessibleName(tr("CSV file"));
    m_file->setPlaceholderText(tr("Choose a CSV file…"));
    connect(m_file, &QLineEdit::returnPressed, this, [this] { setFile(m_file->text()); });
    auto *browseButton = new QPushButton(tr("&Browse…"), this);
    browseButton->setObjectName(QStringLiteral("browseButton"));
    connect(browseButton, &QPushButton::clicked, this, &ImportCustomersDialog::browse);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browseButton);

    // Options: where the customers go and what they get.
    m_reseller = new QComboBox(this);
    m_reseller->setObjectName(QStringLiteral("resellerCombo"));
    m_reseller->setAccessibleName(tr("Reseller portal"));
    m_defaultPlan = new QComboBox(this);
    m_defaultPlan->setObjectName(QStringLiteral("defaultPlanCombo"));
    m_defaultPlan->setAccessibleName(tr("Plan for rows without one"));
    m_setupEmails = new QCheckBox(tr("Send each new customer a &setup email"), this);
    m_setupEmails->setObjectName(QStringLiteral("setupEmailCheck"));
    m_setupEmails->setToolTip(tr("Off: the customers get no notification that their account "
                                 "exists. Rows marked “no email” never get one."));
    auto *options = new QGroupBox(tr("Options"), this);
    auto *optionsForm = new QFormLayout(options);
    optionsForm->addRow(tr("&Reseller portal:"), m_reseller);
    optionsForm->addRow(tr("&Plan for rows without one:"), m_defaultPlan);
    optionsForm->addRow(QString(), m_setupEmails);

    // The mapping: one combo per field.
    auto *mapping = new QGroupBox(tr("Columns"), this);
    auto *mappingForm = new QFormLayout(mapping);
    for (int f = 0; f < ImportFieldCount; ++f) {
        const auto field = static_cast<ImportField>(f);
        auto *box = new QComboBox(mapping);
        box->setObjectName(QStringLiteral("mapping_") + CustomerImportService::fieldKey(field));
        box->setAccessibleName(CustomerImportService::fieldLabel(field));
        connect(box, &QComboBox::currentIndexChanged, this, &ImportCustomersDialog::mappingChanged);
        m_mapping.at(static_cast<size_t>(f)) = box;
        mappingForm->addRow(CustomerImportService::fieldLabel(field) + QLatin1Char(':'), box);
    }
    auto *top = new QHBoxLayout;
    top->addWidget(mapping, 1);
    top->addWidget(options, 1);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_onlyProblems = new QCheckBox(tr("Show only rows with &problems"), this);
    m_onlyProblems->setObjectName(QStringLiteral("onlyProblemsCheck"));
    connect(m_onlyProblems, &QCheckBox::toggled, this, &ImportCustomersDialog::showPreview);

    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName(QStringLiteral("previewTable"));
    m_table->setAccessibleName(tr("Rows of the file"));
    m_table->setHorizontalHeaderLabels(
        {tr("Line"), tr("Result"), tr("Company"), tr("Contact email"), tr("Problems")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(true);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_progress->setAccessibleName(tr("Import progress"));
    m_progress->hide();
    m_poll = new QTimer(this);
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, &ImportCustomersDialog::pollProgress);

    auto *buttons = new QDialogButtonBox(this);
    m_saveReport = buttons->addButton(tr("Save &Error Report…"), QDialogButtonBox::ActionRole);
    m_saveReport->setObjectName(QStringLiteral("saveReportButton"));
    connect(m_saveReport, &QPushButton::clicked, this, &ImportCustomersDialog::saveReport);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::ActionRole);
    m_import->setObjectName(QStringLiteral("importButton"));
    connect(m_import, &QPushButton::clicked, this, &ImportCustomersDialog::startImport);
    m_cancel = buttons->addButton(tr("&Stop Import"), QDialogButtonBox::ActionRole);
    m_cancel->setObjectName(QStringLiteral("stopImportButton"));
    m_cancel->setToolTip(tr("Stops after the current row; the rows of the unfinished batch are "
                            "not imported, earlier batches stay."));
    connect(m_cancel, &QPushButton::clicked, this, &ImportCustomersDialog::cancelImport);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setObjectName(QStringLiteral("closeButton"));
    connect(m_close, &QPushButton::clicked, this, &ImportCustomersDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(fileRow);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_onlyProblems);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_progress);
    layout->addWidget(buttons);

    fillResellers();
    fillPlans();
    connect(m_reseller, &QComboBox::currentIndexChanged, this, [this] {
        fillPlans();
        check();
    });
    connect(m_defaultPlan, &QComboBox::currentIndexChanged, this, &ImportCustomersDialog::check);
    connect(m_setupEmails, &QCheckBox::toggled, this, &ImportCustomersDialog::check);
    updateButtons();
}

ImportCustomersDialog::~ImportCustomersDialog()
{
    if (m_thread) {
        // Closing while importing: stop, undo the unfinished batch, wait.
        m_job->cancel = true;
        m_thread->wait();
    }
}

QComboBox *ImportCustomersDialog::mappingBox(ImportField field) const
{
    return m_mapping.at(static_cast<size_t>(field));
}

void ImportCustomersDialog::fillResellers()
{
    m_filling = true;
    m_reseller->clear();
    if (m_session.resellerId() > 0) {
        Result<ResellerSummary> own
            = m_services.resellers.reseller(m_session, m_session.resellerId());
        m_reseller->addItem(own ? own->name : tr("Your reseller portal"), m_session.resellerId());
        m_reseller->setEnabled(false);
    } else {
        if (PermissionMatrix::grant(Capability::ManageCustomers, m_session.role()).extent
            == Extent::All)
            m_reseller->addItem(tr("None — direct accounts"), DirectAccount);
        Result<QList<ResellerSummary>> resellers = m_services.resellers.listResellers(m_session);
        if (resellers) {
            for (const ResellerSummary &r : *resellers) {
                if (r.active)
                    m_reseller->addItem(r.name, r.id);
            }
        }
    }
    m_filling = false;
}

void ImportCustomersDialog::fillPlans()
{
    m_filling = true;
    const qint64 previous = m_defaultPlan->currentData().toLongLong();
    m_defaultPlan->clear();
    m_defaultPlan->addItem(tr("None — every row names its plan"), qint64(0));
    Result<QList<PlanRow>> plans
        = m_services.customers.plansFor(m_session, m_reseller->currentData().toLongLong());
    if (plans) {
        for (const PlanRow &plan : *plans)
            m_defaultPlan->addItem(plan.name, plan.id);
    }
    const int again = m_defaultPlan->findData(previous);
    m_defaultPlan->setCurrentIndex(again < 0 ? 0 : again);
    m_filling = false;
}

void ImportCustomersDialog::browse()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Customers"),
        QFileInfo(m_file->text()).path(), tr("CSV files (*.csv *.txt);;All files (*)"));
    if (!path.isEmpty())
        setFile(path);
}

void ImportCustomersDialog::setFile(const QString &path)
{
    if (isImporting())
        return;
    m_file->setText(path);
    m_fileData.reset();
    m_preview.reset();
    m_result.reset();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showProblem(tr("The file %1 cannot be opened: %2").arg(path, file.errorString()));
        return;
    }
    Result<ImportFile> read = CustomerImportService::readCsv(file);
    if (!read) {
        showProblem(read.error().message());
        return;
    }
    m_fileData = std::move(*read);
    // The columns of this file, and the mapping guessed from its header.
    const ImportMapping guessed = CustomerImportService::guessMapping(m_fileData->header);
    m_filling = true;
    for (int f = 0; f < ImportFieldCount; ++f) {
        QComboBox *box = m_mapping.at(static_cast<size_t>(f));
        box->clear();
        box->addItem(tr("(not in the file)"), -1);
        for (int c = 0; c < m_fileData->header.size(); ++c) {
            const QString name = m_fileData->header.at(c).trimmed();
            box->addItem(name.isEmpty() ? tr("Column %1").arg(c + 1) : name.left(60), c);
        }
        box->setCurrentIndex(box->findData(guessed.columns.at(static_cast<size_t>(f))));
    }
    m_filling = false;
    check();
}

void ImportCustomersDialog::mappingChanged()
{
    if (!m_filling)
        check();
}

ImportOptions ImportCustomersDialog::options() const
{
    ImportOptions o;
    o.resellerId = m_reseller->currentData().toLongLong();
    o.defaultPlanId = m_defaultPlan->currentData().toLongLong();
    o.sendSetupEmails = m_setupEmails->isChecked();
    return o;
}

void ImportCustomersDialog::check()
{
    if (m_filling || !m_fileData || isImporting())
        return;
    m_result.reset();
    ImportMapping mapping;
    for (int f = 0; f < ImportFieldCount; ++f)
        mapping.columns.at(static_cast<size_t>(f))
            = m_mapping.at(static_cast<size_t>(f))->currentData().toInt();
    Result<ImportPreview> preview
        = m_services.customerImport.preview(m_session, *m_fileData, mapping, options());
    if (!preview) {
        m_preview.reset();
        showProblem(preview.error().message());
        return;
    }
    m_preview = std::move(*preview);
    showPreview();
}

void ImportCustomersDialog::showProblem(const QString &message)
{
    m_summary->setText(message);
    m_table->setRowCount(0);
    updateButtons();
}

void ImportCustomersDialog::showPreview()
{
    if (!m_preview)
        return;
    const QLocale locale;
    const int rows = static_cast<int>(m_preview->rows.size());
    QString summary = tr("%n row(s) in the file: ", nullptr, rows)
        + tr("%1 can be imported, %2 have problems.")
              .arg(
                  locale.toString(m_preview->validCount), locale.toString(m_preview->invalidCount));
    if (m_result) {
        const int added = static_cast<int>(m_result->importedLines.size());
        summary = m_result->cancelled
            ? tr("Import stopped: %n customer(s) imported (lines %1–%2); the unfinished batch "
                 "was undone and %3 valid rows were not imported.",
                nullptr, added)
                  .arg(m_result->importedLines.isEmpty() ? 0 : m_result->importedLines.first())
                  .arg(m_result->importedLines.isEmpty() ? 0 : m_result->importedLines.last())
                  .arg(locale.toString(m_result->notImportedLines.size()))
            : tr("%n customer(s) imported.", nullptr, added);
        if (!m_result->refused.isEmpty())
            summary += QLatin1Char(' ')
                + tr("%n row(s) refused; save the error report to correct and import them.",
                    nullptr, static_cast<int>(m_result->refused.size()));
    }
    m_summary->setText(summary);

    m_table->setRowCount(0);
    const bool onlyProblems = m_onlyProblems->isChecked();
    QHash<int, QString> refusedNow; // refused while importing
    QSet<int> importedNow;
    if (m_result) {
        for (const ImportRefusal &r : m_result->refused)
            refusedNow.insert(r.line, r.reason);
        for (const int line : m_result->importedLines)
            importedNow.insert(line);
    }
    const int companyColumn = m_preview->mapping.column(ImportField::Company);
    const int emailColumn = m_preview->mapping.column(ImportField::ContactEmail);
    int shown = 0;
    for (const ImportRow &row : std::as_const(m_preview->rows)) {
        if (shown == PreviewRows)
            break;
        QStringList problems;
        for (const ImportIssue &issue : row.issues)
            problems.append(issue.message);
        const bool refusedLater = row.valid() && refusedNow.contains(row.line);
        if (refusedLater)
            problems.append(refusedNow.value(row.line));
        if (onlyProblems && problems.isEmpty())
            continue;
        QString state;
        if (!problems.isEmpty())
            state = tr("Refused");
        else if (!m_result)
            state = tr("OK");
        else
            state = importedNow.contains(row.line) ? tr("Imported") : tr("Not imported");
        auto text = [&row](int column) {
            return column >= 0 && column < row.fields.size() ? row.fields.at(column).left(200)
                                                             : QString();
        };
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        auto *line = new QTableWidgetItem;
        line->setData(Qt::DisplayRole, row.line);
        m_table->setItem(r, LineColumn, line);
        m_table->setItem(r, ResultColumn, new QTableWidgetItem(state));
        m_table->setItem(r, CompanyColumn, new QTableWidgetItem(text(companyColumn)));
        m_table->setItem(r, EmailColumn, new QTableWidgetItem(text(emailColumn)));
        m_table->setItem(r, ProblemColumn, new QTableWidgetItem(problems.join(QLatin1Char('\n'))));
        ++shown;
    }
    m_table->resizeRowsToContents();
    updateButtons();
}

void ImportCustomersDialog::updateButtons()
{
    const bool running = isImporting();
    const bool canImport = m_preview && m_preview->validCount > 0 && !m_result && !running;
    m_import->setEnabled(canImport);
    m_import->setText(m_preview && m_preview->validCount > 0
            ? tr("&Import %n Customer(s)", nullptr, m_preview->validCount)
            : tr("&Import"));
    m_cancel->setVisible(running);
    m_close->setEnabled(!running);
    const bool anyRefused
        = m_result ? !m_result->refused.isEmpty() : (m_preview && m_preview->invalidCount > 0);
    m_saveReport->setEnabled(anyRefused && !running);
    m_file->setEnabled(!running);
    m_reseller->setEnabled(!running && m_session.resellerId() == 0);
    m_defaultPlan->setEnabled(!running);
    m_setupEmails->setEnabled(!running);
    for (QComboBox *box : m_mapping)
        box->setEnabled(!running && m_fileData.has_value());
}

void ImportCustomersDialog::startImport()
{
    if (!m_preview || m_preview->validCount == 0 || m_result || isImporting())
        return;
    m_job = std::make_shared<Job>();
    m_job->total = m_preview->validCount;
    // The worker gets copies of the session and the preview, and opens its
    // own connection (one connection per thread).
    std::shared_ptr<Job> job = m_job;
    const CustomerImportService::ImportJob work
        = m_services.customerImport.importJob(m_session, *m_preview);
    m_thread.reset(QThread::create([job, work] {
        job->result = work(
            [&job](int done, int total) {
                job->done = done;
                job->total = total;
            },
            &job->cancel);
    }));
    m_thread->setObjectName(QStringLiteral("customerImport"));
    connect(m_thread.get(), &QThread::finished, this, &ImportCustomersDialog::importFinished);
    m_progress->setRange(0, m_preview->validCount);
    m_progress->setValue(0);
    m_progress->show();
    m_summary->setText(tr("Importing…"));
    m_thread->start();
    m_poll->start();
    updateButtons();
}

void ImportCustomersDialog::pollProgress()
{
    if (!m_job)
        return;
    m_progress->setMaximum(std::max(1, m_job->total.load()));
    m_progress->setValue(m_job->done.load());
}

void ImportCustomersDialog::cancelImport()
{
    if (m_job)
        m_job->cancel = true;
}

void ImportCustomersDialog::importFinished()
{
    m_poll->stop();
    pollProgress();
    m_thread->wait();
    m_thread.reset();
    std::shared_ptr<Job> job = std::exchange(m_job, nullptr);
    m_progress->hide();
    if (!job->result || !job->result->has_value()) {
        updateButtons();
        const Error error = job->result
            ? job->result->error()
            : Error(ErrorCode::DatabaseError, tr("The import stopped unexpectedly."));
        m_summary->setText(error.message());
        showError(this, tr("Import Customers"), error);
        return;
    }
    m_result = std::move(**job->result);
    showPreview();
    Q_EMIT imported(static_cast<int>(m_result->importedLines.size()));
}

bool ImportCustomersDialog::saveErrorReport(const QString &path)
{
    if (!m_preview)
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(CustomerImportService::errorReport(*m_preview, m_result ? &*m_result : nullptr));
    return file.commit();
}

void ImportCustomersDialog::saveReport()
{
    const QString suggested = QFileInfo(m_file->text()).completeBaseName()
        + tr("-refused", "file name suffix of the error report") + QStringLiteral(".csv");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Error Report"),
        QFileInfo(m_file->text()).dir().filePath(suggested), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (!saveErrorReport(path))
        showError(this, tr("Save Error Report"),
            Error(ErrorCode::Unavailable,
                tr("The report cannot be written to %1. Choose another folder.").arg(path)));
}

void ImportCustomersDialog::reject()
{
    if (isImporting())
        return; // Stop Import first; the window stays until the batch is undone
    QDialog::reject();
}

} // namespace rd
