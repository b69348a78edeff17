#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Database;

struct AuditEventRow
{
    qint64 id = 0;
    QDateTime occurredAt;
    QString batchId;
    qint64 actorUserId = 0; // 0: the system
    qint64 actorMembershipId = 0;
    qint64 impersonatorUserId = 0;
    qint64 impersonationSessionId = 0;
    QString action;     // e.g. "customer.create"
    QString entityType; // e.g. "customer"
    qint64 entityId = 0;
    qint64 resellerId = 0; // scope columns
    qint64 customerId = 0;
    QString beforeJson;
    QString afterJson;
    QString reason;
};

// An audit event with the names a list shows.
struct AuditListRow
{
    AuditEventRow event;
    QString actorName;        // display name (email when none); empty: the system
    QString impersonatorName; // empty unless made during Login As
};

// The append-only audit trail (rule 12). There is deliberately no update or
// delete here, and the database refuses both (triggers).
class AuditRepository final
{
    Q_DECLARE_TR_FUNCTIONS(AuditRepository)

public:
    explicit AuditRepository(Database &db);

    Result<qint64> append(const AuditEventRow &event);
    Result<QList<AuditEventRow>> forEntity(const QString &entityType, qint64 entityId) const;
    // The events of one customer (its customer_id scope column), newest
    // first, at most limit, with the names of the actor and impersonator.
    Result<QList<AuditListRow>> forCustomer(qint64 customerId, int limit) const;

private:
    Database &m_db;
};

} // namespace rd
