#pragma once

#include <QJsonObject>
#include <QString>

#include "domain/Error.h"
#include "storage/AuditRepository.h"

namespace rd {

class Clock;
class Database;
class Session;

// One audit event (rule 12): what changed, on which entity, with its state
// before and after. Scope columns (reseller, customer) let scoped audit
// views filter without joins.
struct AuditEntry
{
    QString action;     // "customer.create", "user.sign_in_failed", ...
    QString entityType; // "customer", "reseller", "user", ...
    qint64 entityId = 0;
    qint64 resellerId = 0;
    qint64 customerId = 0;
    QJsonObject before;
    QJsonObject after;
    QString reason;
    QString batchId; // shared by the events of one bulk action
};

// Writes audit events. Call it inside the write transaction of the change it
// records, so the change and its event commit or roll back together. Never
// put a secret (password, one-time code) into before/after or the reason.
class AuditLog final
{
public:
    AuditLog(Database &db, const Clock &clock);

    // An event caused by a signed-in session (and its impersonator, if any).
    Status record(const Session &actor, const AuditEntry &entry);
    // An event with no session yet (sign-in attempts, first setup):
    // actorUserId is the user concerned, or 0 for the system.
    Status recordWithoutSession(qint64 actorUserId, const AuditEntry &entry);

    // The start and end of a Login As session: made by the impersonator as
    // themselves (actor = the impersonator's own membership), linked to the
    // session row.
    Status recordImpersonation(qint64 impersonatorUserId, qint64 impersonatorMembershipId,
        qint64 impersonationSessionId, const AuditEntry &entry);

    static QString newBatchId();

    // The row record() appends, for a bulk writer that keeps its own
    // prepared statement (customer import) and inserts it in the same
    // transaction as the change.
    AuditEventRow eventFor(const Session &actor, const AuditEntry &entry) const;

private:
    Status append(qint64 actorUserId, qint64 actorMembershipId, qint64 impersonatorUserId,
        qint64 impersonationSessionId, const AuditEntry &entry);

    Database &m_db;
    const Clock &m_clock;
};

} // namespace rd
