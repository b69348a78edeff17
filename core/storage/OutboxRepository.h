#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Database;

enum class OutboxKind {
    Setup,
    Invitation,
    PasswordReset,
    PortalInvitation,
    TrialReminder,
    LoginAsNotice
};
enum class OutboxStatus { Pending, Sending, Sent, Failed, Unknown, Cancelled };

struct OutboxRow
{
    qint64 id = 0;
    QDateTime createdAt;
    OutboxKind kind = OutboxKind::Setup;
    qint64 customerId = 0;
    qint64 resellerId = 0;
    qint64 userId = 0;
    QString recipient;
    QString subject;
    QString body;   // may hold the placeholder for the secret, never the secret
    QString secret; // e.g. the one-time code; redacted once delivered or cancelled
    OutboxStatus status = OutboxStatus::Pending;
    QDateTime notBefore;
    int attempts = 0;
    QString lastError;
    qint64 createdBy = 0;
    int version = 1;
};

// The durable email queue. Rows are written in the same transaction as the
// change that causes them; delivery comes later (the mail dispatcher).
class OutboxRepository final
{
    Q_DECLARE_TR_FUNCTIONS(OutboxRepository)

public:
    explicit OutboxRepository(Database &db);

    Result<qint64> insert(const OutboxRow &row);
    Result<QList<OutboxRow>> forCustomer(qint64 customerId) const;
    // Cancels the customer's pending messages of one kind (e.g. the trial
    // reminder when the trial is converted) and redacts their secrets.
    Result<int> cancelPending(qint64 customerId, OutboxKind kind);
    // The same for a user's pending messages of one kind (e.g. an earlier
    // password reset whose code a new reset has replaced).
    Result<int> cancelPendingForUser(qint64 userId, OutboxKind kind);

    static QString kindKey(OutboxKind kind);
    static QString statusKey(OutboxStatus status);

private:
    Database &m_db;
};

} // namespace rd
