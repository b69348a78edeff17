#pragma once

#include <memory>
#include <optional>

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include "domain/Error.h"
#include "storage/CustomerRepository.h"

namespace rd {

class CustomerService;
class Session;

// One page the customer table wants, planned by the table (which knows the
// neighbouring keys and the anchors) and read by CustomerPageReader.
struct CustomerPageRequest
{
    enum class Kind {
        After,  // keyset: rows after `key` (the first rows when empty)
        Before, // keyset: rows before `key` (the last rows when empty)
        AtRow,  // OFFSET: only when no key is near (a jump before the anchors exist)
    };
    int page = 0;
    Kind kind = Kind::After;
    std::optional<CustomerKey> key;
    qint64 offset = 0; // AtRow
    int limit = 0;
    // Rows kept from the start of the result (the last page read from the
    // end reads more than it keeps); 0 keeps them all.
    int keep = 0;
};

// What came back for a request of query `generation`: a page (page >= 0)
// or the next anchors (page < 0). An error leaves rows empty.
struct CustomerPageReply
{
    quint64 generation = 0;
    int page = -1;
    QList<CustomerListRow> rows;
    // Keys of the last row of consecutive pages, continuing the anchors
    // sent before for this generation.
    QList<CustomerKey> anchors;
    bool anchorsComplete = false;
    QString error;
};

// Reads the customer table's pages off the GUI thread: a worker thread with
// its own Database connection (opened from the profile of the service's
// database: one connection per thread), its own AccessControl and
// CustomerService, so every read is scoped exactly like the GUI's.
//
// - Every request belongs to a query generation (setQuery). Replies of an
//   older generation are never emitted; a running read of an older
//   generation, or of a page nobody wants any more, is interrupted
//   (SQLite sqlite3_interrupt, PostgreSQL PQcancel: storage/QueryInterrupt).
// - want() replaces the queued pages: pages the user scrolled past are
//   dropped unread. The most wanted (last) is read first.
// - After the wanted pages, and only while none is queued, it builds the
//   jump anchors of the query in chunks (CustomerService::customerAnchors),
//   so a jump anywhere later reads one keyset page instead of an OFFSET.
//
// Time: the worker never reads the GUI's Clock (a ManualClock in tests is
// not thread-safe); each request is stamped on the calling thread with
// CustomerService::clock().now() and the worker's own clock is set to that
// stamp before it reads, so a Login As expiry is judged as of the request.
//
// A database a second connection cannot reach (an SQLite ":memory:"
// database, or the worker's connection is refused, e.g. the server's
// connection limit) is read synchronously instead: from a zero timer on the
// caller's thread, through the caller's CustomerService, with the same
// signals. All member functions are for the thread that created the reader;
// replied() arrives on that thread.
class CustomerPageReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomerPageReader)

public:
    explicit CustomerPageReader(const CustomerService &customers, QObject *parent = nullptr);
    // Interrupts what runs and waits for the worker thread.
    ~CustomerPageReader() override;

    // False on the synchronous path (also once the worker's connection was
    // refused).
    bool isThreaded() const;

    // A new query: everything queued is dropped, a running read of an
    // older generation interrupted; anchors are built again for it once
    // buildAnchors() is called.
    void setQuery(quint64 generation, const Session &session, const CustomerQuery &query);
    // The pages wanted now for the current generation, the most wanted last.
    void want(const QList<CustomerPageRequest> &pages);
    // Starts building the anchors of the current query: the key of every
    // `every`-th row, at most maxAnchors of them (bounded memory).
    void buildAnchors(int every, int maxAnchors);

    // For tests: reads interrupted because they became stale, and OFFSET
    // reads made.
    int interruptCount() const;
    int offsetReadCount() const;

    // One request against a service (the worker's, or the caller's on the
    // synchronous path).
    static Result<QList<CustomerListRow>> read(const CustomerService &customers,
        const Session &session, const CustomerQuery &query, const CustomerPageRequest &request);

Q_SIGNALS:
    void replied(const rd::CustomerPageReply &reply);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace rd

Q_DECLARE_METATYPE(rd::CustomerPageReply)
