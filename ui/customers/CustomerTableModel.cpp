#include "customers/CustomerTableModel.h"

#include <climits>

#include <QLocale>
#include <QTimer>

#include "domain/TrialPolicy.h"

namespace rd {

namespace {

// Pages data() may have asked for at once: the visible ones, a few more
// after a fast scroll; older requests are stale.
constexpr int MaxPendingPages = 8;

// How long a query must stay before its anchors are built.
constexpr int AnchorDelayMs = 300;

} // namespace

CustomerTableModel::CustomerTableModel(
    const Session &session, const CustomerService &customers, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_customers(customers)
    , m_reader(std::make_unique<CustomerPageReader>(customers))
    , m_loadTimer(new QTimer(this))
{
    // A zero timer: the pages the view asked for while painting are sent
    // to the worker once it has finished.
    m_loadTimer->setSingleShot(true);
    m_loadTimer->setInterval(0);
    connect(m_loadTimer, &QTimer::timeout, this, &CustomerTableModel::loadPending);
    connect(m_reader.get(), &CustomerPageReader::replied, this, &CustomerTableModel::pageReplied);
    // The anchors are for jumps later: their build starts once the query
    // has settled (typing a search starts none) and the first screen is
    // painted, so it does not compete with them.
    m_anchorTimer = new QTimer(this);
    m_anchorTimer->setSingleShot(true);
    m_anchorTimer->setInterval(AnchorDelayMs);
    connect(m_anchorTimer, &QTimer::timeout, this,
        [this] { m_reader->buildAnchors(m_pageRows, MaxAnchors); });
}

CustomerTableModel::~CustomerTableModel() = default;

void CustomerTableModel::setPaging(int pageRows, int cachedPages)
{
    m_nextPageRows = qBound(1, pageRows, CustomerService::MaxKeysetRows);
    m_nextCachedPages = qMax(2, cachedPages);
}

bool CustomerTableModel::sameRows(const CustomerQuery &a, const CustomerQuery &b)
{
    return a.sort == b.sort && a.ascending == b.ascending && a.search == b.search
        && a.resellerFilter == b.resellerFilter && a.status == b.status
        && a.planFilter == b.planFilter;
}

rd::Status CustomerTableModel::setQuery(const CustomerQuery &query, const QDateTime &now)
{
    beginResetModel();
    // A refresh of the same rows keeps the old anchors while new ones are
    // built: a jump meanwhile is off by the rows inserted or deleted since,
    // instead of an OFFSET read.
    const bool refresh = sameRows(query, m_query) && m_nextPageRows == m_pageRows;
    m_query = query;
    m_now = now;
    m_pageRows = m_nextPageRows;
    m_cachedPages = m_nextCachedPages;
    m_pages.clear();
    m_pending.clear();
    if (!refresh)
        m_anchors.clear();
    m_freshAnchors = 0;
    m_anchorsComplete = false;
    m_loadTimer->stop();
    m_anchorTimer->stop();
    // Whatever the worker still reads for the previous query is dropped.
    m_reader->setQuery(++m_generation, m_session, m_query);
    rd::Status result;
    if (Result<qint64> total = m_customers.countCustomers(m_session, m_query); total) {
        m_total = *total;
        // The first screen at once, without placeholders.
        if (m_total > 0)
            result = loadPage(0, false);
    } else {
        m_total = 0;
        result = fail(total.error());
    }
    endResetModel();
    // Jumps need anchors only past the pages a reverse query reaches.
    if (result && m_total > qint64(m_pageRows) + CustomerService::MaxKeysetRows) {
        m_anchorTimer->start();
    } else {
        m_anchors.clear();
        m_anchorsComplete = true;
    }
    return result;
}

const CustomerListRow *CustomerTableModel::customerAt(int row) const
{
    return row >= 0 && row < rowCount() ? cachedRow(row, false) : nullptr;
}

const CustomerListRow *CustomerTableModel::cachedRow(int row, bool request) const
{
    const int page = pageOf(row);
    const auto found = m_pages.find(page);
    if (found == m_pages.end()) {
        if (request) {
            m_pending.removeOne(page);
            m_pending.append(page);
            if (m_pending.size() > MaxPendingPages)
                m_pending.removeFirst();
            m_loadTimer->start();
        }
        return nullptr;
    }
    found->lastUse = ++m_useCounter;
    const qsizetype offset = row - qsizetype(page) * m_pageRows;
    // A page read short (rows deleted meanwhile) leaves its last rows empty
    // until the next query.
    return offset < found->rows.size() ? &found->rows.at(offset) : nullptr;
}

std::optional<CustomerPageRequest> CustomerTableModel::planPage(int page) const
{
    const qint64 first = qint64(page) * m_pageRows;
    const int rows = static_cast<int>(qMin<qint64>(m_pageRows, m_total - first));
    if (rows <= 0)
        return std::nullopt;
    CustomerPageRequest request;
    request.page = page;
    request.limit = rows;
    // Scrolling: from the key of a neighbouring page.
    if (const auto previous = m_pages.constFind(page - 1);
        previous != m_pages.cend() && !previous->rows.isEmpty()) {
        request.key = CustomerKey::of(previous->rows.constLast());
        return request;
    }
    if (const auto next = m_pages.constFind(page + 1);
        next != m_pages.cend() && !next->rows.isEmpty()) {
        request.kind = CustomerPageRequest::Kind::Before;
        request.key = CustomerKey::of(next->rows.constFirst());
        return request;
    }
    if (page == 0)
        return request;
    // Near the end: the last rows by a reverse query, as cheap as the start.
    const qint64 fromEnd = m_total - first;
    if (fromEnd <= CustomerService::MaxKeysetRows) {
        request.kind = CustomerPageRequest::Kind::Before;
        request.limit = static_cast<int>(fromEnd);
        request.keep = rows;
        return request;
    }
    // A jump: from the anchor ending the page before.
    if (page - 1 < m_anchors.size()) {
        request.key = m_anchors.at(page - 1);
        return request;
    }
    // A jump before the anchors got there: OFFSET.
    request.kind = CustomerPageRequest::Kind::AtRow;
    request.offset = first;
    return request;
}

rd::Status CustomerTableModel::loadPage(int page, bool notify)
{
    const std::optional<CustomerPageRequest> request = planPage(page);
    Result<QList<CustomerListRow>> rows = QList<CustomerListRow>();
    if (request) {
        if (request->kind == CustomerPageRequest::Kind::AtRow)
            ++m_offsetReads;
        rows = CustomerPageReader::read(m_customers, m_session, m_query, *request);
    }
    rd::Status result;
    if (!rows) {
        // Cached empty, so the view does not ask again and again.
        result = fail(rows.error());
        rows = QList<CustomerListRow>();
    }
    storePage(page, std::move(*rows), notify);
    return result;
}

void CustomerTableModel::storePage(int page, QList<CustomerListRow> rows, bool notify)
{
    m_pending.removeOne(page);
    m_pages.insert(page, Page {std::move(rows), ++m_useCounter});
    // Evict the least recently shown pages beyond the bound.
    while (m_pages.size() > m_cachedPages) {
        auto oldest = m_pages.end();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
            if (it.key() != page && (oldest == m_pages.end() || it->lastUse < oldest->lastUse))
                oldest = it;
        }
        m_pages.erase(oldest);
    }
    if (notify) {
        const int first = page * m_pageRows;
        const int last = static_cast<int>(qMin<qint64>(first + m_pageRows, m_total)) - 1;
        if (last >= first)
            Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }
}

void CustomerTableModel::loadPending()
{
    // The most recent request last: the worker reads it first.
    QList<CustomerPageRequest> requests;
    for (qsizetype i = 0; i < m_pending.size();) {
        const int page = m_pending.at(i);
        const std::optional<CustomerPageRequest> request
            = m_pages.contains(page) ? std::nullopt : planPage(page);
        if (!request) {
            m_pending.removeAt(i);
            continue;
        }
        requests.append(*request);
        ++i;
    }
    m_reader->want(requests);
}

void CustomerTableModel::pageReplied(const CustomerPageReply &reply)
{
    if (reply.generation != m_generation) {
        ++m_staleReplies;
        return;
    }
    if (reply.page < 0) {
        if (!reply.error.isEmpty()) {
            // Jumps keep working by OFFSET; the user needs no message.
            m_anchors.resize(m_freshAnchors);
            m_anchorsComplete = true;
            return;
        }
        // New anchors replace those kept from before a refresh, in order.
        for (const CustomerKey &key : reply.anchors) {
            if (m_freshAnchors < m_anchors.size())
                m_anchors[m_freshAnchors] = key;
            else
                m_anchors.append(key);
            ++m_freshAnchors;
        }
        m_anchorsComplete = reply.anchorsComplete;
        if (m_anchorsComplete)
            m_anchors.resize(m_freshAnchors);
        return;
    }
    // Read on this thread meanwhile (loadRows): that copy stays.
    if (m_pages.contains(reply.page)) {
        m_pending.removeOne(reply.page);
        return;
    }
    storePage(reply.page, reply.rows, true);
    if (!reply.error.isEmpty())
        Q_EMIT loadFailed(reply.error);
}

rd::Status CustomerTableModel::loadRows(int first, int last)
{
    first = qMax(0, first);
    last = qMin(last, rowCount() - 1);
    if (last < first)
        return {};
    const int firstPage = pageOf(first);
    const int lastPage = qMin(pageOf(last), firstPage + m_cachedPages - 1);
    rd::Status result;
    for (int page = firstPage; page <= lastPage; ++page) {
        if (m_pages.contains(page)) {
            m_pages[page].lastUse = ++m_useCounter;
            continue;
        }
        if (rd::Status loaded = loadPage(page, true); !loaded && result)
            result = loaded;
    }
    return result;
}

int CustomerTableModel::offsetReads() const
{
    return m_offsetReads + m_reader->offsetReadCount();
}

int CustomerTableModel::interruptedReads() const
{
    return m_reader->interruptCount();
}

bool CustomerTableModel::readsOnWorker() const
{
    return m_reader->isThreaded();
}

std::optional<int> CustomerTableModel::loadedRowOf(qint64 customerId) const
{
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
        for (qsizetype i = 0; i < it->rows.size(); ++i) {
            if (it->rows.at(i).id == customerId)
                return static_cast<int>(it.key() * m_pageRows + i);
        }
    }
    return std::nullopt;
}

