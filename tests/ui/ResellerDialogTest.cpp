#include <functional>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "resellers/ResellerDialog.h"
#include "resellers/ResellerTableModel.h"
#include "resellers/ResellersPage.h"

using namespace rd;
using namespace rd::test;

namespace {

class ResellerDialogTest : public GuiBackendFixture
{
protected:
    qint64 resellerId(const QString &name)
    {
        Result<QList<ResellerSummary>> all = m_resellers->listResellers(admin());
        EXPECT_TRUE(all.has_value());
        for (const ResellerSummary &r : *all) {
            if (r.name == name)
                return r.id;
        }
        ADD_FAILURE() << "no reseller " << name.toStdString();
        return 0;
    }

    ResellerSummary reseller(qint64 id)
    {
        Result<ResellerSummary> r = m_resellers->reseller(admin(), id);
        EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().toString().toStdString());
        return r.value_or(ResellerSummary {});
    }

    int resellerCount() { return static_cast<int>(m_resellers->listResellers(admin())->size()); }

    static ResellerInput inputFrom(const ResellerSummary &r)
    {
        ResellerInput in;
        in.name = r.name;
        in.parentId = r.parentId;
        in.commissionRateBp = r.commissionRateBp;
        in.overrideRateBp = r.overrideRateBp;
        in.customerScope = r.customerScope;
        in.pricing = r.pricing;
        in.priceListId = r.priceListId;
        in.planIds = r.planIds;
        return in;
    }
};

// The object names of the actions in the next popup menu, which it closes.
void whenPopup(QStringList &actions, int attempts = 300)
{
    QTimer::singleShot(10, qApp, [&actions, attempts] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (menu == nullptr) {
            if (attempts > 0)
                whenPopup(actions, attempts - 1);
            else
                ADD_FAILURE() << "no menu appeared";
            return;
        }
        for (const QAction *action : menu->actions()) {
            if (!action->isSeparator())
                actions << action->objectName()
                        + (action->isEnabled() ? QString() : QStringLiteral("(off)"));
        }
        menu->close();
    });
}

QListWidgetItem *planItem(const ResellerDialog &dialog, const QString &planName)
{
    auto *plans = dialog.findChild<QListWidget *>(QStringLiteral("plans"));
    for (int row = 0; plans && row < plans->count(); ++row) {
        if (plans->item(row)->text().startsWith(planName))
            return plans->item(row);
    }
    ADD_FAILURE() << "no plan " << planName.toStdString();
    return nullptr;
}

int checkedPlans(const ResellerDialog &dialog)
{
    auto *plans = dialog.findChild<QListWidget *>(QStringLiteral("plans"));
    int checked = 0;
    for (int row = 0; row < plans->count(); ++row)
        checked += plans->item(row)->checkState() == Qt::Checked ? 1 : 0;
    return checked;
}

QStringList shownNames(const ResellersPage &page)
{
    QStringList names;
    const QAbstractItemModel *shown = page.view()->model();
    for (int row = 0; row < shown->rowCount(); ++row)
        names << shown->index(row, ResellerTableModel::Name).data().toString();
    return names;
}

QAction *pageAction(const ResellersPage &page, const char *name)
{
    for (QAction *action : page.pageActions()) {
        if (action->objectName() == QLatin1String(name))
            return action;
    }
    ADD_FAILURE() << "no action " << name;
    return nullptr;
}

} // namespace

