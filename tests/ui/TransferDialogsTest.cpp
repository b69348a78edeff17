#include <optional>
#include <stdexcept>
#include <string>

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSet>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "storage/CustomerRepository.h"
#include "storage/UserRepository.h"
#include "transfers/CloneCustomersDialog.h"
#include "transfers/MigrateCustomerDialog.h"
#include "transfers/MoveCustomerDialog.h"

using namespace rd;
using namespace rd::test;

namespace {

std::string str(const QString &value)
{
    return value.toStdString();
}

void type(QLineEdit *edit, const QString &value)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, value);
}

// Every input and button is named for tests and screen readers.
void expectNamed(const QDialog &dialog)
{
    for (const QWidget *widget : dialog.findChildren<QWidget *>()) {
        const bool input = qobject_cast<const QLineEdit *>(widget) != nullptr
            || qobject_cast<const QAbstractButton *>(widget) != nullptr
            || qobject_cast<const QAbstractSpinBox *>(widget) != nullptr
            || qobject_cast<const QComboBox *>(widget) != nullptr;
        // Parts of a spin box, combo box or table (its corner button) are not inputs of their own.
        const QWidget *owner = widget->parentWidget();
        if (!input || qobject_cast<const QAbstractSpinBox *>(owner) != nullptr
            || qobject_cast<const QComboBox *>(owner) != nullptr
            || qobject_cast<const QAbstractItemView *>(owner) != nullptr)
            continue;
        EXPECT_FALSE(widget->objectName().isEmpty()) << widget->metaObject()->className();
        EXPECT_FALSE(widget->accessibleName().isEmpty()) << str(widget->objectName());
    }
}

// Answers the next modal box (the conflict question) with the button named
// buttonName, once the event loop runs it.
void answerNextModal(const char *boxName, const char *buttonName, bool *seen)
{
    QTimer::singleShot(0, qApp, [=] {
        QWidget *modal = QApplication::activeModalWidget();
        if (modal == nullptr || modal->objectName() != QLatin1String(boxName))
            return;
        *seen = true;
        modal->findChild<QPushButton *>(QString::fromLatin1(buttonName))->click();
    });
}

class TransferDialogsTest : public GuiBackendFixture
{
protected:
    void SetUp() override
    {
        GuiFixture::SetUp();
        if (HasFatalFailure())
            return;
        m_admin.emplace(admin());
        Result<QList<ResellerSummary>> resellers = m_resellers->listResellers(*m_admin);
        ASSERT_TRUE(resellers.has_value());
        for (const ResellerSummary &r : *resellers)
            m_resellerIds.insert(r.name, r.id);
        Result<QList<PlanRow>> plans = m_catalogue->plans(*m_admin);
        ASSERT_TRUE(plans.has_value());
        for (const PlanRow &p : *plans)
            m_planIds.insert(p.name, p.id);
    }

    qint64 reseller(const char *name) const
    {
        return m_resellerIds.value(QString::fromLatin1(name));
    }
    qint64 plan(const char *name) const { return m_planIds.value(QString::fromLatin1(name)); }

    // Active, paid customers passing the filters, in company order.
    QList<CustomerListRow> customers(std::optional<qint64> assignedTo, qint64 planId = 0)
    {
        CustomerQuery query;
        query.resellerFilter = assignedTo;
        query.planFilter = planId;
        query.status = CustomerStatusFilter::Active;
        query.limit = 500;
        Result<CustomerPage> page = m_customers->listCustomers(*m_admin, query);
        EXPECT_TRUE(page.has_value());
        return page ? page->rows : QList<CustomerListRow> {};
    }

    qint64 customerNamed(const QString &company)
    {
        CustomerQuery query;
        query.search = company;
        Result<CustomerPage> page = m_customers->listCustomers(*m_admin, query);
        if (!page || page->rows.isEmpty())
            throw std::runtime_error("no customer " + str(company));
        return page->rows.constFirst().id;
    }

