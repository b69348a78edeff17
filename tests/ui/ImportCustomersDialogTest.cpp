#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "customers/CustomersPage.h"
#include "customers/ImportCustomersDialog.h"

using namespace rd;
using namespace rd::test;

namespace {

class ImportCustomersDialogTest : public GuiBackendFixture
{
protected:
    QString writeCsv(const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(QStringLiteral("customers.csv"));
        QFile f(path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        return path;
    }

    int customers(const QString &where)
    {
        QSqlQuery q(m_db->connection());
        q.exec(QStringLiteral("SELECT count(*) FROM customers WHERE ") + where);
        return q.next() ? q.value(0).toInt() : -1;
    }

    // Runs the event loop until the import has finished (at most 30 s).
    static bool waitUntilDone(const ImportCustomersDialog &dialog)
    {
        QElapsedTimer timer;
        timer.start();
        while (dialog.isImporting() && timer.elapsed() < 30000) {
            QApplication::processEvents(QEventLoop::AllEvents, 20);
            QTest::qWait(10);
        }
        return !dialog.isImporting();
    }

    QTemporaryDir m_dir;
};

TEST_P(ImportCustomersDialogTest, TheMenuActionIsThereOnlyForSessionsThatMayAddCustomers)
{
    const Session reseller = resellerAdmin();
    CustomersPage page(reseller, services());
    EXPECT_NE(page.findChild<QAction *>(QStringLiteral("importCustomersAction")), nullptr);
    const Session manager = resellerManager();
    CustomersPage managerPage(manager, services());
    EXPECT_EQ(managerPage.findChild<QAction *>(QStringLiteral("importCustomersAction")), nullptr);
}

TEST_P(ImportCustomersDialogTest, ChooseFileCheckMappingPreviewImportAndSaveTheReport)
{
    const Session session = resellerAdmin();
    ImportCustomersDialog dialog(session, services());
    dialog.show();
    int importedSignal = -1;
    QObject::connect(&dialog, &ImportCustomersDialog::imported, &dialog,
        [&importedSignal](int n) { importedSignal = n; });

    // Own column names; the Email column is called "Login" here.
    dialog.setFile(writeCsv("Organisation,Person,Login,Phone,Plan\r\n"
                            "Zeta Labs,Zoe Z,zoe@zeta-import.test,,Standard\r\n"
                            "Eta Works,Eli E,eli@eta-import.test,+49 30 1234567,starter\r\n"
                            "Broken Co,Bob B,not-an-email,,Standard\r\n"
                            "Theta Ltd,Tia T,tia@theta-import.test,,\r\n"));
    EXPECT_EQ(
        dialog.mappingBox(ImportField::Company)->currentText(), QStringLiteral("Organisation"));
    EXPECT_EQ(dialog.mappingBox(ImportField::ContactEmail)->currentText(), QStringLiteral("Login"));
    EXPECT_EQ(dialog.mappingBox(ImportField::Website)->currentData().toInt(), -1);
    ASSERT_TRUE(dialog.preview().has_value()) << text(dialog, "importSummary").toStdString();
    // Theta names no plan and no default plan is chosen yet.
    EXPECT_EQ(dialog.preview()->validCount, 2);
    EXPECT_EQ(dialog.preview()->invalidCount, 2);
    EXPECT_TRUE(text(dialog, "importSummary").contains(QStringLiteral("2 have problems")))
        << text(dialog, "importSummary").toStdString();

    // A default plan for rows without one makes Theta valid.
    choose(dialog, "defaultPlanCombo", QStringLiteral("Standard"));
    EXPECT_EQ(dialog.preview()->validCount, 3);
    auto *table = find<QTableWidget>(dialog, "previewTable");
    EXPECT_EQ(table->rowCount(), 4);
    find<QCheckBox>(dialog, "onlyProblemsCheck")->setChecked(true);
    ASSERT_EQ(table->rowCount(), 1);
    EXPECT_EQ(table->item(0, 0)->data(Qt::DisplayRole).toInt(), 4);

    auto *import = find<QPushButton>(dialog, "importButton");
    ASSERT_TRUE(import->isEnabled());
    EXPECT_TRUE(import->text().contains(QStringLiteral("3")));
    QTest::mouseClick(import, Qt::LeftButton);
    ASSERT_TRUE(waitUntilDone(dialog));
    ASSERT_TRUE(dialog.result().has_value()) << text(dialog, "importSummary").toStdString();
    EXPECT_EQ(dialog.result()->importedLines, (QList<int> {2, 3, 5}));
    EXPECT_EQ(importedSignal, 3);
    EXPECT_TRUE(text(dialog, "importSummary").contains(QStringLiteral("3 customers imported")))
        << text(dialog, "importSummary").toStdString();
    EXPECT_FALSE(import->isEnabled()) << "the same file is not imported twice";
    EXPECT_EQ(customers(QStringLiteral("contact_email LIKE '%-import.test'")), 3);
    screenshot(&dialog, QStringLiteral("import-customers"));

    const QString report = m_dir.filePath(QStringLiteral("refused.csv"));
    ASSERT_TRUE(find<QPushButton>(dialog, "saveReportButton")->isEnabled());
    ASSERT_TRUE(dialog.saveErrorReport(report));
    QFile saved(report);
    ASSERT_TRUE(saved.open(QIODevice::ReadOnly));
    const QString content = QString::fromUtf8(saved.readAll());
    EXPECT_TRUE(content.contains(QStringLiteral("\r\n4,"))) << content.toStdString();
    EXPECT_TRUE(content.contains(QStringLiteral("not-an-email")));
}

TEST_P(ImportCustomersDialogTest, AFileThatIsNotCsvSaysWhyAndOffersNoImport)
{
    const Session session = admin();
    ImportCustomersDialog dialog(session, services());
    dialog.setFile(writeCsv("Company,Contact,Email\r\n\"Open quote,Ann,ann@x.test\r\n"));
    EXPECT_FALSE(dialog.preview().has_value());
    EXPECT_TRUE(text(dialog, "importSummary").contains(QStringLiteral("not valid CSV")));
    EXPECT_FALSE(find<QPushButton>(dialog, "importButton")->isEnabled());
    dialog.setFile(m_dir.filePath(QStringLiteral("missing.csv")));
    EXPECT_TRUE(text(dialog, "importSummary").contains(QStringLiteral("cannot be opened")));
}

RD_INSTANTIATE_FOR_BACKENDS(ImportCustomersDialogTest);

} // namespace
