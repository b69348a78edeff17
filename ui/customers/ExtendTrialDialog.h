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

// Extend trial (rule 4): a number of days (1 to the max_extension_days
// setting) with the resulting end date shown as it changes, and a required
// reason for the audit log. A running trial is extended from its end, an
// expired one from now; the preview uses the same TrialPolicy arithmetic as
// the core, which decides.
//
// objectNames: "extendTrialDialog", "explanation", "currentEnd", "days",
// "daysHint", "newEnd", "reason", "reasonHint", "extendHint", "conflictBox",
// "conflictMessage", "reloadButton", "extendButton", "cancelButton".
class ExtendTrialDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExtendTrialDialog)

public:
    ExtendTrialDialog(
        const Session &session, UiServices &services, qint64 customerId, QWidget *parent = nullptr);
    ~ExtendTrialDialog() override;

    // The customer's version after the extension; 0 until it succeeded.
    int newVersion() const noexcept { return m_newVersion; }

    // Why the button is disabled; empty when it is enabled.
    QString problem() const;

private:
    void load();
    void updateState();
    void extend();
    void showFailure(const Error &error);
    QString generalProblem() const;
    Result<QDateTime> newEnd() const;

    const Session &m_session;
    UiServices &m_services;
    qint64 m_customerId = 0;
    bool m_mayExtend = false;
    bool m_loaded = false;
    bool m_conflict = false;
    QString m_loadError;
    TrialPolicy m_policy;
    CustomerRow m_customer;
    int m_newVersion = 0;

    ConflictBanner *m_conflictBanner = nullptr;
    QLabel *m_explanation = nullptr;
    QLabel *m_currentEnd = nullptr;
    QSpinBox *m_days = nullptr;
    QLabel *m_daysHint = nullptr;
    QLabel *m_newEnd = nullptr;
    QLineEdit *m_reason = nullptr;
    QLabel *m_reasonHint = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_extend = nullptr;
};

} // namespace rd