    TransferCandidate candidate(qint64 customerId)
    {
        Result<QList<TransferCandidate>> found = m_transfers->candidates(*m_admin, {customerId});
        if (!found || found->size() != 1)
            throw std::runtime_error("no candidate " + std::to_string(customerId));
        return found->constFirst();
    }

    // The resellers with an open assignment to the customer, by kind.
    QSet<qint64> openAssignments(qint64 customerId, AssignmentKind kind)
    {
        QSet<qint64> out;
        Result<QList<AssignmentRow>> rows = CustomerRepository(*m_db).assignments(customerId);
        EXPECT_TRUE(rows.has_value());
        for (const AssignmentRow &a : rows.value_or(QList<AssignmentRow> {})) {
            if (!a.endedAt.isValid() && a.kind == kind)
                out.insert(a.resellerId);
        }
        return out;
    }

    int failedSignIns(const Session &session)
    {
        Result<UserRow> user = UserRepository(*m_db).find(session.userId());
        EXPECT_TRUE(user.has_value());
        return user ? user->failedLogins : -1;
    }

    std::optional<Session> m_admin;
    QHash<QString, qint64> m_resellerIds;
    QHash<QString, qint64> m_planIds;
};

} // namespace

// --- Move (rule 7) ---

TEST_P(TransferDialogsTest, AdministratorMovesACustomerToAnotherReseller)
{
    const qint64 alpine = customerNamed(QStringLiteral("Alpine Foods"));
    const TransferCandidate before = candidate(alpine);
    ASSERT_EQ(before.ownerResellerId, reseller("Northwind Partners"));

    MoveCustomerDialog dialog(*m_admin, services(), alpine);
    dialog.show();
    expectNamed(dialog);
    EXPECT_EQ(text(dialog, "companyLabel"), QStringLiteral("Alpine Foods GmbH"));
    EXPECT_EQ(text(dialog, "currentOwnerLabel"), QStringLiteral("Northwind Partners"));
    auto *target = find<QComboBox>(dialog, "targetCombo");
    EXPECT_EQ(target->findData(QVariant(reseller("Northwind Partners"))), -1) << "not the owner";
    EXPECT_EQ(target->findData(QVariant(reseller("Tailspin Distribution"))), -1) << "inactive";
    EXPECT_GE(target->findData(QVariant(qint64 {0})), 0) << "a direct account is offered";
    auto *move = find<QPushButton>(dialog, "moveButton");
    EXPECT_FALSE(move->isEnabled()) << "no target chosen yet";
    EXPECT_FALSE(text(dialog, "reasonLabel").isEmpty());

    choose(dialog, "targetCombo", reseller("Fabrikam Channel"));
    EXPECT_TRUE(text(dialog, "targetReason").contains(QStringLiteral("Offers the current plan")))
        << str(text(dialog, "targetReason"));
    EXPECT_EQ(find<QComboBox>(dialog, "planCombo")->currentData().toLongLong(), before.planId);
    ASSERT_TRUE(move->isEnabled()) << str(text(dialog, "reasonLabel"));
    screenshot(&dialog, QStringLiteral("move-dialog"));
    move->click();

    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    const TransferCandidate after = candidate(alpine);
    EXPECT_EQ(after.ownerResellerId, reseller("Fabrikam Channel"));
    EXPECT_EQ(after.planId, before.planId);
    EXPECT_EQ(after.version, dialog.newVersion());
    EXPECT_TRUE(openAssignments(alpine, AssignmentKind::Owner)
        == QSet<qint64> {reseller("Fabrikam Channel")});
}

