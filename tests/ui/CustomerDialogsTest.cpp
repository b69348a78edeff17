#include <algorithm>
#include <functional>
#include <stdexcept>

#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "common/Formatting.h"
#include "customers/ConvertTrialDialog.h"
#include "customers/EditCustomerDialog.h"
#include "customers/ExtendTrialDialog.h"
#include "customers/RaiseTrialBudgetDialog.h"
#include "domain/Role.h"
#include "domain/TrialPolicy.h"

using namespace rd;
using namespace rd::test;

namespace {

QList<qint64> comboIds(const QComboBox &combo)
{
    QList<qint64> ids;
    for (int i = 0; i < combo.count(); ++i)
        ids.append(combo.itemData(i).toLongLong());
    return ids;
}

void chooseId(QComboBox &combo, qint64 id)
{
    const int index = combo.findData(id);
    ASSERT_GE(index, 0) << id;
    combo.setCurrentIndex(index);
}

// Closes any message box a dialog opens (none is expected where this is
// used) and remembers its text, so an unexpected box fails the test instead
// of hanging it.
class MessageBoxCatcher final
{
public:
    MessageBoxCatcher()
    {
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                m_texts.append(box->text());
                box->reject();
            }
        });
        m_timer.start();
    }
    const QStringList &texts() const { return m_texts; }

private:
    QTimer m_timer;
    QStringList m_texts;
};

class CustomerDialogsTest : public GuiBackendFixture
{
protected:
    // The first customer the session sees with this status (in company
    // order) that also satisfies accept.
    CustomerListRow customerWhere(const Session &session, CustomerStatusFilter status,
        const std::function<bool(const CustomerListRow &)> &accept = {})
    {
        CustomerQuery query;
        query.status = status;
        query.limit = 1000;
        Result<CustomerPage> page = services().customers.listCustomers(session, query);
        if (!page)
            throw std::runtime_error(page.error().toString().toStdString());
        for (const CustomerListRow &row : page->rows) {
            if (!accept || accept(row))
                return row;
        }
        throw std::runtime_error("no such customer in the demo data");
    }

    // A running trial of Northwind (the Reseller Admin's portal), seen by
    // the Reseller Admin.
    CustomerListRow northwindTrial(int skip = 0)
    {
        const qint64 northwind = resellerAdmin().resellerId();
        return customerWhere(
            resellerAdmin(), CustomerStatusFilter::Trial, [&](const CustomerListRow &row) {
                return row.ownerResellerId == northwind && skip-- == 0;
            });
    }

    CustomerRow reread(qint64 customerId)
    {
        Result<CustomerRow> row = services().customers.customer(admin(), customerId);
        if (!row)
            throw std::runtime_error(row.error().toString().toStdString());
        return *row;
    }

    qint64 planIdByCode(const QString &code)
    {
        for (const PlanRow &plan :
            services().customers.plansFor(admin(), 0).value_or(QList<PlanRow>())) {
            if (plan.code == code)
                return plan.id;
        }
        throw std::runtime_error("no such plan");
    }

