#pragma once

#include <QDialog>

#include "domain/TrialPolicy.h"
#include "services/CustomerService.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace rd {

class ConflictBanner;
class Error;
class Session;
struct UiServices;

// Raise trial budget (rule 4): a new identification budget above the
// current one and at most the max_trial_budget setting, with a required
// reason for the audit log. The core checks the same limits and decides.
//
// objectNames: "raiseTrialBudgetDialog", "explanation", "currentBudget",
// "newBudget", "budgetHint", "reason", "reasonHint", "raiseHint",
// "conflictBox", "conflictMessage", "reloadButton", "raiseButton",
// "cancelButton".
class RaiseTrialBudgetDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RaiseTrialBudgetDialog)

public:
    RaiseTrialBudgetDialog(
        const Session &session, UiServices &services, qint64 customerId, QWidget *parent = nullptr);
    ~RaiseTrialBudgetDialog() override;

    // The customer's version after the raise; 0 until it succeeded.
    int newVersion() const noexcept { return m_newVersion; }

    // Why the button is disabled; empty when it is enabled.
    QString problem() const;

private:
    void load();
    void updateState();
    void raise();
    void showFailure(const Error &error);
    QString generalProblem() const;

    const Session &m_session;
    UiServices &m_services;
    qint64 m_customerId = 0;
    bool m_mayRaise = false;
    bool m_loaded = false;
    bool m_conflict = false;
    QString m_loadError;
    TrialPolicy m_policy;
    CustomerRow m_customer;
    int m_newVersion = 0;

    ConflictBanner *m_conflictBanner = nullptr;
    QLabel *m_explanation = nullptr;
    QLabel *m_currentBudget = nullptr;
    QSpinBox *m_newBudget = nullptr;
    QLabel *m_budgetHint = nullptr;
    QLineEdit *m_reason = nullptr;
    QLabel *m_reasonHint = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_raise = nullptr;
};

} // namespace rd
