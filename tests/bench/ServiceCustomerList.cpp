#include "ServiceCustomerList.h"

#include "customers/CustomerTableModel.h"

namespace rd::bench {

namespace {
constexpr int PageRows = 200;
}

ServiceCustomerList::ServiceCustomerList(const BenchContext &context)
    : m_context(context)
    , m_access(context.db, m_clock)
    , m_service(context.db, m_clock, m_access)
    , m_model(std::make_unique<CustomerTableModel>())
{ }

ServiceCustomerList::~ServiceCustomerList() = default;

QAbstractItemModel &ServiceCustomerList::model()
{
    return *m_model;
}

Result<int> ServiceCustomerList::show(CustomerQuery query)
{
    Result<CustomerPage> page = m_service.listCustomers(m_context.admin, query);
    if (!page)
        return fail(page.error());
    m_total = page->total;
    m_model->setPage(std::move(*page), m_clock.now());
    return 0;
}

Result<int> ServiceCustomerList::open()
{
    return show(CustomerQuery {});
}

Result<int> ServiceCustomerList::scrollToEnd()
{
    CustomerQuery query;
    query.offset = static_cast<int>(qMax<qint64>(0, m_total - PageRows));
    if (Result<int> shown = show(query); !shown)
        return shown;
    return qMax(0, m_model->rowCount() - m_context.screenRows);
}

Result<int> ServiceCustomerList::jumpTo(qint64 row)
{
    CustomerQuery query;
    query.offset = static_cast<int>(row);
    return show(query);
}

Result<int> ServiceCustomerList::sortByCompany()
{
    CustomerQuery query;
    query.sort = CustomerSort::Company;
    query.ascending = true;
    return show(query);
}

Result<int> ServiceCustomerList::search(const QString &term, int matches)
{
    CustomerQuery query;
    query.search = term;
    query.limit = matches;
    return show(query);
}

Status ServiceCustomerList::scrollThroughAll()
{
    const int stops = m_context.smoke ? 3 : 20;
    for (int i = 0; i < stops; ++i) {
        CustomerQuery query;
        query.offset = static_cast<int>(qMax<qint64>(0, m_total - PageRows) * i / (stops - 1));
        if (Result<int> shown = show(query); !shown)
            return fail(shown.error());
    }
    return {};
}

} // namespace rd::bench
