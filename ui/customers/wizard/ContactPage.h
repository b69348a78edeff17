#pragma once

#include <optional>

#include <QWizardPage>

class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;

namespace rd {

class Error;
struct NewCustomer;

// The second page of the Add Customer wizard: the primary contact, whose
// email becomes the client's login (rule 1), and an optional phone number
// shown in its E.164 form as the user types (rule 2). Numbers typed without
// "+" and a country code are read as numbers of the chosen region, by
// default the country of the system locale.
//
// objectNames: "contactPage", "contactName", "contactNameReason", "email",
// "emailReason", "phone", "phoneRegion", "phoneHint" ("Saved as: …"),
// "phoneReason".
class ContactPage final : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactPage)

public:
    explicit ContactPage(NewCustomer &draft, QWidget *parent = nullptr);
    ~ContactPage() override;

    bool isComplete() const override;
    bool validatePage() override;

    // Whether the core error field (Error::field()) is an input of this page.
    static bool hasField(const QString &field);

    // Shows a core refusal beside its field when the field is on this page
    // ("contactName", "email", "phone"); false otherwise. The message stays
    // until the field is changed.
    bool showFieldError(const Error &error);

private:
    struct Refusal
    {
        QString value;
        QString message;
    };

    void updateState();
    QString contactNameProblem() const;
    QString emailProblem() const;
    QString phoneProblem() const;
    QString region() const;
    void setRowText(QLabel *label, const QString &text);
    void refuse(QLineEdit *edit, std::optional<Refusal> &refusal, const Error &error);

    NewCustomer &m_draft;
    QGridLayout *m_form = nullptr;
    QLineEdit *m_contactName = nullptr;
    QLabel *m_contactNameReason = nullptr;
    QLineEdit *m_email = nullptr;
    QLabel *m_emailReason = nullptr;
    QLineEdit *m_phone = nullptr;
    QComboBox *m_region = nullptr;
    QLabel *m_phoneHint = nullptr;
    QLabel *m_phoneReason = nullptr;
    bool m_contactNameEdited = false;
    bool m_emailEdited = false;
    std::optional<Refusal> m_contactNameRefusal;
    std::optional<Refusal> m_emailRefusal;
    std::optional<Refusal> m_phoneRefusal;
};

} // namespace rd
