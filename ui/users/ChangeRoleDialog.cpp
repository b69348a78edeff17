#include "users/ChangeRoleDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "services/Session.h"
#include "users/UserTableModel.h"

namespace rd {

ChangeRoleDialog::ChangeRoleDialog(
    const Session &session, UiServices &services, const UserListRow &membership, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
    , m_membership(membership)
{
    setObjectName(QStringLiteral("changeRoleDialog"));
    setWindowTitle(tr("Change Role"));

    m_userLabel = new QLabel(this);
    m_userLabel->setObjectName(QStringLiteral("userLabel"));
    m_userLabel->setTextFormat(Qt::PlainText);
    m_contextLabel = new QLabel(this);
    m_contextLabel->setObjectName(QStringLiteral("contextLabel"));
    m_contextLabel->setTextFormat(Qt::PlainText);
    m_currentRole = new QLabel(this);
    m_currentRole->setObjectName(QStringLiteral("currentRole"));

    m_newRole = new QComboBox(this);
    m_newRole->setObjectName(QStringLiteral("newRole"));
    m_newRole->setAccessibleName(tr("New role"));
    // A role of the same kind of context: the membership stays where it is.
    const ContextKind kind = contextKindOf(m_membership.role);
    for (const Role role : m_services.users.grantableRoles(m_session)) {
        if (contextKindOf(role) == kind)
            m_newRole->addItem(roleDisplayName(role), static_cast<int>(role));
    }
    m_newRole->setCurrentIndex(m_newRole->findData(static_cast<int>(m_membership.role)));
    auto *newRoleLabel = new QLabel(tr("&New role:"), this);
    newRoleLabel->setBuddy(m_newRole);
    m_roleError = createReasonLabel(QStringLiteral("roleError"), this);

    auto *form = new QFormLayout;
    form->addRow(tr("User:"), m_userLabel);
    form->addRow(tr("Context:"), m_contextLabel);
    form->addRow(tr("Current role:"), m_currentRole);
    form->addRow(newRoleLabel, m_newRole);
    form->addRow(nullptr, m_roleError);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ChangeRoleDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ChangeRoleDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(buttons);

    connect(m_newRole, &QComboBox::currentIndexChanged, this, [this] {
        m_serverMessage.clear();
        updateState();
    });

    showMembership();
    m_newRole->setFocus();
    setMinimumWidth(fontMetrics().averageCharWidth() * 60);
}

ChangeRoleDialog::~ChangeRoleDialog() = default;

Role ChangeRoleDialog::newRole() const
{
    return m_newRole->currentIndex() >= 0 ? static_cast<Role>(m_newRole->currentData().toInt())
                                          : m_membership.role;
}

void ChangeRoleDialog::showMembership()
{
    m_userLabel->setText(m_membership.displayName.isEmpty()
            ? m_membership.email
            : tr("%1 <%2>").arg(m_membership.displayName, m_membership.email));
    m_contextLabel->setText(UserTableModel::contextText(m_membership));
    m_currentRole->setText(roleDisplayName(m_membership.role));
    updateState();
}

void ChangeRoleDialog::updateState()
{
    QString reason;
    if (m_newRole->count() == 0)
        reason = tr("You cannot give this membership another role.");
    else if (newRole() == m_membership.role)
        reason = tr("Choose a role other than the current one.");
    m_save->setEnabled(reason.isEmpty());
    m_roleError->setText(reason.isEmpty() ? m_serverMessage : reason);
    m_save->setAccessibleDescription(m_roleError->text());
}

void ChangeRoleDialog::accept()
{
    if (!m_save->isEnabled())
        return;
    Result<int> version = m_services.users.changeRole(
        m_session, m_membership.membershipId, m_membership.membershipVersion, newRole());
    if (version) {
        m_newVersion = *version;
        QDialog::accept();
        return;
    }
    const Error &error = version.error();
    if (error.code() == ErrorCode::Conflict) {
        if (askToReload(this, windowTitle(), error))
            reload();
        return;
    }
    if (error.field() == QLatin1String("role")) {
        m_serverMessage = error.message();
        updateState();
        return;
    }
    showError(this, windowTitle(), error);
}

void ChangeRoleDialog::reload()
{
    Result<std::optional<UserListRow>> row
        = m_services.users.findListed(m_session, m_membership.membershipId);
    if (!row) {
        showError(this, windowTitle(), row.error());
        return;
    }
    if (row->has_value()) {
        m_membership = **row;
        m_serverMessage.clear();
        showMembership();
        return;
    }
    showError(this, windowTitle(),
        Error(ErrorCode::NotFound,
            tr("The membership is no longer in your list; someone may have archived it.")));
    reject();
}

} // namespace rd
