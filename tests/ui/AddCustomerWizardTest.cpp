#include <stdexcept>

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "customers/wizard/AddCustomerWizard.h"
#include "storage/OutboxRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

class AddCustomerWizardTest : public GuiBackendFixture
{
protected:
    std::unique_ptr<AddCustomerWizard> open(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        auto wizard = std::make_unique<AddCustomerWizard>(*m_session, services());
        wizard->show();
        return wizard;
    }

    static QAbstractButton *nextButton(const AddCustomerWizard &w)
    {
        return w.button(QWizard::NextButton);
    }

    static void next(AddCustomerWizard &w)
    {
        const int before = w.currentId();
        ASSERT_TRUE(nextButton(w)->isEnabled()) << "on page " << before;
        nextButton(w)->click();
        ASSERT_NE(w.currentId(), before) << "Next did not leave page " << before;
    }

    static void fillCompany(AddCustomerWizard &w, const QString &company, const QString &website)
    {
        ASSERT_EQ(w.currentId(), AddCustomerWizard::CompanyPageId);
        type(w, "companyName", company);
        type(w, "website", website);
        next(w);
    }

    static void fillContact(
        AddCustomerWizard &w, const QString &name, const QString &email, const QString &phone = {})
    {
        ASSERT_EQ(w.currentId(), AddCustomerWizard::ContactPageId);
        type(w, "contactName", name);
        type(w, "email", email);
        if (!phone.isEmpty()) {
            auto *region = find<QComboBox>(w, "phoneRegion");
            region->setCurrentIndex(region->findData(QStringLiteral("DE")));
            type(w, "phone", phone);
        }
        next(w);
    }

    qint64 resellerId(const QString &name)
    {
        Result<QList<ResellerSummary>> all = m_resellers->listResellers(admin());
        EXPECT_TRUE(all.has_value());
        for (const ResellerSummary &r : *all) {
            if (r.name == name)
                return r.id;
        }
        throw std::runtime_error("no reseller " + name.toStdString());
    }

    // The customer as the table lists it, found through the service.
    CustomerListRow listed(const QString &company)
    {
        CustomerQuery query;
        query.search = company;
        Result<CustomerPage> page = m_customers->listCustomers(admin(), query);
        EXPECT_TRUE(page.has_value());
        if (!page || page->rows.size() != 1)
            throw std::runtime_error("expected one customer " + company.toStdString());
        return page->rows.constFirst();
    }

    qint64 customerTotal() { return m_customers->listCustomers(admin(), CustomerQuery {})->total; }

    QList<OutboxKind> outboxKinds(qint64 customerId)
    {
        Result<QList<OutboxRow>> rows = OutboxRepository(*m_db).forCustomer(customerId);
        EXPECT_TRUE(rows.has_value());
        QList<OutboxKind> kinds;
        for (const OutboxRow &row : rows.value_or(QList<OutboxRow> {}))
            kinds.append(row.kind);
        return kinds;
    }

    std::unique_ptr<Session> m_session;
};

} // namespace

