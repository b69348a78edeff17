#include "services/AuditLog.h"

#include <QJsonDocument>
#include <QUuid>

#include "services/Clock.h"
#include "services/Session.h"
#include "storage/AuditRepository.h"

namespace rd {

namespace {

QString compactJson(const QJsonObject &object)
{
    if (object.isEmpty())
        return {};
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

AuditLog::AuditLog(Database &db, const Clock &clock)
    : m_db(db)
    , m_clock(clock)
{ }

Status AuditLog::record(const Session &actor, const AuditEntry &entry)
{
    return append(actor.userId(), actor.membershipId(), actor.impersonatorUserId(),
        actor.impersonationSessionId(), entry);
}

Status AuditLog::recordWithoutSession(qint64 actorUserId, const AuditEntry &entry)
{
    return append(actorUserId, 0, 0, 0, entry);
}

Status AuditLog::recordImpersonation(qint64 impersonatorUserId, qint64 impersonatorMembershipId,
    qint64 impersonationSessionId, const AuditEntry &entry)
{
    return append(impersonatorUserId, impersonatorMembershipId, 0, impersonationSessionId, entry);
}

QString AuditLog::newBatchId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

AuditEventRow AuditLog::eventFor(const Session &actor, const AuditEntry &entry) const
{
    AuditEventRow row;
    row.occurredAt = m_clock.now();
    row.batchId = entry.batchId;
    row.actorUserId = actor.userId();
    row.actorMembershipId = actor.membershipId();
    row.impersonatorUserId = actor.impersonatorUserId();
    row.impersonationSessionId = actor.impersonationSessionId();
    row.action = entry.action;
    row.entityType = entry.entityType;
    row.entityId = entry.entityId;
    row.resellerId = entry.resellerId;
    row.customerId = entry.customerId;
    row.beforeJson = compactJson(entry.before);
    row.afterJson = compactJson(entry.after);
    row.reason = entry.reason;
    return row;
}

Status AuditLog::append(qint64 actorUserId, qint64 actorMembershipId, qint64 impersonatorUserId,
    qint64 impersonationSessionId, const AuditEntry &entry)
{
    AuditEventRow row;
    row.occurredAt = m_clock.now();
    row.batchId = entry.batchId;
    row.actorUserId = actorUserId;
    row.actorMembershipId = actorMembershipId;
    row.impersonatorUserId = impersonatorUserId;
    row.impersonationSessionId = impersonationSessionId;
    row.action = entry.action;
    row.entityType = entry.entityType;
    row.entityId = entry.entityId;
    row.resellerId = entry.resellerId;
    row.customerId = entry.customerId;
    row.beforeJson = compactJson(entry.before);
    row.afterJson = compactJson(entry.after);
    row.reason = entry.reason;
    Result<qint64> id = AuditRepository(m_db).append(row);
    if (!id)
        return fail(id.error());
    return {};
}

} // namespace rd
