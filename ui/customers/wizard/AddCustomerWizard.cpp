#include "customers/wizard/AddCustomerWizard.h"

#include <QAbstractButton>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "customers/wizard/CompanyPage.h"
#include "customers/wizard/ContactPage.h"
#include "customers/wizard/PlanPage.h"
#include "customers/wizard/ReviewPage.h"

namespace rd {

AddCustomerWizard::AddCustomerWizard(const Session &session, UiServices &services, QWidget *parent)
    : QWizard(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("addCustomerWizard"));
    setWindowTitle(tr("Add Customer"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setButtonText(QWizard::FinishButton, tr("&Create customer"));

    m_companyPage = new CompanyPage(m_session, m_services, m_draft, this);
    m_contactPage = new ContactPage(m_draft, this);
    m_planPage = new PlanPage(m_session, m_services, m_draft, this);
    m_reviewPage = new ReviewPage(m_draft, *m_planPage, this);
    setPage(CompanyPageId, m_companyPage);
    setPage(ContactPageId, m_contactPage);
    setPage(PlanPageId, m_planPage);
    setPage(ReviewPageId, m_reviewPage);

    button(QWizard::NextButton)->setObjectName(QStringLiteral("nextButton"));
    button(QWizard::BackButton)->setObjectName(QStringLiteral("backButton"));
    button(QWizard::FinishButton)->setObjectName(QStringLiteral("finishButton"));
    button(QWizard::CancelButton)->setObjectName(QStringLiteral("cancelButton"));
    button(QWizard::NextButton)->setAccessibleName(tr("Next"));
    button(QWizard::BackButton)->setAccessibleName(tr("Back"));
    button(QWizard::FinishButton)->setAccessibleName(tr("Create customer"));
    button(QWizard::CancelButton)->setAccessibleName(tr("Cancel"));

    const int em = fontMetrics().averageCharWidth();
    resize(em * 100, fontMetrics().lineSpacing() * 30);
}

AddCustomerWizard::~AddCustomerWizard() = default;

qint64 AddCustomerWizard::createdCustomerId() const
{
    return m_created.customerId;
}

QStringList AddCustomerWizard::warnings() const
{
    return m_created.warnings;
}

const CreatedCustomer &AddCustomerWizard::createdCustomer() const
{
    return m_created;
}

void AddCustomerWizard::accept()
{
    if (currentId() != ReviewPageId || m_created.customerId != 0)
        return;
    Result<CreatedCustomer> created = m_services.customers.addCustomer(m_session, m_draft);
    if (!created) {
        showCreateError(created.error());
        return;
    }
    m_created = *created;
    QWizard::accept();
}

void AddCustomerWizard::showCreateError(const Error &error)
{
    // Back to the page of the field first, so the field can take the focus.
    if (CompanyPage::hasField(error.field())) {
        returnTo(CompanyPageId);
        m_companyPage->showFieldError(error);
    } else if (ContactPage::hasField(error.field())) {
        returnTo(ContactPageId);
        m_contactPage->showFieldError(error);
    } else if (PlanPage::hasField(error.field())) {
        returnTo(PlanPageId);
        m_planPage->showFieldError(error);
    } else {
        showError(this, tr("The customer was not created"), error);
    }
}

void AddCustomerWizard::returnTo(int id)
{
    while (currentId() > id && visitedIds().size() > 1)
        back();
}

} // namespace rd
