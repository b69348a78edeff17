#include "customers/CustomersPage.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "customers/CustomerTableModel.h"
#include "services/Clock.h"
#include "services/CustomerService.h"

namespace rd {

CustomersPage::CustomersPage(
    const Session &session, CustomerService &service, const Clock &clock, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_service(service)
    , m_clock(clock)
{
    setObjectName(QStringLiteral("customersPage"));
    m_model = new CustomerTableModel(this);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("customerSearch"));
    m_search->setAccessibleName(tr("Search customers"));
    m_search->setPlaceholderText(tr("Search company, domain, contact or email"));
    m_search->setClearButtonEnabled(true);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("customerCount"));

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("customerTable"));
    m_view->setAccessibleName(tr("Customers"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setSortIndicatorShown(true);
    m_view->horizontalHeader()->setSectionsClickable(true);
    m_view->horizontalHeader()->setSortIndicator(CustomerTableModel::Company, Qt::AscendingOrder);
    m_view->horizontalHeader()->setStretchLastSection(true);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(200);

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view);

    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &CustomersPage::refresh);
    connect(m_view->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
        &CustomersPage::sortChanged);
}

void CustomersPage::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void CustomersPage::sortChanged(int column, Qt::SortOrder order)
{
    if (!CustomerTableModel::sortFor(column)) {
        // This column cannot be sorted by the database: keep the last order.
        QSignalBlocker block(m_view->horizontalHeader());
        m_view->horizontalHeader()->setSortIndicator(m_sortColumn, m_sortOrder);
        return;
    }
    m_sortColumn = column;
    m_sortOrder = order;
    refresh();
}

void CustomersPage::refresh()
{
    CustomerQuery query;
    query.search = m_search->text();
    query.sort = CustomerTableModel::sortFor(m_sortColumn).value_or(CustomerSort::Company);
    query.ascending = m_sortOrder == Qt::AscendingOrder;
    query.limit = PageSize;
    Result<CustomerPage> page = m_service.listCustomers(m_session, query);
    if (!page) {
        m_model->setPage({}, m_clock.now());
        m_count->setText(page.error().message());
        return;
    }
    const qint64 total = page->total;
    const auto shown = page->rows.size();
    m_model->setPage(std::move(*page), m_clock.now());
    if (!m_sized && m_model->rowCount() > 0) {
        // Fit the columns once to what is there; later the user's widths stay.
        m_view->resizeColumnsToContents();
        m_sized = true;
    }
    const QLocale locale;
    if (total == 0) {
        m_count->setText(m_search->text().trimmed().isEmpty() ? tr("No customers yet")
                                                              : tr("No customer matches"));
    } else if (shown < total) {
        m_count->setText(
            tr("Showing %1 of %2 customers")
                .arg(locale.toString(static_cast<qint64>(shown)), locale.toString(total)));
    } else {
        m_count->setText(
            total == 1 ? tr("1 customer") : tr("%1 customers").arg(locale.toString(total)));
    }
}

} // namespace rd
