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

// "ours": what the Customers page does — the windowed CustomerTableModel over
// CustomerService's keyset pages (pages of 200, a bounded cache, one COUNT(*)
// per query, OFFSET only for a jump with no neighbouring page), read on the
// benchmark thread as the GUI thread reads it today.
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
    // Every screen from the first to the last, as a user scrolling down.
    Status scrollThroughAll() override;

private:
    Result<int> show(const CustomerQuery &query);
    // Reads the screen starting at row; returns row.
    Result<int> screenAt(qint64 row);

    BenchContext m_context;
    SystemClock m_clock;
    AccessControl m_access;
    CustomerService m_service;
    std::unique_ptr<CustomerTableModel> m_model;
};

} // namespace rd::bench