TEST_P(TransferDialogsTest, MovingToAResellerWithoutThePlanRequiresANewPlan)
{
    // A Fabrikam customer on Enterprise, which Northwind does not offer.
    const QList<CustomerListRow> enterprise
        = customers(reseller("Fabrikam Channel"), plan("Enterprise"));
    ASSERT_FALSE(enterprise.isEmpty());
    const qint64 id = enterprise.constFirst().id;

    MoveCustomerDialog dialog(*m_admin, services(), id);
    dialog.show();
    choose(dialog, "targetCombo", reseller("Northwind Partners"));
    const QString check = text(dialog, "targetReason");
    EXPECT_TRUE(check.contains(QStringLiteral("Does not offer"))
        && check.contains(QStringLiteral("Enterprise")))
        << str(check);
    auto *plans = find<QComboBox>(dialog, "planCombo");
    EXPECT_EQ(plans->currentIndex(), -1) << "a plan must be chosen";
    EXPECT_EQ(plans->findData(QVariant(plan("Enterprise"))), -1) << "only the target's plans";
    auto *move = find<QPushButton>(dialog, "moveButton");
    EXPECT_FALSE(move->isEnabled());
    EXPECT_TRUE(text(dialog, "reasonLabel").contains(QStringLiteral("plan")));
    screenshot(&dialog, QStringLiteral("move-dialog-plan-check"));

    choose(dialog, "planCombo", plan("Professional"));
    ASSERT_TRUE(move->isEnabled()) << str(text(dialog, "reasonLabel"));
    move->click();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    const TransferCandidate after = candidate(id);
    EXPECT_EQ(after.ownerResellerId, reseller("Northwind Partners"));
    EXPECT_EQ(after.planId, plan("Professional"));
}

TEST_P(TransferDialogsTest, MoveToADirectAccountAndBack)
{
    const qint64 alpine = customerNamed(QStringLiteral("Alpine Foods"));
    {
        MoveCustomerDialog dialog(*m_admin, services(), alpine);
        dialog.show();
        choose(dialog, "targetCombo", 0);
        EXPECT_TRUE(text(dialog, "targetReason").contains(QStringLiteral("direct account")));
        find<QPushButton>(dialog, "moveButton")->click();
        EXPECT_EQ(dialog.result(), QDialog::Accepted);
    }
    EXPECT_EQ(candidate(alpine).ownerResellerId, 0);
    EXPECT_TRUE(openAssignments(alpine, AssignmentKind::Owner).isEmpty());

    MoveCustomerDialog back(*m_admin, services(), alpine);
    back.show();
    EXPECT_EQ(text(back, "currentOwnerLabel"), QStringLiteral("None (direct account)"));
    EXPECT_EQ(find<QComboBox>(back, "targetCombo")->findData(QVariant(qint64 {0})), -1)
        << "already a direct account";
    choose(back, "targetCombo", reseller("Northwind Partners"));
    find<QPushButton>(back, "moveButton")->click();
    EXPECT_EQ(back.result(), QDialog::Accepted);
    EXPECT_EQ(candidate(alpine).ownerResellerId, reseller("Northwind Partners"));
    Result<QList<AssignmentRow>> history = CustomerRepository(*m_db).assignments(alpine);
    ASSERT_TRUE(history.has_value());
    EXPECT_GE(history->size(), 2) << "the ended owner assignment stays in the history";
}

TEST_P(TransferDialogsTest, AConcurrentMoveOffersAReload)
{
    const qint64 alpine = customerNamed(QStringLiteral("Alpine Foods"));
    MoveCustomerDialog dialog(*m_admin, services(), alpine);
    dialog.show();
    choose(dialog, "targetCombo", reseller("Fabrikam Channel"));

    // Another desktop moves it first.
    ASSERT_TRUE(m_transfers->moveCustomer(
        *m_admin, alpine, candidate(alpine).version, reseller("Contoso Resellers"), 0));
    bool asked = false;
    answerNextModal("conflictMessage", "reloadButton", &asked);
    find<QPushButton>(dialog, "moveButton")->click();
    EXPECT_TRUE(asked);
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(text(dialog, "currentOwnerLabel"), QStringLiteral("Contoso Resellers")) << "reloaded";
    EXPECT_EQ(candidate(alpine).ownerResellerId, reseller("Contoso Resellers"));

    // The reloaded version moves.
    EXPECT_EQ(find<QComboBox>(dialog, "targetCombo")->currentData().toLongLong(),
        reseller("Fabrikam Channel"))
        << "the chosen target is kept";
    find<QPushButton>(dialog, "moveButton")->click();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(candidate(alpine).ownerResellerId, reseller("Fabrikam Channel"));
}

