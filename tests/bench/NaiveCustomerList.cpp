#include "NaiveCustomerList.h"

#include <QSortFilterProxyModel>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlQueryModel>
#include <QSqlRecord>
#include <QSqlTableModel>

#include "storage/Database.h"

namespace rd::bench {

namespace {

Error modelError(const QString &what, const QSqlError &error)
{
    return Error(ErrorCode::DatabaseError, what, {}, error.text());
}

} // namespace

NaiveCustomerList::NaiveCustomerList(const BenchContext &context)
    : m_context(context)
{ }

NaiveCustomerList::~NaiveCustomerList()
{
    // The proxy refers to the table model.
    m_proxy.reset();
}

QAbstractItemModel &NaiveCustomerList::model()
{
    return *m_shown;
}

Result<int> NaiveCustomerList::open()
{
    m_proxy.reset();
    m_table = std::make_unique<QSqlTableModel>(nullptr, m_context.db.connection());
    m_table->setTable(QStringLiteral("customers"));
    if (!m_table->select())
        return fail(modelError(QStringLiteral("QSqlTableModel::select"), m_table->lastError()));
    m_shown = m_table.get();
    return 0;
}

void NaiveCustomerList::fetchAll()
{
    while (m_table->canFetchMore())
        m_table->fetchMore();
}

Status NaiveCustomerList::prepare(Scenario scenario)
{
    if (scenario == Scenario::SortByCompany) {
        fetchAll();
        m_proxy = std::make_unique<QSortFilterProxyModel>();
        m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
        m_proxy->setSourceModel(m_table.get());
    }
    return {};
}

Result<int> NaiveCustomerList::scrollToEnd()
{
    fetchAll();
    return qMax(0, m_table->rowCount() - m_context.screenRows);
}

Result<int> NaiveCustomerList::jumpTo(qint64 row)
{
    while (m_table->rowCount() < row + m_context.screenRows && m_table->canFetchMore())
        m_table->fetchMore();
    return static_cast<int>(qMin<qint64>(row, m_table->rowCount()));
}

Result<int> NaiveCustomerList::sortByCompany()
{
    if (!m_proxy)
        return fail(ErrorCode::DatabaseError, QStringLiteral("prepare(SortByCompany) not called"));
    m_proxy->sort(m_table->fieldIndex(QStringLiteral("company_name")), Qt::AscendingOrder);
    m_shown = m_proxy.get();
    return 0;
}

Result<int> NaiveCustomerList::search(const QString &term, int matches)
{
    const bool sqlite = m_context.backend == Backend::SQLite;
    const QString like = sqlite ? QStringLiteral(" LIKE ?") : QStringLiteral(" ILIKE ?");
    const QString order = sqlite ? QStringLiteral("company_name COLLATE NOCASE, id")
                                 : QStringLiteral("lower(company_name), id");
    QSqlQuery query(m_context.db.connection());
    query.prepare(QStringLiteral("SELECT * FROM customers WHERE company_name") + like
        + QStringLiteral(" OR domain") + like + QStringLiteral(" OR contact_name") + like
        + QStringLiteral(" OR contact_email") + like + QStringLiteral(" ORDER BY ") + order
        + QStringLiteral(" LIMIT ?"));
    const QString pattern = QLatin1Char('%') + term + QLatin1Char('%');
    for (int i = 0; i < 4; ++i)
        query.addBindValue(pattern);
    query.addBindValue(matches);
    if (!query.exec())
        return fail(modelError(QStringLiteral("LIKE search"), query.lastError()));
    m_search = std::make_unique<QSqlQueryModel>();
    m_search->setQuery(std::move(query));
    m_shown = m_search.get();
    return 0;
}

Status NaiveCustomerList::scrollThroughAll()
{
    fetchAll();
    return {};
}

} // namespace rd::bench
