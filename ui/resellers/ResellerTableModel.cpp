#include "resellers/ResellerTableModel.h"

#include <QLocale>

namespace rd {

ResellerTableModel::ResellerTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ResellerTableModel::setResellers(QList<ResellerSummary> resellers)
{
    beginResetModel();
    m_resellers = std::move(resellers);
    endResetModel();
}

const ResellerSummary *ResellerTableModel::resellerAt(int row) const
{
    return row >= 0 && row < m_resellers.size() ? &m_resellers.at(row) : nullptr;
}

int ResellerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_resellers.size());
}

int ResellerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResellerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ResellerSummary &r = m_resellers.at(index.row());
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case Customers:
        case ActiveCustomers:
        case Trials:
        case Commission:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Name:
        return r.name;
    case Parent:
        return r.parentName;
    case Status:
        return r.active ? tr("Active") : tr("Deactivated");
    case Customers:
        return locale.toString(r.customerCount);
    case ActiveCustomers:
        return locale.toString(r.activeCustomers);
    case Trials:
        return locale.toString(r.trialCustomers);
    case Commission:
        return QString(locale.toString(r.commissionRateBp / 100.0, 'f', 2) + QStringLiteral(" %"));
    case Scope:
        return r.customerScope == CustomerScope::All ? tr("All customers")
                                                     : tr("Assigned customers");
    case Pricing:
        return r.pricing == PricingMode::Selected ? r.priceListName : tr("Channel price list");
    default:
        return {};
    }
}

QVariant ResellerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Reseller");
    case Parent:
        return tr("Parent");
    case Status:
        return tr("Status");
    case Customers:
        return tr("Customers");
    case ActiveCustomers:
        return tr("Active");
    case Trials:
        return tr("Trials");
    case Commission:
        return tr("Commission");
    case Scope:
        return tr("Customer scope");
    case Pricing:
        return tr("Pricing");
    default:
        return {};
    }
}

} // namespace rd