// --- Clone (rule 6) ---

TEST_P(TransferDialogsTest, CloneSeveralReportsClonedAndSkippedCustomers)
{
    const qint64 fabrikam = reseller("Fabrikam Channel");
    const qint64 northwind = reseller("Northwind Partners");
    // Two Northwind customers and one already assigned to Fabrikam too.
    QList<qint64> plain;
    for (const CustomerListRow &row : customers(northwind)) {
        if (!row.otherResellerNames.contains(QStringLiteral("Fabrikam")) && plain.size() < 2)
            plain.append(row.id);
    }
    qint64 assigned = 0;
    for (const CustomerListRow &row : customers(fabrikam)) {
        if (row.ownerResellerId == northwind) {
            assigned = row.id;
            break;
        }
    }
    ASSERT_EQ(plain.size(), 2);
    ASSERT_NE(assigned, 0);
    const QList<qint64> selection {plain.at(0), assigned, plain.at(1)};

    CloneCustomersDialog dialog(*m_admin, services(), selection);
    dialog.show();
    expectNamed(dialog);
    EXPECT_EQ(find<QListWidget>(dialog, "customerList")->count(), 3);
    EXPECT_TRUE(text(dialog, "heading").contains(QStringLiteral("3 customer")))
        << str(text(dialog, "heading"));
    auto *clone = find<QPushButton>(dialog, "cloneButton");
    EXPECT_FALSE(clone->isEnabled()) << "no target yet";
    EXPECT_EQ(find<QComboBox>(dialog, "targetCombo")
                  ->findData(QVariant(reseller("Tailspin Distribution"))),
        -1)
        << "inactive resellers take no customers";
    choose(dialog, "targetCombo", fabrikam);
    EXPECT_FALSE(find<QCheckBox>(dialog, "endAssignmentsCheck")->isChecked());
    EXPECT_FALSE(find<QRadioButton>(dialog, "switchPriceListRadio")->isEnabled())
        << "the price list goes with ownership";
    ASSERT_TRUE(clone->isEnabled()) << str(text(dialog, "reasonLabel"));
    screenshot(&dialog, QStringLiteral("clone-dialog"));
    clone->click();

    ASSERT_TRUE(dialog.hasReport());
    EXPECT_EQ(dialog.report().cloned, (QList<qint64> {plain.at(0), plain.at(1)}));
    ASSERT_EQ(dialog.report().skipped.size(), 1);
    EXPECT_EQ(dialog.report().skipped.constFirst().customerId, assigned);
    auto *table = find<QTableWidget>(dialog, "reportTable");
    ASSERT_TRUE(table->isVisible()) << "the dialog switched to the report";
    ASSERT_EQ(table->rowCount(), 3);
    EXPECT_EQ(table->item(0, 1)->text(), QStringLiteral("Cloned"));
    EXPECT_TRUE(table->item(1, 1)->text().startsWith(QStringLiteral("Skipped: ")));
    EXPECT_TRUE(table->item(1, 1)->text().contains(QStringLiteral("already assigned")))
        << str(table->item(1, 1)->text());
    EXPECT_EQ(table->item(2, 1)->text(), QStringLiteral("Cloned"));
    EXPECT_EQ(table->item(0, 0)->text(), candidate(plain.at(0)).companyName);
    EXPECT_TRUE(text(dialog, "reportSummary").contains(QStringLiteral("2 customer")))
        << str(text(dialog, "reportSummary"));
    screenshot(&dialog, QStringLiteral("clone-report"));

    // Additional assignments; the owners stay.
    for (const qint64 id : plain) {
        EXPECT_TRUE(openAssignments(id, AssignmentKind::Additional).contains(fabrikam));
        EXPECT_EQ(candidate(id).ownerResellerId, northwind);
    }
    find<QPushButton>(dialog, "closeButton")->click();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
}

