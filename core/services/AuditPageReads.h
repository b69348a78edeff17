#pragma once

#include <memory>

#include "services/AuditService.h"
#include "services/KeysetPageReader.h"

namespace rd {

class Clock;
class Database;

// The audit log's two lists as a table model's KeysetPageReader reads them:
// every read goes through an AuditService (its scope and refusals), either
// the GUI's or one a worker builds over its own connection.
class AuditPageReads final
{
public:
    using Events = KeysetListReads<AuditListRow, AuditCursor, AuditFilter>;
    using Sessions = KeysetListReads<ImpersonationLogRow, AuditCursor, ImpersonationLogFilter>;

    // The reads through `audit`; `keepAlive` lives as long as they do.
    static Events events(const AuditService &audit, std::shared_ptr<const void> keepAlive = {});
    static Sessions sessions(const AuditService &audit, std::shared_ptr<const void> keepAlive = {});
    // For KeysetPageReader::OpenReads: an AccessControl and an AuditService
    // over db judging time by clock, owned by the returned reads.
    static std::shared_ptr<const Events> openEvents(Database &db, const Clock &clock);
    static std::shared_ptr<const Sessions> openSessions(Database &db, const Clock &clock);
};

} // namespace rd