    // The happy path of Edit customer for one session.
    void editEverything(const Session &session, qint64 customerId, bool changePriceList)
    {
        const CustomerRow before = reread(customerId);
        EditCustomerDialog dialog(session, services(), customerId);
        dialog.show();
        EXPECT_EQ(find<QLineEdit>(dialog, "company")->text(), before.companyName);
        EXPECT_EQ(find<QLineEdit>(dialog, "contactEmail")->text(), before.contactEmail);
        EXPECT_TRUE(find<QLineEdit>(dialog, "contactEmail")->isReadOnly());
        EXPECT_FALSE(find<QPushButton>(dialog, "saveButton")->isEnabled());
        EXPECT_FALSE(text(dialog, "saveHint").isEmpty()); // nothing changed yet

        type(dialog, "company", QStringLiteral("Renamed Widgets GmbH"));
        type(dialog, "website", QStringLiteral("https://www.Renamed-Example.com/about"));
        EXPECT_EQ(text(dialog, "websiteHint"), QStringLiteral("Saved as: renamed-example.com"));
        type(dialog, "contactName", QStringLiteral("Rita Renamed"));
        type(dialog, "phone", QStringLiteral("+49 30 901820"));
        EXPECT_EQ(text(dialog, "phoneHint"), QStringLiteral("Saved as: +4930901820"));
        find<QCheckBox>(dialog, "noEmail")->setChecked(!before.noEmail);

        auto *plan = find<QComboBox>(dialog, "plan");
        qint64 newPlan = 0;
        for (qint64 id : comboIds(*plan)) {
            if (id != before.planId)
                newPlan = id;
        }
        ASSERT_NE(newPlan, 0);
        chooseId(*plan, newPlan);

        qint64 newPriceList = before.priceListId;
        if (changePriceList) {
            auto *priceList = find<QComboBox>(dialog, "priceList");
            for (qint64 id : comboIds(*priceList)) {
                if (id != before.priceListId)
                    newPriceList = id;
            }
            ASSERT_NE(newPriceList, before.priceListId) << "the price lists are not offered";
            chooseId(*priceList, newPriceList);
            EXPECT_FALSE(text(dialog, "priceListHint").isEmpty()); // the plan's price
        }
        screenshot(&dialog,
            changePriceList ? QStringLiteral("edit-customer-admin")
                            : QStringLiteral("edit-customer-reseller-admin"));

        ASSERT_TRUE(find<QPushButton>(dialog, "saveButton")->isEnabled())
            << dialog.problem().toStdString();
        MessageBoxCatcher boxes;
        find<QPushButton>(dialog, "saveButton")->click();
        EXPECT_TRUE(boxes.texts().isEmpty()) << boxes.texts().join(u'\n').toStdString();
        EXPECT_EQ(dialog.result(), QDialog::Accepted) << text(dialog, "saveHint").toStdString();

        const CustomerRow after = reread(customerId);
        EXPECT_EQ(after.companyName, QStringLiteral("Renamed Widgets GmbH"));
        EXPECT_EQ(after.domain, QStringLiteral("renamed-example.com"));
        EXPECT_EQ(after.contactName, QStringLiteral("Rita Renamed"));
        EXPECT_EQ(after.contactPhone, QStringLiteral("+4930901820"));
        EXPECT_EQ(after.noEmail, !before.noEmail);
        EXPECT_EQ(after.contactEmail, before.contactEmail);
        EXPECT_EQ(after.planId, newPlan);
        EXPECT_EQ(after.priceListId, newPriceList);
        EXPECT_EQ(after.version, dialog.newVersion());
        EXPECT_GT(after.version, before.version);
    }
};

} // namespace

// --- Edit customer ---------------------------------------------------------

TEST_P(CustomerDialogsTest, AdministratorEditsEverythingIncludingThePriceList)
{
    editEverything(admin(), northwindTrial().id, true);
}

TEST_P(CustomerDialogsTest, ResellerAdminEditsTheirCustomer)
{
    editEverything(resellerAdmin(), northwindTrial().id, false);
}

TEST_P(CustomerDialogsTest, InvalidInputKeepsSaveDisabledWithTheReasonBesideTheField)
{
    const qint64 id = northwindTrial().id;
    for (const Session &session : {admin(), resellerAdmin()}) {
        EditCustomerDialog dialog(session, services(), id);
        dialog.show();
        auto *save = find<QPushButton>(dialog, "saveButton");

        type(dialog, "website", QStringLiteral("not a domain"));
        EXPECT_FALSE(save->isEnabled());
        EXPECT_FALSE(text(dialog, "websiteHint").isEmpty());
        EXPECT_FALSE(text(dialog, "websiteHint").startsWith(QStringLiteral("Saved as")));
        EXPECT_TRUE(find<QLabel>(dialog, "websiteHint")->isVisibleTo(&dialog));
        screenshot(&dialog, QStringLiteral("edit-customer-invalid-website"));
        type(dialog, "website", QStringLiteral("example.org"));
        EXPECT_TRUE(save->isEnabled()) << dialog.problem().toStdString();

        type(dialog, "phone", QStringLiteral("12"));
        EXPECT_FALSE(save->isEnabled());
        EXPECT_FALSE(text(dialog, "phoneHint").isEmpty());
        EXPECT_FALSE(text(dialog, "phoneHint").startsWith(QStringLiteral("Saved as")));
        type(dialog, "phone", QString());
        EXPECT_TRUE(save->isEnabled()) << dialog.problem().toStdString();

        type(dialog, "company", QStringLiteral("   "));
        EXPECT_FALSE(save->isEnabled());
        EXPECT_EQ(text(dialog, "companyHint"), QStringLiteral("Enter the company name."));
        EXPECT_TRUE(find<QLabel>(dialog, "companyHint")->isVisibleTo(&dialog));
        type(dialog, "company", QStringLiteral("Still Here Ltd"));
        EXPECT_TRUE(text(dialog, "companyHint").isEmpty());

        type(dialog, "contactName", QString());
        EXPECT_FALSE(save->isEnabled());
        EXPECT_FALSE(text(dialog, "contactNameHint").isEmpty());
    }
    // Nothing was saved.
    EXPECT_EQ(reread(id).version, northwindTrial().version);
}

