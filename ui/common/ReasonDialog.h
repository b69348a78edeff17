#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace rd {

// Confirms an action that needs (or may take) a reason for the audit
// trail: deactivating, reactivating or archiving a customer, a reseller or
// a membership. The confirm button names the action and stays disabled
// until a required reason is given.
//
// objectNames: "reasonDialog", "explanation", "reason", "reasonHint",
// "confirmButton", "cancelButton".
class ReasonDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReasonDialog)

public:
    ReasonDialog(const QString &title, const QString &explanation, const QString &confirmText,
        bool reasonRequired, QWidget *parent = nullptr);
    ~ReasonDialog() override;

    QString reason() const;

private:
    void updateState();

    bool m_reasonRequired = true;
    QLineEdit *m_reason = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_confirm = nullptr;
};

} // namespace rd
