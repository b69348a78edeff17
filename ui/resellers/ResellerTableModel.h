#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "services/ResellerService.h"

namespace rd {

// The resellers a session may see (ResellerService::listResellers). A
// reseller list is small (thousands at most), so the model holds it whole.
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

    explicit ResellerTableModel(QObject *parent = nullptr);

    void setResellers(QList<ResellerSummary> resellers);
    const ResellerSummary *resellerAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ResellerSummary> m_resellers;
};

} // namespace rd
