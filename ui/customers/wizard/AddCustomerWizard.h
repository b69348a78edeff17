#pragma once

#include <QStringList>
#include <QWizard>

#include "services/CustomerService.h"

namespace rd {

class CompanyPage;
class ContactPage;
class Error;
class PlanPage;
class ReviewPage;
class Session;
struct UiServices;

// Add Customer (DESIGN §2 rules 1-5, §5): Company → Contact → Plan and
// price list → Review. The wizard owns the draft NewCustomer and hands it
// to each page, which fills in its part on Next. Finish ("Create customer")
// calls CustomerService::addCustomer; a refusal that names a field of an
// earlier page goes back to that page and shows the message beside the
// field, anything else is shown in a message box. The wizard is accepted
// only once the customer exists.
//
// objectNames: "addCustomerWizard"; the pages' are listed in their headers.
class AddCustomerWizard final : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddCustomerWizard)

public:
    enum PageId { CompanyPageId, ContactPageId, PlanPageId, ReviewPageId };

    AddCustomerWizard(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~AddCustomerWizard() override;

    // After the wizard was accepted: the new customer, and the core's
    // warnings (e.g. the domain is used by another customer).
    qint64 createdCustomerId() const;
    QStringList warnings() const;
    const CreatedCustomer &createdCustomer() const;

    // Finish: creates the customer and closes only when that worked.
    void accept() override;

private:
    void showCreateError(const Error &error);
    // Goes back through the history to the page id.
    void returnTo(int id);

    const Session &m_session;
    UiServices &m_services;
    NewCustomer m_draft;
    CreatedCustomer m_created;
    CompanyPage *m_companyPage = nullptr;
    ContactPage *m_contactPage = nullptr;
    PlanPage *m_planPage = nullptr;
    ReviewPage *m_reviewPage = nullptr;
};

} // namespace rd
