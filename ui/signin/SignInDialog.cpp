#include "signin/SignInDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace rd {

SignInDialog::SignInDialog(
    Authenticator &authenticator, const QString &databaseName, QWidget *parent)
    : QDialog(parent)
    , m_authenticator(authenticator)
{
    setObjectName(QStringLiteral("signInDialog"));
    setWindowTitle(tr("Sign in to ResellerDesk"));
    setMinimumWidth(440);

    m_pages = new QStackedWidget(this);

    // Page 1: credentials.
    auto *credentials = new QWidget(m_pages);
    auto *form = new QFormLayout;
    m_email = new QLineEdit(credentials);
    m_email->setObjectName(QStringLiteral("email"));
    m_email->setAccessibleName(tr("Email address"));
    m_email->setPlaceholderText(tr("name@example.com"));
    m_password = new QLineEdit(credentials);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&Email:"), m_email);
    form->addRow(tr("&Password:"), m_password);
    auto *database = new QLabel(tr("Database: %1").arg(databaseName), credentials);
    database->setObjectName(QStringLiteral("databaseName"));
    database->setWordWrap(true);
    database->setForegroundRole(QPalette::PlaceholderText);
    m_reason = new QLabel(credentials);
    m_reason->setObjectName(QStringLiteral("reasonLabel"));
    m_reason->setWordWrap(true);
    m_reason->setAccessibleName(tr("Sign-in problem"));
    m_hint = new QLabel(credentials);
    m_hint->setObjectName(QStringLiteral("hintLabel"));
    m_hint->setWordWrap(true);
    m_hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hint->hide();
    auto *credentialsLayout = new QVBoxLayout(credentials);
    credentialsLayout->setContentsMargins(0, 0, 0, 0);
    credentialsLayout->addLayout(form);
    credentialsLayout->addWidget(m_reason);
    credentialsLayout->addWidget(m_hint);
    credentialsLayout->addStretch();
    credentialsLayout->addWidget(database);

    // Page 2: the context, for users with several memberships.
    auto *contexts = new QWidget(m_pages);
    auto *contextsLayout = new QVBoxLayout(contexts);
    contextsLayout->setContentsMargins(0, 0, 0, 0);
    auto *question = new QLabel(tr("You have access in several places. Where do you want to "
                                   "work now?"),
        contexts);
    question->setWordWrap(true);
    m_memberships = new QComboBox(contexts);
    m_memberships->setObjectName(QStringLiteral("membership"));
    m_memberships->setAccessibleName(tr("Where to work"));
    contextsLayout->addWidget(question);
    contextsLayout->addWidget(m_memberships);
    contextsLayout->addStretch();

    m_pages->addWidget(credentials);
    m_pages->addWidget(contexts);

    auto *buttons = new QDialogButtonBox(this);
    m_signIn = buttons->addButton(tr("&Sign in"), QDialogButtonBox::AcceptRole);
    m_signIn->setObjectName(QStringLiteral("signInButton"));
    m_signIn->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    QPushButton *changeDatabase
        = buttons->addButton(tr("Change &Database…"), QDialogButtonBox::ResetRole);
    changeDatabase->setObjectName(QStringLiteral("changeDatabaseButton"));
    changeDatabase->setToolTip(tr("Open another SQLite file or PostgreSQL server"));
    changeDatabase->setAutoDefault(false);
    connect(changeDatabase, &QPushButton::clicked, this, [this] { done(ChangeDatabase); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    layout->addWidget(buttons);

    connect(m_email, &QLineEdit::textChanged, this, &SignInDialog::updateButtons);
    connect(m_password, &QLineEdit::textChanged, this, &SignInDialog::updateButtons);
    // One primary button: "Sign in" on the first page, "Continue" on the second.
    connect(m_signIn, &QPushButton::clicked, this, [this] {
        if (m_pages->currentIndex() == 0)
            signIn();
        else
            choose();
    });
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    updateButtons();
}

void SignInDialog::setHint(const QString &hint)
{
    m_hint->setText(hint);
    m_hint->setVisible(!hint.isEmpty());
}

void SignInDialog::setEmail(const QString &email)
{
    m_email->setText(email);
    m_password->setFocus();
}

QString SignInDialog::secret() const
{
    return m_password->text();
}

void SignInDialog::updateButtons()
{
    if (m_pages->currentIndex() != 0)
        return;
    m_signIn->setEnabled(!m_email->text().trimmed().isEmpty() && !m_password->text().isEmpty());
}

QString SignInDialog::describe(const Membership &membership, const SignInResult &result)
{
    const QString context = result.contextNames.value(membership.id());
    if (membership.contextKind() == ContextKind::Vendor || context.isEmpty())
        return roleDisplayName(membership.role());
    return tr("%1 — %2").arg(roleDisplayName(membership.role()), context);
}

void SignInDialog::signIn()
{
    m_reason->clear();
    Result<SignInResult> signedIn = m_authenticator.signIn(m_email->text(), m_password->text());
    if (!signedIn) {
        m_reason->setText(signedIn.error().message());
        m_password->selectAll();
        m_password->setFocus();
        return;
    }
    m_result = *signedIn;
    if (m_result->mustChangePassword || m_result->memberships.size() == 1) {
        if (!m_result->memberships.isEmpty())
            m_membershipId = m_result->memberships.constFirst().id();
        accept();
        return;
    }
    m_memberships->clear();
    for (const Membership &membership : m_result->memberships)
        m_memberships->addItem(describe(membership, *m_result), membership.id());
    m_pages->setCurrentIndex(1);
    m_signIn->setText(tr("&Continue"));
    m_signIn->setEnabled(true);
    m_memberships->setFocus();
}

void SignInDialog::choose()
{
    m_membershipId = m_memberships->currentData().toLongLong();
    accept();
}

} // namespace rd
