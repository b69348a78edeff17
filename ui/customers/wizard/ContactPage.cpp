#include "customers/wizard/ContactPage.h"

#include <algorithm>

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>

#include "common/Feedback.h"
#include "common/GridForm.h"
#include "domain/EmailAddress.h"
#include "domain/PhoneNumber.h"
#include "domain/Territory.h"
#include "domain/TextLimits.h"
#include "services/CustomerService.h"

namespace rd {

namespace {

// Two-letter ISO 3166 codes of real countries and territories, without
// groupings like the European Union that have no phone numbering plan.
bool isCountryCode(const QString &code)
{
    static const QStringList groupings {
        QStringLiteral("EU"), QStringLiteral("EZ"), QStringLiteral("QO"), QStringLiteral("UN")};
    return code.size() == 2 && code.at(0).isLetter() && code.at(1).isLetter()
        && !groupings.contains(code);
}

// The region of the system locale, or the core's default when the locale
// names no country (the "C" locale).
QString systemRegion()
{
    const QString code = QLocale::territoryToCode(QLocale::system().territory());
    return isCountryCode(code) ? code : NewCustomer {}.phoneRegion;
}

void fillRegions(QComboBox *combo)
{
    QList<std::pair<QString, QString>> regions; // (name, code)
    for (int t = QLocale::AnyTerritory + 1; t <= QLocale::LastTerritory; ++t) {
        const auto territory = static_cast<QLocale::Territory>(t);
        const QString code = QLocale::territoryToCode(territory);
        if (isCountryCode(code))
            regions.append({territoryName(code), code});
    }
    std::sort(regions.begin(), regions.end(),
        [](const auto &a, const auto &b) { return a.first.localeAwareCompare(b.first) < 0; });
    for (const auto &[name, code] : regions) {
        if (combo->findData(code) < 0)
            combo->addItem(name, code);
    }
}

} // namespace

ContactPage::ContactPage(NewCustomer &draft, QWidget *parent)
    : QWizardPage(parent)
    , m_draft(draft)
{
    setObjectName(QStringLiteral("contactPage"));
    setTitle(tr("Contact"));
    setSubTitle(tr("The contact's email address becomes the client's login."));

    m_contactName = new QLineEdit(this);
    m_contactName->setObjectName(QStringLiteral("contactName"));
    m_contactName->setAccessibleName(tr("Contact name"));
    m_contactName->setPlaceholderText(tr("Required"));
    m_contactNameReason = createReasonLabel(QStringLiteral("contactNameReason"), this);

    m_email = new QLineEdit(this);
    m_email->setObjectName(QStringLiteral("email"));
    m_email->setAccessibleName(tr("Email"));
    m_email->setPlaceholderText(tr("Required, like name@example.com"));
    m_emailReason = createReasonLabel(QStringLiteral("emailReason"), this);

    m_phone = new QLineEdit(this);
    m_phone->setObjectName(QStringLiteral("phone"));
    m_phone->setAccessibleName(tr("Phone"));
    m_phone->setPlaceholderText(tr("Optional"));
    m_region = new QComboBox(this);
    m_region->setObjectName(QStringLiteral("phoneRegion"));
    m_region->setAccessibleName(tr("Region for numbers without a country code"));
    m_region->setToolTip(
        tr("Numbers typed without + and a country code are read as numbers of this region."));
    fillRegions(m_region);
    // Room for most country names without pushing the number aside.
    m_region->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_region->setMinimumContentsLength(18);
    m_region->setCurrentIndex(std::max(0, m_region->findData(systemRegion())));
    auto *regionLabel = new QLabel(tr("&Region:"), this);
    regionLabel->setBuddy(m_region);
    auto *phoneRow = new QHBoxLayout;
    phoneRow->addWidget(m_phone, 1);
    phoneRow->addWidget(regionLabel);
    phoneRow->addWidget(m_region);
    m_phoneHint = createReasonLabel(QStringLiteral("phoneHint"), this);
    calmDown(m_phoneHint, palette());
    m_phoneReason = createReasonLabel(QStringLiteral("phoneReason"), this);

    m_form = new QGridLayout(this);
    addGridRow(m_form, tr("&Contact name:"), m_contactName);
    addGridNote(m_form, m_contactNameReason);
    addGridRow(m_form, tr("&Email:"), m_email);
    addGridNote(m_form, m_emailReason);
    auto *phoneLabel = new QLabel(tr("&Phone:"), this);
    phoneLabel->setBuddy(m_phone);
    const int phoneRowIndex = m_form->rowCount();
    m_form->addWidget(phoneLabel, phoneRowIndex, 0);
    m_form->addLayout(phoneRow, phoneRowIndex, 1);
    addGridNote(m_form, m_phoneHint);
    addGridNote(m_form, m_phoneReason);
    m_form->setColumnStretch(1, 1);
    m_form->setRowStretch(m_form->rowCount(), 1);

    setTabOrder(m_contactName, m_email);
    setTabOrder(m_email, m_phone);
    setTabOrder(m_phone, m_region);

    connect(m_contactName, &QLineEdit::textEdited, this, [this] { m_contactNameEdited = true; });
    connect(m_email, &QLineEdit::textEdited, this, [this] { m_emailEdited = true; });
    for (QLineEdit *edit : {m_contactName, m_email, m_phone})
        connect(edit, &QLineEdit::textChanged, this, &ContactPage::updateState);
    connect(m_region, &QComboBox::currentIndexChanged, this, [this] {
        m_phoneRefusal.reset();
        updateState();
    });

    updateState();
}

ContactPage::~ContactPage() = default;

bool ContactPage::isComplete() const
{
    return contactNameProblem().isEmpty() && emailProblem().isEmpty() && phoneProblem().isEmpty();
}

bool ContactPage::validatePage()
{
    if (!isComplete())
        return false;
    m_draft.contactName = m_contactName->text().trimmed();
    m_draft.contactEmail = m_email->text().trimmed();
    m_draft.phoneRegion = region();
    const QString phone = m_phone->text().trimmed();
    Result<PhoneNumber> parsed = PhoneNumber::parse(phone, region());
    m_draft.contactPhone = phone.isEmpty() || !parsed ? QString() : parsed->e164();
    return true;
}

bool ContactPage::hasField(const QString &field)
{
    return field == QLatin1String("contactName") || field == QLatin1String("email")
        || field == QLatin1String("phone");
}

bool ContactPage::showFieldError(const Error &error)
{
    if (error.field() == QLatin1String("contactName"))
        refuse(m_contactName, m_contactNameRefusal, error);
    else if (error.field() == QLatin1String("email"))
        refuse(m_email, m_emailRefusal, error);
    else if (error.field() == QLatin1String("phone"))
        refuse(m_phone, m_phoneRefusal, error);
    else
        return false;
    return true;
}

void ContactPage::refuse(QLineEdit *edit, std::optional<Refusal> &refusal, const Error &error)
{
    refusal = Refusal {edit->text(), error.message()};
    updateState();
    edit->setFocus();
    edit->selectAll();
}

void ContactPage::updateState()
{
    if (m_contactNameRefusal && m_contactNameRefusal->value != m_contactName->text())
        m_contactNameRefusal.reset();
    if (m_emailRefusal && m_emailRefusal->value != m_email->text())
        m_emailRefusal.reset();
    if (m_phoneRefusal && m_phoneRefusal->value != m_phone->text())
        m_phoneRefusal.reset();

    // Untouched empty required fields are not errors yet: their placeholder
    // says "Required" and Next stays disabled.
    const auto untouched = [](const QLineEdit *edit, bool edited) {
        return !edited && edit->text().trimmed().isEmpty();
    };
    setRowText(m_contactNameReason,
        untouched(m_contactName, m_contactNameEdited) ? QString() : contactNameProblem());
    setRowText(m_emailReason, untouched(m_email, m_emailEdited) ? QString() : emailProblem());

    const QString phoneReason = phoneProblem();
    QString hint;
    if (phoneReason.isEmpty() && !m_phone->text().trimmed().isEmpty()) {
        if (Result<PhoneNumber> phone = PhoneNumber::parse(m_phone->text(), region()); phone)
            hint = tr("Saved as: %1 (%2)").arg(phone->e164(), phone->international());
    }
    setRowText(m_phoneHint, hint);
    setRowText(m_phoneReason, phoneReason);

    m_contactName->setAccessibleDescription(m_contactNameReason->text());
    m_email->setAccessibleDescription(m_emailReason->text());
    m_phone->setAccessibleDescription(phoneReason.isEmpty() ? hint : phoneReason);
    emit completeChanged();
}

QString ContactPage::contactNameProblem() const
{
    if (m_contactNameRefusal)
        return m_contactNameRefusal->message;
    const QString name = m_contactName->text().trimmed();
    if (name.isEmpty())
        return tr("Enter the contact's name.");
    if (Status fits = TextLimits::checkLength(
            name, TextLimits::ContactName, QStringLiteral("contactName"), tr("The contact's name"));
        !fits)
        return fits.error().message();
    return {};
}

QString ContactPage::emailProblem() const
{
    if (m_emailRefusal)
        return m_emailRefusal->message;
    Result<EmailAddress> email = EmailAddress::parse(m_email->text());
    return email ? QString() : email.error().message();
}

QString ContactPage::phoneProblem() const
{
    if (m_phoneRefusal)
        return m_phoneRefusal->message;
    if (m_phone->text().trimmed().isEmpty())
        return {};
    Result<PhoneNumber> phone = PhoneNumber::parse(m_phone->text(), region());
    return phone ? QString() : phone.error().message();
}

QString ContactPage::region() const
{
    return m_region->currentData().toString();
}

void ContactPage::setRowText(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace rd
