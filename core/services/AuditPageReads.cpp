#include "services/AuditPageReads.h"

#include "services/AccessControl.h"

namespace rd {

namespace {

// What a worker's reads own.
struct WorkerAudit
{
    WorkerAudit(Database &db, const Clock &clock)
        : access(db, clock)
        , audit(db, access)
    { }
    AccessControl access;
    AuditService audit;
};

} // namespace

AuditPageReads::Events AuditPageReads::events(
    const AuditService &audit, std::shared_ptr<const void> keepAlive)
{
    Events reads;
    reads.count = [&audit, keepAlive](const Session &session, const AuditFilter &filter) {
        return audit.count(session, filter);
    };
    reads.after = [&audit, keepAlive](const Session &session, const AuditFilter &filter,
                      const std::optional<AuditCursor> &key, int limit) {
        return audit.list(session, filter, key.value_or(AuditCursor {}), limit);
    };
    reads.before = [&audit, keepAlive](const Session &session, const AuditFilter &filter,
                       const std::optional<AuditCursor> &key, int limit) {
        return audit.listBefore(session, filter, key.value_or(AuditCursor {}), limit);
    };
    reads.atRow
        = [&audit, keepAlive](const Session &session, const AuditFilter &filter, qint64 offset,
              int limit) { return audit.listAtRow(session, filter, offset, limit); };
    reads.anchors = [&audit, keepAlive](const Session &session, const AuditFilter &filter,
                        const std::optional<AuditCursor> &key, int rows, int every) {
        return audit.eventAnchors(session, filter, key.value_or(AuditCursor {}), rows, every);
    };
    reads.keyOf = [](const AuditListRow &row) { return AuditService::cursorAfter(row); };
    return reads;
}

AuditPageReads::Sessions AuditPageReads::sessions(
    const AuditService &audit, std::shared_ptr<const void> keepAlive)
{
    Sessions reads;
    reads.count
        = [&audit, keepAlive](const Session &session, const ImpersonationLogFilter &filter) {
              return audit.countImpersonationSessions(session, filter);
          };
    reads.after = [&audit, keepAlive](const Session &session, const ImpersonationLogFilter &filter,
                      const std::optional<AuditCursor> &key, int limit) {
        return audit.impersonationSessions(session, filter, key.value_or(AuditCursor {}), limit);
    };
    reads.before = [&audit, keepAlive](const Session &session, const ImpersonationLogFilter &filter,
                       const std::optional<AuditCursor> &key, int limit) {
        return audit.impersonationSessionsBefore(
            session, filter, key.value_or(AuditCursor {}), limit);
    };
    reads.atRow = [&audit, keepAlive](const Session &session, const ImpersonationLogFilter &filter,
                      qint64 offset, int limit) {
        return audit.impersonationSessionsAtRow(session, filter, offset, limit);
    };
    reads.anchors
        = [&audit, keepAlive](const Session &session, const ImpersonationLogFilter &filter,
              const std::optional<AuditCursor> &key, int rows, int every) {
              return audit.impersonationSessionAnchors(
                  session, filter, key.value_or(AuditCursor {}), rows, every);
          };
    reads.keyOf = [](const ImpersonationLogRow &row) { return AuditService::cursorAfter(row); };
    return reads;
}

std::shared_ptr<const AuditPageReads::Events> AuditPageReads::openEvents(
    Database &db, const Clock &clock)
{
    auto worker = std::make_shared<WorkerAudit>(db, clock);
    const AuditService &audit = worker->audit;
    return std::make_shared<const Events>(events(audit, std::move(worker)));
}

std::shared_ptr<const AuditPageReads::Sessions> AuditPageReads::openSessions(
    Database &db, const Clock &clock)
{
    auto worker = std::make_shared<WorkerAudit>(db, clock);
    const AuditService &audit = worker->audit;
    return std::make_shared<const Sessions>(sessions(audit, std::move(worker)));
}

} // namespace rd
