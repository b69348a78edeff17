#pragma once

#include <optional>

#include <QWizardPage>

#include "domain/DomainName.h"

class QCheckBox;
class QGridLayout;
class QLabel;
class QLineEdit;

namespace rd {

class Error;
class Session;
struct NewCustomer;
struct UiServices;

// The first page of the Add Customer wizard: the company name and its
// website domain, normalised as the user types (rule 2). On Next it asks
// the core whether another customer already uses the domain; that is a
// warning the user confirms with "Use this domain anyway", not an error.
//
// objectNames: "companyPage", "companyName", "companyNameReason", "website",
// "websiteHint" ("Saved as: …"), "websiteReason", "domainConfirm".
class CompanyPage final : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompanyPage)

public:
    CompanyPage(const Session &session, UiServices &services, NewCustomer &draft,
        QWidget *parent = nullptr);
    ~CompanyPage() override;

    bool isComplete() const override;
    bool validatePage() override;

    // Whether the core error field (Error::field()) is an input of this page.
    static bool hasField(const QString &field);

    // Shows a core refusal beside its field when the field is on this page
    // ("company", "website", "domain"); false otherwise. The message stays
    // until the field is changed.
    bool showFieldError(const Error &error);

private:
    struct Refusal
    {
        QString value;
        QString message;
    };

    void updateState();
    QString companyProblem() const;
    QString websiteProblem() const;
    // The normalised domain, or nothing when the field is blank or invalid.
    std::optional<DomainName> parsedDomain() const;
    void setRowText(QLabel *label, const QString &text);

    const Session &m_session;
    UiServices &m_services;
    NewCustomer &m_draft;
    QGridLayout *m_form = nullptr;
    QLineEdit *m_companyName = nullptr;
    QLabel *m_companyReason = nullptr;
    QLineEdit *m_website = nullptr;
    QLabel *m_websiteHint = nullptr;
    QLabel *m_websiteReason = nullptr;
    QCheckBox *m_domainConfirm = nullptr;
    bool m_companyEdited = false;
    std::optional<Refusal> m_companyRefusal;
    std::optional<Refusal> m_websiteRefusal;
    // The domain other customers already use, waiting for the confirmation.
    QString m_domainInUse;
    int m_domainUseCount = 0;
};

} // namespace rd