TEST_P(CustomerDialogsTest, OnlyTheResellersPlansCanBeChosenAndCoreRefusesOthers)
{
    const qint64 northwind = resellerAdmin().resellerId();
    const qint64 enterprise = planIdByCode(QStringLiteral("enterprise"));
    QList<qint64> offered;
    for (const PlanRow &plan :
        services().customers.plansFor(resellerAdmin(), northwind).value_or(QList<PlanRow>()))
        offered.append(plan.id);
    ASSERT_FALSE(offered.isEmpty());
    ASSERT_FALSE(offered.contains(enterprise)); // Northwind does not offer Enterprise

    const CustomerListRow customer = northwindTrial();
    for (const Session &session : {admin(), resellerAdmin()}) {
        EditCustomerDialog dialog(session, services(), customer.id);
        QList<qint64> shown = comboIds(*find<QComboBox>(dialog, "plan"));
        std::sort(shown.begin(), shown.end());
        std::sort(offered.begin(), offered.end());
        EXPECT_EQ(shown, offered);

        const CustomerRow row = reread(customer.id);
        Result<int> refused
            = services().customers.changePlan(session, customer.id, row.version, enterprise);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(refused.error().field(), QStringLiteral("plan"));
        EXPECT_EQ(reread(customer.id).planId, row.planId);
    }
}

TEST_P(CustomerDialogsTest, OnlyAdministratorsChooseThePriceList)
{
    const CustomerListRow customer = northwindTrial();
    {
        EditCustomerDialog dialog(admin(), services(), customer.id);
        auto *priceList = find<QComboBox>(dialog, "priceList");
        EXPECT_TRUE(priceList->isEnabled());
        EXPECT_EQ(priceList->currentData().toLongLong(), reread(customer.id).priceListId);
        EXPECT_EQ(priceList->count(), 2); // Channel EUR and Partner USD
        EXPECT_EQ(dialog.findChild<QLineEdit *>(QStringLiteral("priceListName")), nullptr);
    }
    {
        EditCustomerDialog dialog(resellerAdmin(), services(), customer.id);
        EXPECT_EQ(dialog.findChild<QComboBox *>(QStringLiteral("priceList")), nullptr);
        auto *name = find<QLineEdit>(dialog, "priceListName");
        EXPECT_TRUE(name->isReadOnly());
        EXPECT_FALSE(name->text().isEmpty());
    }

    // Core refuses a Reseller Admin's price list change.
    const CustomerRow row = reread(customer.id);
    qint64 other = 0;
    for (const PriceListSummary &list :
        services().catalogue.priceLists(admin()).value_or(QList<PriceListSummary>())) {
        if (list.priceList.id != row.priceListId)
            other = list.priceList.id;
    }
    Result<int> refused = services().customers.changePriceList(
        resellerAdmin(), customer.id, row.version, other != 0 ? other : row.priceListId);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied)
        << refused.error().toString().toStdString();
    EXPECT_EQ(reread(customer.id).priceListId, row.priceListId);
}