TEST_P(TransferDialogsTest, CloneHandingOverCanSwitchToTheTargetsPriceList)
{
    const qint64 contoso = reseller("Contoso Resellers");
    const qint64 northwind = reseller("Northwind Partners");
    QList<qint64> selection;
    for (const CustomerListRow &row : customers(northwind)) {
        if (row.ownerResellerId == northwind && selection.size() < 2)
            selection.append(row.id);
    }
    ASSERT_EQ(selection.size(), 2);
    ASSERT_EQ(candidate(selection.at(0)).priceListName, QStringLiteral("Channel EUR"));

    CloneCustomersDialog dialog(*m_admin, services(), selection);
    dialog.show();
    choose(dialog, "targetCombo", contoso);
    auto *handOver = find<QCheckBox>(dialog, "endAssignmentsCheck");
    auto *switchList = find<QRadioButton>(dialog, "switchPriceListRadio");
    EXPECT_FALSE(switchList->isEnabled());
    handOver->click();
    ASSERT_TRUE(switchList->isEnabled());
    switchList->click();
    EXPECT_TRUE(text(dialog, "priceListHint").contains(QStringLiteral("Partner USD")))
        << str(text(dialog, "priceListHint"));
    screenshot(&dialog, QStringLiteral("clone-dialog-switch-price-list"));
    find<QPushButton>(dialog, "cloneButton")->click();

    ASSERT_TRUE(dialog.hasReport());
    EXPECT_EQ(dialog.report().cloned, selection) << str(text(dialog, "reportSummary"));
    for (const qint64 id : selection) {
        const TransferCandidate after = candidate(id);
        EXPECT_EQ(after.ownerResellerId, contoso);
        EXPECT_EQ(after.priceListName, QStringLiteral("Partner USD"));
        EXPECT_TRUE(openAssignments(id, AssignmentKind::Owner) == QSet<qint64> {contoso});
        EXPECT_TRUE(openAssignments(id, AssignmentKind::Additional).isEmpty());
    }
}

// --- Migrate (rule 8) ---

