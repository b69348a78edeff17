#include "resellers/ResellerTableModel.h"

#include <QLocale>

#include "common/Formatting.h"

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

int ResellerTableModel::rowOf(qint64 resellerId) const
{
    for (int row = 0; row < m_resellers.size(); ++row) {
        if (m_resellers.at(row).id == resellerId)
            return row;
    }
    return -1;
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
    switch (role) {
    case Qt::DisplayRole:
        return display(r, index.column());
    case SortRole:
        return sortValue(r, index.column());
    case IdRole:
        return r.id;
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Customers:
        case ActiveCustomers:
        case Trials:
        case Commission:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Commission && r.parentId > 0) {
            return tr("%1 earns an override of %2 on this portal's orders.")
                .arg(r.parentName, percentText(r.overrideRateBp));
        }
        if (index.column() == Scope) {
            return r.customerScope == CustomerScope::All
                ? tr("The reseller's users see every customer of the installation.")
                : tr("The reseller's users see the customers assigned to it.");
        }
        return {};
    default:
        return {};
    }
}

QVariant ResellerTableModel::display(const ResellerSummary &r, int column) const
{
    const QLocale locale;
    switch (column) {
    case Name:
        return r.name;
    case Parent:
        return r.parentName;
    case Status:
        return r.active ? tr("Active") : tr("Inactive");
    case Customers:
        return locale.toString(r.customerCount);
    case ActiveCustomers:
        return locale.toString(r.activeCustomers);
    case Trials:
        return locale.toString(r.trialCustomers);
    case Commission:
        return percentText(r.commissionRateBp, locale);
    case Scope:
        return r.customerScope == CustomerScope::All ? tr("All customers")
                                                     : tr("Assigned customers");
    case Pricing:
        return r.pricing == PricingMode::Selected ? r.priceListName : tr("Channel price list");
    default:
        return {};
    }
}

QVariant ResellerTableModel::sortValue(const ResellerSummary &r, int column) const
{
    switch (column) {
    case Customers:
        return r.customerCount;
    case ActiveCustomers:
        return r.activeCustomers;
    case Trials:
        return r.trialCustomers;
    case Commission:
        return r.commissionRateBp;
    default:
        return display(r, column);
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
        return tr("Active customers");
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
