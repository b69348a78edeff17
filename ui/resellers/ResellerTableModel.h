#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "services/ResellerService.h"

namespace rd {

// The resellers a session may see (ResellerService::listResellers). A
// reseller list is small (thousands at most), so the model holds it whole
// and a QSortFilterProxyModel sorts and filters it in memory.
class ResellerTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResellerTableModel)

public:
    enum Column {
        Name,
        Parent,
        Status,
        Customers,
        ActiveCustomers,
        Trials,
        Commission,
        Scope,
        Pricing,
        ColumnCount
    };

    // The value to sort by: numbers as numbers (the display text of
    // "1,200" would sort before "900"), text as the display text.
    static constexpr int SortRole = Qt::UserRole;
    // The reseller's id, on every column.
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit ResellerTableModel(QObject *parent = nullptr);

    void setResellers(QList<ResellerSummary> resellers);
    const ResellerSummary *resellerAt(int row) const;
    // The row of the reseller, or -1.
    int rowOf(qint64 resellerId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const ResellerSummary &reseller, int column) const;
    QVariant sortValue(const ResellerSummary &reseller, int column) const;

    QList<ResellerSummary> m_resellers;
};

} // namespace rd
