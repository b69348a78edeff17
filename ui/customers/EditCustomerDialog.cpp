#include "customers/EditCustomerDialog.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/ConflictBanner.h"
#include "common/Feedback.h"
#include "common/Formatting.h"
#include "common/UiServices.h"
#include "domain/DomainName.h"
#include "domain/Permission.h"
#include "domain/PhoneNumber.h"
#include "domain/TextLimits.h"
#include "services/Session.h"

namespace rd {

namespace {

constexpr int PlanNameRole = Qt::UserRole + 1;

// A read-only field that looks it: the window's background instead of the
// input background, still focusable so its text can be selected and copied.
void makeReadOnly(QLineEdit *edit)
{
    edit->setReadOnly(true);
    QPalette palette = edit->palette();
    palette.setColor(QPalette::Base, palette.color(QPalette::Window));
    edit->setPalette(palette);
}

// The country assumed for a phone number typed without "+": the desktop's
// own, or the service's default when the locale names none.
QString phoneRegion()
{
    const QString code = QLocale::territoryToCode(QLocale().territory());
    return code.size() == 2 ? code : CustomerEdit().phoneRegion;
}

std::optional<qint64> priceOf(const PriceListSummary &list, qint64 planId)
{
    for (const auto &[plan, price] : list.prices) {
        if (plan == planId)
            return price;
    }
    return std::nullopt;
}

} // namespace

EditCustomerDialog::EditCustomerDialog(
    const Session &session, UiServices &services, qint64 customerId, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
    , m_customerId(customerId)
    , m_mayEdit(
          PermissionMatrix::allows(session.role(), Capability::ManageCustomers, Access::Write))
    , m_mayChoosePriceList(
          PermissionMatrix::allows(session.role(), Capability::Catalogue, Access::Write))
{
    setObjectName(QStringLiteral("editCustomerDialog"));
    setWindowTitle(tr("Edit customer"));

    // Shown when another desktop saved the customer first (rule 14).
    m_conflictBanner = new ConflictBanner(this);

    m_fields = new QWidget(this);
    auto *form = new QFormLayout(m_fields);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    const auto lineEdit = [this](const char *name, const QString &accessibleName, int maxLength) {
        auto *edit = new QLineEdit(m_fields);
        edit->setObjectName(QString::fromLatin1(name));
        edit->setAccessibleName(accessibleName);
        edit->setMaxLength(maxLength);
        return edit;
    };
    const auto hint = [this](const char *name) {
        QLabel *label = createReasonLabel(QString::fromLatin1(name), m_fields);
        calmDown(label, palette());
        fillWidth(label);
        return label;
    };
    const auto row = [this, form](const QString &text, QWidget *field, QLabel *fieldHint) {
        auto *label = new QLabel(text, m_fields);
        label->setBuddy(field);
        form->addRow(label, withHint(field, fieldHint, m_fields));
    };

    m_company = lineEdit("company", tr("Company name"), TextLimits::CompanyName);
    m_companyHint = hint("companyHint");
    m_website = lineEdit("website", tr("Website"), 2 * TextLimits::Domain);
    m_website->setPlaceholderText(tr("example.com"));
    m_websiteHint = hint("websiteHint");
    m_contactName = lineEdit("contactName", tr("Contact name"), TextLimits::ContactName);
    m_contactNameHint = hint("contactNameHint");
    m_phone = lineEdit("phone", tr("Phone"), TextLimits::PhoneInput);
    m_phone->setPlaceholderText(tr("+49 30 1234567"));
    m_phoneHint = hint("phoneHint");
    m_contactEmail
        = lineEdit("contactEmail", tr("Contact email (the client's login)"), TextLimits::Email);
    makeReadOnly(m_contactEmail);
    auto *emailNote = hint("contactEmailNote");
    emailNote->setText(tr("The client signs in with this address, so it is not changed here."));

    m_noEmail = new QCheckBox(tr("N&o email to this client"), m_fields);
    m_noEmail->setObjectName(QStringLiteral("noEmail"));
    m_noEmail->setAccessibleName(tr("No email"));
    auto *noEmailNote = hint("noEmailNote");
    noEmailNote->setText(tr("Silences the trial reminders and the Login As notices. Emails you "
                            "ask for explicitly, such as a setup email, are still sent."));

    m_plan = new QComboBox(m_fields);
    m_plan->setObjectName(QStringLiteral("plan"));
    m_plan->setAccessibleName(tr("Plan"));
    fillWidth(m_plan);
    m_planHint = hint("planHint");

    QWidget *priceListField = nullptr;
    if (m_mayChoosePriceList) {
        m_priceList = new QComboBox(m_fields);
        m_priceList->setObjectName(QStringLiteral("priceList"));
        m_priceList->setAccessibleName(tr("Price list"));
        fillWidth(m_priceList);
        priceListField = m_priceList;
    } else {
        m_priceListName = lineEdit("priceListName", tr("Price list"), TextLimits::PriceListName);
        makeReadOnly(m_priceListName);
        m_priceListName->setToolTip(tr("Only administrators change a customer's price list."));
        priceListField = m_priceListName;
    }
    m_priceListHint = hint("priceListHint");

    row(tr("&Company:"), m_company, m_companyHint);
    row(tr("&Website:"), m_website, m_websiteHint);
    row(tr("Contact n&ame:"), m_contactName, m_contactNameHint);
    row(tr("&Phone:"), m_phone, m_phoneHint);
    row(tr("E&mail:"), m_contactEmail, emailNote);
    row(tr("Notifications:"), m_noEmail, noEmailNote);
    row(tr("P&lan:"), m_plan, m_planHint);
    row(tr("Price l&ist:"), priceListField, m_priceListHint);

    m_saveHint = createReasonLabel(QStringLiteral("saveHint"), this);
    calmDown(m_saveHint, palette());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(m_save, &QPushButton::clicked, this, &EditCustomerDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_conflictBanner);
    layout->addWidget(m_fields);
    layout->addStretch(1);
    layout->addWidget(m_saveHint);
    layout->addWidget(buttons);

    setTabOrder(m_conflictBanner->reloadButton(), m_company);
    setTabOrder(m_company, m_website);
    setTabOrder(m_website, m_contactName);
    setTabOrder(m_contactName, m_phone);
    setTabOrder(m_phone, m_contactEmail);
    setTabOrder(m_contactEmail, m_noEmail);
    setTabOrder(m_noEmail, m_plan);
    setTabOrder(m_plan, priceListField);
    setTabOrder(priceListField, m_save);
    setTabOrder(m_save, cancel);

    for (QLineEdit *edit : {m_company, m_website, m_contactName, m_phone})
        connect(edit, &QLineEdit::textChanged, this, &EditCustomerDialog::updateState);
    connect(m_noEmail, &QCheckBox::toggled, this, &EditCustomerDialog::updateState);
    connect(m_plan, &QComboBox::currentIndexChanged, this, &EditCustomerDialog::updateState);
    if (m_priceList != nullptr)
        connect(
            m_priceList, &QComboBox::currentIndexChanged, this, &EditCustomerDialog::updateState);
    connect(m_conflictBanner, &ConflictBanner::reloadRequested, this, &EditCustomerDialog::load);

    load();
    setMinimumWidth(fontMetrics().averageCharWidth() * 90);
    resize(minimumWidth(), layout->totalHeightForWidth(minimumWidth()));
    m_company->setFocus();
}

EditCustomerDialog::~EditCustomerDialog() = default;

void EditCustomerDialog::load()
{
    m_loaded = false;
    m_conflict = false;
    m_conflictBanner->hide();
    m_outcome.clear();
    Result<CustomerRow> row = m_services.customers.customer(m_session, m_customerId);
    if (!row) {
        m_loadError = tr("The customer could not be read: %1").arg(row.error().message());
        m_fields->setEnabled(false);
        updateState();
        return;
    }
    m_loadError.clear();
    m_customer = *row;

    // Names for the current plan and price list; the detail read is the
    // richest source, the catalogue the fallback.
    QString planName;
    QString priceListName;
    if (Result<CustomerDetail> detail
        = m_services.customers.customerDetail(m_session, m_customerId);
        detail) {
        planName = detail->planName;
        priceListName = detail->priceListName;
    }
    Result<QList<PriceListSummary>> lists = m_services.catalogue.priceLists(m_session);
    m_priceLists = lists ? *lists : QList<PriceListSummary>();
    m_priceListLoadError = lists
        ? QString()
        : tr("The price lists could not be loaded: %1").arg(lists.error().message());
    if (priceListName.isEmpty()) {
        if (const PriceListSummary *current = priceListSummary(m_customer.priceListId))
            priceListName = current->priceList.name;
    }

    m_company->setText(m_customer.companyName);
    // Shown the way people read them; they normalise back to the stored form.
    QString website = m_customer.domain;
    if (const Result<DomainName> domain = DomainName::parse(website); domain)
        website = domain->display();
    m_website->setText(website);
    m_contactName->setText(m_customer.contactName);
    QString phone = m_customer.contactPhone;
    if (const Result<PhoneNumber> number = PhoneNumber::parse(phone, {}); number)
        phone = number->international();
    m_phone->setText(phone);
    m_contactEmail->setText(m_customer.contactEmail);
    m_contactEmail->setCursorPosition(0);
    m_noEmail->setChecked(m_customer.noEmail);
    fillPlans(planName);
    fillPriceLists(priceListName);

    m_fields->setEnabled(m_mayEdit);
    m_loaded = true;
    updateState();
}

void EditCustomerDialog::fillPlans(const QString &currentPlanName)
{
    const QSignalBlocker blocker(m_plan);
    m_plan->clear();
    // Rule 3: only the plans the customer's reseller offers (every plan for
    // a direct account); the core refuses any other.
    Result<QList<PlanRow>> plans
        = m_services.customers.plansFor(m_session, m_customer.ownerResellerId);
    m_planLoadError
        = plans ? QString() : tr("The plans could not be loaded: %1").arg(plans.error().message());
    QString name = currentPlanName;
    bool offered = false;
    for (const PlanRow &plan : plans.value_or(QList<PlanRow>())) {
        m_plan->addItem(
            tr("%1 (%Ln identification(s) a month)", nullptr, plan.monthlyBudget).arg(plan.name),
            plan.id);
        m_plan->setItemData(m_plan->count() - 1, plan.name, PlanNameRole);
        if (plan.id == m_customer.planId) {
            offered = true;
            name = plan.name;
        }
    }
    if (!offered) {
        // Kept selectable as "no change"; the core allows keeping it.
        if (name.isEmpty()) {
            const Result<QList<PlanRow>> all = m_services.catalogue.plans(m_session);
            const QList<PlanRow> known = all.value_or(QList<PlanRow>());
            const auto it = std::find_if(known.cbegin(), known.cend(),
                [this](const PlanRow &p) { return p.id == m_customer.planId; });
            name = it != known.cend() ? it->name : tr("Current plan");
        }
        m_plan->insertItem(
            0, plans ? tr("%1 (no longer offered)").arg(name) : name, m_customer.planId);
        m_plan->setItemData(0, name, PlanNameRole);
    }
    m_plan->setCurrentIndex(m_plan->findData(m_customer.planId));
}

void EditCustomerDialog::fillPriceLists(const QString &currentPriceListName)
{
    const QString name
        = currentPriceListName.isEmpty() ? tr("Current price list") : currentPriceListName;
    if (m_priceList == nullptr) {
        m_priceListName->setText(name);
        m_priceListName->setCursorPosition(0);
        return;
    }
    const QSignalBlocker blocker(m_priceList);
    m_priceList->clear();
    for (const PriceListSummary &list : std::as_const(m_priceLists)) {
        m_priceList->addItem(
            tr("%1 (%2)").arg(list.priceList.name, list.priceList.currency), list.priceList.id);
    }
    if (m_priceList->findData(m_customer.priceListId) < 0)
        m_priceList->insertItem(0, name, m_customer.priceListId);
    m_priceList->setCurrentIndex(m_priceList->findData(m_customer.priceListId));
}

CustomerEdit EditCustomerDialog::typedEdit() const
{
    CustomerEdit edit;
    edit.companyName = m_company->text();
    edit.website = m_website->text();
    edit.contactName = m_contactName->text();
    edit.contactPhone = m_phone->text();
    edit.phoneRegion = phoneRegion();
    edit.noEmail = m_noEmail->isChecked();
    return edit;
}

bool EditCustomerDialog::detailsChanged() const
{
    const CustomerEdit edit = typedEdit();
    QString domain;
    if (!edit.website.trimmed().isEmpty()) {
        const Result<DomainName> parsed = DomainName::parse(edit.website);
        domain = parsed ? parsed->ascii() : edit.website;
    }
    QString phone;
    if (!edit.contactPhone.trimmed().isEmpty()) {
        const Result<PhoneNumber> parsed = PhoneNumber::parse(edit.contactPhone, edit.phoneRegion);
        phone = parsed ? parsed->e164() : edit.contactPhone;
    }
    return edit.companyName.trimmed() != m_customer.companyName || domain != m_customer.domain
        || edit.contactName.trimmed() != m_customer.contactName || phone != m_customer.contactPhone
        || edit.noEmail != m_customer.noEmail;
}

bool EditCustomerDialog::anythingChanged() const
{
    return detailsChanged() || chosenPlanId() != m_customer.planId
        || chosenPriceListId() != m_customer.priceListId;
}

qint64 EditCustomerDialog::chosenPlanId() const
{
    return m_plan->currentIndex() < 0 ? m_customer.planId : m_plan->currentData().toLongLong();
}

QString EditCustomerDialog::chosenPlanName() const
{
    return m_plan->currentData(PlanNameRole).toString();
}

qint64 EditCustomerDialog::chosenPriceListId() const
{
    return m_priceList == nullptr || m_priceList->currentIndex() < 0
        ? m_customer.priceListId
        : m_priceList->currentData().toLongLong();
}

const PriceListSummary *EditCustomerDialog::priceListSummary(qint64 priceListId) const
{
    const auto it = std::find_if(m_priceLists.cbegin(), m_priceLists.cend(),
        [priceListId](const PriceListSummary &s) { return s.priceList.id == priceListId; });
    return it == m_priceLists.cend() ? nullptr : &*it;
}

QString EditCustomerDialog::generalProblem() const
{
    if (!m_loadError.isEmpty())
        return m_loadError;
    if (!m_loaded)
        return tr("Loading the customer…");
    if (!m_mayEdit)
        return tr("Your role can see this customer but not change it.");
    if (m_conflict)
        return tr("Reload the customer before saving again.");
    return {};
}

QString EditCustomerDialog::companyProblem() const
{
    return m_company->text().trimmed().isEmpty() ? tr("Enter the company name.") : QString();
}

QString EditCustomerDialog::websiteProblem() const
{
    if (m_website->text().trimmed().isEmpty())
        return {};
    const Result<DomainName> domain = DomainName::parse(m_website->text());
    return domain ? QString() : domain.error().message();
}

QString EditCustomerDialog::contactNameProblem() const
{
    return m_contactName->text().trimmed().isEmpty() ? tr("Enter the contact's name.") : QString();
}

QString EditCustomerDialog::phoneProblem() const
{
    if (m_phone->text().trimmed().isEmpty())
        return {};
    const Result<PhoneNumber> phone = PhoneNumber::parse(m_phone->text(), phoneRegion());
    return phone ? QString() : phone.error().message();
}

QString EditCustomerDialog::priceProblem() const
{
    const PriceListSummary *list = priceListSummary(chosenPriceListId());
    if (list == nullptr || priceOf(*list, chosenPlanId()))
        return {};
    return m_priceList != nullptr
        ? tr("%1 has no price for the plan %2; choose another price list or plan.")
              .arg(list->priceList.name, chosenPlanName())
        : tr("The customer's price list has no price for the plan %1; choose another plan.")
              .arg(chosenPlanName());
}

QString EditCustomerDialog::problem() const
{
    if (const QString general = generalProblem(); !general.isEmpty())
        return general;
    for (const QString &fieldProblem : {companyProblem(), websiteProblem(), contactNameProblem(),
             phoneProblem(), priceProblem()}) {
        if (!fieldProblem.isEmpty())
            return fieldProblem;
    }
    if (!anythingChanged())
        return tr("Nothing has changed yet.");
    return {};
}

void EditCustomerDialog::updateState()
{
    setReason(m_companyHint, companyProblem());
    setReason(m_contactNameHint, contactNameProblem());

    QString website = websiteProblem();
    if (website.isEmpty() && !m_website->text().trimmed().isEmpty()) {
        const Result<DomainName> domain = DomainName::parse(m_website->text());
        website = domain->display() == domain->ascii()
            ? tr("Saved as: %1").arg(domain->ascii())
            : tr("Saved as: %1 (%2)").arg(domain->ascii(), domain->display());
    } else if (website.isEmpty()) {
        website = tr("Optional.");
    }
    setReason(m_websiteHint, website);

    QString phone = phoneProblem();
    if (phone.isEmpty() && !m_phone->text().trimmed().isEmpty()) {
        phone = tr("Saved as: %1").arg(PhoneNumber::parse(m_phone->text(), phoneRegion())->e164());
    } else if (phone.isEmpty()) {
        phone = tr("Optional. Without + and a country code it is read as a number from %1.")
                    .arg(QLocale::territoryToString(QLocale::codeToTerritory(phoneRegion())));
    }
    setReason(m_phoneHint, phone);

    QString plan = m_planLoadError;
    if (plan.isEmpty() && chosenPlanId() != m_customer.planId)
        plan = tr("The plan changes when you save; the new identification budget applies at "
                  "once.");
    setReason(m_planHint, plan);

    QString price = priceProblem();
    if (price.isEmpty()) {
        const PriceListSummary *list = priceListSummary(chosenPriceListId());
        if (const std::optional<qint64> minor
            = list == nullptr ? std::nullopt : priceOf(*list, chosenPlanId())) {
            price = tr("%1 costs %2 a month on this list.")
                        .arg(chosenPlanName(), moneyText(*minor, list->priceList.currency));
        } else if (m_priceList != nullptr) {
            price = m_priceListLoadError;
        }
    }
    if (m_priceList != nullptr)
        m_priceList->setEnabled(m_priceListLoadError.isEmpty());
    setReason(m_priceListHint, price);

    QString general = generalProblem();
    if (general.isEmpty())
        general = m_outcome;
    if (general.isEmpty() && !anythingChanged())
        general = tr("Nothing has changed yet.");
    m_saveHint->setText(general);
    m_saveHint->setVisible(!general.isEmpty());

    const QString reason = problem();
    m_save->setEnabled(reason.isEmpty());
    m_save->setAccessibleDescription(reason);
    growToFit(this);
}

Result<int> EditCustomerDialog::apply(Part part)
{
    CustomerService &customers = m_services.customers;
    switch (part) {
    case Part::Details: {
        const CustomerEdit edit = typedEdit();
        Result<int> version
            = customers.editCustomer(m_session, m_customerId, m_customer.version, edit);
        if (version) {
            m_customer.companyName = edit.companyName.trimmed();
            m_customer.domain = edit.website.trimmed().isEmpty()
                ? QString()
                : DomainName::parse(edit.website)->ascii();
            m_customer.contactName = edit.contactName.trimmed();
            m_customer.contactPhone = edit.contactPhone.trimmed().isEmpty()
                ? QString()
                : PhoneNumber::parse(edit.contactPhone, edit.phoneRegion)->e164();
            m_customer.noEmail = edit.noEmail;
        }
        return version;
    }
    case Part::Plan: {
        const qint64 planId = chosenPlanId();
        Result<int> version
            = customers.changePlan(m_session, m_customerId, m_customer.version, planId);
        if (version)
            m_customer.planId = planId;
        return version;
    }
    case Part::PriceList: {
        const qint64 priceListId = chosenPriceListId();
        Result<int> version
            = customers.changePriceList(m_session, m_customerId, m_customer.version, priceListId);
        if (version)
            m_customer.priceListId = priceListId;
        return version;
    }
    }
    return m_customer.version;
}

void EditCustomerDialog::save()
{
    if (!problem().isEmpty())
        return;
    m_outcome.clear();
    QList<Part> parts;
    if (detailsChanged())
        parts.append(Part::Details);
    if (chosenPlanId() != m_customer.planId)
        parts.append(Part::Plan);
    if (chosenPriceListId() != m_customer.priceListId)
        parts.append(Part::PriceList);
    // changePlan needs the new plan priced on the current list, and
    // changePriceList the current plan on the new list: when the current list
    // does not price the new plan, the list has to change first.
    if (parts.contains(Part::Plan) && parts.contains(Part::PriceList)) {
        const PriceListSummary *current = priceListSummary(m_customer.priceListId);
        if (current != nullptr && !priceOf(*current, chosenPlanId()))
            std::swap(parts[parts.indexOf(Part::Plan)], parts[parts.indexOf(Part::PriceList)]);
    }

    QList<Part> saved;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        Result<int> version = apply(parts.at(i));
        if (!version) {
            showFailure(version.error(), saved, parts.mid(i));
            return;
        }
        m_customer.version = *version;
        m_newVersion = *version;
        saved.append(parts.at(i));
    }
    accept();
}

QString EditCustomerDialog::partNames(const QList<Part> &parts) const
{
    QStringList names;
    for (const Part part : parts) {
        switch (part) {
        case Part::Details:
            names.append(tr("the company and contact details"));
            break;
        case Part::Plan:
            names.append(tr("the plan"));
            break;
        case Part::PriceList:
            names.append(tr("the price list"));
            break;
        }
    }
    return QLocale().createSeparatedList(names);
}

void EditCustomerDialog::showFailure(
    const Error &error, const QList<Part> &saved, const QList<Part> &notSaved)
{
    QLabel *beside = nullptr;
    QWidget *field = nullptr;
    if (error.field() == QLatin1String("company")) {
        beside = m_companyHint;
        field = m_company;
    } else if (error.field() == QLatin1String("website")
        || error.field() == QLatin1String("domain")) {
        beside = m_websiteHint;
        field = m_website;
    } else if (error.field() == QLatin1String("contactName")) {
        beside = m_contactNameHint;
        field = m_contactName;
    } else if (error.field() == QLatin1String("phone")) {
        beside = m_phoneHint;
        field = m_phone;
    } else if (error.field() == QLatin1String("plan")) {
        beside = m_planHint;
        field = m_plan;
    } else if (error.field() == QLatin1String("priceList") && m_priceList != nullptr) {
        beside = m_priceListHint;
        field = m_priceList;
    }

    const bool conflict = error.code() == ErrorCode::Conflict;
    if (conflict) {
        m_conflict = true;
        m_conflictBanner->showConflict(error.message(),
            tr("Reload shows the customer as it is saved now; what you typed here is "
               "replaced."));
    }
    if (!saved.isEmpty()) {
        m_outcome = tr("Saved: %1. Not saved: %2.").arg(partNames(saved), partNames(notSaved));
        if (!conflict && beside == nullptr)
            m_outcome += QLatin1Char(' ') + error.message();
    }
    updateState();
    if (conflict) {
        m_conflictBanner->reloadButton()->setFocus();
    } else if (beside != nullptr) {
        setReason(beside, error.message());
        growToFit(this);
        field->setFocus();
    } else if (saved.isEmpty()) {
        showError(this, tr("Edit customer"), error);
    }
}

} // namespace rd