TEST_P(ResellerDialogTest, AdministratorAddsAReseller)
{
    const Session session = admin();
    const int before = resellerCount();
    ResellerDialog dialog(session, services(), 0);
    dialog.show();
    auto *save = find<QPushButton>(dialog, "saveButton");
    EXPECT_FALSE(save->isEnabled()) << "no name yet";
    EXPECT_FALSE(find<QLabel>(dialog, "nameReason")->text().isEmpty());
    EXPECT_EQ(checkedPlans(dialog), 4) << "a new reseller starts with the whole catalogue";

    QTest::keyClicks(find<QLineEdit>(dialog, "name"), QStringLiteral("Adventure Works"));
    auto *parent = find<QComboBox>(dialog, "parent");
    EXPECT_LT(parent->findText(QStringLiteral("Tailspin Distribution")), 0)
        << "an inactive reseller cannot become a parent";
    parent->setCurrentIndex(parent->findText(QStringLiteral("Northwind Partners")));
    find<QDoubleSpinBox>(dialog, "commissionRate")->setValue(12.5);
    ASSERT_TRUE(find<QDoubleSpinBox>(dialog, "overrideRate")->isEnabled());
    find<QDoubleSpinBox>(dialog, "overrideRate")->setValue(2.25);
    find<QRadioButton>(dialog, "scopeAll")->click();
    EXPECT_TRUE(find<QLabel>(dialog, "scopeExplanation")
                    ->text()
                    .contains(QStringLiteral("every customer")));
    find<QRadioButton>(dialog, "pricingSelected")->click();
    auto *priceList = find<QComboBox>(dialog, "priceList");
    ASSERT_TRUE(priceList->isEnabled());
    priceList->setCurrentIndex(priceList->findText(QStringLiteral("Partner USD (USD)")));
    planItem(dialog, QStringLiteral("Enterprise"))->setCheckState(Qt::Unchecked);
    ASSERT_TRUE(save->isEnabled()) << dialog.problem().toStdString();
    screenshot(&dialog, QStringLiteral("reseller-dialog-add"));

    save->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    ASSERT_GT(dialog.resellerId(), 0);
    EXPECT_EQ(resellerCount(), before + 1);
    const ResellerSummary added = reseller(dialog.resellerId());
    EXPECT_EQ(added.name, QStringLiteral("Adventure Works"));
    EXPECT_EQ(added.parentId, resellerId(QStringLiteral("Northwind Partners")));
    EXPECT_EQ(added.commissionRateBp, 1250);
    EXPECT_EQ(added.overrideRateBp, 225);
    EXPECT_EQ(added.customerScope, CustomerScope::All);
    EXPECT_EQ(added.pricing, PricingMode::Selected);
    EXPECT_EQ(added.priceListName, QStringLiteral("Partner USD"));
    EXPECT_EQ(added.planIds.size(), 3);
}

TEST_P(ResellerDialogTest, AdministratorChangesThePlansOffered)
{
    const Session session = admin();
    const qint64 northwind = resellerId(QStringLiteral("Northwind Partners"));
    const ResellerSummary before = reseller(northwind);
    ASSERT_EQ(before.planIds.size(), 3);

    ResellerDialog dialog(session, services(), northwind);
    dialog.show();
    EXPECT_EQ(find<QLineEdit>(dialog, "name")->text(), before.name);
    EXPECT_EQ(find<QDoubleSpinBox>(dialog, "commissionRate")->value(), 15.0);
    EXPECT_EQ(checkedPlans(dialog), 3);
    EXPECT_TRUE(find<QRadioButton>(dialog, "pricingChannel")->isChecked());
    auto *parent = find<QComboBox>(dialog, "parent");
    EXPECT_EQ(parent->currentData().toLongLong(), 0);
    EXPECT_LT(parent->findText(QStringLiteral("Northwind Partners")), 0) << "not its own parent";
    EXPECT_LT(parent->findText(QStringLiteral("Northwind East")), 0) << "nor its sub-portal's";
    EXPECT_FALSE(find<QDoubleSpinBox>(dialog, "overrideRate")->isEnabled())
        << "an override needs a parent";

    planItem(dialog, QStringLiteral("Enterprise"))->setCheckState(Qt::Checked);
    planItem(dialog, QStringLiteral("Starter"))->setCheckState(Qt::Unchecked);
    screenshot(&dialog, QStringLiteral("reseller-dialog-edit"));
    find<QPushButton>(dialog, "saveButton")->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);

    const ResellerSummary after = reseller(northwind);
    EXPECT_EQ(after.planIds.size(), 3);
    EXPECT_NE(after.planIds, before.planIds);
    EXPECT_GT(after.version, before.version);
    EXPECT_EQ(after.name, before.name);
    EXPECT_EQ(after.commissionRateBp, before.commissionRateBp);
}

TEST_P(ResellerDialogTest, DuplicateNameIsRefusedBesideTheField)
{
    const Session session = admin();
    const int before = resellerCount();
    ResellerDialog dialog(session, services(), 0);
    dialog.show();
    auto *name = find<QLineEdit>(dialog, "name");
    QTest::keyClicks(name, QStringLiteral("  contoso RESELLERS "));
    auto *save = find<QPushButton>(dialog, "saveButton");
    ASSERT_TRUE(save->isEnabled());
    save->click();

    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_TRUE(dialog.isVisible());
    auto *reason = find<QLabel>(dialog, "nameReason");
    EXPECT_TRUE(reason->text().contains(QStringLiteral("Contoso Resellers")))
        << reason->text().toStdString();
    EXPECT_TRUE(reason->text().contains(QStringLiteral("already exists")));
    EXPECT_EQ(resellerCount(), before);
    screenshot(&dialog, QStringLiteral("reseller-dialog-duplicate"));

    // The next edit clears the refusal.
    QTest::keyClicks(name, QStringLiteral("2"));
    EXPECT_TRUE(reason->text().isEmpty());
}

