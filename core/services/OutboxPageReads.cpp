#include "services/OutboxPageReads.h"

#include "services/AccessControl.h"

namespace rd {

namespace {

// What a worker's reads own.
struct WorkerOutbox
{
    WorkerOutbox(Database &db, const Clock &clock)
        : access(db, clock)
        , outbox(db, clock, access)
    { }
    AccessControl access;
    OutboxService outbox;
};

} // namespace

OutboxPageReads::Entries OutboxPageReads::entries(
    const OutboxService &outbox, std::shared_ptr<const void> keepAlive)
{
    Entries reads;
    reads.count = [&outbox, keepAlive](const Session &session, const OutboxQuery &query) {
        return outbox.count(session, query);
    };
    reads.after = [&outbox, keepAlive](const Session &session, const OutboxQuery &query,
                      const std::optional<qint64> &key, int limit) {
        OutboxQuery page = query;
        page.beforeId = key.value_or(0);
        page.limit = limit;
        return outbox.list(session, page);
    };
    reads.before = [&outbox, keepAlive](const Session &session, const OutboxQuery &query,
                       const std::optional<qint64> &key, int limit) {
        OutboxQuery page = query;
        page.afterId = key.value_or(0);
        page.oldest = !key;
        page.limit = limit;
        return outbox.list(session, page);
    };
    reads.atRow = [&outbox, keepAlive](
                      const Session &session, const OutboxQuery &query, qint64 offset, int limit) {
        OutboxQuery page = query;
        page.offset = offset;
        page.limit = limit;
        return outbox.list(session, page);
    };
    reads.anchors = [&outbox, keepAlive](const Session &session, const OutboxQuery &query,
                        const std::optional<qint64> &key, int rows, int every) {
        return outbox.anchors(session, query, key.value_or(0), rows, every);
    };
    reads.keyOf = [](const OutboxEntry &entry) { return entry.id; };
    return reads;
}

std::shared_ptr<const OutboxPageReads::Entries> OutboxPageReads::openEntries(
    Database &db, const Clock &clock)
{
    auto worker = std::make_shared<WorkerOutbox>(db, clock);
    const OutboxService &outbox = worker->outbox;
    return std::make_shared<const Entries>(entries(outbox, std::move(worker)));
}

} // namespace rd
