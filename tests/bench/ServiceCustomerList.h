#pragma once

#include <memory>

#include "CustomerListCandidate.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"

namespace rd {
class CustomerTableModel;
}

namespace rd::bench {

// "ours" today: what the Customers page does — CustomerService::listCustomers
// (one page of 200 rows with LIMIT/OFFSET and a COUNT(*)) shown through
// CustomerTableModel. It has no scrolling: every jump asks for the page at
// that offset.
class ServiceCustomerList final : public CustomerListCandidate
{
public:
    explicit ServiceCustomerList(const BenchContext &context);
    ~ServiceCustomerList() override;

    QAbstractItemModel &model() override;
    Result<int> open() override;
    Result<int> scrollToEnd() override;
    Result<int> jumpTo(qint64 row) override;
    Result<int> sortByCompany() override;
    Result<int> search(const QString &term, int matches) override;
    // Pages at 20 evenly spaced offsets (3 in a smoke run), each replacing the previous one
    // (walking all 5,000 pages by OFFSET is quadratic: hours at 1M rows).
    Status scrollThroughAll() override;

private:
    Result<int> show(CustomerQuery query);

    BenchContext m_context;
    SystemClock m_clock;
    AccessControl m_access;
    CustomerService m_service;
    std::unique_ptr<CustomerTableModel> m_model;
    qint64 m_total = 0;
};

} // namespace rd::bench
