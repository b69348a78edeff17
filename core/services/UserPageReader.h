#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include "domain/Error.h"
#include "services/UserService.h"

namespace rd {

class Session;

// One page the Users table wants, planned by the table (which knows the
// neighbouring keys and the anchors) and read by UserPageReader.
struct UserPageRequest
{
    enum class Kind {
        After,  // keyset: rows after `key` (the first rows when empty)
        Before, // keyset: rows before `key` (the last rows when empty)
        AtRow,  // OFFSET: only when no key is near (a jump before the anchors got there)
    };
    int page = 0;
    Kind kind = Kind::After;
    std::optional<UserListKey> key;
    qint64 offset = 0; // AtRow
    int limit = 0;
    // Rows kept from the start of the result (the last page read from the
    // end reads more than it keeps); 0 keeps them all.
    int keep = 0;
};

// What came back for a request of query `generation`: a page (page >= 0)
// or the next anchors (page < 0). An error leaves rows empty.
struct UserPageReply
{
    quint64 generation = 0;
    int page = -1;
    QList<UserListRow> rows;
    // Keys of the last row of consecutive pages, continuing the anchors
    // sent before for this generation.
    QList<UserListKey> anchors;
    bool anchorsComplete = false;
    QString error;
};

// Reads the Users table's pages off the GUI thread, as CustomerPageReader
// does the customers': a worker thread with its own Database connection
// (opened from the profile of the service's database), its own
// AccessControl and UserService, so every read is scoped and checked
// exactly like the GUI's.
//
// - Every request belongs to a query generation (setQuery). Replies of an
//   older generation are never emitted; a running read of an older
//   generation, or of a page nobody wants any more, is interrupted
//   (storage/QueryInterrupt).
// - want() replaces the queued pages; the most wanted (last) is read first.
// - After the wanted pages, and only while none is queued, it builds the
//   jump anchors of the query in chunks (UserService::membershipAnchors),
//   so a later jump reads one keyset page instead of an OFFSET.
//
// Each request is stamped with UserService::clock().now() on the calling
// thread; the worker's own clock is set to that stamp before it reads (the
// GUI's clock may be a ManualClock in tests, which is not thread-safe).
//
// A database a second connection cannot reach (SQLite ":memory:"), or a
// worker whose connection was refused, is read on the caller's thread from
// a zero timer instead, with the same signals. All member functions are for
// the thread that created the reader; replied() arrives on that thread.
class UserPageReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UserPageReader)

public:
    explicit UserPageReader(const UserService &users, QObject *parent = nullptr);
    // Interrupts what runs and waits for the worker thread.
    ~UserPageReader() override;

    // False on the synchronous path.
    bool isThreaded() const;

    // A new query: everything queued is dropped, a running read of an older
    // generation interrupted.
    void setQuery(quint64 generation, const Session &session, const UserPageQuery &query);
    // The pages wanted now for the current generation, the most wanted last.
    void want(const QList<UserPageRequest> &pages);
    // Starts building the anchors of the current query: the key of every
    // `every`-th row, at most maxAnchors of them (bounded memory).
    void buildAnchors(int every, int maxAnchors);

    // For tests: reads interrupted because they became stale, OFFSET reads
    // and page reads made (on the worker or the synchronous path).
    int interruptCount() const;
    int offsetReadCount() const;
    int pageReadCount() const;

    // One request against a service (the worker's, or the caller's on the
    // synchronous path).
    static Result<QList<UserListRow>> read(const UserService &users, const Session &session,
        const UserPageQuery &query, const UserPageRequest &request);

Q_SIGNALS:
    void replied(const rd::UserPageReply &reply);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace rd

Q_DECLARE_METATYPE(rd::UserPageReply)
