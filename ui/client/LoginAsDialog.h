#pragma once

#include <optional>

#include <QDialog>

#include "services/ImpersonationService.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace rd {

class Session;
struct UiServices;

// Asks who to view and why, then starts the Login As session (rule 9). The
// session row and its audit event are written when the user confirms,
// before the dialog closes; a refusal stays in the dialog with its reason,
// and no client view opens.
//
// objectNames: "loginAsDialog", "targetCombo", "targetHint", "reasonEdit",
// "reasonHint", "explanation", "startButton", "cancelButton".
class LoginAsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginAsDialog)

public:
    LoginAsDialog(const Session &session, UiServices &services, qint64 customerId,
        const QString &companyName, QWidget *parent = nullptr);
    ~LoginAsDialog() override;

    // The session that started; set once the dialog was accepted.
    const std::optional<LoginAsStarted> &started() const noexcept { return m_started; }

    // False when the targets could not be read (the reason is shown).
    bool isUsable() const noexcept { return m_usable; }

    void accept() override;

private:
    void updateState();

    const Session &m_session;
    UiServices &m_services;
    qint64 m_customerId = 0;
    bool m_usable = false;
    QList<LoginAsTarget> m_targets;
    std::optional<LoginAsStarted> m_started;
    QComboBox *m_target = nullptr;
    QLabel *m_targetHint = nullptr;
    QPlainTextEdit *m_reason = nullptr;
    QLabel *m_reasonHint = nullptr;
    QPushButton *m_start = nullptr;
};

} // namespace rd