TEST_P(AddCustomerWizardTest, ResellerAdminAddsATrialCustomerToTheOwnPortal)
{
    auto w = open(resellerAdmin());
    EXPECT_EQ(w->objectName(), QStringLiteral("addCustomerWizard"));

    type(*w, "companyName", QStringLiteral("Blue Harbor Ltd"));
    type(*w, "website", QStringLiteral("https://www.BlueHarbor.example/about"));
    EXPECT_EQ(text(*w, "websiteHint"), QStringLiteral("Saved as: blueharbor.example"));
    EXPECT_FALSE(shown(*w, "websiteReason"));
    next(*w);

    type(*w, "contactName", QStringLiteral("Hana Harbor"));
    type(*w, "email", QStringLiteral("hana@blueharbor.example"));
    auto *region = find<QComboBox>(*w, "phoneRegion");
    region->setCurrentIndex(region->findData(QStringLiteral("DE")));
    type(*w, "phone", QStringLiteral("030 1234567"));
    EXPECT_TRUE(text(*w, "phoneHint").startsWith(QStringLiteral("Saved as: +49301234567")));
    next(*w);

    // The own portal, fixed; only Northwind's plans (no Enterprise); the
    // reseller's price list, read-only.
    ASSERT_EQ(w->currentId(), AddCustomerWizard::PlanPageId);
    EXPECT_EQ(w->findChild<QComboBox *>(QStringLiteral("reseller")), nullptr);
    EXPECT_EQ(text(*w, "resellerName"), QStringLiteral("Northwind Partners"));
    QStringList plans = items(*w, "plan");
    EXPECT_EQ(plans.size(), 3) << plans.join(QLatin1Char('|')).toStdString();
    for (const char *name : {"Starter", "Standard", "Professional"})
        EXPECT_TRUE(plans.filter(QString::fromLatin1(name)).size() == 1) << name;
    EXPECT_TRUE(plans.filter(QStringLiteral("Enterprise")).isEmpty());
    EXPECT_EQ(w->findChild<QComboBox *>(QStringLiteral("priceList")), nullptr);
    EXPECT_EQ(text(*w, "priceListName"), QStringLiteral("Channel EUR (EUR)"));
    EXPECT_FALSE(nextButton(*w)->isEnabled()) << "no plan chosen yet";
    choose(*w, "plan", QStringLiteral("Standard"));
    EXPECT_TRUE(text(*w, "price").contains(QStringLiteral("99.00 EUR")))
        << text(*w, "price").toStdString();
    EXPECT_TRUE(find<QRadioButton>(*w, "trial")->isChecked());
    EXPECT_EQ(text(*w, "trialTerms"), QStringLiteral("14-day trial with 500 identifications"));
    screenshot(w.get(), QStringLiteral("wizard-3-plan-reseller-admin"));
    next(*w);

    ASSERT_EQ(w->currentId(), AddCustomerWizard::ReviewPageId);
    EXPECT_EQ(text(*w, "summaryCompany"), QStringLiteral("Blue Harbor Ltd"));
    EXPECT_EQ(text(*w, "summaryWebsite"), QStringLiteral("blueharbor.example"));
    EXPECT_EQ(text(*w, "summaryEmail"), QStringLiteral("hana@blueharbor.example"));
    EXPECT_EQ(text(*w, "summaryPhone"), QStringLiteral("+49 30 1234567"));
    EXPECT_EQ(text(*w, "summaryReseller"), QStringLiteral("Northwind Partners"));
    EXPECT_TRUE(text(*w, "summaryPlan").startsWith(QStringLiteral("Standard")));
    EXPECT_TRUE(text(*w, "summaryBilling").startsWith(QStringLiteral("Trial")));
    EXPECT_TRUE(find<QCheckBox>(*w, "sendSetupEmail")->isChecked());
    EXPECT_EQ(w->button(QWizard::FinishButton)->text(), QStringLiteral("&Create customer"));
    w->button(QWizard::FinishButton)->click();

    EXPECT_EQ(w->result(), QDialog::Accepted);
    ASSERT_GT(w->createdCustomerId(), 0);
    EXPECT_TRUE(w->warnings().isEmpty());
    Result<CustomerRow> created = m_customers->customer(*m_session, w->createdCustomerId());
    ASSERT_TRUE(created.has_value()) << created.error().toString().toStdString();
    EXPECT_EQ(created->companyName, QStringLiteral("Blue Harbor Ltd"));
    EXPECT_EQ(created->domain, QStringLiteral("blueharbor.example"));
    EXPECT_EQ(created->contactPhone, QStringLiteral("+49301234567"));
    EXPECT_EQ(created->ownerResellerId, resellerId(QStringLiteral("Northwind Partners")));
    EXPECT_EQ(created->billingStatus, BillingStatus::Trial);
    EXPECT_EQ(created->trialBudget, 500);
    const CustomerListRow row = listed(QStringLiteral("Blue Harbor Ltd"));
    EXPECT_EQ(row.planName, QStringLiteral("Standard"));
    EXPECT_EQ(row.priceListName, QStringLiteral("Channel EUR"));
    EXPECT_NE(w->createdCustomer().setupEmailId, 0);
    EXPECT_TRUE(outboxKinds(w->createdCustomerId()).contains(OutboxKind::Setup));
}

