#pragma once

#include <memory>

#include <QMetaType>
#include <QObject>

#include "services/KeysetPageReader.h"
#include "services/UserService.h"

namespace rd {

class Session;

// One page the Users table wants, and what came back for it
// (KeysetPageReader's request and reply for the Users list).
using UserPageRequest = KeysetPageRequest<UserListKey>;
using UserPageReply = KeysetPageReply<UserListRow, UserListKey>;

// The Users list as KeysetPageReader reads it: every read goes through a
// UserService (ManageUsers and the session's scope), the GUI's or one a
// worker builds over its own connection.
class UserPageReads final
{
public:
    using Reads = KeysetListReads<UserListRow, UserListKey, UserPageQuery>;

    // The reads through `users`; `keepAlive` lives as long as they do.
    static Reads through(const UserService &users, std::shared_ptr<const void> keepAlive = {});
    // For KeysetPageReader::OpenReads: an AccessControl and a UserService
    // over db judging time by clock, owned by the returned reads.
    static std::shared_ptr<const Reads> open(Database &db, const Clock &clock);
};

// Reads the Users table's pages off the GUI thread (KeysetPageReader: a
// worker thread with its own connection and its own UserService; query
// generations, stale reads interrupted, anchors built in chunks, a zero
// timer on the caller's thread for a database a second connection cannot
// reach), with replies as a Qt signal on the thread that created it.
class UserPageReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UserPageReader)

public:
    using Reader = KeysetPageReader<UserListRow, UserListKey, UserPageQuery>;

    explicit UserPageReader(const UserService &users, QObject *parent = nullptr);
    // Interrupts what runs and waits for the worker thread.
    ~UserPageReader() override;

    // False on the synchronous path.
    bool isThreaded() const { return m_reader->isThreaded(); }

    // A new query: everything queued is dropped, a running read of an older
    // generation interrupted.
    void setQuery(quint64 generation, const Session &session, const UserPageQuery &query)
    {
        m_reader->setQuery(generation, session, query);
    }
    // The pages wanted now for the current generation, the most wanted last.
    void want(const QList<UserPageRequest> &pages) { m_reader->want(pages); }
    // Starts building the anchors of the current query: the key of every
    // `every`-th row, at most maxAnchors of them (bounded memory).
    void buildAnchors(int every, int maxAnchors) { m_reader->buildAnchors(every, maxAnchors); }

    // For tests: reads interrupted because they became stale, OFFSET reads
    // and page reads made (on the worker or the synchronous path).
    int interruptCount() const { return m_reader->interruptCount(); }
    int offsetReadCount() const { return m_reader->offsetReadCount(); }
    int pageReadCount() const { return m_reader->pageReadCount(); }

Q_SIGNALS:
    void replied(const rd::UserPageReply &reply);

private:
    std::unique_ptr<Reader> m_reader;
};

} // namespace rd

Q_DECLARE_METATYPE(rd::UserPageReply)
