#pragma once

#include <memory>

#include <QElapsedTimer>

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
// per query). The first page comes with the query; every other screen is
// asked for the way a view asks (data() of its rows: placeholders), read by
// the model's worker thread, and timed until its rows are in the model (the
// event loop spins meanwhile). A jump reads from the anchors, built in the
// background after the first page; ScrollToEnd and JumpToMiddle wait for
// them untimed (the worker is then connected and idle, as seconds after a
// user opened the list) and JumpToMiddle reports how long they took on
// stderr.
//
// GuiThread mode ("gui-thread"): the same model read the way it was before
// the worker — every screen by loadRows() on the benchmark (GUI) thread,
// anchors not waited for, so a jump is an OFFSET read that blocks — to
// compare before and after in one run.
class ServiceCustomerList final : public CustomerListCandidate
{
public:
    enum class Mode { Worker, GuiThread };
    explicit ServiceCustomerList(const BenchContext &context, Mode mode = Mode::Worker);
    ~ServiceCustomerList() override;

    QAbstractItemModel &model() override;
    Result<int> open() override;
    Result<int> scrollToEnd() override;
    Result<int> jumpTo(qint64 row) override;
    Result<int> sortByCompany() override;
    Status prepare(Scenario scenario) override;
    Result<int> search(const QString &term, int matches) override;
    // Every screen from the first to the last, as a user scrolling down.
    Status scrollThroughAll() override;

private:
    Result<int> show(const CustomerQuery &query);
    // Reads the screen starting at row on this thread; returns row.
    Result<int> screenAt(qint64 row);
    // Asks for the screen starting at row as a view does and spins the
    // event loop until the worker has delivered it; returns row.
    Result<int> showScreenAt(qint64 row);

    BenchContext m_context;
    Mode m_mode;
    SystemClock m_clock;
    AccessControl m_access;
    CustomerService m_service;
    std::unique_ptr<CustomerTableModel> m_model;
    QElapsedTimer m_sinceQuery;
};

} // namespace rd::bench