TEST_P(AddCustomerWizardTest, AdministratorCreatesAPaidDirectAccount)
{
    auto w = open(admin());
    fillCompany(*w, QStringLiteral("Direct Dynamics GmbH"), QString());
    fillContact(*w, QStringLiteral("Dora Direct"), QStringLiteral("dora@directdynamics.example"));

    ASSERT_EQ(w->currentId(), AddCustomerWizard::PlanPageId);
    auto *reseller = find<QComboBox>(*w, "reseller");
    EXPECT_EQ(reseller->currentText(), QStringLiteral("Direct account (no reseller)"));
    // Active resellers only: Tailspin left the channel.
    EXPECT_FALSE(items(*w, "reseller").contains(QStringLiteral("Tailspin Distribution")));
    EXPECT_TRUE(items(*w, "reseller").contains(QStringLiteral("Contoso Resellers")));
    EXPECT_EQ(items(*w, "plan").size(), 4); // every plan for a direct account
    EXPECT_TRUE(
        find<QComboBox>(*w, "priceList")->currentText().startsWith(QStringLiteral("Channel EUR")));
    choose(*w, "plan", QStringLiteral("Enterprise"));
    EXPECT_TRUE(text(*w, "price").contains(QStringLiteral("999.00 EUR")))
        << text(*w, "price").toStdString();
    find<QRadioButton>(*w, "paid")->click();
    next(*w);

    EXPECT_EQ(text(*w, "summaryReseller"), QStringLiteral("Direct account (no reseller)"));
    EXPECT_TRUE(text(*w, "summaryBilling").startsWith(QStringLiteral("Paid")));
    EXPECT_EQ(text(*w, "summaryWebsite"), QString(QChar(0x2014)));
    w->button(QWizard::FinishButton)->click();

    ASSERT_EQ(w->result(), QDialog::Accepted);
    Result<CustomerRow> created = m_customers->customer(*m_session, w->createdCustomerId());
    ASSERT_TRUE(created.has_value());
    EXPECT_EQ(created->ownerResellerId, 0);
    EXPECT_EQ(created->billingStatus, BillingStatus::Paid);
    const CustomerListRow row = listed(QStringLiteral("Direct Dynamics GmbH"));
    EXPECT_EQ(row.planName, QStringLiteral("Enterprise"));
    EXPECT_EQ(row.priceListName, QStringLiteral("Channel EUR"));
    EXPECT_TRUE(row.ownerResellerName.isEmpty());
}

TEST_P(AddCustomerWizardTest, AdministratorAddsForAnotherResellerWithAnotherPriceList)
{
    auto w = open(admin());
    fillCompany(
        *w, QStringLiteral("Fjord Fisheries SAS"), QStringLiteral("fjord-fisheries.example"));
    fillContact(*w, QStringLiteral("Frida Fjord"), QStringLiteral("frida@fjord-fisheries.example"),
        QStringLiteral("+33 1 42 68 53 00"));

    choose(*w, "reseller", QStringLiteral("Fabrikam Channel"));
    // Fabrikam uses the channel list; the administrator switches to another.
    EXPECT_TRUE(
        find<QComboBox>(*w, "priceList")->currentText().startsWith(QStringLiteral("Channel EUR")));
    EXPECT_TRUE(text(*w, "priceListHint").contains(QStringLiteral("Fabrikam Channel")));
    choose(*w, "plan", QStringLiteral("Standard"));
    choose(*w, "priceList", QStringLiteral("Partner USD"));
    EXPECT_TRUE(text(*w, "price").contains(QStringLiteral("109.00 USD")))
        << text(*w, "price").toStdString();
    find<QRadioButton>(*w, "paid")->click();
    screenshot(w.get(), QStringLiteral("wizard-3-plan"));
    next(*w);

    EXPECT_EQ(text(*w, "summaryPriceList"), QStringLiteral("Partner USD (USD)"));
    EXPECT_EQ(text(*w, "summaryPhone"), QStringLiteral("+33 1 42 68 53 00"));
    screenshot(w.get(), QStringLiteral("wizard-4-review"));
    w->button(QWizard::FinishButton)->click();

    ASSERT_EQ(w->result(), QDialog::Accepted);
    const CustomerListRow row = listed(QStringLiteral("Fjord Fisheries SAS"));
    EXPECT_EQ(row.ownerResellerName, QStringLiteral("Fabrikam Channel"));
    EXPECT_EQ(row.priceListName, QStringLiteral("Partner USD"));
    EXPECT_EQ(row.planName, QStringLiteral("Standard"));
    EXPECT_EQ(row.billingStatus, BillingStatus::Paid);
}

