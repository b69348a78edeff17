#include "transfers/MigrateCustomerDialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStringList>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/Error.h"
#include "domain/TextLimits.h"
#include "services/Session.h"

namespace rd {

namespace {

// Basis points per percent.
constexpr int BasisPointsPerPercent = 100;

} // namespace

MigrateCustomerDialog::MigrateCustomerDialog(
    const Session &session, UiServices &services, qint64 customerId, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("migrateCustomerDialog"));
    setWindowTitle(tr("Migrate customer to its own reseller portal"));

    m_companyLabel = new QLabel(this);
    m_companyLabel->setObjectName(QStringLiteral("companyLabel"));
    m_companyLabel->setTextFormat(Qt::PlainText);

    m_portalName = new QLineEdit(this);
    m_portalName->setObjectName(QStringLiteral("portalNameEdit"));
    m_portalName->setAccessibleName(tr("Name of the new portal"));
    m_portalName->setMaxLength(static_cast<int>(TextLimits::ResellerName));
    m_nameReason = createHiddenReasonLabel(
        QStringLiteral("portalNameReason"), tr("Problem with the portal name"), this);

    m_parentLabel = new QLabel(this);
    m_parentLabel->setObjectName(QStringLiteral("parentLabel"));
    m_parentLabel->setTextFormat(Qt::PlainText);
    m_parentLabel->setWordWrap(true);

    m_commission = new QDoubleSpinBox(this);
    m_commission->setObjectName(QStringLiteral("commissionSpin"));
    m_commission->setAccessibleName(tr("Commission rate of the new portal, in percent"));
    m_commission->setRange(0.0, 100.0);
    m_commission->setDecimals(2);
    m_commission->setSingleStep(0.5);
    m_commission->setSuffix(tr(" %"));
    m_commission->setValue(0.0);
    m_rateReason = createHiddenReasonLabel(
        QStringLiteral("commissionReason"), tr("Problem with the commission rate"), this);

    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setAccessibleName(tr("Your password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Confirm with your own password"));
    m_passwordReason = createHiddenReasonLabel(
        QStringLiteral("passwordReason"), tr("Problem with the password"), this);

    auto *form = new QFormLayout;
    form->addRow(tr("Customer:"), m_companyLabel);
    auto *nameLabel = new QLabel(tr("Portal &name:"), this);
    nameLabel->setBuddy(m_portalName);
    form->addRow(nameLabel, m_portalName);
    form->addRow(nullptr, m_nameReason);
    form->addRow(tr("Parent reseller:"), m_parentLabel);
    auto *rateLabel = new QLabel(tr("&Commission rate:"), this);
    rateLabel->setBuddy(m_commission);
    form->addRow(rateLabel, m_commission);
    form->addRow(nullptr, m_rateReason);
    auto *passwordLabel = new QLabel(tr("Your &password:"), this);
    passwordLabel->setBuddy(m_password);
    form->addRow(passwordLabel, m_password);
    form->addRow(nullptr, m_passwordReason);

    m_summaryBox = new QGroupBox(tr("What will happen"), this);
    m_summaryBox->setObjectName(QStringLiteral("summaryBox"));
    m_summary = new QLabel(m_summaryBox);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *summaryLayout = new QVBoxLayout(m_summaryBox);
    summaryLayout->addWidget(m_summary);

    m_reasonLabel = createHiddenReasonLabel(
        QStringLiteral("reasonLabel"), tr("Why Migrate is not available"), this);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_migrateButton = buttons->button(QDialogButtonBox::Ok);
    m_migrateButton->setText(tr("&Migrate"));
    m_migrateButton->setObjectName(QStringLiteral("migrateButton"));
    m_migrateButton->setAccessibleName(tr("Migrate the customer"));
    m_migrateButton->setDefault(true);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addSpacing(layout->spacing());
    layout->addWidget(m_summaryBox);
    layout->addWidget(m_reasonLabel);
    layout->addStretch();
    layout->addWidget(buttons);

    setTabOrder(m_portalName, m_commission);
    setTabOrder(m_commission, m_password);
    setTabOrder(m_password, m_migrateButton);
    setTabOrder(m_migrateButton, cancel);

    connect(buttons, &QDialogButtonBox::accepted, this, &MigrateCustomerDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &MigrateCustomerDialog::reject);
    connect(m_portalName, &QLineEdit::textChanged, this, [this] {
        setReason(m_nameReason, {});
        updateSummary();
        updateState();
    });
    connect(m_commission, &QDoubleSpinBox::valueChanged, this, [this] {
        setReason(m_rateReason, {});
        updateSummary();
    });
    connect(m_password, &QLineEdit::textChanged, this, [this] {
        setReason(m_passwordReason, {});
        updateState();
    });

    setMinimumWidth(fontMetrics().averageCharWidth() * 80);
    load(customerId);
    m_portalName->setFocus();
}

MigrateCustomerDialog::~MigrateCustomerDialog() = default;

