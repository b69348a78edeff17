#include "users/AddUserDialog.h"

#include <initializer_list>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/EmailAddress.h"
#include "domain/TextLimits.h"
#include "services/CustomerService.h"
#include "services/Session.h"

namespace rd {

namespace {

constexpr int CustomerIdRole = Qt::UserRole;
constexpr int CustomerNameRole = Qt::UserRole + 1;

QString roleHint(ContextKind kind)
{
    switch (kind) {
    case ContextKind::Vendor:
        return AddUserDialog::tr("Works for the vendor, across every reseller and customer.");
    case ContextKind::Reseller:
        return AddUserDialog::tr("Works in one reseller portal.");
    case ContextKind::Customer:
        return AddUserDialog::tr("Works in one client account.");
    }
    return {};
}

// A form cell holding a field and the lines under it.
QWidget *column(QWidget *parent, std::initializer_list<QWidget *> widgets)
{
    auto *cell = new QWidget(parent);
    auto *layout = new QVBoxLayout(cell);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    for (QWidget *widget : widgets)
        layout->addWidget(widget);
    return cell;
}

} // namespace

AddUserDialog::AddUserDialog(const Session &session, UiServices &services, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("addUserDialog"));
    setWindowTitle(tr("New User"));

    auto *intro = new QLabel(tr("The user signs in with this email address. If it already has a "
                                "login, that login gets access here too and keeps its name and "
                                "password."),
        this);
    intro->setWordWrap(true);

    m_email = new QLineEdit(this);
    m_email->setObjectName(QStringLiteral("email"));
    m_email->setAccessibleName(tr("Email address"));
    m_email->setMaxLength(TextLimits::Email);
    m_email->setPlaceholderText(tr("name@example.com"));
    m_emailError = createReasonLabel(QStringLiteral("emailError"), this);

    m_displayName = new QLineEdit(this);
    m_displayName->setObjectName(QStringLiteral("displayName"));
    m_displayName->setAccessibleName(tr("Name"));
    m_displayName->setMaxLength(TextLimits::UserName);
    m_displayName->setPlaceholderText(tr("Needed when the email has no login yet"));
    m_displayNameError = createReasonLabel(QStringLiteral("displayNameError"), this);

    m_role = new QComboBox(this);
    m_role->setObjectName(QStringLiteral("role"));
    m_role->setAccessibleName(tr("Role"));
    // Only what this session may grant (rule 10); core checks again.
    for (const Role role : m_services.users.grantableRoles(m_session))
        m_role->addItem(roleDisplayName(role), static_cast<int>(role));
    // The least powerful role first: more is a deliberate choice.
    m_role->setCurrentIndex(m_role->count() - 1);
    m_roleHint = new QLabel(this);
    m_roleHint->setObjectName(QStringLiteral("roleHint"));
    calmDown(m_roleHint, palette());
    m_roleError = createReasonLabel(QStringLiteral("roleError"), this);

    m_resellerContext = new QComboBox(this);
    m_resellerContext->setObjectName(QStringLiteral("resellerContext"));
    m_resellerContext->setAccessibleName(tr("Reseller portal"));
    m_resellerContext->setPlaceholderText(tr("Choose a portal"));

    m_clientAccount = new QLabel(this);
    m_clientAccount->setObjectName(QStringLiteral("clientAccount"));
    m_clientAccount->setAccessibleName(tr("Client account"));
    m_clientAccount->setTextFormat(Qt::PlainText);

