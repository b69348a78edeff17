#include "customers/wizard/CompanyPage.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>

#include "common/Feedback.h"
#include "common/GridForm.h"
#include "common/UiServices.h"
#include "domain/DomainName.h"
#include "domain/TextLimits.h"
#include "services/CustomerService.h"

namespace rd {

CompanyPage::CompanyPage(
    const Session &session, UiServices &services, NewCustomer &draft, QWidget *parent)
    : QWizardPage(parent)
    , m_session(session)
    , m_services(services)
    , m_draft(draft)
{
    setObjectName(QStringLiteral("companyPage"));
    setTitle(tr("Company"));
    setSubTitle(tr("The client account's company and its website."));

    m_companyName = new QLineEdit(this);
    m_companyName->setObjectName(QStringLiteral("companyName"));
    m_companyName->setAccessibleName(tr("Company name"));
    m_companyName->setPlaceholderText(tr("Required"));
    m_companyReason = createReasonLabel(QStringLiteral("companyNameReason"), this);

    m_website = new QLineEdit(this);
    m_website->setObjectName(QStringLiteral("website"));
    m_website->setAccessibleName(tr("Website domain"));
    m_website->setPlaceholderText(tr("Optional, like example.com"));
    m_websiteHint = createReasonLabel(QStringLiteral("websiteHint"), this);
    calmDown(m_websiteHint, palette());
    m_websiteReason = createReasonLabel(QStringLiteral("websiteReason"), this);
    m_domainConfirm = new QCheckBox(tr("&Use this domain anyway"), this);
    m_domainConfirm->setObjectName(QStringLiteral("domainConfirm"));
    m_domainConfirm->setAccessibleName(tr("Use this domain anyway"));

    m_form = new QGridLayout(this);
    addGridRow(m_form, tr("&Company name:"), m_companyName);
    addGridNote(m_form, m_companyReason);
    addGridRow(m_form, tr("&Website:"), m_website);
    addGridNote(m_form, m_websiteHint);
    addGridNote(m_form, m_websiteReason);
    addGridNote(m_form, m_domainConfirm);
    m_form->setColumnStretch(1, 1);
    m_form->setRowStretch(m_form->rowCount(), 1);

    setTabOrder(m_companyName, m_website);
    setTabOrder(m_website, m_domainConfirm);

    connect(m_companyName, &QLineEdit::textEdited, this, [this] { m_companyEdited = true; });
    connect(m_companyName, &QLineEdit::textChanged, this, &CompanyPage::updateState);
    connect(m_website, &QLineEdit::textChanged, this, &CompanyPage::updateState);
    connect(m_domainConfirm, &QCheckBox::toggled, this, &CompanyPage::completeChanged);

    updateState();
}

CompanyPage::~CompanyPage() = default;

bool CompanyPage::isComplete() const
{
    if (!companyProblem().isEmpty() || !websiteProblem().isEmpty())
        return false;
    return m_domainInUse.isEmpty() || m_domainConfirm->isChecked();
}

bool CompanyPage::validatePage()
{
    if (!isComplete())
        return false;
    const std::optional<DomainName> domain = parsedDomain();
    if (domain && domain->ascii() != m_domainInUse) {
        // Rule 2: a domain other customers use is a warning to confirm.
        Result<int> uses = m_services.customers.domainUseCount(m_session, domain->ascii());
        if (!uses) {
            m_websiteRefusal = Refusal {m_website->text(), uses.error().message()};
            updateState();
            m_website->setFocus();
            return false;
        }
        if (*uses > 0) {
            m_domainInUse = domain->ascii();
            m_domainUseCount = *uses;
            m_domainConfirm->setChecked(false);
            updateState();
            m_domainConfirm->setFocus();
            return false;
        }
    }
    m_draft.companyName = m_companyName->text().trimmed();
    m_draft.website = domain ? domain->ascii() : QString();
    return true;
}

bool CompanyPage::hasField(const QString &field)
{
    return field == QLatin1String("company") || field == QLatin1String("website")
        || field == QLatin1String("domain");
}

bool CompanyPage::showFieldError(const Error &error)
{
    if (error.field() == QLatin1String("company")) {
        m_companyRefusal = Refusal {m_companyName->text(), error.message()};
        updateState();
        m_companyName->setFocus();
        m_companyName->selectAll();
        return true;
    }
    if (error.field() == QLatin1String("website") || error.field() == QLatin1String("domain")) {
        m_websiteRefusal = Refusal {m_website->text(), error.message()};
        updateState();
        m_website->setFocus();
        m_website->selectAll();
        return true;
    }
    return false;
}

void CompanyPage::updateState()
{
    if (m_companyRefusal && m_companyRefusal->value != m_companyName->text())
        m_companyRefusal.reset();
    if (m_websiteRefusal && m_websiteRefusal->value != m_website->text())
        m_websiteRefusal.reset();

    // An untouched empty name is not an error yet: the placeholder says
    // "Required" and Next stays disabled.
    const bool quietlyEmpty = !m_companyEdited && m_companyName->text().trimmed().isEmpty();
    setRowText(m_companyReason, quietlyEmpty ? QString() : companyProblem());

    const QString websiteReason = websiteProblem();
    const std::optional<DomainName> domain = parsedDomain();
    if (!m_domainInUse.isEmpty() && (!domain || domain->ascii() != m_domainInUse)) {
        m_domainInUse.clear();
        m_domainUseCount = 0;
    }
    QString hint;
    if (domain) {
        // An internationalised name is stored in punycode; show both forms.
        const QString display = domain->display();
        hint = display == domain->ascii() ? tr("Saved as: %1").arg(display)
                                          : tr("Saved as: %1 (%2)").arg(display, domain->ascii());
    }
    setRowText(m_websiteHint, hint);
    QString domainWarning;
    if (!m_domainInUse.isEmpty()) {
        domainWarning = m_domainUseCount == 1
            ? tr("Another customer already uses the domain %1. Make sure this is not a customer "
                 "that exists already.")
                  .arg(m_domainInUse)
            : tr("%n other customers already use the domain %1. Make sure this is not a "
                 "customer that exists already.",
                nullptr, m_domainUseCount)
                  .arg(m_domainInUse);
    }
    setRowText(m_websiteReason, !websiteReason.isEmpty() ? websiteReason : domainWarning);
    m_domainConfirm->setVisible(!m_domainInUse.isEmpty());
    if (m_domainInUse.isEmpty())
        m_domainConfirm->setChecked(false);

    m_companyName->setAccessibleDescription(m_companyReason->text());
    m_website->setAccessibleDescription(
        m_websiteReason->text().isEmpty() ? m_websiteHint->text() : m_websiteReason->text());
    emit completeChanged();
}

QString CompanyPage::companyProblem() const
{
    if (m_companyRefusal)
        return m_companyRefusal->message;
    const QString name = m_companyName->text().trimmed();
    if (name.isEmpty())
        return tr("Enter the company name.");
    if (Status fits = TextLimits::checkLength(
            name, TextLimits::CompanyName, QStringLiteral("company"), tr("The company name"));
        !fits)
        return fits.error().message();
    return {};
}

QString CompanyPage::websiteProblem() const
{
    if (m_websiteRefusal)
        return m_websiteRefusal->message;
    if (m_website->text().trimmed().isEmpty())
        return {};
    Result<DomainName> domain = DomainName::parse(m_website->text());
    return domain ? QString() : domain.error().message();
}

std::optional<DomainName> CompanyPage::parsedDomain() const
{
    if (m_website->text().trimmed().isEmpty())
        return std::nullopt;
    Result<DomainName> domain = DomainName::parse(m_website->text());
    if (!domain)
        return std::nullopt;
    return *domain;
}

void CompanyPage::setRowText(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace rd
