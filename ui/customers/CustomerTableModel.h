#pragma once

#include <optional>

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

#include "services/CustomerService.h"

class QTimer;

namespace rd {

class Session;

// Every customer a session may see, however many, as CustomerService
// returns them (scoped, sorted and filtered by the database), read a page
// at a time. rowCount() is the total (one count per query); a row is read
// when it is first shown: its page comes from the neighbouring page's key
// (keyset, scrolling), from the end (a reverse query, the last pages) or by
// OFFSET (a jump with no neighbour, e.g. the scroll bar). Until then data()
// shows a placeholder and the page is loaded from the event loop, then
// dataChanged() repaints it. At most cachedPages pages are kept: the least
// recently shown one goes first, so memory stays bounded whatever the user
// does.
class CustomerTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomerTableModel)

public:
    // The order people read a row in: who, in which state, on what, through
    // whom, then the contact details.
    enum Column {
        Company,
        Status,
        Plan,
        Reseller,
        OtherResellers,
        Contact,
        Email,
        Domain,
        PriceList,
        Budget,
        Created,
        ColumnCount
    };

    static constexpr int DefaultPageRows = 200;
    static constexpr int DefaultCachedPages = 50;

    CustomerTableModel(
        const Session &session, const CustomerService &customers, QObject *parent = nullptr);

    // Rows per page (at most CustomerService::MaxKeysetRows) and how many
    // pages are kept; from the next setQuery().
    void setPaging(int pageRows, int cachedPages);
    int pageRows() const noexcept { return m_pageRows; }
    int cachedPagesLimit() const noexcept { return m_cachedPages; }
    int cachedPageCount() const { return static_cast<int>(m_pages.size()); }

    // Shows the customers of the query (its offset and limit are ignored):
    // counts them and reads the first page now, the rest when it is shown.
    // `now` decides "trial, n days left" vs "expired". On error the model
    // is empty and the error returned.
    rd::Status setQuery(const CustomerQuery &query, const QDateTime &now);
    const CustomerQuery &query() const noexcept { return m_query; }
    qint64 total() const noexcept { return m_total; }

    // The customer on a row, or nullptr while its page is not loaded.
    const CustomerListRow *customerAt(int row) const;
    // Reads the pages holding rows first..last now, at most the cache
    // bound of them (a selection, a jump to one customer).
    rd::Status loadRows(int first, int last);
    // The row of the customer among the rows read, or nothing.
    std::optional<int> loadedRowOf(qint64 customerId) const;
    // The row of the customer in the current order (from the rows read, else
    // a count in the database: it reads the index up to the customer, so
    // use it for one customer, not for many), or nothing when the query
    // does not include it.
    Result<std::optional<int>> rowOfCustomer(qint64 customerId) const;

    // The database sort key for a column, or nothing when it cannot sort.
    static std::optional<CustomerSort> sortFor(int column);
    static QString statusText(const CustomerListRow &row, const QDateTime &now);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // A page could not be read; its rows stay placeholders until the next
    // setQuery().
    void loadFailed(const QString &message);

private:
    struct Page
    {
        QList<CustomerListRow> rows;
        quint64 lastUse = 0;
    };

    int pageOf(int row) const { return row / m_pageRows; }
    // The row if its page is cached (marking the page used), else nullptr
    // and, when `request` is set, the page queued for loading.
    const CustomerListRow *cachedRow(int row, bool request) const;
    Result<QList<CustomerListRow>> fetchPage(int page) const;
    // Fetches and caches one page; emits dataChanged unless in a reset.
    rd::Status loadPage(int page, bool notify);
    void loadPending();

    const Session &m_session;
    const CustomerService &m_customers;
    CustomerQuery m_query;
    QDateTime m_now;
    qint64 m_total = 0;
    int m_pageRows = DefaultPageRows;
    int m_cachedPages = DefaultCachedPages;
    int m_nextPageRows = DefaultPageRows;
    int m_nextCachedPages = DefaultCachedPages;
    mutable QHash<int, Page> m_pages;
    mutable quint64 m_useCounter = 0;
    // Pages data() asked for, the most recent last; older requests are
    // dropped when the user has scrolled past them.
    mutable QList<int> m_pending;
    QTimer *m_loadTimer = nullptr;
};

} // namespace rd
