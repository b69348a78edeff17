#pragma once

#include <QDialog>
#include <QList>

#include "services/CustomerService.h"
#include "services/TransferService.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace rd {

class Error;
class Session;
struct UiServices;

// Move (§2 rule 7): makes another reseller, or nobody (a direct account),
// the owner of one customer. The plan is checked against the target's plans
// as soon as a target is chosen: when the target does not offer the
// customer's plan, the dialog says so and one of the target's plans must be
// chosen first. Moves the version that was read (rule 14); a concurrent
// change offers a reload.
class MoveCustomerDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MoveCustomerDialog)

public:
    MoveCustomerDialog(
        const Session &session, UiServices &services, qint64 customerId, QWidget *parent = nullptr);
    ~MoveCustomerDialog() override;

    // Why Move is disabled; empty when it is enabled.
    QString problem() const;
    // The customer's version after the move; 0 until it moved.
    int newVersion() const { return m_newVersion; }

    // Moves the customer; closes only when the core accepted the move.
    void accept() override;

private:
    // Reads the customer and the possible targets again and fills the form,
    // keeping the chosen target when it is still one.
    void reload();
    void targetChanged();
    void updateState();
    void clearErrors();
    void showFailure(const Error &error);
    qint64 chosenTarget() const;
    qint64 chosenPlan() const;

    const Session &m_session;
    UiServices &m_services;
    qint64 m_customerId = 0;
    TransferCandidate m_customer;
    QString m_loadProblem; // why nothing can be moved (not found, not allowed)
    QList<PlanRow> m_targetPlans;
    int m_newVersion = 0;

    QLabel *m_companyLabel = nullptr;
    QLabel *m_ownerLabel = nullptr;
    QLabel *m_planLabel = nullptr;
    QComboBox *m_targetCombo = nullptr;
    QLabel *m_targetReason = nullptr;
    QComboBox *m_planCombo = nullptr;
    QLabel *m_planReason = nullptr;
    QLabel *m_reasonLabel = nullptr;
    QPushButton *m_moveButton = nullptr;
};

} // namespace rd
