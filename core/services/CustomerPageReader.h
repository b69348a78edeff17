#pragma once

#include <memory>

#include <QMetaType>
#include <QObject>

#include "services/CustomerService.h"
#include "services/KeysetPageReader.h"

namespace rd {

class Session;

// One page the customer table wants, and what came back for it
// (KeysetPageReader's request and reply for the customer list).
using CustomerPageRequest = KeysetPageRequest<CustomerKey>;
using CustomerPageReply = KeysetPageReply<CustomerListRow, CustomerKey>;

// The customer list as KeysetPageReader reads it: every read goes through a
// CustomerService (SeeCustomers, the session's scope, the current time), the
// GUI's or one a worker builds over its own connection.
class CustomerPageReads final
{
public:
    using Reads = KeysetListReads<CustomerListRow, CustomerKey, CustomerQuery>;

    // The reads through `customers`; `keepAlive` lives as long as they do.
    static Reads through(
        const CustomerService &customers, std::shared_ptr<const void> keepAlive = {});
    // For KeysetPageReader::OpenReads: an AccessControl and a CustomerService
    // over db judging time by clock, owned by the returned reads.
    static std::shared_ptr<const Reads> open(Database &db, const Clock &clock);
};

// Reads the customer table's pages off the GUI thread (KeysetPageReader: a
// worker thread with its own connection and its own CustomerService, so
// every read is scoped exactly like the GUI's; query generations, stale
// reads interrupted with sqlite3_interrupt / PQcancel, pages scrolled past
// dropped unread, anchors built in chunks while nothing is wanted; each
// request stamped with the GUI clock's time, so a Login As expiry is judged
// as of the request). A database a second connection cannot reach (SQLite
// ":memory:", or a refused worker connection) is read from a zero timer on
// the caller's thread instead. Replies come as a Qt signal on the thread
// that created the reader.
class CustomerPageReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomerPageReader)

public:
    using Reader = KeysetPageReader<CustomerListRow, CustomerKey, CustomerQuery>;

    explicit CustomerPageReader(const CustomerService &customers, QObject *parent = nullptr);
    // Interrupts what runs and waits for the worker thread.
    ~CustomerPageReader() override;

    // False on the synchronous path (also once the worker's connection was
    // refused).
    bool isThreaded() const { return m_reader->isThreaded(); }

    // A new query: everything queued is dropped, a running read of an
    // older generation interrupted; anchors are built again for it once
    // buildAnchors() is called.
    void setQuery(quint64 generation, const Session &session, const CustomerQuery &query)
    {
        m_reader->setQuery(generation, session, query);
    }
    // The pages wanted now for the current generation, the most wanted last.
    void want(const QList<CustomerPageRequest> &pages) { m_reader->want(pages); }
    // Starts building the anchors of the current query: the key of every
    // `every`-th row, at most maxAnchors of them (bounded memory).
    void buildAnchors(int every, int maxAnchors) { m_reader->buildAnchors(every, maxAnchors); }

    // For tests: reads interrupted because they became stale, and OFFSET
    // reads made.
    int interruptCount() const { return m_reader->interruptCount(); }
    int offsetReadCount() const { return m_reader->offsetReadCount(); }

    // One request against a service (the GUI's own, for a read that cannot
    // wait).
    static Result<QList<CustomerListRow>> read(const CustomerService &customers,
        const Session &session, const CustomerQuery &query, const CustomerPageRequest &request);

Q_SIGNALS:
    void replied(const rd::CustomerPageReply &reply);

private:
    std::unique_ptr<Reader> m_reader;
};

} // namespace rd

Q_DECLARE_METATYPE(rd::CustomerPageReply)
