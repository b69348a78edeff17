#pragma once

#include <memory>

#include "CustomerListCandidate.h"

class QAbstractItemModel;
class QSortFilterProxyModel;
class QSqlQueryModel;
class QSqlTableModel;

namespace rd::bench {

// The obvious Qt way, the baseline: a QSqlTableModel on the customers
// table. Scrolling is fetchMore() until the row is there (QSQLITE fetches
// 256 rows at a time; QPSQL reads the whole result in select()); sorting is
// a QSortFilterProxyModel over every row; searching is a LIKE '%term%'
// (PostgreSQL: ILIKE) over the four columns in a QSqlQueryModel, ordered by
// company, first `matches` rows.
class NaiveCustomerList final : public CustomerListCandidate
{
public:
    explicit NaiveCustomerList(const BenchContext &context);
    ~NaiveCustomerList() override;

    QAbstractItemModel &model() override;
    Result<int> open() override;
    Status prepare(Scenario scenario) override;
    Result<int> scrollToEnd() override;
    Result<int> jumpTo(qint64 row) override;
    Result<int> sortByCompany() override;
    Result<int> search(const QString &term, int matches) override;
    Status scrollThroughAll() override;

private:
    void fetchAll();

    BenchContext m_context;
    std::unique_ptr<QSqlTableModel> m_table;
    std::unique_ptr<QSortFilterProxyModel> m_proxy;
    std::unique_ptr<QSqlQueryModel> m_search;
    QAbstractItemModel *m_shown = nullptr;
};

} // namespace rd::bench
