#pragma once

#include <QDialog>

#include "services/CustomerService.h"

class QLabel;
class QPushButton;

namespace rd {

class ConflictBanner;
class Error;
class Session;
struct UiServices;

// Convert trial to paid (rule 4): shows what the customer gets (plan, the
// plan's full monthly budget, the price on the customer's price list) and
// when the trial ends, then converts the version that was read (rule 14).
// A customer that is already paid is shown with the button disabled and the
// reason.
//
// objectNames: "convertTrialDialog", "explanation", "company", "plan",
// "budget", "price", "trialEnd", "convertHint", "conflictBox",
// "conflictMessage", "reloadButton", "convertButton", "cancelButton".
class ConvertTrialDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConvertTrialDialog)

public:
    ConvertTrialDialog(
        const Session &session, UiServices &services, qint64 customerId, QWidget *parent = nullptr);
    ~ConvertTrialDialog() override;

    // The customer's version after the conversion; 0 until it succeeded.
    int newVersion() const noexcept { return m_newVersion; }

    // Why the button is disabled; empty when it is enabled.
    QString problem() const;

private:
    void load();
    void updateState();
    void convert();
    void showFailure(const Error &error);

    const Session &m_session;
    UiServices &m_services;
    qint64 m_customerId = 0;
    bool m_mayConvert = false;
    bool m_loaded = false;
    bool m_conflict = false;
    QString m_loadError;
    CustomerRow m_customer;
    int m_newVersion = 0;

    ConflictBanner *m_conflictBanner = nullptr;
    QLabel *m_explanation = nullptr;
    QLabel *m_company = nullptr;
    QLabel *m_plan = nullptr;
    QLabel *m_budget = nullptr;
    QLabel *m_price = nullptr;
    QLabel *m_trialEnd = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_convert = nullptr;
};

} // namespace rd
