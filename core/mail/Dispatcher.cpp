#include "mail/Dispatcher.h"

#include <QSysInfo>
#include <QUuid>

#include "mail/MailTransport.h"
#include "mail/MessageComposer.h"
#include "services/Clock.h"
#include "storage/OutboxRepository.h"

namespace rd {

Dispatcher::Dispatcher(Database &db, MailTransport &transport, const Clock &clock, Options options)
    : m_db(db)
    , m_transport(transport)
    , m_clock(clock)
    , m_options(std::move(options))
{ }

QString Dispatcher::defaultLeaseOwner()
{
    return QStringLiteral("%1:%2:%3")
        .arg(QSysInfo::machineHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
}

Result<DispatchCounts> Dispatcher::runOnce()
{
    DispatchCounts counts;
    OutboxRepository outbox(m_db);
    Result<int> recovered = outbox.recoverExpiredLeases(m_clock.now());
    if (!recovered)
        return fail(recovered.error());
    counts.recovered = *recovered;

    Result<QList<OutboxRow>> claimed = outbox.claimDue(
        m_clock.now(), m_options.leaseOwner, m_options.leaseDuration, m_options.batchSize);
    if (!claimed)
        return fail(claimed.error());
    counts.claimed = static_cast<int>(claimed->size());

    for (qsizetype i = 0; i < claimed->size(); ++i) {
        if (Status done = deliver(claimed->at(i), counts); !done) {
            // The database failed while recording: hand the rows not yet
            // tried back (best effort) rather than leave them to become
            // 'unknown' when the lease expires.
            for (qsizetype j = i + 1; j < claimed->size(); ++j) {
                const OutboxRow &row = claimed->at(j);
                static_cast<void>(
                    outbox.markRetry(row.id, m_options.leaseOwner, m_clock.now(), row.lastError));
            }
            return fail(done.error());
        }
    }
    return counts;
}

Status Dispatcher::deliver(const OutboxRow &row, DispatchCounts &counts)
{
    OutboxRepository outbox(m_db);
    const QString &owner = m_options.leaseOwner;
    const QString placeholder = MessageComposer::secretPlaceholder();
    if (row.body.contains(placeholder) && row.secret.isEmpty()) {
        // Never send the placeholder in place of a code.
        return record(outbox.markFailed(row.id, owner,
                          tr("The one-time code of this email is no longer stored; "
                             "send a new one instead.")),
            counts.failed, counts);
    }

    OutgoingMail mail;
    mail.outboxId = row.id;
    mail.stableSeed = QString::number(row.createdAt.toMSecsSinceEpoch());
    mail.recipient = row.recipient;
    mail.subject = row.subject;
    mail.body
        = row.secret.isEmpty() ? row.body : QString(row.body).replace(placeholder, row.secret);
    const DeliveryReceipt receipt = m_transport.send(mail);
    const QDateTime now = m_clock.now();

    switch (receipt.outcome) {
    case DeliveryOutcome::Sent:
        return record(outbox.markSent(row.id, owner, receipt.messageId, now), counts.sent, counts);
    case DeliveryOutcome::TemporaryFailure:
        if (const auto next = m_options.retry.nextAttempt(now, row.attempts)) {
            return record(
                outbox.markRetry(row.id, owner, *next, receipt.detail), counts.retried, counts);
        }
        return record(outbox.markFailed(row.id, owner,
                          tr("No attempt is left; the last one failed: %1").arg(receipt.detail)),
            counts.failed, counts);
    case DeliveryOutcome::PermanentFailure:
        return record(outbox.markFailed(row.id, owner, receipt.detail), counts.failed, counts);
    case DeliveryOutcome::Unknown:
        return record(outbox.markUnknown(row.id, owner, receipt.detail), counts.unknown, counts);
    }
    return record(outbox.markUnknown(row.id, owner, receipt.detail), counts.unknown, counts);
}

Status Dispatcher::record(Status marked, int &counter, DispatchCounts &counts)
{
    if (marked) {
        ++counter;
        return {};
    }
    // Cancelled or recovered meanwhile: that state stands.
    if (marked.error().code() == ErrorCode::Conflict) {
        ++counts.lostLeases;
        return {};
    }
    return marked;
}

} // namespace rd
