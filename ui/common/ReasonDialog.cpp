#include "common/ReasonDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "domain/TextLimits.h"

namespace rd {

ReasonDialog::ReasonDialog(const QString &title, const QString &explanation,
    const QString &confirmText, bool reasonRequired, QWidget *parent)
    : QDialog(parent)
    , m_reasonRequired(reasonRequired)
{
    setObjectName(QStringLiteral("reasonDialog"));
    setWindowTitle(title);

    auto *text = new QLabel(explanation, this);
    text->setObjectName(QStringLiteral("explanation"));
    text->setWordWrap(true);

    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setAccessibleName(tr("Reason"));
    m_reason->setMaxLength(TextLimits::Reason);
    m_reason->setPlaceholderText(reasonRequired ? tr("Required: recorded in the audit log")
                                                : tr("Optional: recorded in the audit log"));
    auto *reasonLabel = new QLabel(tr("&Reason:"), this);
    reasonLabel->setBuddy(m_reason);

    m_hint = createReasonLabel(QStringLiteral("reasonHint"), this);
    calmDown(m_hint, palette());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_confirm = buttons->button(QDialogButtonBox::Ok);
    m_confirm->setObjectName(QStringLiteral("confirmButton"));
    m_confirm->setText(confirmText);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(reasonLabel, m_reason);
    form->addRow(nullptr, m_hint);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(m_reason, &QLineEdit::textChanged, this, &ReasonDialog::updateState);
    updateState();
    resize(qMax(sizeHint().width(), 460), sizeHint().height());
}

ReasonDialog::~ReasonDialog() = default;

QString ReasonDialog::reason() const
{
    return m_reason->text().trimmed();
}

void ReasonDialog::updateState()
{
    const bool missing = m_reasonRequired && reason().isEmpty();
    m_confirm->setEnabled(!missing);
    m_hint->setText(missing ? tr("Give a reason; it is kept with the change.") : QString());
}

} // namespace rd