    m_customerPicker = new QWidget(this);
    m_customerSearch = new QLineEdit(m_customerPicker);
    m_customerSearch->setObjectName(QStringLiteral("customerSearch"));
    m_customerSearch->setAccessibleName(tr("Search client accounts"));
    m_customerSearch->setPlaceholderText(tr("Search company, domain, contact or email"));
    m_customerSearch->setClearButtonEnabled(true);
    m_customerSearch->setMaxLength(TextLimits::CompanyName);
    m_customerResults = new QListWidget(m_customerPicker);
    m_customerResults->setObjectName(QStringLiteral("customerResults"));
    m_customerResults->setAccessibleName(tr("Matching client accounts"));
    m_customerResults->setSelectionMode(QAbstractItemView::SingleSelection);
    m_customerResults->setUniformItemSizes(true);
    m_customerResults->setFixedHeight(m_customerResults->fontMetrics().height() * 7 + 12);
    m_customerSearchHint = new QLabel(m_customerPicker);
    m_customerSearchHint->setObjectName(QStringLiteral("customerSearchHint"));
    calmDown(m_customerSearchHint, palette());
    auto *pickerLayout = new QVBoxLayout(m_customerPicker);
    pickerLayout->setContentsMargins(0, 0, 0, 0);
    pickerLayout->addWidget(m_customerSearch);
    pickerLayout->addWidget(m_customerResults);
    pickerLayout->addWidget(m_customerSearchHint);

    m_contextError = createReasonLabel(QStringLiteral("contextError"), this);

    m_sendInvitation = new QCheckBox(tr("Send &invitation email"), this);
    m_sendInvitation->setObjectName(QStringLiteral("sendInvitation"));
    m_sendInvitation->setChecked(true);
    m_invitationHint = new QLabel(this);
    m_invitationHint->setObjectName(QStringLiteral("invitationHint"));
    calmDown(m_invitationHint, palette());

    m_reasonLabel = createReasonLabel(QStringLiteral("reasonLabel"), this);

    m_vendorContext = new QLabel(UserService::vendorContextName(), this);
    m_vendorContext->setObjectName(QStringLiteral("vendorContext"));

    auto *emailLabel = new QLabel(tr("&Email address:"), this);
    emailLabel->setBuddy(m_email);
    auto *nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_displayName);
    auto *roleLabel = new QLabel(tr("&Role:"), this);
    roleLabel->setBuddy(m_role);
    m_contextLabel = new QLabel(this);

    // Each field with its hints and messages below it in one cell: shown
    // and hidden inside a box layout, the form's rows never change.
    // (QFormLayout in Qt 6.4 mis-sizes rows beside hidden rows once a
    // row wraps text.)
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(emailLabel, column(this, {m_email, m_emailError}));
    form->addRow(nameLabel, column(this, {m_displayName, m_displayNameError}));
    form->addRow(roleLabel, column(this, {m_role, m_roleHint, m_roleError}));
    form->addRow(m_contextLabel,
        column(this,
            {m_vendorContext, m_resellerContext, m_clientAccount, m_customerPicker,
                m_contextError}));
    form->addRow(nullptr, column(this, {m_sendInvitation, m_invitationHint}));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_addButton = buttons->button(QDialogButtonBox::Ok);
    m_addButton->setObjectName(QStringLiteral("addButton"));
    m_addButton->setText(tr("&Add User"));
    m_addButton->setDefault(true);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &AddUserDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AddUserDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(layout->spacing());
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_reasonLabel);
    layout->addWidget(buttons);

    setTabOrder(m_email, m_displayName);
    setTabOrder(m_displayName, m_role);
    setTabOrder(m_role, m_resellerContext);
    setTabOrder(m_resellerContext, m_customerSearch);
    setTabOrder(m_customerSearch, m_customerResults);
    setTabOrder(m_customerResults, m_sendInvitation);
    setTabOrder(m_sendInvitation, m_addButton);
    setTabOrder(m_addButton, cancel);

    m_searchDebounce = new QTimer(this);
    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(200);

    // Any edit makes an earlier refusal from core stale.
    const auto edited = [this] {
        m_serverField = Field::None;
        m_serverMessage.clear();
        updateState();
    };
    connect(m_email, &QLineEdit::textChanged, this, edited);
    connect(m_displayName, &QLineEdit::textChanged, this, edited);
    connect(m_role, &QComboBox::currentIndexChanged, this, [this, edited] {
        roleChanged();
        edited();
        fitHeight(true);
    });
    connect(m_resellerContext, &QComboBox::currentIndexChanged, this, edited);
    connect(m_customerResults, &QListWidget::itemSelectionChanged, this, edited);
    connect(m_sendInvitation, &QCheckBox::toggled, this, edited);
    connect(
        m_customerSearch, &QLineEdit::textChanged, m_searchDebounce, qOverload<>(&QTimer::start));
    connect(m_searchDebounce, &QTimer::timeout, this, &AddUserDialog::searchCustomers);

    setMinimumWidth(fontMetrics().averageCharWidth() * 80);
    resize(minimumWidth(), height());
    roleChanged();
    updateState();
    fitHeight(true);
}