TEST_P(CustomerDialogsTest, AConcurrentEditShowsTheConflictAndReloadReplacesTheForm)
{
    const qint64 id = northwindTrial().id;
    EditCustomerDialog dialog(resellerAdmin(), services(), id);
    dialog.show();
    EXPECT_FALSE(find<QFrame>(dialog, "conflictBox")->isVisible());

    // Someone else saves first.
    const CustomerRow loaded = reread(id);
    CustomerEdit edit;
    edit.companyName = loaded.companyName;
    edit.website = loaded.domain;
    edit.contactName = QStringLiteral("Changed Elsewhere");
    edit.contactPhone = loaded.contactPhone;
    edit.noEmail = loaded.noEmail;
    ASSERT_TRUE(services().customers.editCustomer(admin(), id, loaded.version, edit).has_value());

    type(dialog, "company", QStringLiteral("My Typed Name Ltd"));
    MessageBoxCatcher boxes;
    find<QPushButton>(dialog, "saveButton")->click();
    EXPECT_TRUE(boxes.texts().isEmpty());
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_TRUE(find<QFrame>(dialog, "conflictBox")->isVisible());
    EXPECT_TRUE(text(dialog, "conflictMessage").contains(QStringLiteral("changed by someone else")))
        << text(dialog, "conflictMessage").toStdString();
    EXPECT_TRUE(text(dialog, "conflictMessage").contains(QStringLiteral("replaced")));
    EXPECT_FALSE(find<QPushButton>(dialog, "saveButton")->isEnabled());
    EXPECT_EQ(dialog.newVersion(), 0);
    screenshot(&dialog, QStringLiteral("edit-customer-conflict"));
    EXPECT_EQ(reread(id).companyName, loaded.companyName); // nothing overwritten

    find<QPushButton>(dialog, "reloadButton")->click();
    EXPECT_FALSE(find<QFrame>(dialog, "conflictBox")->isVisible());
    EXPECT_EQ(find<QLineEdit>(dialog, "contactName")->text(), QStringLiteral("Changed Elsewhere"));
    EXPECT_EQ(find<QLineEdit>(dialog, "company")->text(), loaded.companyName); // typed: replaced

    type(dialog, "company", QStringLiteral("My Typed Name Ltd"));
    find<QPushButton>(dialog, "saveButton")->click();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    const CustomerRow after = reread(id);
    EXPECT_EQ(after.companyName, QStringLiteral("My Typed Name Ltd"));
    EXPECT_EQ(after.contactName, QStringLiteral("Changed Elsewhere"));
    EXPECT_EQ(after.version, dialog.newVersion());
}

TEST_P(CustomerDialogsTest, ARoleThatMayNotEditSeesTheCustomerButCannotSave)
{
    const qint64 id = northwindTrial().id;
    for (const Session &session : {resellerUser(), resellerManager(), support()}) {
        EditCustomerDialog dialog(session, services(), id);
        EXPECT_EQ(find<QLineEdit>(dialog, "company")->text(), reread(id).companyName);
        EXPECT_FALSE(find<QPushButton>(dialog, "saveButton")->isEnabled());
        EXPECT_FALSE(text(dialog, "saveHint").isEmpty());
    }
}

// --- Convert trial to paid ---------------------------------------------------

TEST_P(CustomerDialogsTest, ConvertTrialToPaid)
{
    int skip = 0;
    for (const Session &session : {admin(), resellerAdmin()}) {
        const CustomerListRow customer = northwindTrial(skip++);
        ConvertTrialDialog dialog(session, services(), customer.id);
        dialog.show();
        EXPECT_EQ(text(dialog, "company"), customer.companyName);
        EXPECT_EQ(text(dialog, "plan"), customer.planName);
        EXPECT_TRUE(text(dialog, "budget").contains(QLocale().toString(customer.monthlyBudget)))
            << text(dialog, "budget").toStdString();
        EXPECT_TRUE(text(dialog, "trialEnd").contains(dateText(customer.trialEndsAt)));
        EXPECT_NE(text(dialog, "price"), QStringLiteral("Not available"));
        EXPECT_TRUE(text(dialog, "price").contains(customer.priceListName));
        EXPECT_TRUE(find<QPushButton>(dialog, "convertButton")->isEnabled());
        screenshot(&dialog, QStringLiteral("convert-trial"));

        MessageBoxCatcher boxes;
        find<QPushButton>(dialog, "convertButton")->click();
        EXPECT_TRUE(boxes.texts().isEmpty()) << boxes.texts().join(u'\n').toStdString();
        EXPECT_EQ(dialog.result(), QDialog::Accepted);
        const CustomerRow after = reread(customer.id);
        EXPECT_EQ(after.billingStatus, BillingStatus::Paid);
        EXPECT_EQ(after.version, dialog.newVersion());

        // Once paid, the dialog refuses with the reason.
        ConvertTrialDialog again(session, services(), customer.id);
        again.show();
        EXPECT_FALSE(find<QPushButton>(again, "convertButton")->isEnabled());
        EXPECT_TRUE(text(again, "convertHint").contains(QStringLiteral("already a paid account")));
        screenshot(&again, QStringLiteral("convert-trial-already-paid"));
    }
}

