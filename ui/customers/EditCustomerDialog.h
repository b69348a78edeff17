#pragma once

#include <QDialog>
#include <QList>

#include "services/CatalogueService.h"
#include "services/CustomerService.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace rd {

class ConflictBanner;
class Error;
class Session;
struct UiServices;

// Edit customer: company, website, contact, the "no email" flag, plan and
// (administrators) price list. The customer is read once with its version;
// Save applies up to three version-checked changes in turn (details, plan,
// price list), each with the version the previous one returned (rule 14).
// When another desktop changed the customer first, a "changed by someone
// else" box offers Reload, which replaces what was typed with the customer
// as saved.
//
// objectNames: "editCustomerDialog", "company", "companyHint", "website",
// "websiteHint", "contactName", "contactNameHint", "phone", "phoneHint",
// "contactEmail", "noEmail", "plan", "planHint", "priceList" (administrators)
// or "priceListName" (read-only, everyone else), "priceListHint",
// "saveHint", "conflictBox", "conflictMessage", "reloadButton",
// "saveButton", "cancelButton".
class EditCustomerDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditCustomerDialog)

public:
    EditCustomerDialog(
        const Session &session, UiServices &services, qint64 customerId, QWidget *parent = nullptr);
    ~EditCustomerDialog() override;

    // The customer's version after the last change this dialog saved; 0
    // while nothing was saved. Also set when a later part of Save failed and
    // the dialog stayed open, so callers refresh whenever it is not 0.
    int newVersion() const noexcept { return m_newVersion; }

    // Why Save is disabled; empty when it is enabled.
    QString problem() const;

private:
    enum class Part { Details, Plan, PriceList };

    void load();
    void fillPlans(const QString &currentPlanName);
    void fillPriceLists(const QString &currentPriceListName);
    void updateState();
    void save();
    // One part of Save; on success the new version and the saved values
    // become the dialog's starting point.
    Result<int> apply(Part part);
    // Shows a refused change: beside its field, in the conflict box or in a
    // message box, and which parts were saved before it.
    void showFailure(const Error &error, const QList<Part> &saved, const QList<Part> &notSaved);
    QString partNames(const QList<Part> &parts) const;

    // The problem of the whole dialog (not loaded, not allowed, conflict);
    // field problems are shown beside their fields.
    QString generalProblem() const;
    QString companyProblem() const;
    QString websiteProblem() const;
    QString contactNameProblem() const;
    QString phoneProblem() const;
    QString priceProblem() const;

    CustomerEdit typedEdit() const;
    bool detailsChanged() const;
    bool anythingChanged() const;
    qint64 chosenPlanId() const;
    QString chosenPlanName() const;
    qint64 chosenPriceListId() const;
    const PriceListSummary *priceListSummary(qint64 priceListId) const;

    const Session &m_session;
    UiServices &m_services;
    qint64 m_customerId = 0;
    bool m_mayEdit = false;
    bool m_mayChoosePriceList = false;
    bool m_loaded = false;
    bool m_conflict = false;
    QString m_loadError;
    QString m_planLoadError;
    QString m_priceListLoadError;
    QString m_outcome;      // what a partly failed Save did
    CustomerRow m_customer; // as last read or saved
    QList<PriceListSummary> m_priceLists;
    int m_newVersion = 0;

    QWidget *m_fields = nullptr;
    ConflictBanner *m_conflictBanner = nullptr;
    QLineEdit *m_company = nullptr;
    QLabel *m_companyHint = nullptr;
    QLineEdit *m_website = nullptr;
    QLabel *m_websiteHint = nullptr;
    QLineEdit *m_contactName = nullptr;
    QLabel *m_contactNameHint = nullptr;
    QLineEdit *m_phone = nullptr;
    QLabel *m_phoneHint = nullptr;
    QLineEdit *m_contactEmail = nullptr;
    QCheckBox *m_noEmail = nullptr;
    QComboBox *m_plan = nullptr;
    QLabel *m_planHint = nullptr;
    QComboBox *m_priceList = nullptr;     // administrators
    QLineEdit *m_priceListName = nullptr; // everyone else
    QLabel *m_priceListHint = nullptr;
    QLabel *m_saveHint = nullptr;
    QPushButton *m_save = nullptr;
};

} // namespace rd
