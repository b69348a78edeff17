#include "signin/ChangePasswordDialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "security/PasswordHasher.h"

namespace rd {

ChangePasswordDialog::ChangePasswordDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("changePasswordDialog"));
    setWindowTitle(tr("Choose your password"));

    m_intro = new QLabel(tr("You need a new password, for example because you signed in "
                            "with a temporary one. Choose a password only you know; you "
                            "sign in with it from now on."),
        this);
    m_intro->setWordWrap(true);

    m_newPassword = new QLineEdit(this);
    m_newPassword->setObjectName(QStringLiteral("newPassword"));
    m_newPassword->setAccessibleName(tr("New password"));
    m_newPassword->setEchoMode(QLineEdit::Password);
    m_newPassword->setPlaceholderText(
        tr("At least %n characters", nullptr, static_cast<int>(PasswordHasher::MinimumLength)));
    m_confirm = new QLineEdit(this);
    m_confirm->setObjectName(QStringLiteral("confirm"));
    m_confirm->setAccessibleName(tr("Confirm new password"));
    m_confirm->setEchoMode(QLineEdit::Password);

    auto *form = new QFormLayout;
    form->addRow(tr("&New password:"), m_newPassword);
    form->addRow(tr("&Confirm:"), m_confirm);

    m_reasonLabel = new QLabel(this);
    m_reasonLabel->setObjectName(QStringLiteral("reasonLabel"));
    m_reasonLabel->setAccessibleName(tr("What is missing"));
    m_reasonLabel->setWordWrap(true);
    calmDown(m_reasonLabel, palette());
    m_reasonLabel->setMinimumHeight(m_reasonLabel->fontMetrics().lineSpacing() * 2);
    m_reasonLabel->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    form->addRow(nullptr, m_reasonLabel); // under the fields

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_okButton = buttons->button(QDialogButtonBox::Ok);
    m_okButton->setText(tr("&Set password"));
    m_okButton->setObjectName(QStringLiteral("okButton"));
    m_okButton->setAccessibleName(tr("Set the new password"));
    m_okButton->setDefault(true);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addSpacing(layout->spacing());
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(buttons);

    setTabOrder(m_newPassword, m_confirm);
    setTabOrder(m_confirm, m_okButton);
    setTabOrder(m_okButton, cancel);

    connect(buttons, &QDialogButtonBox::accepted, this, &ChangePasswordDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ChangePasswordDialog::reject);
    for (QLineEdit *edit : {m_newPassword, m_confirm})
        connect(edit, &QLineEdit::textChanged, this, &ChangePasswordDialog::updateState);

    setMinimumWidth(fontMetrics().averageCharWidth() * 70);
    updateState();
}

ChangePasswordDialog::~ChangePasswordDialog() = default;

void ChangePasswordDialog::requireCurrentPassword()
{
    if (m_currentPassword)
        return;
    setWindowTitle(tr("Change your password"));
    m_intro->setText(tr("Enter the password you sign in with now, then the new one twice."));
    m_currentPassword = new QLineEdit(this);
    m_currentPassword->setObjectName(QStringLiteral("currentPassword"));
    m_currentPassword->setAccessibleName(tr("Current password"));
    m_currentPassword->setEchoMode(QLineEdit::Password);
    auto *form = findChild<QFormLayout *>();
    form->insertRow(0, tr("C&urrent password:"), m_currentPassword);
    setTabOrder(m_currentPassword, m_newPassword);
    connect(m_currentPassword, &QLineEdit::textChanged, this, &ChangePasswordDialog::updateState);
    m_currentPassword->setFocus();
    updateState();
}

QString ChangePasswordDialog::currentPassword() const
{
    return m_currentPassword ? m_currentPassword->text() : QString();
}

QString ChangePasswordDialog::newPassword() const
{
    return m_newPassword->text();
}

QString ChangePasswordDialog::problem() const
{
    if (m_currentPassword && m_currentPassword->text().isEmpty())
        return tr("Enter your current password.");
    if (Status strong = PasswordHasher::checkStrength(m_newPassword->text()); !strong)
        return strong.error().message();
    if (m_confirm->text() != m_newPassword->text())
        return tr("The two passwords differ.");
    return {};
}

void ChangePasswordDialog::setError(const QString &message)
{
    m_reasonLabel->setText(message);
    m_okButton->setAccessibleDescription(message);
    QLineEdit *retype = m_currentPassword ? m_currentPassword : m_newPassword;
    retype->setFocus();
    retype->selectAll();
}

void ChangePasswordDialog::accept()
{
    if (problem().isEmpty())
        QDialog::accept();
}

void ChangePasswordDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        calmDown(m_reasonLabel, palette());
}

void ChangePasswordDialog::updateState()
{
    const QString reason = problem();
    m_reasonLabel->setText(reason);
    m_okButton->setEnabled(reason.isEmpty());
    m_okButton->setAccessibleDescription(reason);
}

} // namespace rd