TEST_P(AddCustomerWizardTest, InvalidInputKeepsNextDisabledWithTheReason)
{
    auto w = open(admin());
    // Nothing typed yet: Next is disabled without nagging.
    EXPECT_FALSE(nextButton(*w)->isEnabled());
    EXPECT_FALSE(shown(*w, "companyNameReason"));

    type(*w, "companyName", QString(201, QLatin1Char('x')));
    EXPECT_TRUE(text(*w, "companyNameReason").contains(QStringLiteral("200")));
    EXPECT_FALSE(nextButton(*w)->isEnabled());
    type(*w, "companyName", QString());
    EXPECT_EQ(text(*w, "companyNameReason"), QStringLiteral("Enter the company name."));
    EXPECT_FALSE(nextButton(*w)->isEnabled());
    type(*w, "companyName", QStringLiteral("Valid Company"));
    EXPECT_FALSE(shown(*w, "companyNameReason"));
    EXPECT_TRUE(nextButton(*w)->isEnabled()) << "the website is optional";

    type(*w, "website", QStringLiteral("not a domain"));
    EXPECT_TRUE(shown(*w, "websiteReason"));
    EXPECT_FALSE(shown(*w, "websiteHint"));
    EXPECT_FALSE(nextButton(*w)->isEnabled());
    type(*w, "website", QStringLiteral("valid-company.example"));
    EXPECT_FALSE(shown(*w, "websiteReason"));
    screenshot(w.get(), QStringLiteral("wizard-1-company"));
    next(*w);

    EXPECT_FALSE(nextButton(*w)->isEnabled());
    type(*w, "contactName", QStringLiteral("Val Valid"));
    type(*w, "email", QStringLiteral("val@"));
    EXPECT_TRUE(shown(*w, "emailReason"));
    EXPECT_FALSE(nextButton(*w)->isEnabled());
    type(*w, "email", QStringLiteral("val@valid-company.example"));
    EXPECT_FALSE(shown(*w, "emailReason"));
    EXPECT_TRUE(nextButton(*w)->isEnabled()) << "the phone is optional";

    type(*w, "phone", QStringLiteral("12"));
    EXPECT_TRUE(shown(*w, "phoneReason"));
    EXPECT_FALSE(shown(*w, "phoneHint"));
    EXPECT_FALSE(nextButton(*w)->isEnabled());
    type(*w, "phone", QStringLiteral("+1 202-555-0143 ext. 7"));
    EXPECT_TRUE(shown(*w, "phoneReason"));
    EXPECT_FALSE(nextButton(*w)->isEnabled());
    type(*w, "phone", QStringLiteral("+1 202-555-0143"));
    EXPECT_FALSE(shown(*w, "phoneReason"));
    EXPECT_TRUE(text(*w, "phoneHint").startsWith(QStringLiteral("Saved as: +12025550143")));
    EXPECT_TRUE(nextButton(*w)->isEnabled());
    screenshot(w.get(), QStringLiteral("wizard-2-contact"));
}

TEST_P(AddCustomerWizardTest, DomainOfAnotherCustomerNeedsConfirmation)
{
    auto w = open(admin());
    type(*w, "companyName", QStringLiteral("Alpine Foods Subsidiary"));
    type(*w, "website", QStringLiteral("www.alpinefoods.test"));
    auto *confirm = find<QCheckBox>(*w, "domainConfirm");
    EXPECT_FALSE(confirm->isVisible());
    nextButton(*w)->click();

    // A warning, not an error: it stays on the page until confirmed.
    EXPECT_EQ(w->currentId(), AddCustomerWizard::CompanyPageId);
    EXPECT_TRUE(text(*w, "websiteReason").contains(QStringLiteral("alpinefoods.test")));
    EXPECT_TRUE(confirm->isVisible());
    EXPECT_FALSE(nextButton(*w)->isEnabled());
    screenshot(w.get(), QStringLiteral("wizard-1-company-domain-in-use"));
    confirm->click();
    EXPECT_TRUE(nextButton(*w)->isEnabled());
    next(*w);

    fillContact(*w, QStringLiteral("Sub Sidiary"), QStringLiteral("sub@alpinefoods-sub.example"));
    choose(*w, "plan", QStringLiteral("Starter"));
    next(*w);
    w->button(QWizard::FinishButton)->click();
    ASSERT_EQ(w->result(), QDialog::Accepted);
    ASSERT_EQ(w->warnings().size(), 1);
    EXPECT_TRUE(w->warnings().constFirst().contains(QStringLiteral("alpinefoods.test")));
}