AddUserDialog::~AddUserDialog() = default;

Role AddUserDialog::currentRole() const
{
    return static_cast<Role>(m_role->currentData().toInt());
}

ContextKind AddUserDialog::currentKind() const
{
    return contextKindOf(currentRole());
}

qint64 AddUserDialog::contextId() const
{
    if (m_role->count() == 0)
        return 0;
    switch (currentKind()) {
    case ContextKind::Vendor:
        return 0;
    case ContextKind::Reseller:
        return m_resellerContext->currentIndex() >= 0
            ? m_resellerContext->currentData().toLongLong()
            : 0;
    case ContextKind::Customer:
        if (m_session.customerId() > 0)
            return m_ownAccountId;
        if (const QList<QListWidgetItem *> chosen = m_customerResults->selectedItems();
            !chosen.isEmpty())
            return chosen.constFirst()->data(CustomerIdRole).toLongLong();
        return 0;
    }
    return 0;
}

QString AddUserDialog::contextName() const
{
    switch (currentKind()) {
    case ContextKind::Vendor:
        return UserService::vendorContextName();
    case ContextKind::Reseller:
        return m_resellerContext->currentText();
    case ContextKind::Customer:
        if (m_session.customerId() > 0)
            return m_ownAccountName;
        if (const QList<QListWidgetItem *> chosen = m_customerResults->selectedItems();
            !chosen.isEmpty())
            return chosen.constFirst()->data(CustomerNameRole).toString();
        return {};
    }
    return {};
}

void AddUserDialog::roleChanged()
{
    const bool any = m_role->count() > 0;
    const ContextKind kind = any ? currentKind() : ContextKind::Vendor;
    const bool ownAccount = m_session.customerId() > 0;
    m_roleHint->setText(any ? roleHint(kind) : QString());
    m_roleHint->setVisible(any);
    m_vendorContext->setVisible(any && kind == ContextKind::Vendor);
    m_resellerContext->setVisible(any && kind == ContextKind::Reseller);
    m_clientAccount->setVisible(any && kind == ContextKind::Customer && ownAccount);
    m_customerPicker->setVisible(any && kind == ContextKind::Customer && !ownAccount);
    switch (kind) {
    case ContextKind::Vendor:
        m_contextLabel->setText(tr("Context:"));
        m_contextLabel->setBuddy(nullptr);
        break;
    case ContextKind::Reseller:
        m_contextLabel->setText(tr("Reseller &portal:"));
        m_contextLabel->setBuddy(m_resellerContext);
        break;
    case ContextKind::Customer:
        m_contextLabel->setText(ownAccount ? tr("Client account:") : tr("Client acc&ount:"));
        m_contextLabel->setBuddy(ownAccount ? nullptr : m_customerSearch);
        break;
    }
    if (!any)
        return;
    // Each kind of context is loaded the first time a role needs it.
    if (kind == ContextKind::Reseller && !m_resellersLoaded)
        loadResellerContexts();
    if (kind == ContextKind::Customer && ownAccount && !m_ownAccountLoaded)
        loadOwnAccount();
    if (kind == ContextKind::Customer && !ownAccount && !m_customersSearched)
        searchCustomers();
}

void AddUserDialog::fitHeight(bool shrink)
{
    // Lines come and go with the role and the messages. The messages wrap
    // (height for width), which a top-level window does not follow by
    // itself: without this, they would be squeezed or leave empty space.
    layout()->activate();
    const int fitting = qMax(hasHeightForWidth() ? heightForWidth(width()) : sizeHint().height(),
        minimumSizeHint().height());
    if (fitting > height() || (shrink && fitting < height()))
        resize(width(), fitting);
}

