#include "services/UserPageReader.h"

#include "services/AccessControl.h"

namespace rd {

namespace {

// What a worker's reads own.
struct WorkerUsers
{
    WorkerUsers(Database &db, const Clock &clock)
        : access(db, clock)
        , users(db, clock, access)
    { }
    AccessControl access;
    UserService users;
};

} // namespace

UserPageReads::Reads UserPageReads::through(
    const UserService &users, std::shared_ptr<const void> keepAlive)
{
    Reads reads;
    reads.count = [&users, keepAlive](const Session &session, const UserPageQuery &query) {
        return users.countMemberships(session, query);
    };
    reads.after = [&users, keepAlive](const Session &session, const UserPageQuery &query,
                      const std::optional<UserListKey> &key,
                      int limit) { return users.membershipsAfter(session, query, key, limit); };
    reads.before = [&users, keepAlive](const Session &session, const UserPageQuery &query,
                       const std::optional<UserListKey> &key,
                       int limit) { return users.membershipsBefore(session, query, key, limit); };
    reads.atRow
        = [&users, keepAlive](const Session &session, const UserPageQuery &query, qint64 offset,
              int limit) { return users.membershipsAtRow(session, query, offset, limit); };
    reads.anchors = [&users, keepAlive](const Session &session, const UserPageQuery &query,
                        const std::optional<UserListKey> &key, int rows, int every) {
        return users.membershipAnchors(session, query, key, rows, every);
    };
    reads.keyOf = [](const UserListRow &row) { return UserListKey::of(row); };
    return reads;
}

std::shared_ptr<const UserPageReads::Reads> UserPageReads::open(Database &db, const Clock &clock)
{
    auto worker = std::make_shared<WorkerUsers>(db, clock);
    const UserService &users = worker->users;
    return std::make_shared<const Reads>(through(users, std::move(worker)));
}

UserPageReader::UserPageReader(const UserService &users, QObject *parent)
    : QObject(parent)
    , m_reader(std::make_unique<Reader>(users.databaseProfile(), users.clock(),
          UserPageReads::through(users), &UserPageReads::open, QStringLiteral("UserPageReader")))
{
    qRegisterMetaType<rd::UserPageReply>();
    m_reader->onReply([this](const UserPageReply &reply) { Q_EMIT replied(reply); });
}

UserPageReader::~UserPageReader() = default;

} // namespace rd
