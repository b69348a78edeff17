#include "services/OutboxService.h"

namespace rd {

OutboxService::OutboxService(Database &db, const Clock &clock, AccessControl &access)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
{ }

Result<QList<OutboxEntry>> OutboxService::list(const Session &, const OutboxQuery &) const
{
    return QList<OutboxEntry>();
}

Result<OutboxSummary> OutboxService::summary(const Session &) const
{
    return OutboxSummary();
}

Status OutboxService::resend(const Session &, qint64)
{
    return fail(ErrorCode::NotFound, tr("This message does not exist."));
}

Status OutboxService::cancel(const Session &, qint64)
{
    return fail(ErrorCode::NotFound, tr("This message does not exist."));
}

} // namespace rd
