#include "services/CustomerPageReader.h"

#include "services/AccessControl.h"

namespace rd {

namespace {

// What a worker's reads own.
struct WorkerCustomers
{
    WorkerCustomers(Database &db, const Clock &clock)
        : access(db, clock)
        , customers(db, clock, access)
    { }
    AccessControl access;
    CustomerService customers;
};

} // namespace

CustomerPageReads::Reads CustomerPageReads::through(
    const CustomerService &customers, std::shared_ptr<const void> keepAlive)
{
    Reads reads;
    reads.count = [&customers, keepAlive](const Session &session, const CustomerQuery &query) {
        return customers.countCustomers(session, query);
    };
    reads.after = [&customers, keepAlive](const Session &session, const CustomerQuery &query,
                      const std::optional<CustomerKey> &key,
                      int limit) { return customers.customersAfter(session, query, key, limit); };
    reads.before = [&customers, keepAlive](const Session &session, const CustomerQuery &query,
                       const std::optional<CustomerKey> &key,
                       int limit) { return customers.customersBefore(session, query, key, limit); };
    reads.atRow
        = [&customers, keepAlive](const Session &session, const CustomerQuery &query, qint64 offset,
              int limit) { return customers.customersAtRow(session, query, offset, limit); };
    reads.anchors = [&customers, keepAlive](const Session &session, const CustomerQuery &query,
                        const std::optional<CustomerKey> &key, int rows, int every) {
        return customers.customerAnchors(session, query, key, rows, every);
    };
    reads.keyOf = [](const CustomerListRow &row) { return CustomerKey::of(row); };
    return reads;
}

std::shared_ptr<const CustomerPageReads::Reads> CustomerPageReads::open(
    Database &db, const Clock &clock)
{
    auto worker = std::make_shared<WorkerCustomers>(db, clock);
    const CustomerService &customers = worker->customers;
    return std::make_shared<const Reads>(through(customers, std::move(worker)));
}

CustomerPageReader::CustomerPageReader(const CustomerService &customers, QObject *parent)
    : QObject(parent)
    , m_reader(std::make_unique<Reader>(customers.databaseProfile(), customers.clock(),
          CustomerPageReads::through(customers), &CustomerPageReads::open,
          QStringLiteral("CustomerPageReader")))
{
    qRegisterMetaType<rd::CustomerPageReply>();
    m_reader->onReply([this](const CustomerPageReply &reply) { Q_EMIT replied(reply); });
}

CustomerPageReader::~CustomerPageReader() = default;

Result<QList<CustomerListRow>> CustomerPageReader::read(const CustomerService &customers,
    const Session &session, const CustomerQuery &query, const CustomerPageRequest &request)
{
    return Reader::read(CustomerPageReads::through(customers), session, query, request);
}

} // namespace rd