TEST_P(CustomerDialogsTest, ConvertAfterAConcurrentChangeOffersReload)
{
    const qint64 id = northwindTrial().id;
    ConvertTrialDialog dialog(resellerAdmin(), services(), id);
    const CustomerRow loaded = reread(id);
    ASSERT_TRUE(services()
                    .customers.raiseTrialBudget(admin(), id, loaded.version, 800, QString())
                    .has_value());
    find<QPushButton>(dialog, "convertButton")->click();
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_FALSE(find<QFrame>(dialog, "conflictBox")->isHidden());
    EXPECT_FALSE(find<QPushButton>(dialog, "convertButton")->isEnabled());
    find<QPushButton>(dialog, "reloadButton")->click();
    EXPECT_TRUE(find<QFrame>(dialog, "conflictBox")->isHidden());
    find<QPushButton>(dialog, "convertButton")->click();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(reread(id).billingStatus, BillingStatus::Paid);
}

// --- Extend trial ------------------------------------------------------------

TEST_P(CustomerDialogsTest, ExtendARunningTrial)
{
    const TrialPolicy policy; // the demo installation keeps the default settings
    int skip = 0;
    for (const Session &session : {admin(), resellerAdmin()}) {
        const CustomerListRow customer = northwindTrial(skip++);
        const CustomerRow before = reread(customer.id);
        ExtendTrialDialog dialog(session, services(), customer.id);
        dialog.show();
        auto *days = find<QSpinBox>(dialog, "days");
        auto *extend = find<QPushButton>(dialog, "extendButton");
        EXPECT_EQ(days->minimum(), 1);
        EXPECT_EQ(days->maximum(), policy.maxExtensionDays());
        days->setValue(policy.maxExtensionDays() + 10); // beyond the limit: impossible
        EXPECT_EQ(days->value(), policy.maxExtensionDays());
        days->setValue(10);

        const QDateTime expected
            = *policy.extend(before.createdAt, before.trialEndsAt, 10, services().clock.now());
        EXPECT_EQ(expected, before.trialEndsAt.addDays(10)); // from the current end
        EXPECT_TRUE(text(dialog, "newEnd").contains(dateText(expected)))
            << text(dialog, "newEnd").toStdString();

        // A reason is required.
        EXPECT_FALSE(extend->isEnabled());
        EXPECT_FALSE(text(dialog, "reasonHint").isEmpty());
        QTest::keyClicks(find<QLineEdit>(dialog, "reason"), QStringLiteral("Waiting for budget"));
        EXPECT_TRUE(extend->isEnabled()) << dialog.problem().toStdString();
        EXPECT_TRUE(text(dialog, "reasonHint").isEmpty());
        screenshot(&dialog, QStringLiteral("extend-trial"));

        MessageBoxCatcher boxes;
        extend->click();
        EXPECT_TRUE(boxes.texts().isEmpty()) << boxes.texts().join(u'\n').toStdString();
        EXPECT_EQ(dialog.result(), QDialog::Accepted);
        const CustomerRow after = reread(customer.id);
        EXPECT_EQ(after.trialEndsAt, expected);
        EXPECT_EQ(after.version, dialog.newVersion());
    }

    // The core refuses more days than the limit.
    const CustomerListRow customer = northwindTrial(5);
    Result<int> refused = services().customers.extendTrial(resellerAdmin(), customer.id,
        customer.version, policy.maxExtensionDays() + 1, QStringLiteral("too long"));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field(), QStringLiteral("days"));
}

TEST_P(CustomerDialogsTest, AnExpiredTrialIsExtendedFromNow)
{
    const QDateTime now = services().clock.now();
    const TrialPolicy policy;
    // Recent enough to have room under the total trial length.
    const CustomerListRow customer = customerWhere(
        admin(), CustomerStatusFilter::TrialExpired, [&](const CustomerListRow &row) {
            return row.createdAt.daysTo(now) < policy.maxTotalTrialDays() - 20;
        });
    ExtendTrialDialog dialog(admin(), services(), customer.id);
    dialog.show();
    EXPECT_TRUE(text(dialog, "explanation").contains(QStringLiteral("from now")));
    EXPECT_TRUE(text(dialog, "currentEnd").contains(QStringLiteral("Expired")));
    find<QSpinBox>(dialog, "days")->setValue(7);
    EXPECT_TRUE(text(dialog, "newEnd").contains(dateText(now.addDays(7))));
    QTest::keyClicks(find<QLineEdit>(dialog, "reason"), QStringLiteral("Second chance"));
    screenshot(&dialog, QStringLiteral("extend-trial-expired"));
    find<QPushButton>(dialog, "extendButton")->click();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(reread(customer.id).trialEndsAt, now.addDays(7));
}

