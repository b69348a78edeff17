#pragma once

#include <optional>

#include <QList>
#include <QWizardPage>

#include "services/CatalogueService.h"

class QComboBox;
class QGridLayout;
class QLabel;
class QRadioButton;

namespace rd {

class Error;
class Session;
struct NewCustomer;
struct UiServices;

// The third page of the Add Customer wizard: the reseller (a Reseller
// Admin's own portal, fixed; an Administrator's choice among the active
// resellers or a direct account), the plan (only the plans the reseller
// offers, rule 3), the price list (the reseller's pricing; administrators
// may choose another) and trial or paid (rule 4).
//
// objectNames: "planPage", "reseller" (combo, administrators) or
// "resellerName" (label), "resellerReason", "plan", "planReason",
// "priceList" (combo, administrators) or "priceListName" (label),
// "priceListHint", "price", "priceReason", "trial", "trialTerms", "paid",
// "paidTerms", "trialReason".
class PlanPage final : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlanPage)

public:
    PlanPage(const Session &session, UiServices &services, NewCustomer &draft,
        QWidget *parent = nullptr);
    ~PlanPage() override;

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    // Whether the core error field (Error::field()) is an input of this page.
    static bool hasField(const QString &field);

    // Shows a core refusal beside its field when the field is on this page
    // ("reseller", "plan", "priceList"); false otherwise. The message stays
    // until the choice is changed.
    bool showFieldError(const Error &error);

    // The choices in words, for the review page.
    QString resellerText() const;
    QString planText() const;
    QString priceListText() const;
    QString priceText() const;
    QString billingText() const;

private:
    struct Refusal
    {
        QString field;
        qint64 choice = 0; // the reseller, plan or price list id refused
        QString message;
    };

    bool choosesReseller() const;
    bool choosesPriceList() const;
    qint64 resellerId() const;
    qint64 planId() const;
    // The price list the customer gets with the current choices.
    std::optional<PriceListSummary> priceList() const;
    // The chosen plan's monthly price on that list, in minor units.
    std::optional<qint64> monthlyPrice() const;
    std::optional<Refusal> currentRefusal(const QString &field) const;

    void loadResellers();
    void loadPriceLists();
    void loadTrialTerms();
    void resellerChanged();
    void updateState();
    void setRowText(QLabel *label, const QString &text);
    // "1,099.00 USD" in the user's locale, from integer minor units.
    static QString formatPrice(qint64 minorUnits, const QString &currencyCode);

    const Session &m_session;
    UiServices &m_services;
    NewCustomer &m_draft;
    bool m_loaded = false;

    QGridLayout *m_form = nullptr;
    QComboBox *m_reseller = nullptr;  // administrators
    QLabel *m_resellerName = nullptr; // everyone else
    QLabel *m_resellerReason = nullptr;
    QComboBox *m_plan = nullptr;
    QLabel *m_planReason = nullptr;
    QComboBox *m_priceList = nullptr;  // administrators
    QLabel *m_priceListName = nullptr; // everyone else
    QLabel *m_priceListHint = nullptr;
    QLabel *m_price = nullptr;
    QLabel *m_priceReason = nullptr;
    QRadioButton *m_trial = nullptr;
    QLabel *m_trialTerms = nullptr;
    QRadioButton *m_paid = nullptr;
    QLabel *m_paidTerms = nullptr;
    QLabel *m_trialReason = nullptr;

    QString m_resellerError;              // the resellers could not be read
    QString m_planError;                  // the plans could not be read
    QString m_pricingError;               // the reseller's pricing could not be read
    QString m_priceListsError;            // administrators: the price lists could not be read
    int m_trialDays = 0;                  // 0 when the settings could not be read
    QList<PlanRow> m_plans;               // offered for the chosen reseller
    QList<PriceListSummary> m_priceLists; // administrators: every list
    std::optional<PriceListSummary> m_resellerPricing; // the reseller's own list
    std::optional<Refusal> m_refusal;
};

} // namespace rd