void AddUserDialog::loadResellerContexts()
{
    m_resellersLoaded = true;
    Result<QList<std::pair<qint64, QString>>> portals
        = m_services.users.resellerContexts(m_session);
    if (!portals) {
        m_resellersError = portals.error().message();
        m_resellerContext->setEnabled(false);
        return;
    }
    const QSignalBlocker block(m_resellerContext);
    for (const auto &[id, name] : std::as_const(*portals))
        m_resellerContext->addItem(name, id);
    // A Reseller Admin or Manager has only the own portal: shown, fixed.
    // Administrators choose (the placeholder shows until then).
    m_resellerContext->setEnabled(m_resellerContext->count() > 1);
    m_resellerContext->setCurrentIndex(m_resellerContext->count() == 1 ? 0 : -1);
}

void AddUserDialog::loadOwnAccount()
{
    m_ownAccountLoaded = true;
    Result<CustomerRow> account = m_services.customers.customer(m_session, m_session.customerId());
    if (!account) {
        m_ownAccountError = account.error().message();
        return;
    }
    m_ownAccountId = account->id;
    m_ownAccountName = account->companyName;
    m_clientAccount->setText(m_ownAccountName);
}

void AddUserDialog::searchCustomers()
{
    m_customersSearched = true;
    m_customerSearchError.clear();
    const qint64 chosen = m_customerResults->selectedItems().isEmpty()
        ? 0
        : m_customerResults->selectedItems().constFirst()->data(CustomerIdRole).toLongLong();

    CustomerQuery query;
    query.search = m_customerSearch->text().trimmed();
    query.limit = SearchLimit;
    Result<CustomerPage> page = m_services.customers.listCustomers(m_session, query);
    {
        const QSignalBlocker block(m_customerResults);
        m_customerResults->clear();
        if (page) {
            for (const CustomerListRow &customer : std::as_const(page->rows)) {
                QString text = customer.domain.isEmpty()
                    ? customer.companyName
                    : tr("%1 — %2").arg(customer.companyName, customer.domain);
                auto *item = new QListWidgetItem(m_customerResults);
                item->setData(CustomerIdRole, customer.id);
                item->setData(CustomerNameRole, customer.companyName);
                item->setToolTip(customer.ownerResellerName.isEmpty()
                        ? tr("Direct account; contact %1").arg(customer.contactName)
                        : tr("Reseller %1; contact %2")
                              .arg(customer.ownerResellerName, customer.contactName));
                if (!customer.active) {
                    // Core refuses new users for a deactivated account (rule 11).
                    text = tr("%1 (deactivated)").arg(text);
                    item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
                }
                item->setText(text);
                if (customer.id == chosen && customer.active)
                    item->setSelected(true);
            }
        }
    }
    if (!page) {
        m_customerSearchError = page.error().message();
        m_customerSearchHint->clear();
    } else if (page->total == 0) {
        m_customerSearchHint->setText(tr("No client account matches."));
    } else if (page->total > page->rows.size()) {
        m_customerSearchHint->setText(
            tr("Showing %1 of %2 accounts; type more to narrow the list.")
                .arg(QLocale().toString(static_cast<qint64>(page->rows.size())),
                    QLocale().toString(page->total)));
    } else {
        m_customerSearchHint->setText(page->total == 1
                ? tr("1 account matches.")
                : tr("%n accounts match.", nullptr, static_cast<int>(page->total)));
    }
    updateState();
}