TEST_P(ResellerDialogTest, WithoutAPlanSaveIsDisabledWithTheReason)
{
    const Session session = admin();
    ResellerDialog dialog(session, services(), 0);
    dialog.show();
    QTest::keyClicks(find<QLineEdit>(dialog, "name"), QStringLiteral("Planless Ltd"));
    auto *plans = find<QListWidget>(dialog, "plans");
    for (int row = 0; row < plans->count(); ++row)
        plans->item(row)->setCheckState(Qt::Unchecked);
    auto *save = find<QPushButton>(dialog, "saveButton");
    EXPECT_FALSE(save->isEnabled());
    auto *reason = find<QLabel>(dialog, "plansReason");
    EXPECT_TRUE(reason->text().contains(QStringLiteral("at least one plan")))
        << reason->text().toStdString();
    EXPECT_EQ(save->toolTip(), reason->text());

    plans->item(0)->setCheckState(Qt::Checked);
    EXPECT_TRUE(save->isEnabled());
    EXPECT_TRUE(reason->text().isEmpty());

    // Core refuses it too.
    ResellerInput in;
    in.name = QStringLiteral("Planless Ltd");
    Result<qint64> refused = m_resellers->addReseller(session, in);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(refused.error().field(), QStringLiteral("plans"));
}

TEST_P(ResellerDialogTest, ConflictOffersToReload)
{
    const Session session = admin();
    const qint64 fabrikam = resellerId(QStringLiteral("Fabrikam Channel"));
    ResellerDialog dialog(session, services(), fabrikam);
    dialog.show();

    // Another desktop renames it meanwhile.
    ResellerSummary current = reseller(fabrikam);
    ResellerInput other = inputFrom(current);
    other.name = QStringLiteral("Fabrikam Channel Ltd");
    ASSERT_TRUE(m_resellers->editReseller(session, fabrikam, current.version, other).has_value());

    auto *commission = find<QDoubleSpinBox>(dialog, "commissionRate");
    commission->setValue(13.0);
    bool offered = false;
    whenModal([&offered](QWidget *modal) {
        offered = modal->objectName() == QLatin1String("conflictMessage");
        auto *box = qobject_cast<QMessageBox *>(modal);
        ASSERT_NE(box, nullptr);
        EXPECT_TRUE(box->text().contains(QStringLiteral("changed by someone else")));
        find<QPushButton>(*modal, "reloadButton")->click();
    });
    find<QPushButton>(dialog, "saveButton")->click();
    EXPECT_TRUE(offered);
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(find<QLineEdit>(dialog, "name")->text(), QStringLiteral("Fabrikam Channel Ltd"));
    EXPECT_EQ(commission->value(), 12.0) << "reloaded";
    EXPECT_EQ(reseller(fabrikam).commissionRateBp, 1200) << "nothing overwritten";

    // Made again on the fresh version, the change goes through.
    commission->setValue(13.0);
    find<QPushButton>(dialog, "saveButton")->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    const ResellerSummary saved = reseller(fabrikam);
    EXPECT_EQ(saved.commissionRateBp, 1300);
    EXPECT_EQ(saved.name, QStringLiteral("Fabrikam Channel Ltd"));
}

