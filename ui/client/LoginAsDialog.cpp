#include "client/LoginAsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "services/CustomerService.h"
#include "services/Session.h"
#include "services/SettingsService.h"

namespace rd {

LoginAsDialog::LoginAsDialog(const Session &session, UiServices &services, qint64 customerId,
    const QString &companyName, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_services(services)
    , m_customerId(customerId)
{
    setObjectName(QStringLiteral("loginAsDialog"));
    setWindowTitle(tr("Login As — %1").arg(companyName));

    auto *explanation = new QLabel(this);
    explanation->setObjectName(QStringLiteral("explanation"));
    explanation->setWordWrap(true);
    explanation->setTextFormat(Qt::PlainText);

    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("targetCombo"));
    m_target->setAccessibleName(tr("Client user to view as"));
    m_target->setAccessibleDescription(
        tr("The client view opens as this user sees it; the primary client admin is the default."));
    m_targetHint = createHiddenReasonLabel(
        QStringLiteral("targetHint"), tr("Why this user cannot be chosen"), this);

    m_reason = new QPlainTextEdit(this);
    m_reason->setObjectName(QStringLiteral("reasonEdit"));
    m_reason->setAccessibleName(tr("Reason for Login As"));
    m_reason->setAccessibleDescription(tr("Required. Kept in the audit log with the session."));
    m_reason->setPlaceholderText(tr("e.g. Ticket 4711: the client cannot see this month's usage"));
    m_reason->setTabChangesFocus(true);
    m_reason->setFixedHeight(m_reason->fontMetrics().lineSpacing() * 4 + 12);
    m_reasonHint = createReasonLabel(QStringLiteral("reasonHint"), this);
    calmDown(m_reasonHint, palette());

    auto *form = new QFormLayout;
    form->addRow(tr("&View as:"), withHint(m_target, m_targetHint, this));
    form->addRow(tr("&Reason:"), withHint(m_reason, m_reasonHint, this));

    auto *buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(tr("&Start Login As"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("startButton"));
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &LoginAsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &LoginAsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(buttons);

    // Who can be viewed, each with the reason it cannot when it cannot.
    Result<QList<LoginAsTarget>> targets = m_services.impersonation.targets(session, customerId);
    if (!targets) {
        explanation->setText(targets.error().message());
        m_target->setEnabled(false);
        m_reason->setEnabled(false);
        m_start->setEnabled(false);
        return;
    }
    m_usable = true;
    m_targets = *targets;
    int firstUsable = -1;
    for (int i = 0; i < m_targets.size(); ++i) {
        const LoginAsTarget &target = m_targets.at(i);
        QString text
            = tr("%1 <%2> — %3").arg(target.name, target.email, roleDisplayName(target.role));
        if (target.primary)
            text += tr(" (primary)");
        if (!target.refusal.isEmpty())
            text += tr(" — not available");
        m_target->addItem(text, target.membershipId);
        if (firstUsable < 0 && target.refusal.isEmpty())
            firstUsable = i;
    }
    if (firstUsable >= 0)
        m_target->setCurrentIndex(firstUsable);

    int minutes = DomainSettings::DefaultLoginAsMinutes;
    bool notify = true;
    if (Result<DomainSettings> settings = m_services.settings.current()) {
        minutes = settings->loginAsMinutes;
        notify = settings->notifyClientOnLoginAs;
    }
    if (Result<CustomerRow> customer = m_services.customers.customer(session, customerId))
        notify = notify && !customer->noEmail;
    QString text = tr("You will see %1 exactly as the chosen client user sees it. The session "
                      "is recorded in the audit log with your reason, ends after %n minute(s), "
                      "and password, email and user changes are refused while it lasts.",
        nullptr, minutes)
                       .arg(companyName);
    text += QLatin1Char(' ')
        + (notify ? tr("The client user is notified by email.")
                  : tr("The client is not notified (email notices are off)."));
    explanation->setText(text);

    connect(m_target, &QComboBox::currentIndexChanged, this, &LoginAsDialog::updateState);
    connect(m_reason, &QPlainTextEdit::textChanged, this, &LoginAsDialog::updateState);
    updateState();
    m_reason->setFocus();
    resize(qMax(sizeHint().width(), 560), sizeHint().height());
}

LoginAsDialog::~LoginAsDialog() = default;

void LoginAsDialog::updateState()
{
    const int index = m_target->currentIndex();
    const QString refusal
        = index >= 0 && index < m_targets.size() ? m_targets.at(index).refusal : QString();
    setReason(m_targetHint,
        m_targets.isEmpty() ? tr("This account has no client user to view as.") : refusal);
    const QString reason = m_reason->toPlainText().trimmed();
    QString reasonHint;
    if (reason.isEmpty())
        reasonHint = tr("A reason is required; it is kept in the audit log.");
    else if (reason.size() > ImpersonationService::MaxReasonLength)
        reasonHint = tr("At most %n characters.", nullptr, ImpersonationService::MaxReasonLength);
    m_reasonHint->setText(reasonHint);
    m_start->setEnabled(m_usable && index >= 0 && refusal.isEmpty() && reasonHint.isEmpty());
    growToFit(this);
}

void LoginAsDialog::accept()
{
    if (!m_start->isEnabled())
        return;
    // Audit before access: the service commits the session and its event,
    // and only then returns the client's session.
    Result<LoginAsStarted> started = m_services.impersonation.start(
        m_session, m_customerId, m_target->currentData().toLongLong(), m_reason->toPlainText());
    if (!started) {
        if (started.error().field() == QLatin1String("reason"))
            m_reasonHint->setText(started.error().message());
        else
            showError(this, windowTitle(), started.error());
        return;
    }
    m_started = *started;
    QDialog::accept();
}

} // namespace rd