TEST_P(TransferDialogsTest, AdministratorMigratesACustomerWithTheChosenNameAndRate)
{
    const qint64 alpine = customerNamed(QStringLiteral("Alpine Foods"));
    MigrateCustomerDialog dialog(*m_admin, services(), alpine);
    dialog.show();
    expectNamed(dialog);
    auto *name = find<QLineEdit>(dialog, "portalNameEdit");
    EXPECT_EQ(name->text(), QStringLiteral("Alpine Foods GmbH")) << "defaults to the company";
    EXPECT_TRUE(text(dialog, "parentLabel").contains(QStringLiteral("Northwind Partners")));
    const QString summary = text(dialog, "summaryLabel");
    EXPECT_TRUE(summary.contains(QStringLiteral("priya.costa@alpinefoods.test"))) << str(summary);
    EXPECT_TRUE(summary.contains(QStringLiteral("Reseller Admin")));
    auto *migrate = find<QPushButton>(dialog, "migrateButton");
    EXPECT_FALSE(migrate->isEnabled()) << "the password is required";
    EXPECT_TRUE(text(dialog, "reasonLabel").contains(QStringLiteral("password")));
    EXPECT_EQ(find<QLineEdit>(dialog, "passwordEdit")->echoMode(), QLineEdit::Password);

    type(name, QStringLiteral("Alpine Partner Portal"));
    EXPECT_TRUE(text(dialog, "summaryLabel").contains(QStringLiteral("Alpine Partner Portal")));
    auto *rate = find<QDoubleSpinBox>(dialog, "commissionSpin");
    rate->setFocus();
    rate->selectAll();
    QTest::keyClicks(rate, QStringLiteral("12") + QLocale().decimalPoint() + QStringLiteral("5"));
    EXPECT_DOUBLE_EQ(rate->value(), 12.5);
    type(find<QLineEdit>(dialog, "passwordEdit"), DemoData::demoPassword());
    ASSERT_TRUE(migrate->isEnabled()) << str(text(dialog, "reasonLabel"));
    screenshot(&dialog, QStringLiteral("migrate-dialog"));
    migrate->click();

    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    Result<ResellerSummary> portal = m_resellers->reseller(*m_admin, dialog.migration().portalId);
    ASSERT_TRUE(portal.has_value());
    EXPECT_EQ(portal->name, QStringLiteral("Alpine Partner Portal"));
    EXPECT_EQ(portal->commissionRateBp, 1250);
    EXPECT_EQ(portal->parentId, reseller("Northwind Partners"));
    EXPECT_EQ(candidate(alpine).ownerResellerId, portal->id);
    EXPECT_TRUE(candidate(alpine).migrated);

    // The contact runs the portal and keeps the client account.
    Result<SignInResult> priya
        = m_authenticator->signIn(DemoData::demoClientEmail(), DemoData::demoPassword());
    ASSERT_TRUE(priya.has_value());
    bool runsPortal = false;
    bool keepsClient = false;
    for (const Membership &m : priya->memberships) {
        runsPortal |= m.role() == Role::ResellerAdmin && m.contextId() == portal->id;
        keepsClient |= m.role() == Role::ClientAdmin && m.contextId() == alpine;
    }
    EXPECT_TRUE(runsPortal);
    EXPECT_TRUE(keepsClient);
}

TEST_P(TransferDialogsTest, AWrongPasswordIsShownBesideTheFieldAndCounted)
{
    const qint64 alpine = customerNamed(QStringLiteral("Alpine Foods"));
    const TransferCandidate before = candidate(alpine);
    const int failures = failedSignIns(*m_admin);
    MigrateCustomerDialog dialog(*m_admin, services(), alpine);
    dialog.show();
    auto *password = find<QLineEdit>(dialog, "passwordEdit");
    type(password, QStringLiteral("not my password at all"));
    find<QPushButton>(dialog, "migrateButton")->click();

    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_TRUE(dialog.isVisible());
    EXPECT_TRUE(text(dialog, "passwordReason").contains(QStringLiteral("not correct")))
        << str(text(dialog, "passwordReason"));
    EXPECT_TRUE(password->hasFocus() || !QApplication::focusWidget());
    screenshot(&dialog, QStringLiteral("migrate-wrong-password"));
    EXPECT_EQ(failedSignIns(*m_admin), failures + 1) << "counts towards the lock-out";
    const TransferCandidate after = candidate(alpine);
    EXPECT_EQ(after.ownerResellerId, before.ownerResellerId);
    EXPECT_EQ(after.version, before.version);
    EXPECT_FALSE(after.migrated);

    // Typing again clears the message.
    QTest::keyClick(password, Qt::Key_X);
    EXPECT_TRUE(text(dialog, "passwordReason").isEmpty());
}

