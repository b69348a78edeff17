#include "customers/wizard/ReviewPage.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "customers/wizard/PlanPage.h"
#include "domain/DomainName.h"
#include "domain/PhoneNumber.h"
#include "security/OneTimeCode.h"
#include "services/CustomerService.h"

namespace rd {

namespace {

QString orDash(const QString &text)
{
    return text.isEmpty() ? QString(QChar(0x2014)) : text;
}

} // namespace

ReviewPage::ReviewPage(NewCustomer &draft, const PlanPage &planPage, QWidget *parent)
    : QWizardPage(parent)
    , m_draft(draft)
    , m_planPage(planPage)
{
    setObjectName(QStringLiteral("reviewPage"));
    setTitle(tr("Review"));
    setSubTitle(tr("Check the details, then create the customer. Use Back to change anything."));

    m_summary = new QFormLayout;
    m_company = addSummaryRow(tr("Company:"), "summaryCompany");
    m_website = addSummaryRow(tr("Website:"), "summaryWebsite");
    m_contact = addSummaryRow(tr("Contact:"), "summaryContact");
    m_email = addSummaryRow(tr("Email (login):"), "summaryEmail");
    m_phone = addSummaryRow(tr("Phone:"), "summaryPhone");
    m_reseller = addSummaryRow(tr("Reseller:"), "summaryReseller");
    m_plan = addSummaryRow(tr("Plan:"), "summaryPlan");
    m_priceList = addSummaryRow(tr("Price list:"), "summaryPriceList");
    m_price = addSummaryRow(tr("Monthly price:"), "summaryPrice");
    m_billing = addSummaryRow(tr("Billing:"), "summaryBilling");

    m_sendSetupEmail = new QCheckBox(tr("&Send setup email"), this);
    m_sendSetupEmail->setObjectName(QStringLiteral("sendSetupEmail"));
    m_sendSetupEmail->setAccessibleName(tr("Send setup email"));
    m_sendSetupEmail->setChecked(m_draft.sendSetupEmail);
    m_explanation = createReasonLabel(QStringLiteral("setupEmailExplanation"), this);
    calmDown(m_explanation, palette());

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_summary);
    layout->addSpacing(layout->spacing() * 2);
    layout->addWidget(m_sendSetupEmail);
    layout->addWidget(m_explanation);
    layout->addStretch();

    connect(m_sendSetupEmail, &QCheckBox::toggled, this, [this](bool checked) {
        m_draft.sendSetupEmail = checked;
        updateExplanation();
    });
    updateExplanation();
}

ReviewPage::~ReviewPage() = default;

void ReviewPage::initializePage()
{
    m_company->setText(m_draft.companyName);
    QString website;
    if (!m_draft.website.isEmpty()) {
        Result<DomainName> domain = DomainName::parse(m_draft.website);
        website = domain ? domain->display() : m_draft.website;
    }
    m_website->setText(orDash(website));
    m_contact->setText(m_draft.contactName);
    m_email->setText(m_draft.contactEmail);
    QString phone;
    if (!m_draft.contactPhone.isEmpty()) {
        Result<PhoneNumber> number = PhoneNumber::parse(m_draft.contactPhone, m_draft.phoneRegion);
        phone = number ? number->international() : m_draft.contactPhone;
    }
    m_phone->setText(orDash(phone));
    m_reseller->setText(m_planPage.resellerText());
    m_plan->setText(m_planPage.planText());
    m_priceList->setText(m_planPage.priceListText());
    m_price->setText(m_planPage.priceText());
    m_billing->setText(m_planPage.billingText());
    updateExplanation();
}

QLabel *ReviewPage::addSummaryRow(const QString &label, const char *objectName)
{
    auto *value = new QLabel(this);
    value->setObjectName(QString::fromLatin1(objectName));
    value->setTextFormat(Qt::PlainText);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QString accessible = label;
    accessible.chop(1); // the colon
    value->setAccessibleName(accessible);
    m_summary->addRow(label, value);
    return value;
}

void ReviewPage::updateExplanation()
{
    // Rule 5: unchecked means silence, so say so plainly.
    m_explanation->setText(m_sendSetupEmail->isChecked()
            ? tr("%1 gets an email with the login and a one-time password that is valid for "
                 "%n days, and how to open the client view.",
                nullptr, OneTimeCode::ValidityDays)
                  .arg(orDash(m_draft.contactEmail))
            : tr("The client gets no notification at all that the account exists. You can send "
                 "the setup email later with \u201cResend setup email\u201d in the customer's "
                 "details."));
    m_sendSetupEmail->setAccessibleDescription(m_explanation->text());
}

} // namespace rd