TEST_P(CustomerDialogsTest, ATrialAtItsTotalLengthCannotBeExtended)
{
    const QDateTime now = services().clock.now();
    const TrialPolicy policy;
    const CustomerListRow customer = customerWhere(
        admin(), CustomerStatusFilter::TrialExpired, [&](const CustomerListRow &row) {
            return row.createdAt.daysTo(now) > policy.maxTotalTrialDays();
        });
    ExtendTrialDialog dialog(admin(), services(), customer.id);
    QTest::keyClicks(find<QLineEdit>(dialog, "reason"), QStringLiteral("One more try"));
    EXPECT_FALSE(find<QPushButton>(dialog, "extendButton")->isEnabled());
    EXPECT_TRUE(text(dialog, "daysHint").contains(QStringLiteral("cannot be extended")))
        << text(dialog, "daysHint").toStdString();
}

// --- Raise trial budget --------------------------------------------------------

TEST_P(CustomerDialogsTest, RaiseTheTrialBudget)
{
    const TrialPolicy policy;
    int skip = 0;
    for (const Session &session : {admin(), resellerAdmin()}) {
        const CustomerListRow customer = northwindTrial(skip++);
        RaiseTrialBudgetDialog dialog(session, services(), customer.id);
        dialog.show();
        auto *budget = find<QSpinBox>(dialog, "newBudget");
        auto *raise = find<QPushButton>(dialog, "raiseButton");
        EXPECT_TRUE(
            text(dialog, "currentBudget").contains(QLocale().toString(customer.trialBudget)));
        EXPECT_EQ(budget->minimum(), customer.trialBudget + 1);
        EXPECT_EQ(budget->maximum(), policy.maxTrialBudget());
        budget->setValue(policy.maxTrialBudget() + 1000); // above the max: impossible
        EXPECT_EQ(budget->value(), policy.maxTrialBudget());
        budget->setValue(1500);

        EXPECT_FALSE(raise->isEnabled()); // no reason yet
        EXPECT_FALSE(text(dialog, "reasonHint").isEmpty());
        QTest::keyClicks(find<QLineEdit>(dialog, "reason"), QStringLiteral("Large pilot"));
        EXPECT_TRUE(raise->isEnabled()) << dialog.problem().toStdString();
        screenshot(&dialog, QStringLiteral("raise-trial-budget"));

        MessageBoxCatcher boxes;
        raise->click();
        EXPECT_TRUE(boxes.texts().isEmpty()) << boxes.texts().join(u'\n').toStdString();
        EXPECT_EQ(dialog.result(), QDialog::Accepted);
        const CustomerRow after = reread(customer.id);
        EXPECT_EQ(after.trialBudget, 1500);
        EXPECT_EQ(after.version, dialog.newVersion());

        // The core refuses a budget above the maximum.
        Result<int> refused = services().customers.raiseTrialBudget(session, customer.id,
            after.version, policy.maxTrialBudget() + 1, QStringLiteral("too much"));
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().field(), QStringLiteral("budget"));
    }
}

// --- All dialogs -----------------------------------------------------------------