TEST_P(ResellerDialogTest, PageDeactivatesWithAReasonAndReactivates)
{
    const Session session = admin();
    ResellersPage page(session, services());
    page.resize(1100, 420);
    page.show();
    page.refresh();
    EXPECT_EQ(page.model()->rowCount(), 6);
    screenshot(&page, QStringLiteral("resellers-page"));

    const qint64 fabrikam = resellerId(QStringLiteral("Fabrikam Channel"));
    QAction *deactivate = pageAction(page, "deactivateResellerAction");
    QAction *reactivate = pageAction(page, "reactivateResellerAction");
    QAction *edit = pageAction(page, "editResellerAction");
    EXPECT_FALSE(edit->isEnabled()) << "nothing selected";
    EXPECT_FALSE(deactivate->isEnabled());
    page.selectReseller(fabrikam);
    ASSERT_NE(page.currentReseller(), nullptr);
    EXPECT_TRUE(edit->isEnabled());
    EXPECT_TRUE(deactivate->isEnabled());
    EXPECT_FALSE(reactivate->isEnabled());

    bool confirmedWithoutReason = true;
    whenModal([&confirmedWithoutReason](QWidget *modal) {
        ASSERT_EQ(modal->objectName(), QStringLiteral("reasonDialog"));
        auto *confirm = find<QPushButton>(*modal, "confirmButton");
        confirmedWithoutReason = confirm->isEnabled();
        QTest::keyClicks(find<QLineEdit>(*modal, "reason"), QStringLiteral("Left the channel"));
        confirm->click();
    });
    deactivate->trigger();
    EXPECT_FALSE(confirmedWithoutReason) << "a deactivation needs a reason";
    EXPECT_FALSE(reseller(fabrikam).active);
    ASSERT_NE(page.currentReseller(), nullptr);
    EXPECT_EQ(page.currentReseller()->id, fabrikam) << "still selected after the change";
    const int row = page.model()->rowOf(fabrikam);
    EXPECT_EQ(page.model()->index(row, ResellerTableModel::Status).data().toString(),
        QStringLiteral("Inactive"));
    EXPECT_FALSE(deactivate->isEnabled());
    EXPECT_TRUE(reactivate->isEnabled());

    whenModal([](QWidget *modal) {
        auto *confirm = find<QPushButton>(*modal, "confirmButton");
        EXPECT_TRUE(confirm->isEnabled()) << "a reactivation needs no reason";
        confirm->click();
    });
    reactivate->trigger();
    EXPECT_TRUE(reseller(fabrikam).active);
    EXPECT_EQ(page.model()->index(row, ResellerTableModel::Status).data().toString(),
        QStringLiteral("Active"));
}

TEST_P(ResellerDialogTest, PageAddsAndEditsAndSelectsTheResult)
{
    const Session session = admin();
    ResellersPage page(session, services());
    page.show();
    page.refresh();

    whenModal([](QWidget *modal) {
        ASSERT_EQ(modal->objectName(), QStringLiteral("resellerDialog"));
        QTest::keyClicks(find<QLineEdit>(*modal, "name"), QStringLiteral("Wide World Importers"));
        find<QPushButton>(*modal, "saveButton")->click();
    });
    pageAction(page, "addResellerAction")->trigger();
    ASSERT_NE(page.currentReseller(), nullptr);
    EXPECT_EQ(page.currentReseller()->name, QStringLiteral("Wide World Importers"));
    EXPECT_EQ(page.model()->rowCount(), 7);

    // Enter on the selected row edits it.
    whenModal([](QWidget *modal) {
        auto *name = find<QLineEdit>(*modal, "name");
        EXPECT_EQ(name->text(), QStringLiteral("Wide World Importers"));
        name->setText(QStringLiteral("Wide World Importers Ltd"));
        find<QPushButton>(*modal, "saveButton")->click();
    });
    page.view()->setFocus();
    QTest::keyClick(page.view(), Qt::Key_Return);
    ASSERT_NE(page.currentReseller(), nullptr);
    EXPECT_EQ(page.currentReseller()->name, QStringLiteral("Wide World Importers Ltd"));

    // The context menu selects the row under the pointer and offers the same actions.
    const QModelIndex tailspin = page.view()->model()->index(
        page.view()->model()->rowCount() - 2, ResellerTableModel::Name);
    ASSERT_EQ(tailspin.data().toString(), QStringLiteral("Tailspin Distribution"));
    QStringList offered;
    whenPopup(offered);
    Q_EMIT page.view()->customContextMenuRequested(page.view()->visualRect(tailspin).center());
    EXPECT_EQ(offered,
        QStringList({QStringLiteral("addResellerAction"), QStringLiteral("editResellerAction"),
            QStringLiteral("deactivateResellerAction(off)"),
            QStringLiteral("reactivateResellerAction")}));
    ASSERT_NE(page.currentReseller(), nullptr);
    EXPECT_EQ(page.currentReseller()->name, QStringLiteral("Tailspin Distribution"));
}