TEST_P(AddCustomerWizardTest, ChangingTheDomainWithdrawsTheWarning)
{
    auto w = open(admin());
    type(*w, "companyName", QStringLiteral("Maybe Alpine"));
    type(*w, "website", QStringLiteral("alpinefoods.test"));
    nextButton(*w)->click();
    ASSERT_TRUE(find<QCheckBox>(*w, "domainConfirm")->isVisible());
    type(*w, "website", QStringLiteral("maybe-alpine.example"));
    EXPECT_FALSE(find<QCheckBox>(*w, "domainConfirm")->isVisible());
    EXPECT_FALSE(shown(*w, "websiteReason"));
    next(*w);
}

TEST_P(AddCustomerWizardTest, DuplicateEmailReturnsToTheContactPageAndCreatesNothing)
{
    const qint64 before = customerTotal();
    auto w = open(admin());
    fillCompany(*w, QStringLiteral("Copycat Foods"), QStringLiteral("copycat.example"));
    // The demo client's login, in another spelling: the same login (rule 1).
    fillContact(*w, QStringLiteral("Priya Again"), QStringLiteral("Priya.Costa@AlpineFoods.test"));
    choose(*w, "plan", QStringLiteral("Starter"));
    next(*w);
    w->button(QWizard::FinishButton)->click();

    EXPECT_NE(w->result(), QDialog::Accepted);
    ASSERT_EQ(w->currentId(), AddCustomerWizard::ContactPageId);
    const QString reason = text(*w, "emailReason");
    EXPECT_TRUE(reason.contains(QStringLiteral("Alpine Foods GmbH"))) << reason.toStdString();
    EXPECT_TRUE(reason.contains(QStringLiteral("Priya.Costa+"))) << reason.toStdString();
    EXPECT_EQ(w->focusWidget(), find<QLineEdit>(*w, "email"));
    EXPECT_FALSE(nextButton(*w)->isEnabled()) << "the refused address cannot be sent again";
    EXPECT_EQ(customerTotal(), before);
    screenshot(w.get(), QStringLiteral("wizard-2-contact-duplicate-email"));

    // The suggested +alias is another login.
    type(*w, "email", QStringLiteral("Priya.Costa+copycat@AlpineFoods.test"));
    EXPECT_FALSE(shown(*w, "emailReason"));
    next(*w);
    next(*w);
    w->button(QWizard::FinishButton)->click();
    EXPECT_EQ(w->result(), QDialog::Accepted);
    EXPECT_EQ(customerTotal(), before + 1);
}

TEST_P(AddCustomerWizardTest, UncheckedSetupEmailQueuesNothing)
{
    auto w = open(resellerAdmin());
    fillCompany(*w, QStringLiteral("Quiet Quarry Ltd"), QStringLiteral("quietquarry.example"));
    fillContact(*w, QStringLiteral("Quinn Quiet"), QStringLiteral("quinn@quietquarry.example"));
    choose(*w, "plan", QStringLiteral("Starter"));
    next(*w);

    auto *send = find<QCheckBox>(*w, "sendSetupEmail");
    EXPECT_TRUE(
        text(*w, "setupEmailExplanation").contains(QStringLiteral("quinn@quietquarry.example")));
    send->click();
    EXPECT_FALSE(send->isChecked());
    EXPECT_TRUE(
        text(*w, "setupEmailExplanation").contains(QStringLiteral("no notification at all")));
    EXPECT_TRUE(text(*w, "setupEmailExplanation").contains(QStringLiteral("Resend setup email")));
    w->button(QWizard::FinishButton)->click();

    ASSERT_EQ(w->result(), QDialog::Accepted);
    EXPECT_EQ(w->createdCustomer().setupEmailId, 0);
    EXPECT_FALSE(outboxKinds(w->createdCustomerId()).contains(OutboxKind::Setup));
}