TEST_P(CustomerDialogsTest, EveryInputIsNamedForTestsAndScreenReadersAndHasAMnemonicLabel)
{
    const qint64 id = northwindTrial().id;
    const Session session = admin();
    EditCustomerDialog edit(session, services(), id);
    ConvertTrialDialog convert(session, services(), id);
    ExtendTrialDialog extend(session, services(), id);
    RaiseTrialBudgetDialog raise(session, services(), id);
    for (const QDialog *dialog :
        std::initializer_list<const QDialog *> {&edit, &convert, &extend, &raise}) {
        SCOPED_TRACE(dialog->objectName().toStdString());
        const auto isInput = [](const QWidget *widget) {
            return qobject_cast<const QLineEdit *>(widget) != nullptr
                || qobject_cast<const QComboBox *>(widget) != nullptr
                || qobject_cast<const QAbstractSpinBox *>(widget) != nullptr;
        };
        // Inputs are reached by the mnemonic of their label.
        QList<const QWidget *> buddies;
        for (const QLabel *label : dialog->findChildren<QLabel *>()) {
            if (isInput(label->buddy())) {
                buddies.append(label->buddy());
                EXPECT_TRUE(label->text().contains(u'&')) << label->text().toStdString();
            }
        }
        for (const QWidget *widget : dialog->findChildren<QWidget *>()) {
            const bool input
                = isInput(widget) || qobject_cast<const QCheckBox *>(widget) != nullptr;
            // A spin box's or combo box's own line edit is part of it.
            if (!input || qobject_cast<const QAbstractSpinBox *>(widget->parentWidget()) != nullptr
                || qobject_cast<const QComboBox *>(widget->parentWidget()) != nullptr)
                continue;
            EXPECT_FALSE(widget->objectName().isEmpty()) << widget->metaObject()->className();
            EXPECT_FALSE(widget->accessibleName().isEmpty()) << widget->objectName().toStdString();
            // A check box carries its own mnemonic.
            if (qobject_cast<const QCheckBox *>(widget) == nullptr) {
                EXPECT_TRUE(buddies.contains(widget)) << widget->objectName().toStdString();
            }
        }
    }
}

// --- Roles that may not change customers -------------------------------------

TEST_P(CustomerDialogsTest, CoreRefusesCustomerChangesToUsersManagersAndSupport)
{
    const CustomerListRow customer = northwindTrial();
    const CustomerRow row = reread(customer.id);
    CustomerEdit edit;
    edit.companyName = QStringLiteral("Should Not Happen");
    edit.contactName = row.contactName;
    for (const Session &session : {resellerUser(), resellerManager(), support()}) {
        SCOPED_TRACE(roleKey(session.role()).toStdString());
        const auto expectDenied = [](const auto &result) {
            ASSERT_FALSE(result.has_value());
            EXPECT_EQ(result.error().code(), ErrorCode::PermissionDenied);
        };
        expectDenied(services().customers.editCustomer(session, row.id, row.version, edit));
        expectDenied(services().customers.convertToPaid(session, row.id, row.version));
        expectDenied(services().customers.extendTrial(
            session, row.id, row.version, 7, QStringLiteral("no")));
        expectDenied(services().customers.raiseTrialBudget(
            session, row.id, row.version, 900, QStringLiteral("no")));

        // The dialogs say so instead of offering the action.
        ConvertTrialDialog convert(session, services(), row.id);
        EXPECT_FALSE(find<QPushButton>(convert, "convertButton")->isEnabled());
        ExtendTrialDialog extend(session, services(), row.id);
        QTest::keyClicks(find<QLineEdit>(extend, "reason"), QStringLiteral("x"));
        EXPECT_FALSE(find<QPushButton>(extend, "extendButton")->isEnabled());
        RaiseTrialBudgetDialog raise(session, services(), row.id);
        EXPECT_FALSE(find<QPushButton>(raise, "raiseButton")->isEnabled());
    }
    EXPECT_EQ(reread(customer.id).version, row.version);
}

TEST_P(CustomerDialogsTest, AResellerAdminCannotChangeAnotherResellersCustomer)
{
    const qint64 northwind = resellerAdmin().resellerId();
    const CustomerListRow other
        = customerWhere(admin(), CustomerStatusFilter::Trial, [&](const CustomerListRow &row) {
              return row.ownerResellerId != northwind && row.ownerResellerId != 0
                  && !row.otherResellerNames.contains(QStringLiteral("Northwind"));
          });
    Result<int> refused
        = services().customers.convertToPaid(resellerAdmin(), other.id, other.version);
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().code() == ErrorCode::PermissionDenied
        || refused.error().code() == ErrorCode::NotFound);

    EditCustomerDialog dialog(resellerAdmin(), services(), other.id);
    EXPECT_FALSE(find<QPushButton>(dialog, "saveButton")->isEnabled());
    EXPECT_FALSE(text(dialog, "saveHint").isEmpty());
}

RD_INSTANTIATE_FOR_BACKENDS(CustomerDialogsTest);
