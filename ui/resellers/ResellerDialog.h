#pragma once

#include <optional>

#include <QDialog>
#include <QHash>

#include "domain/Error.h"
#include "services/ResellerService.h"

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;

namespace rd {

class Session;
struct UiServices;

// Adds a reseller portal (resellerId 0) or edits one: name, parent,
// commission and override rates, customer scope, pricing and the plans it
// offers. Save calls ResellerService itself; a refusal is shown beside the
// field it concerns and the dialog stays open; an edit that lost against
// another desktop's (Conflict) offers to reload.
//
// objectNames: "resellerDialog", "loadError", "name", "parent",
// "commissionRate", "overrideRate", "scopeAssigned", "scopeAll",
// "scopeExplanation", "pricingChannel", "pricingSelected", "priceList",
// "plans", the reason labels "nameReason", "parentReason",
// "commissionReason", "overrideReason", "priceListReason", "plansReason",
// "saveButton", "cancelButton"; the conflict box "conflictMessage" with
// "reloadButton".
class ResellerDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResellerDialog)

public:
    ResellerDialog(
        const Session &session, UiServices &services, qint64 resellerId, QWidget *parent = nullptr);
    ~ResellerDialog() override;

    // The reseller edited, or the one added once the dialog is accepted.
    qint64 resellerId() const noexcept { return m_resellerId; }
    // Why Save is disabled; empty when it is enabled.
    QString problem() const;

    // Saves through the service; closes only when the service accepted.
    void accept() override;

private:
    struct Problem
    {
        QString field;
        QString message;
    };

    void loadChoices();
    // Reads the reseller being edited and puts its values into the inputs.
    void loadReseller();
    void fillParents(const QList<ResellerSummary> &resellers, qint64 currentParentId);
    void fill(const ResellerSummary &reseller);
    ResellerInput input() const;
    Problem firstProblem() const;
    void inputChanged();
    void updateState();
    void offerReload(const Error &error);

    const Session &m_session;
    UiServices &m_services;
    qint64 m_resellerId = 0;
    int m_version = 0;
    bool m_loaded = true;
    // Why the plan list is empty, when the catalogue could not be read.
    QString m_plansProblem;
    // The last refusal of the service that names a field, until the next edit.
    std::optional<Error> m_serviceError;
    // The resellers the parent drop-down was filled from (names of inactive ones).
    QList<ResellerSummary> m_resellers;

    QLabel *m_loadError = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_parent = nullptr;
    QDoubleSpinBox *m_commission = nullptr;
    QDoubleSpinBox *m_override = nullptr;
    QLabel *m_overrideHint = nullptr;
    QButtonGroup *m_scope = nullptr;
    QRadioButton *m_scopeAssigned = nullptr;
    QRadioButton *m_scopeAll = nullptr;
    QLabel *m_scopeExplanation = nullptr;
    QRadioButton *m_pricingChannel = nullptr;
    QRadioButton *m_pricingSelected = nullptr;
    QComboBox *m_priceList = nullptr;
    QListWidget *m_plans = nullptr;
    QPushButton *m_save = nullptr;
    // Reason labels by the field names Error::field() uses.
    QHash<QString, QLabel *> m_reasons;
};

} // namespace rd
