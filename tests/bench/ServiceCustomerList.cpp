#include "ServiceCustomerList.h"

#include <cstdio>

#include <QDeadlineTimer>
#include <QEventLoop>

#include "customers/CustomerTableModel.h"

namespace rd::bench {

ServiceCustomerList::ServiceCustomerList(const BenchContext &context, Mode mode)
    : m_context(context)
    , m_mode(mode)
    , m_access(context.db, m_clock)
    , m_service(context.db, m_clock, m_access)
    , m_model(std::make_unique<CustomerTableModel>(context.admin, m_service))
{ }

ServiceCustomerList::~ServiceCustomerList() = default;

QAbstractItemModel &ServiceCustomerList::model()
{
    return *m_model;
}

Result<int> ServiceCustomerList::show(const CustomerQuery &query)
{
    if (Status shown = m_model->setQuery(query, m_clock.now()); !shown)
        return fail(shown.error());
    m_sinceQuery.start();
    return 0;
}

Result<int> ServiceCustomerList::showScreenAt(qint64 row)
{
    const int first = static_cast<int>(qBound<qint64>(0, row, m_model->total()));
    const int last = qMin(first + m_context.screenRows, m_model->rowCount()) - 1;
    for (int r = first; r <= last; ++r)
        m_model->index(r, CustomerTableModel::Company).data();
    const QDeadlineTimer deadline(30000);
    QEventLoop loop;
    while (m_model->isReading()) {
        if (deadline.hasExpired())
            return fail(
                ErrorCode::Unavailable, QStringLiteral("the screen did not arrive in 30 s"));
        loop.processEvents(QEventLoop::WaitForMoreEvents);
    }
    for (int r = first; r <= last; ++r) {
        if (!m_model->customerAt(r))
            return fail(ErrorCode::Unavailable, QStringLiteral("row %1 was not read").arg(r));
    }
    return first;
}

Status ServiceCustomerList::prepare(Scenario scenario)
{
    // A user presses Ctrl+End or drags the scroll bar some time after the
    // list opened: by then the worker has its connection and the anchors.
    if (m_mode == Mode::GuiThread
        || (scenario != Scenario::JumpToMiddle && scenario != Scenario::ScrollToEnd))
        return {};
    const QDeadlineTimer deadline(300000);
    QEventLoop loop;
    while (!m_model->anchorsComplete() && !deadline.hasExpired())
        loop.processEvents(QEventLoop::WaitForMoreEvents);
    if (scenario == Scenario::JumpToMiddle) {
        std::fprintf(stderr, "bench: ours: %d anchors for %lld rows in %lld ms after the query\n",
            m_model->anchorCount(), static_cast<long long>(m_model->total()),
            static_cast<long long>(m_sinceQuery.elapsed()));
    }
    return {};
}

Result<int> ServiceCustomerList::screenAt(qint64 row)
{
    const int first = static_cast<int>(qBound<qint64>(0, row, m_model->total()));
    const int last = qMin(first + m_context.screenRows, m_model->rowCount()) - 1;
    if (last >= first) {
        if (Status loaded = m_model->loadRows(first, last); !loaded)
            return fail(loaded.error());
    }
    return first;
}

Result<int> ServiceCustomerList::open()
{
    return show(CustomerQuery {});
}

Result<int> ServiceCustomerList::scrollToEnd()
{
    const qint64 row = qMax<qint64>(0, m_model->total() - m_context.screenRows);
    return m_mode == Mode::Worker ? showScreenAt(row) : screenAt(row);
}

Result<int> ServiceCustomerList::jumpTo(qint64 row)
{
    return m_mode == Mode::Worker ? showScreenAt(row) : screenAt(row);
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
    if (Result<int> shown = show(query); !shown)
        return shown;
    const int last = qMin(matches, m_model->rowCount()) - 1;
    if (last >= 0) {
        if (Status loaded = m_model->loadRows(0, last); !loaded)
            return fail(loaded.error());
    }
    return 0;
}

Status ServiceCustomerList::scrollThroughAll()
{
    const qint64 total = m_model->total();
    for (qint64 row = 0; row < total; row += m_context.screenRows) {
        if (Result<int> shown = screenAt(row); !shown)
            return fail(shown.error());
    }
    return {};
}

} // namespace rd::bench