TEST_P(ResellerDialogTest, PageFiltersAndSortsNumbersAsNumbers)
{
    const Session session = admin();
    ResellersPage page(session, services());
    QAbstractItemModelTester tester(
        page.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    page.refresh();
    EXPECT_TRUE(find<QLabel>(page, "resellerCount")->text().contains(QStringLiteral("6")));

    QTest::keyClicks(page.filterBox(), QStringLiteral("northwind"));
    EXPECT_EQ(shownNames(page).size(), 2);
    EXPECT_TRUE(find<QLabel>(page, "resellerCount")->text().startsWith(QStringLiteral("2 of 6")));
    page.filterBox()->clear();

    page.view()->sortByColumn(ResellerTableModel::Customers, Qt::DescendingOrder);
    const QAbstractItemModel *shown = page.view()->model();
    for (int row = 1; row < shown->rowCount(); ++row) {
        EXPECT_GE(shown->index(row - 1, ResellerTableModel::Customers)
                      .data(ResellerTableModel::SortRole)
                      .toInt(),
            shown->index(row, ResellerTableModel::Customers)
                .data(ResellerTableModel::SortRole)
                .toInt());
    }
    EXPECT_EQ(page.model()
                  ->index(page.model()->rowOf(resellerId(QStringLiteral("Contoso Resellers"))),
                      ResellerTableModel::Commission)
                  .data()
                  .toString(),
        QStringLiteral("20%"));
}

TEST_P(ResellerDialogTest, OnlyAdministratorsGetTheManageActions)
{
    const Session administrator = admin();
    ResellersPage adminPage(administrator, services());
    EXPECT_EQ(adminPage.pageActions().size(), 4);

    const qint64 northwind = resellerId(QStringLiteral("Northwind Partners"));
    const qint64 contoso = resellerId(QStringLiteral("Contoso Resellers"));
    const ResellerSummary own = reseller(northwind);
    for (const Session &session : {support(), resellerAdmin(), resellerManager(), resellerUser()}) {
        SCOPED_TRACE(roleKey(session.role()).toStdString());
        ResellersPage page(session, services());
        page.refresh();
        EXPECT_TRUE(page.pageActions().isEmpty());
        EXPECT_EQ(page.findChild<QAction *>(QStringLiteral("addResellerAction")), nullptr);
        EXPECT_EQ(page.findChild<QAction *>(QStringLiteral("editResellerAction")), nullptr);
        EXPECT_EQ(page.view()->contextMenuPolicy(), Qt::DefaultContextMenu);

        // And core refuses, for the own portal as for another.
        ResellerInput in = inputFrom(own);
        in.name = QStringLiteral("Sneaky Reseller");
        Result<qint64> added = m_resellers->addReseller(session, in);
        ASSERT_FALSE(added.has_value());
        EXPECT_EQ(added.error().code(), ErrorCode::PermissionDenied);
        for (const qint64 id : {northwind, contoso}) {
            Result<int> edited = m_resellers->editReseller(session, id, own.version, in);
            ASSERT_FALSE(edited.has_value());
            EXPECT_TRUE(edited.error().code() == ErrorCode::PermissionDenied
                || edited.error().code() == ErrorCode::NotFound);
            Result<int> deactivated
                = m_resellers->setActive(session, id, own.version, false, QStringLiteral("x"));
            ASSERT_FALSE(deactivated.has_value());
            EXPECT_TRUE(deactivated.error().code() == ErrorCode::PermissionDenied
                || deactivated.error().code() == ErrorCode::NotFound);
        }
    }
    EXPECT_EQ(reseller(northwind).version, own.version);
    EXPECT_TRUE(reseller(contoso).active);
}

TEST_P(ResellerDialogTest, EachRoleSeesItsResellers)
{
    const Session administrator = admin();
    const Session staff = support();
    const Session portalAdmin = resellerAdmin();
    const Session portalUser = resellerUser();
    ResellersPage adminPage(administrator, services());
    ResellersPage supportPage(staff, services());
    ResellersPage resellerAdminPage(portalAdmin, services());
    ResellersPage resellerUserPage(portalUser, services());
    for (ResellersPage *page : {&adminPage, &supportPage, &resellerAdminPage, &resellerUserPage})
        page->refresh();
    EXPECT_EQ(adminPage.model()->rowCount(), 6);
    EXPECT_EQ(supportPage.model()->rowCount(), 6);
    QStringList own = shownNames(resellerAdminPage);
    own.sort();
    EXPECT_EQ(
        own, QStringList({QStringLiteral("Northwind East"), QStringLiteral("Northwind Partners")}));
    EXPECT_EQ(shownNames(resellerUserPage), QStringList {QStringLiteral("Northwind Partners")});

    // Reseller Admins cannot open a reseller outside their portal either.
    Result<ResellerSummary> other
        = m_resellers->reseller(portalAdmin, resellerId(QStringLiteral("Contoso Resellers")));
    ASSERT_FALSE(other.has_value());
    EXPECT_EQ(other.error().code(), ErrorCode::NotFound);
}

RD_INSTANTIATE_FOR_BACKENDS(ResellerDialogTest);
