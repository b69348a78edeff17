#pragma once

#include <QAbstractTableModel>
#include <QDateTime>

#include "services/CustomerService.h"

namespace rd {

// One page of the customers a session may see, as CustomerService returns
// it (scoped, sorted and filtered by the database). Sorting asks the
// service again; nothing is sorted or filtered in memory.
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

    explicit CustomerTableModel(QObject *parent = nullptr);

    // Replaces the rows; `now` decides "trial, n days left" vs "expired".
    void setPage(CustomerPage page, const QDateTime &now);
    qint64 total() const noexcept { return m_total; }
    const CustomerListRow *customerAt(int row) const;

    // The database sort key for a column, or nothing when it cannot sort.
    static std::optional<CustomerSort> sortFor(int column);
    static QString statusText(const CustomerListRow &row, const QDateTime &now);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<CustomerListRow> m_rows;
    qint64 m_total = 0;
    QDateTime m_now;
};

} // namespace rd
