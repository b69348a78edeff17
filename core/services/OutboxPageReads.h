#pragma once

#include <memory>

#include "services/KeysetPageReader.h"
#include "services/OutboxService.h"

namespace rd {

class Clock;
class Database;

// The outbox list as a table model's KeysetPageReader reads it (keyset on
// the id, newest first): every read goes through an OutboxService (its
// scope and refusals), either the GUI's or one a worker builds over its
// own connection. The query's page position and limit are the reads' own.
class OutboxPageReads final
{
public:
    using Entries = KeysetListReads<OutboxEntry, qint64, OutboxQuery>;

    // The reads through `outbox`; `keepAlive` lives as long as they do.
    static Entries entries(const OutboxService &outbox, std::shared_ptr<const void> keepAlive = {});
    // For KeysetPageReader::OpenReads: an AccessControl and an
    // OutboxService over db judging time by clock, owned by the returned
    // reads.
    static std::shared_ptr<const Entries> openEntries(Database &db, const Clock &clock);
};

} // namespace rd