TEST_P(AddCustomerWizardTest, PlanRefusedByTheCoreIsShownOnThePlanPage)
{
    // Northwind stops offering Standard while the wizard is open (rule 3).
    auto w = open(resellerAdmin());
    fillCompany(*w, QStringLiteral("Late Change Ltd"), QString());
    fillContact(*w, QStringLiteral("Lee Late"), QStringLiteral("lee@latechange.example"));
    choose(*w, "plan", QStringLiteral("Standard"));
    const qint64 standard = find<QComboBox>(*w, "plan")->currentData().toLongLong();
    next(*w);

    const Session administrator = admin();
    const qint64 northwind = resellerId(QStringLiteral("Northwind Partners"));
    Result<ResellerSummary> summary = m_resellers->reseller(administrator, northwind);
    ASSERT_TRUE(summary.has_value());
    ResellerInput input {summary->name, summary->parentId, summary->commissionRateBp,
        summary->overrideRateBp, summary->customerScope, summary->pricing, summary->priceListId,
        summary->planIds};
    input.planIds.removeAll(standard);
    ASSERT_TRUE(m_resellers->editReseller(administrator, northwind, summary->version, input));

    const qint64 before = customerTotal();
    w->button(QWizard::FinishButton)->click();
    EXPECT_NE(w->result(), QDialog::Accepted);
    ASSERT_EQ(w->currentId(), AddCustomerWizard::PlanPageId);
    EXPECT_TRUE(text(*w, "planReason").contains(QStringLiteral("Standard")))
        << text(*w, "planReason").toStdString();
    EXPECT_FALSE(nextButton(*w)->isEnabled());
    EXPECT_EQ(customerTotal(), before);
}

TEST_P(AddCustomerWizardTest, DeactivatedResellerIsReportedOnThePlanPage)
{
    // The portal is deactivated while the wizard is open: it cannot take new
    // customers, which the core reports on the reseller field.
    auto w = open(resellerAdmin());
    fillCompany(*w, QStringLiteral("Closing Time Ltd"), QString());
    fillContact(*w, QStringLiteral("Cleo Closing"), QStringLiteral("cleo@closingtime.example"));
    choose(*w, "plan", QStringLiteral("Starter"));
    next(*w);

    const Session administrator = admin();
    const qint64 northwind = resellerId(QStringLiteral("Northwind Partners"));
    Result<ResellerSummary> summary = m_resellers->reseller(administrator, northwind);
    ASSERT_TRUE(summary.has_value());
    ASSERT_TRUE(m_resellers->setActive(
        administrator, northwind, summary->version, false, QStringLiteral("Test")));

    w->button(QWizard::FinishButton)->click();
    EXPECT_NE(w->result(), QDialog::Accepted);
    ASSERT_EQ(w->currentId(), AddCustomerWizard::PlanPageId);
    EXPECT_TRUE(text(*w, "resellerReason").contains(QStringLiteral("deactivated")))
        << text(*w, "resellerReason").toStdString();
    EXPECT_FALSE(nextButton(*w)->isEnabled());
}

TEST_P(AddCustomerWizardTest, ResellerUserAndSupportAreRefusedByTheCore)
{
    NewCustomer input;
    input.companyName = QStringLiteral("Forbidden Fruit Ltd");
    input.contactName = QStringLiteral("Fred Forbidden");
    input.contactEmail = QStringLiteral("fred@forbidden.example");
    input.planId = m_customers->plansFor(admin(), 0)->constFirst().id;
    for (const Session &session : {resellerUser(), support(), resellerManager()}) {
        Result<CreatedCustomer> created = m_customers->addCustomer(session, input);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code(), ErrorCode::PermissionDenied);
        Result<QList<PlanRow>> plans = m_customers->plansFor(session, session.resellerId());
        ASSERT_FALSE(plans.has_value());
        EXPECT_EQ(plans.error().code(), ErrorCode::PermissionDenied);
    }
    CustomerQuery query;
    query.search = input.companyName;
    EXPECT_EQ(m_customers->listCustomers(admin(), query)->total, 0);

    // Opened anyway (the menu hides it), the wizard cannot get past the plan.
    auto w = open(resellerUser());
    fillCompany(*w, input.companyName, QString());
    fillContact(*w, input.contactName, input.contactEmail);
    EXPECT_TRUE(shown(*w, "planReason"));
    EXPECT_FALSE(nextButton(*w)->isEnabled());
}

