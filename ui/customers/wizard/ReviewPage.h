#pragma once

#include <QWizardPage>

class QCheckBox;
class QFormLayout;
class QLabel;

namespace rd {

class PlanPage;
struct NewCustomer;

// The last page of the Add Customer wizard: everything entered, read-only,
// and "Send setup email" (rule 5), checked by default. Finish ("Create
// customer") is handled by the wizard.
//
// objectNames: "reviewPage", "summaryCompany", "summaryWebsite",
// "summaryContact", "summaryEmail", "summaryPhone", "summaryReseller",
// "summaryPlan", "summaryPriceList", "summaryPrice", "summaryBilling",
// "sendSetupEmail", "setupEmailExplanation".
class ReviewPage final : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReviewPage)

public:
    ReviewPage(NewCustomer &draft, const PlanPage &planPage, QWidget *parent = nullptr);
    ~ReviewPage() override;

    void initializePage() override;

private:
    QLabel *addSummaryRow(const QString &label, const char *objectName);
    void updateExplanation();

    NewCustomer &m_draft;
    const PlanPage &m_planPage;
    QFormLayout *m_summary = nullptr;
    QLabel *m_company = nullptr;
    QLabel *m_website = nullptr;
    QLabel *m_contact = nullptr;
    QLabel *m_email = nullptr;
    QLabel *m_phone = nullptr;
    QLabel *m_reseller = nullptr;
    QLabel *m_plan = nullptr;
    QLabel *m_priceList = nullptr;
    QLabel *m_price = nullptr;
    QLabel *m_billing = nullptr;
    QCheckBox *m_sendSetupEmail = nullptr;
    QLabel *m_explanation = nullptr;
};

} // namespace rd