std::pair<AddUserDialog::Field, QString> AddUserDialog::problem() const
{
    if (m_role->count() == 0)
        return {Field::None, tr("Your role cannot add users.")};
    const QString email = m_email->text().trimmed();
    if (email.isEmpty())
        return {Field::None, tr("Enter the user's email address.")};
    if (Result<EmailAddress> parsed = EmailAddress::parse(email); !parsed)
        return {Field::Email, parsed.error().message()};
    switch (currentKind()) {
    case ContextKind::Vendor:
        break;
    case ContextKind::Reseller:
        if (!m_resellersError.isEmpty())
            return {Field::Context, m_resellersError};
        if (m_resellerContext->count() == 0)
            return {Field::Context, tr("There is no active reseller portal to add the user to.")};
        if (contextId() == 0)
            return {Field::Context, tr("Choose the reseller portal.")};
        break;
    case ContextKind::Customer:
        if (m_session.customerId() > 0) {
            if (!m_ownAccountError.isEmpty())
                return {Field::Context, m_ownAccountError};
        } else if (!m_customerSearchError.isEmpty()) {
            return {Field::Context, m_customerSearchError};
        } else if (contextId() == 0) {
            return {Field::Context, tr("Find the client account and choose it in the list.")};
        }
        break;
    }
    return {Field::None, {}};
}

QLabel *AddUserDialog::labelFor(Field field) const
{
    switch (field) {
    case Field::Email:
        return m_emailError;
    case Field::DisplayName:
        return m_displayNameError;
    case Field::Role:
        return m_roleError;
    case Field::Context:
        return m_contextError;
    case Field::None:
        return m_reasonLabel;
    }
    return m_reasonLabel;
}

void AddUserDialog::showProblem(Field field, const QString &message)
{
    for (const Field each :
        {Field::Email, Field::DisplayName, Field::Role, Field::Context, Field::None}) {
        QLabel *label = labelFor(each);
        label->setText(each == field ? message : QString());
        label->setVisible(!label->text().isEmpty());
    }
    m_addButton->setAccessibleDescription(message);
}

void AddUserDialog::updateState()
{
    const auto [field, message] = problem();
    m_addButton->setEnabled(message.isEmpty());
    if (!message.isEmpty())
        showProblem(field, message);
    else
        showProblem(m_serverField, m_serverMessage);
    m_invitationHint->setText(m_sendInvitation->isChecked()
            ? tr("A new login gets a one-time code to choose its password.")
            : tr("Nothing is sent: a new login can sign in after Reset Password."));
    fitHeight(false);
}

void AddUserDialog::accept()
{
    if (!problem().second.isEmpty())
        return;
    NewUser input;
    input.email = m_email->text().trimmed();
    input.displayName = m_displayName->text().trimmed();
    input.role = currentRole();
    input.contextId = contextId();
    input.sendInvitation = m_sendInvitation->isChecked();
    const QString context = contextName();

    Result<AddedUser> added = m_services.users.addUser(m_session, input);
    if (!added) {
        const Error &error = added.error();
        const QString &field = error.field();
        Field where = Field::None;
        if (field == QLatin1String("email"))
            where = Field::Email;
        else if (field == QLatin1String("displayName"))
            where = Field::DisplayName;
        else if (field == QLatin1String("role"))
            where = Field::Role;
        else if (field == QLatin1String("contextId")
            || (field.isEmpty() && error.code() == ErrorCode::NotFound))
            where = Field::Context;
        if (where == Field::None) {
            showError(this, tr("New User"), error);
            return;
        }
        m_serverField = where;
        m_serverMessage = error.message();
        updateState();
        if (where == Field::Email)
            m_email->setFocus();
        else if (where == Field::DisplayName)
            m_displayName->setFocus();
        return;
    }

    m_added = *added;
    const QString role = roleDisplayName(input.role);
    if (m_added.existingUser) {
        m_outcome = m_added.invitationId > 0
            ? tr("%1 already had a login, so the membership (%2 in %3) was added to the existing "
                 "login. An email about the new access is queued.")
                  .arg(input.email, role, context)
            : tr("%1 already had a login, so the membership (%2 in %3) was added to the existing "
                 "login. No email was sent.")
                  .arg(input.email, role, context);
    } else {
        m_outcome = m_added.invitationId > 0
            ? tr("%1 was added as %2 in %3. An invitation with a one-time code is queued.")
                  .arg(input.email, role, context)
            : tr("%1 was added as %2 in %3. No invitation was sent; use Reset Password when "
                 "they should sign in.")
                  .arg(input.email, role, context);
    }
    QDialog::accept();
}

} // namespace rd
