#include <stdexcept>

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "customers/ConvertTrialDialog.h"
#include "customers/CustomerDetailPanel.h"
#include "customers/CustomerTableModel.h"
#include "customers/CustomersPage.h"
#include "customers/wizard/AddCustomerWizard.h"
#include "mainwindow/MainWindow.h"
#include "resellers/ResellerTableModel.h"
#include "resellers/ResellersPage.h"
#include "transfers/CloneCustomersDialog.h"
#include "transfers/MigrateCustomerDialog.h"

using namespace rd;
using namespace rd::test;

namespace {

// Triggers a menu action the way a user does; the dialog it opens is a
// window-modal child of the page, returned here.
template<typename Dialog> Dialog *trigger(MainWindow &window, const char *action)
{
    QAction *act = find<QAction>(window, action);
    if (!act->isEnabled())
        throw std::runtime_error(std::string(action) + " is disabled");
    act->trigger();
    auto *dialog = window.findChild<Dialog *>();
    if (dialog == nullptr || !dialog->isVisible())
        throw std::runtime_error(std::string(action) + " opened no dialog");
    return dialog;
}

// Selects the rows of these companies (searching for each in turn would
// lose the selection, so the search narrows to a shared word first).
void selectCompanies(CustomersPage &page, const QStringList &companies)
{
    page.view()->clearSelection();
    for (int row = 0; row < page.model()->rowCount(); ++row) {
        if (companies.contains(page.model()->customerAt(row)->companyName)) {
            page.view()->selectionModel()->select(page.model()->index(row, 0),
                QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    }
}

class ScenarioTest : public GuiBackendFixture
{
protected:
    std::unique_ptr<MainWindow> window(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        auto w = std::make_unique<MainWindow>(
            MainWindowContext {*m_session, services(), QStringLiteral("scenario.sqlite")});
        w->show();
        return w;
    }

    std::unique_ptr<Session> m_session;
};

} // namespace

// Issue 4's scenario, through the real window and dialogs: a reseller
// admin onboards a customer and converts its trial; an administrator clones
// two customers to another reseller and migrates one into its own portal.
TEST_P(ScenarioTest, ResellerOnboardsThenAdministratorClonesAndMigrates)
{
    // --- Reseller Admin of Northwind ---
    auto reseller = window(resellerAdmin());
    CustomersPage *page = reseller->customersPage();
    const qint64 before = page->model()->total();

    auto *wizard = trigger<AddCustomerWizard>(*reseller, "addCustomerAction");
    ASSERT_EQ(wizard->currentId(), AddCustomerWizard::CompanyPageId);
    type(*wizard, "companyName", QStringLiteral("Scenario Labs"));
    type(*wizard, "website", QStringLiteral("https://www.scenario-labs.test/start"));
    wizard->button(QWizard::NextButton)->click();
    ASSERT_EQ(wizard->currentId(), AddCustomerWizard::ContactPageId);
    type(*wizard, "contactName", QStringLiteral("Sasha Scenario"));
    type(*wizard, "email", QStringLiteral("sasha@scenario-labs.test"));
    wizard->button(QWizard::NextButton)->click();
    ASSERT_EQ(wizard->currentId(), AddCustomerWizard::PlanPageId);
    choose(*wizard, "plan", QStringLiteral("Standard"));
    wizard->button(QWizard::NextButton)->click();
    ASSERT_EQ(wizard->currentId(), AddCustomerWizard::ReviewPageId);
    wizard->button(QWizard::FinishButton)->click();

    // The new customer is in the table, selected.
    EXPECT_EQ(page->model()->total(), before + 1);
    const QList<qint64> selected = page->selectedIds();
    ASSERT_EQ(selected.size(), 1);
    Result<CustomerRow> created = m_customers->customer(*m_session, selected.constFirst());
    ASSERT_TRUE(created.has_value());
    EXPECT_EQ(created->companyName, QStringLiteral("Scenario Labs"));
    EXPECT_EQ(created->domain, QStringLiteral("scenario-labs.test"));
    EXPECT_EQ(created->billingStatus, BillingStatus::Trial);

    auto *convert = trigger<ConvertTrialDialog>(*reseller, "convertTrialAction");
    find<QPushButton>(*convert, "convertButton")->click();
    Result<CustomerRow> converted = m_customers->customer(*m_session, created->id);
    ASSERT_TRUE(converted.has_value());
    EXPECT_EQ(converted->billingStatus, BillingStatus::Paid);
    EXPECT_EQ(page->selectedIds(), QList<qint64> {created->id}) << "still selected";
    EXPECT_EQ(page->model()->customerAt(page->view()->currentIndex().row())->billingStatus,
        BillingStatus::Paid);
    reseller->close();
    reseller.reset();

    // --- Administrator ---
    auto admin = window(GuiFixture::admin());
    page = admin->customersPage();
    page->searchBox()->setText(QStringLiteral("Scenario Labs"));
    page->refresh();
    ASSERT_EQ(page->model()->rowCount(), 1);
    // Two Northwind customers: the new one and Alpine Foods.
    page->searchBox()->clear();
    auto *resellerFilter = find<QComboBox>(*page, "resellerFilter");
    resellerFilter->setCurrentIndex(resellerFilter->findText(QStringLiteral("Northwind Partners")));
    page->refresh();
    const QStringList pair {QStringLiteral("Scenario Labs"), QStringLiteral("Alpine Foods GmbH")};
    selectCompanies(*page, pair);
    ASSERT_EQ(page->selectedIds().size(), 2);
    const QList<qint64> pairIds = page->selectedIds();

    auto *clone = trigger<CloneCustomersDialog>(*admin, "cloneCustomersAction");
    choose(*clone, "targetCombo", QStringLiteral("Contoso"));
    find<QPushButton>(*clone, "cloneButton")->click();
    ASSERT_TRUE(clone->hasReport());
    EXPECT_EQ(clone->report().cloned.size(), 2);
    EXPECT_TRUE(clone->report().skipped.isEmpty());
    find<QPushButton>(*clone, "closeButton")->click();
    for (qint64 id : pairIds) {
        Result<CustomerDetail> detail = m_customers->customerDetail(*m_session, id);
        ASSERT_TRUE(detail.has_value());
        EXPECT_TRUE(std::any_of(detail->assignments.begin(), detail->assignments.end(),
            [](const AssignmentHistoryRow &a) {
                return a.resellerName.startsWith(QStringLiteral("Contoso")) && !a.endedAt.isValid();
            }));
    }

    // Migrate the new customer into its own portal (password re-entered).
    selectCompanies(*page, {QStringLiteral("Scenario Labs")});
    ASSERT_EQ(page->selectedIds().size(), 1);
    auto *migrate = trigger<MigrateCustomerDialog>(*admin, "migrateCustomerAction");
    type(*migrate, "passwordEdit", DemoData::demoPassword());
    find<QPushButton>(*migrate, "migrateButton")->click();
    EXPECT_FALSE(migrate->isVisible()) << "accepted";

    // The new portal is in the reseller table, under Northwind.
    admin->showPage(admin->resellersPage());
    ResellerTableModel *resellers = admin->resellersPage()->model();
    bool found = false;
    for (int row = 0; row < resellers->rowCount(); ++row) {
        const QString name = resellers->index(row, 0).data().toString();
        if (name == QStringLiteral("Scenario Labs")) {
            found = true;
            EXPECT_EQ(
                resellers->index(row, 1).data().toString(), QStringLiteral("Northwind Partners"));
        }
    }
    EXPECT_TRUE(found) << "the migrated portal is listed";
    if (GetParam() == Backend::SQLite)
        screenshot(admin.get(), QStringLiteral("scenario-resellers-after-migrate"));
}

// The table's search, filters, sorting and detail panel ask the database:
// the same answers from both.
TEST_P(ScenarioTest, TableAndDetailPanelOnEachDatabase)
{
    const Session session = GuiFixture::admin();
    auto w = window(session);
    CustomersPage *page = w->customersPage();
    EXPECT_EQ(page->model()->total(), 320);

    auto *status = find<QComboBox>(*page, "statusFilter");
    status->setCurrentIndex(status->findData(int(CustomerStatusFilter::TrialExpired)));
    ASSERT_GT(page->model()->rowCount(), 0);
    for (int row = 0; row < page->model()->rowCount(); ++row) {
        const CustomerListRow *c = page->model()->customerAt(row);
        EXPECT_EQ(c->billingStatus, BillingStatus::Trial);
        EXPECT_LE(c->trialEndsAt, m_clock.now());
    }
    status->setCurrentIndex(0);

    page->view()->horizontalHeader()->setSortIndicator(
        CustomerTableModel::Reseller, Qt::DescendingOrder);
    ASSERT_GT(page->model()->rowCount(), 1);
    page->searchBox()->setText(QStringLiteral("alpinefoods.test"));
    page->refresh();
    ASSERT_EQ(page->model()->rowCount(), 1);
    page->view()->selectRow(0);
    find<QAction>(*w, "openCustomerAction")->trigger();
    CustomerDetailPanel *detail = page->detailPanel();
    ASSERT_TRUE(detail->isVisible());
    EXPECT_EQ(find<QLabel>(*detail, "detailTitle")->text(), QStringLiteral("Alpine Foods GmbH"));
    EXPECT_GE(find<QTableWidget>(*detail, "customerUsersTable")->rowCount(), 2)
        << "Priya Costa and her colleague";
}

RD_INSTANTIATE_FOR_BACKENDS(ScenarioTest);
