#pragma once

#include <QCoreApplication>

#include "mail/MailTransport.h"
#include "mail/SmtpProfile.h"

namespace rd {

class Clock;

// Delivers over SMTP (RFC 5321) with QSslSocket, synchronously: one
// connection per message, a timeout at every step, so it must run off the
// GUI thread (the dispatcher's worker). STARTTLS is required unless the
// profile says otherwise; certificate errors are never ignored. AUTH PLAIN
// or LOGIN when the profile has a user, and only over TLS unless the profile
// explicitly allows otherwise. The receipt's detail holds the step and the
// server's reply, never a credential or the message.
class SmtpTransport final : public MailTransport
{
    Q_DECLARE_TR_FUNCTIONS(SmtpTransport)

public:
    SmtpTransport(SmtpProfile profile, const Clock &clock);

    DeliveryReceipt send(const OutgoingMail &mail) override;

private:
    SmtpProfile m_profile;
    const Clock &m_clock;
};

} // namespace rd
