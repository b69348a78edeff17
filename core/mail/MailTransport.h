#pragma once

#include <QString>

namespace rd {

// One message as handed to a transport: the outbox row's text with the
// secret already put in place of MessageComposer::secretPlaceholder(). It
// lives in memory only for the delivery.
struct OutgoingMail
{
    qint64 outboxId = 0; // stable across attempts, e.g. for the Message-ID
    // Also stable across attempts and different for row 1 of two databases:
    // the row's creation time. Mixed into the Message-ID.
    QString stableSeed;
    QString recipient;
    QString subject;
    QString body;
};

enum class DeliveryOutcome {
    Sent,             // accepted by the server
    TemporaryFailure, // 4xx, connection refused, a timeout before DATA: try again later
    PermanentFailure, // 5xx: the server will never accept it
    Unknown,          // the connection was lost after DATA: it may have been delivered
};

struct DeliveryReceipt
{
    DeliveryOutcome outcome = DeliveryOutcome::Unknown;
    QString messageId; // when Sent
    QString detail;    // the server's reply or the error, for the outbox view; never the body
};

// Delivers one message synchronously (the dispatcher runs off the GUI
// thread). Every failure is classified by the outcome, so there is no
// separate error channel.
class MailTransport
{
public:
    MailTransport() = default;
    virtual ~MailTransport() = default;
    MailTransport(const MailTransport &) = delete;
    MailTransport &operator=(const MailTransport &) = delete;
    MailTransport(MailTransport &&) = delete;
    MailTransport &operator=(MailTransport &&) = delete;

    virtual DeliveryReceipt send(const OutgoingMail &mail) = 0;
};

} // namespace rd
