// Customers → Export…: the save dialog, the worker thread and the status
// bar message, driven through the real page and file dialog.
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "customers/CustomerTableModel.h"
#include "customers/CustomersPage.h"
#include "customers/ExportCustomersTask.h"
#include "domain/Csv.h"
#include "services/CustomerExportService.h"

using namespace rd;
using namespace rd::test;

namespace {

QAction *exportAction(const CustomersPage &page)
{
    return page.findChild<QAction *>(QStringLiteral("exportCustomersAction"));
}

// Answers the save dialog, once it is shown, with this file and filter.
void answerSaveDialog(const QString &path, const QString &filterStart, bool *seen)
{
    auto *poll = new QTimer(qApp);
    poll->setInterval(10);
    QObject::connect(poll, &QTimer::timeout, poll, [=] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!dialog || dialog->objectName() != QLatin1String("exportCustomersDialog"))
            return;
        poll->stop();
        poll->deleteLater();
        *seen = true;
        for (const QString &filter : dialog->nameFilters()) {
            if (filter.startsWith(filterStart))
                dialog->selectNameFilter(filter);
        }
        // The folder first, then the bare name: a whole path makes the dialog
        // change folder while it reads it, and an accept() meanwhile could
        // take the name in the folder it was showing.
        dialog->setDirectory(QFileInfo(path).absolutePath());
        dialog->selectFile(QFileInfo(path).fileName());
        static_cast<QDialog *>(dialog)->accept(); // virtual: the file dialog's own
    });
    poll->start();
}

class ExportCustomersTest : public GuiFixture
{
protected:
    void SetUp() override
    {
        GuiFixture::SetUp();
        ASSERT_TRUE(m_dir.isValid());
    }

    // The view's rows as the customer service pages them.
    QList<CustomerListRow> viewRows(const Session &session, const CustomerQuery &query)
    {
        QList<CustomerListRow> rows;
        std::optional<CustomerKey> after;
        for (;;) {
            Result<QList<CustomerListRow>> page = m_customers->customersAfter(
                session, query, after, CustomerService::MaxKeysetRows);
            EXPECT_TRUE(page.has_value());
            if (!page)
                return rows;
            rows += *page;
            if (page->size() < CustomerService::MaxKeysetRows)
                return rows;
            after = CustomerKey::of(page->constLast());
        }
    }

    QTemporaryDir m_dir;
};

TEST_F(ExportCustomersTest, TheFilteredSortedViewGoesToTheChosenCsvFile)
{
    const Session session = resellerAdmin();
    CustomersPage page(session, services());
    page.resize(1000, 600);
    page.show();
    page.refresh();
    // Newest first, and only what the search finds.
    page.view()->horizontalHeader()->setSortIndicator(
        CustomerTableModel::Created, Qt::DescendingOrder);
    type(page, "customerSearch", QStringLiteral("a"));
    page.refresh();
    const qint64 total = page.model()->total();
    ASSERT_GT(total, 1);

    QAction *action = exportAction(page);
    ASSERT_NE(action, nullptr);
    EXPECT_TRUE(action->isEnabled());
    EXPECT_TRUE(page.pageActions().contains(action)) << "in the Customer menu";
    EXPECT_EQ(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    EXPECT_TRUE(action->text().contains(QLatin1Char('&'))) << "a mnemonic in the menu";

    const QString path = m_dir.filePath(QStringLiteral("view.csv"));
    QSignalSpy status(&page, &CustomersPage::statusMessage);
    bool dialogSeen = false;
    answerSaveDialog(path, QStringLiteral("CSV"), &dialogSeen);
    action->trigger();
    EXPECT_TRUE(dialogSeen);
    ASSERT_TRUE(status.wait(20'000));
    EXPECT_EQ(status.constFirst().constFirst().toString(),
        QStringLiteral("Exported %1 customers to %2.").arg(QLocale().toString(total), path));

    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    QByteArray expected
        = Csv::byteOrderMark() + Csv::lineUtf8(CustomerExportService::columnNames());
    const QList<CustomerListRow> rows = viewRows(session, page.model()->query());
    ASSERT_EQ(rows.size(), total);
    for (const CustomerListRow &row : rows)
        expected += Csv::lineUtf8(CustomerExportService::rowText(row, m_clock.now()));
    EXPECT_EQ(file.readAll(), expected);
    EXPECT_EQ(page.model()->query().sort, CustomerSort::Created);
    EXPECT_FALSE(page.model()->query().ascending);
}

TEST_F(ExportCustomersTest, TheExcelFilterWritesAWorkbook)
{
    CustomersPage page(admin(), services());
    page.show();
    page.refresh();
    const QString path = m_dir.filePath(QStringLiteral("workbook"));
    QSignalSpy status(&page, &CustomersPage::statusMessage);
    bool dialogSeen = false;
    answerSaveDialog(path, QStringLiteral("Excel"), &dialogSeen);
    exportAction(page)->trigger();
    EXPECT_TRUE(dialogSeen);
    ASSERT_TRUE(status.wait(20'000));
    const QString written = path + QStringLiteral(".xlsx");
    EXPECT_TRUE(status.constFirst().constFirst().toString().endsWith(written + QLatin1Char('.')))
        << status.constFirst().constFirst().toString().toStdString();
    QFile file(written);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    EXPECT_TRUE(file.read(4) == QByteArray("PK\x03\x04")) << "a zip archive";
}

TEST_F(ExportCustomersTest, CancellingTheSaveDialogExportsNothing)
{
    CustomersPage page(admin(), services());
    page.show();
    page.refresh();
    QSignalSpy status(&page, &CustomersPage::statusMessage);
    auto *poll = new QTimer(qApp);
    poll->setInterval(10);
    QObject::connect(poll, &QTimer::timeout, poll, [poll] {
        if (auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget())) {
            poll->stop();
            poll->deleteLater();
            static_cast<QDialog *>(dialog)->reject();
        }
    });
    poll->start();
    exportAction(page)->trigger();
    QApplication::processEvents();
    EXPECT_TRUE(status.isEmpty());
    EXPECT_TRUE(QDir(m_dir.path()).isEmpty());
}

TEST(ExportCustomersTaskFormat, TheExtensionWinsOverTheFilter)
{
    EXPECT_EQ(
        ExportCustomersTask::formatFor(QStringLiteral("/x/a.xlsx"), false), ExportFormat::Xlsx);
    EXPECT_EQ(ExportCustomersTask::formatFor(QStringLiteral("/x/a.CSV"), true), ExportFormat::Csv);
    EXPECT_EQ(ExportCustomersTask::formatFor(QStringLiteral("/x/a"), true), ExportFormat::Xlsx);
    EXPECT_EQ(ExportCustomersTask::formatFor(QStringLiteral("/x/a"), false), ExportFormat::Csv);
}

} // namespace
