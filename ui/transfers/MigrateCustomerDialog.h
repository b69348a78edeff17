#pragma once

#include <QDialog>

#include "services/TransferService.h"

class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace rd {

class Error;
class Session;
struct UiServices;

// Migrate (§2 rule 8): turns one customer into its own reseller portal. The
// administrator chooses the portal's name (the company's by default) and
// commission rate, sees what will happen, and confirms with their own
// password; the core re-checks it (a wrong one counts towards the lock-out).
// Customers the core would refuse whatever is entered (inactive, already
// migrated) are shown with the reason and cannot be confirmed.
class MigrateCustomerDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MigrateCustomerDialog)

public:
    MigrateCustomerDialog(
        const Session &session, UiServices &services, qint64 customerId, QWidget *parent = nullptr);
    ~MigrateCustomerDialog() override;

    // Why Migrate is disabled; empty when it is enabled.
    QString problem() const;
    // What the migration created; set once accepted.
    const MigrationResult &migration() const { return m_result; }

    // Migrates; closes only when the core accepted it.
    void accept() override;

private:
    void load(qint64 customerId);
    void updateSummary();
    void updateState();
    void showFailure(const Error &error);
    int commissionRateBp() const;

    const Session &m_session;
    UiServices &m_services;
    TransferCandidate m_customer;
    QString m_loadProblem; // not found, not allowed, or why the core refuses it
    MigrationResult m_result;

    QLabel *m_companyLabel = nullptr;
    QLineEdit *m_portalName = nullptr;
    QLabel *m_nameReason = nullptr;
    QLabel *m_parentLabel = nullptr;
    QDoubleSpinBox *m_commission = nullptr;
    QLabel *m_rateReason = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_passwordReason = nullptr;
    QGroupBox *m_summaryBox = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_reasonLabel = nullptr;
    QPushButton *m_migrateButton = nullptr;
};

} // namespace rd
