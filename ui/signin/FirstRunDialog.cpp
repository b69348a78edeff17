#include "signin/FirstRunDialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "domain/EmailAddress.h"
#include "domain/TextLimits.h"
#include "security/PasswordHasher.h"

namespace rd {

FirstRunDialog::FirstRunDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("firstRunDialog"));
    setWindowTitle(tr("Create the first administrator"));

    auto *title = new QLabel(tr("Create the first administrator"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    title->setFont(titleFont);

    auto *intro = new QLabel(tr("This database has no users yet. The account you create now "
                                "administers everything: resellers, customers and other users. "
                                "You sign in with its email address and password."),
        this);
    intro->setWordWrap(true);

    m_email = new QLineEdit(this);
    m_email->setObjectName(QStringLiteral("email"));
    m_email->setAccessibleName(tr("Email"));
    m_email->setPlaceholderText(tr("name@example.com"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setAccessibleName(tr("Name"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(
        tr("At least %n characters", nullptr, static_cast<int>(PasswordHasher::MinimumLength)));
    m_confirm = new QLineEdit(this);
    m_confirm->setObjectName(QStringLiteral("confirm"));
    m_confirm->setAccessibleName(tr("Confirm password"));
    m_confirm->setEchoMode(QLineEdit::Password);

    auto *form = new QFormLayout;
    form->addRow(tr("&Email:"), m_email);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(tr("&Confirm password:"), m_confirm);

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
    m_okButton->setText(tr("C&reate administrator"));
    m_okButton->setObjectName(QStringLiteral("okButton"));
    m_okButton->setAccessibleName(tr("Create the administrator"));
    m_okButton->setDefault(true);
    QPushButton *demo = buttons->addButton(tr("Fill with &Demo Data"), QDialogButtonBox::ResetRole);
    demo->setObjectName(QStringLiteral("demoDataButton"));
    demo->setAccessibleName(tr("Fill with demo data"));
    demo->setToolTip(tr("Explore ResellerDesk with sample resellers, customers and users "
                        "instead; the demo logins are shown at sign-in"));
    demo->setAutoDefault(false);
    connect(demo, &QPushButton::clicked, this, [this] { done(UseDemoData); });
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addSpacing(layout->spacing());
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(buttons);

    setTabOrder(m_email, m_name);
    setTabOrder(m_name, m_password);
    setTabOrder(m_password, m_confirm);
    setTabOrder(m_confirm, m_okButton);
    setTabOrder(m_okButton, cancel);

    connect(buttons, &QDialogButtonBox::accepted, this, &FirstRunDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &FirstRunDialog::reject);
    for (QLineEdit *edit : {m_email, m_name, m_password, m_confirm})
        connect(edit, &QLineEdit::textChanged, this, &FirstRunDialog::updateState);

    setMinimumWidth(fontMetrics().averageCharWidth() * 75);
    updateState();
}

FirstRunDialog::~FirstRunDialog() = default;

QString FirstRunDialog::email() const
{
    return m_email->text().trimmed();
}

QString FirstRunDialog::displayName() const
{
    return m_name->text().trimmed();
}

QString FirstRunDialog::password() const
{
    return m_password->text();
}

QString FirstRunDialog::problem() const
{
    if (Result<EmailAddress> address = EmailAddress::parse(m_email->text()); !address)
        return address.error().message();
    const QString name = displayName();
    if (name.isEmpty())
        return tr("Enter your name.");
    if (Status fits = TextLimits::checkLength(
            name, TextLimits::UserName, QStringLiteral("name"), tr("Your name"));
        !fits)
        return fits.error().message();
    if (Status strong = PasswordHasher::checkStrength(m_password->text()); !strong)
        return strong.error().message();
    if (m_confirm->text() != m_password->text())
        return tr("The two passwords differ.");
    return {};
}

void FirstRunDialog::setError(const QString &message)
{
    m_reasonLabel->setText(message);
    m_okButton->setAccessibleDescription(message);
}

void FirstRunDialog::accept()
{
    if (problem().isEmpty())
        QDialog::accept();
}

void FirstRunDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        calmDown(m_reasonLabel, palette());
}

void FirstRunDialog::updateState()
{
    const QString reason = problem();
    m_reasonLabel->setText(reason);
    m_okButton->setEnabled(reason.isEmpty());
    m_okButton->setAccessibleDescription(reason);
}

} // namespace rd