TEST_P(TransferDialogsTest, ACustomerIsMigratedOnlyOnce)
{
    const qint64 alpine = customerNamed(QStringLiteral("Alpine Foods"));
    ASSERT_TRUE(m_transfers->migrateToReseller(*m_admin, alpine, DemoData::demoPassword()));

    MigrateCustomerDialog dialog(*m_admin, services(), alpine);
    dialog.show();
    EXPECT_FALSE(find<QPushButton>(dialog, "migrateButton")->isEnabled());
    EXPECT_FALSE(find<QLineEdit>(dialog, "passwordEdit")->isEnabled());
    EXPECT_TRUE(text(dialog, "reasonLabel").contains(QStringLiteral("already migrated")))
        << str(text(dialog, "reasonLabel"));
    screenshot(&dialog, QStringLiteral("migrate-refused"));

    // The core refuses too, and the demo's Litware Inc. was migrated before.
    Result<MigrationResult> again
        = m_transfers->migrateToReseller(*m_admin, alpine, DemoData::demoPassword());
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code(), ErrorCode::InvalidInput);
    MigrateCustomerDialog litware(
        *m_admin, services(), customerNamed(QStringLiteral("Litware Inc.")));
    EXPECT_FALSE(find<QPushButton>(litware, "migrateButton")->isEnabled());
}

TEST_P(TransferDialogsTest, InactiveCustomersCannotBeMigrated)
{
    CustomerQuery query;
    query.status = CustomerStatusFilter::Inactive;
    Result<CustomerPage> inactive = m_customers->listCustomers(*m_admin, query);
    ASSERT_TRUE(inactive.has_value() && !inactive->rows.isEmpty());
    MigrateCustomerDialog dialog(*m_admin, services(), inactive->rows.constFirst().id);
    EXPECT_FALSE(find<QPushButton>(dialog, "migrateButton")->isEnabled());
    EXPECT_TRUE(text(dialog, "reasonLabel").contains(QStringLiteral("inactive")));
}

// --- Other roles: refused by the core, and the dialogs cannot confirm ---

TEST_P(TransferDialogsTest, OnlyAdministratorsMoveCloneOrMigrate)
{
    const qint64 alpine = customerNamed(QStringLiteral("Alpine Foods"));
    const TransferCandidate before = candidate(alpine);
    const std::pair<const char *, Session> roles[]
        = {{"Reseller Admin", resellerAdmin()}, {"Reseller Manager", resellerManager()},
            {"Reseller User", resellerUser()}, {"Support", support()}};
    for (const auto &[role, session] : roles) {
        SCOPED_TRACE(role);
        Result<int> moved = m_transfers->moveCustomer(
            session, alpine, before.version, reseller("Fabrikam Channel"), 0);
        ASSERT_FALSE(moved.has_value());
        EXPECT_EQ(moved.error().code(), ErrorCode::PermissionDenied);
        Result<CloneReport> cloned
            = m_transfers->cloneToReseller(session, {alpine}, reseller("Fabrikam Channel"));
        ASSERT_FALSE(cloned.has_value());
        EXPECT_EQ(cloned.error().code(), ErrorCode::PermissionDenied);
        const int failures = failedSignIns(session);
        Result<MigrationResult> migrated
            = m_transfers->migrateToReseller(session, alpine, DemoData::demoPassword());
        ASSERT_FALSE(migrated.has_value());
        EXPECT_EQ(migrated.error().code(), ErrorCode::PermissionDenied);
        EXPECT_EQ(failedSignIns(session), failures);

        MoveCustomerDialog move(session, services(), alpine);
        EXPECT_FALSE(find<QPushButton>(move, "moveButton")->isEnabled());
        EXPECT_FALSE(text(move, "reasonLabel").isEmpty());
        CloneCustomersDialog clone(session, services(), {alpine});
        EXPECT_FALSE(find<QPushButton>(clone, "cloneButton")->isEnabled());
        MigrateCustomerDialog migrate(session, services(), alpine);
        EXPECT_FALSE(find<QPushButton>(migrate, "migrateButton")->isEnabled());
    }
    const TransferCandidate after = candidate(alpine);
    EXPECT_EQ(after.version, before.version);
    EXPECT_EQ(after.ownerResellerId, before.ownerResellerId);
}

RD_INSTANTIATE_FOR_BACKENDS(TransferDialogsTest);