TEST_P(AddCustomerWizardTest, ResellerAdminCannotAddToAnotherPortal)
{
    const Session northwindAdmin = resellerAdmin();
    NewCustomer input;
    input.companyName = QStringLiteral("Elsewhere Ltd");
    input.contactName = QStringLiteral("Elle Elsewhere");
    input.contactEmail = QStringLiteral("elle@elsewhere.example");
    input.resellerId = resellerId(QStringLiteral("Contoso Resellers"));
    input.planId
        = m_customers->plansFor(northwindAdmin, northwindAdmin.resellerId())->constFirst().id;
    Result<CreatedCustomer> created = m_customers->addCustomer(northwindAdmin, input);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code(), ErrorCode::PermissionDenied);
    // Nor choose a price list (administrators only).
    input.resellerId = 0;
    input.priceListId = 1;
    created = m_customers->addCustomer(northwindAdmin, input);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code(), ErrorCode::PermissionDenied);
}

namespace {

// The current page: every input has an objectName and an accessible name,
// line edits and combo boxes a label with a mnemonic as their buddy, buttons
// a mnemonic of their own; no mnemonic twice among them and the visible
// wizard buttons.
void expectKeyboardReady(const AddCustomerWizard &w)
{
    QWizardPage *page = w.currentPage();
    QList<QChar> mnemonics;
    const auto addMnemonic = [&](const QString &label) {
        const qsizetype at = label.indexOf(QLatin1Char('&'));
        ASSERT_GE(at, 0) << label.toStdString();
        const QChar key = label.at(at + 1).toLower();
        EXPECT_FALSE(mnemonics.contains(key))
            << "mnemonic " << QString(key).toStdString() << " twice on page " << w.currentId();
        mnemonics.append(key);
    };
    for (const QWizard::WizardButton b :
        {QWizard::BackButton, QWizard::NextButton, QWizard::FinishButton}) {
        if (w.button(b)->isVisible() && w.button(b)->text().contains(QLatin1Char('&')))
            addMnemonic(w.button(b)->text());
    }
    const QList<QLabel *> labels = page->findChildren<QLabel *>();
    int inputs = 0;
    for (QWidget *input : page->findChildren<QWidget *>()) {
        const bool edit = qobject_cast<QLineEdit *>(input) != nullptr
            || qobject_cast<QComboBox *>(input) != nullptr;
        const bool button = qobject_cast<QAbstractButton *>(input) != nullptr;
        if ((!edit && !button) || qobject_cast<QComboBox *>(input->parentWidget()) != nullptr)
            continue;
        ++inputs;
        EXPECT_FALSE(input->objectName().isEmpty()) << input->metaObject()->className();
        EXPECT_FALSE(input->accessibleName().isEmpty()) << input->objectName().toStdString();
        if (button) {
            addMnemonic(static_cast<QAbstractButton *>(input)->text());
            continue;
        }
        const auto buddy = std::find_if(labels.cbegin(), labels.cend(),
            [input](const QLabel *label) { return label->buddy() == input; });
        ASSERT_NE(buddy, labels.cend()) << input->objectName().toStdString();
        addMnemonic((*buddy)->text());
    }
    EXPECT_GE(inputs, 1);
}

} // namespace

TEST_P(AddCustomerWizardTest, EveryInputHasAMnemonicLabelAndAnAccessibleName)
{
    auto w = open(admin());
    expectKeyboardReady(*w);
    // Tab goes down the form.
    auto *company = find<QLineEdit>(*w, "companyName");
    QWidget *after = company->nextInFocusChain();
    while ((after->focusPolicy() & Qt::TabFocus) != Qt::TabFocus || !after->isVisible())
        after = after->nextInFocusChain();
    EXPECT_EQ(after, find<QLineEdit>(*w, "website"));
    fillCompany(*w, QStringLiteral("Keyboard Kings"), QStringLiteral("keyboardkings.example"));
    expectKeyboardReady(*w);
    fillContact(*w, QStringLiteral("Kim King"), QStringLiteral("kim@keyboardkings.example"));
    expectKeyboardReady(*w);
    choose(*w, "plan", QStringLiteral("Starter"));
    next(*w);
    expectKeyboardReady(*w);
    auto *finish = qobject_cast<QPushButton *>(w->button(QWizard::FinishButton));
    ASSERT_NE(finish, nullptr);
    EXPECT_TRUE(finish->isDefault());
}

RD_INSTANTIATE_FOR_BACKENDS(AddCustomerWizardTest);