void MigrateCustomerDialog::load(qint64 customerId)
{
    Result<QList<TransferCandidate>> found
        = m_services.transfers.candidates(m_session, {customerId});
    if (!found)
        m_loadProblem = found.error().message();
    else if (found->isEmpty())
        m_loadProblem = tr("The customer no longer exists.");
    else
        m_customer = found->constFirst();
    if (m_loadProblem.isEmpty())
        m_loadProblem = m_customer.migrationRefusal;

    m_companyLabel->setText(m_customer.companyName);
    if (m_customer.id == 0)
        m_parentLabel->clear(); // nothing could be read
    else if (m_customer.ownerResellerId > 0)
        m_parentLabel->setText(tr("%1 (the current owner)").arg(m_customer.ownerResellerName));
    else
        m_parentLabel->setText(tr("None: a direct account becomes a top-level reseller"));
    if (m_loadProblem.isEmpty()) {
        // The company's name, or its first free variant when a reseller has it.
        Result<QString> name = m_services.transfers.suggestedPortalName(m_session, customerId);
        m_portalName->setText(name ? *name : m_customer.companyName);
    } else {
        m_portalName->setText(m_customer.companyName);
    }

    const bool usable = m_loadProblem.isEmpty();
    m_portalName->setEnabled(usable);
    m_commission->setEnabled(usable);
    m_password->setEnabled(usable);
    m_summaryBox->setVisible(usable); // nothing will happen
    for (QLabel *reason : {m_nameReason, m_rateReason, m_passwordReason})
        setReason(reason, {});
    updateSummary();
    updateState();
}

int MigrateCustomerDialog::commissionRateBp() const
{
    return qRound(m_commission->value() * BasisPointsPerPercent);
}

void MigrateCustomerDialog::updateSummary()
{
    if (m_customer.id == 0) {
        m_summary->clear();
        return;
    }
    const QString portal = m_portalName->text().trimmed();
    const QString company = m_customer.companyName;
    const QString rate = QLocale().toString(m_commission->value(), 'f', 2);
    QStringList lines;
    if (m_customer.ownerResellerId > 0) {
        lines << tr("A reseller portal \u201c%1\u201d is created with a commission rate of %2 %, "
                    "as a sub-portal of %3, which stays linked to it for commissions.")
                     .arg(portal, rate, m_customer.ownerResellerName);
    } else {
        lines << tr("A reseller portal \u201c%1\u201d is created with a commission rate of %2 %, "
                    "as a top-level reseller (the customer is a direct account).")
                     .arg(portal, rate);
    }
    lines << tr("%1 (%2) becomes the portal's Reseller Admin and keeps their access to %3.")
                 .arg(m_customer.contactName, m_customer.contactEmail, company);
    lines << (m_customer.ownerResellerId > 0
            ? tr("The portal becomes the owner of %1; the assignment to %2 ends and stays in the "
                 "history. Other assignments stay.")
                  .arg(company, m_customer.ownerResellerName)
            : tr("The portal becomes the owner of %1.").arg(company));
    lines << (m_customer.noEmail
            ? tr("No email is sent: %1 is set to \"no email\". Tell %2 yourself.")
                  .arg(company, m_customer.contactName)
            : tr("An invitation email to the portal is sent to %1.").arg(m_customer.contactEmail));
    lines << tr("A customer migrates once; this cannot be repeated.");
    for (QString &line : lines)
        line.prepend(QStringLiteral("\u2022 "));
    m_summary->setText(lines.join(QLatin1Char('\n')));
}

QString MigrateCustomerDialog::problem() const
{
    if (!m_loadProblem.isEmpty())
        return m_loadProblem;
    if (m_portalName->text().trimmed().isEmpty())
        return tr("Enter the portal's name.");
    if (m_password->text().isEmpty())
        return tr("Enter your password to confirm the migration.");
    return {};
}

void MigrateCustomerDialog::updateState()
{
    const QString reason = problem();
    setReason(m_reasonLabel, reason);
    m_migrateButton->setEnabled(reason.isEmpty());
    m_migrateButton->setAccessibleDescription(reason);
}

void MigrateCustomerDialog::accept()
{
    if (!problem().isEmpty())
        return;
    MigrationOptions options;
    options.portalName = m_portalName->text().trimmed();
    options.commissionRateBp = commissionRateBp();
    Result<MigrationResult> migrated = m_services.transfers.migrateToReseller(
        m_session, m_customer.id, m_password->text(), options);
    if (!migrated) {
        showFailure(migrated.error());
        return;
    }
    m_result = *migrated;
    QDialog::accept();
}

void MigrateCustomerDialog::showFailure(const Error &error)
{
    if (error.field() == QLatin1String("password")) {
        // Set after clearing: editing the password clears the reason.
        m_password->selectAll();
        m_password->setFocus();
        setReason(m_passwordReason, error.message());
    } else if (error.field() == QLatin1String("portal_name")) {
        setReason(m_nameReason, error.message());
        m_portalName->setFocus();
    } else if (error.field() == QLatin1String("commission_rate")) {
        setReason(m_rateReason, error.message());
        m_commission->setFocus();
    } else {
        showError(this, tr("Migrate customer"), error);
    }
}

} // namespace rd