Result<std::optional<int>> CustomerTableModel::rowOfCustomer(qint64 customerId) const
{
    if (const std::optional<int> loaded = loadedRowOf(customerId))
        return loaded;
    Result<std::optional<qint64>> position
        = m_customers.customerPosition(m_session, m_query, customerId);
    if (!position)
        return fail(position.error());
    if (!*position || **position >= rowCount())
        return std::optional<int>();
    return std::optional<int>(static_cast<int>(**position));
}

std::optional<CustomerSort> CustomerTableModel::sortFor(int column)
{
    switch (column) {
    case Company:
        return CustomerSort::Company;
    case Domain:
        return CustomerSort::Domain;
    case Contact:
        return CustomerSort::Contact;
    case Email:
        return CustomerSort::Email;
    case Reseller:
        return CustomerSort::Reseller;
    case Plan:
        return CustomerSort::Plan;
    case Status:
        return CustomerSort::TrialEnds;
    case Created:
        return CustomerSort::Created;
    default:
        return std::nullopt;
    }
}

QString CustomerTableModel::statusText(const CustomerListRow &row, const QDateTime &now)
{
    if (!row.active)
        return tr("Inactive");
    if (row.billingStatus == BillingStatus::Paid)
        return tr("Active");
    if (TrialPolicy::isExpired(row.trialEndsAt, now))
        return tr("Trial expired");
    const int days = TrialPolicy::daysLeft(row.trialEndsAt, now);
    return days == 1 ? tr("Trial, 1 day left") : tr("Trial, %1 days left").arg(days);
}

int CustomerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(qMin<qint64>(m_total, INT_MAX));
}

int CustomerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CustomerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CustomerListRow *row = cachedRow(index.row(), true);
    if (!row) {
        // Not read yet: a placeholder until its page arrives.
        return role == Qt::DisplayRole && index.column() == Company ? QStringLiteral("…")
                                                                    : QVariant();
    }
    const CustomerListRow &c = *row;
    if (role == Qt::TextAlignmentRole) {
        return index.column() == Budget ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                                        : QVariant();
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Company:
        return c.companyName;
    case Domain:
        return c.domain;
    case Contact:
        return c.contactName;
    case Email:
        return c.contactEmail;
    case Reseller:
        return c.ownerResellerId ? c.ownerResellerName : tr("Direct account");
    case OtherResellers:
        return c.otherResellerNames;
    case Status:
        return statusText(c, m_now);
    case Plan:
        return c.planName;
    case PriceList:
        return c.priceListName;
    case Budget:
        return locale.toString(
            c.billingStatus == BillingStatus::Trial ? c.trialBudget : c.monthlyBudget);
    case Created:
        return locale.toString(c.createdAt.toLocalTime().date(), QLocale::ShortFormat);
    default:
        return {};
    }
}

QVariant CustomerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Company:
        return tr("Company");
    case Domain:
        return tr("Domain");
    case Contact:
        return tr("Contact");
    case Email:
        return tr("Email");
    case Reseller:
        return tr("Reseller");
    case OtherResellers:
        return tr("Also assigned to");
    case Status:
        return tr("Status");
    case Plan:
        return tr("Plan");
    case PriceList:
        return tr("Price list");
    case Budget:
        return tr("Identifications / month");
    case Created:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace rd
