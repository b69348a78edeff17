#include "customers/CustomerTableModel.h"

#include <QLocale>

#include "domain/TrialPolicy.h"

namespace rd {

CustomerTableModel::CustomerTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void CustomerTableModel::setPage(CustomerPage page, const QDateTime &now)
{
    beginResetModel();
    m_rows = std::move(page.rows);
    m_total = page.total;
    m_now = now;
    endResetModel();
}

const CustomerListRow *CustomerTableModel::customerAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
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
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int CustomerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CustomerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CustomerListRow &c = m_rows.at(index.row());
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
