#include "resellers/ResellersPage.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "resellers/ResellerTableModel.h"
#include "services/ResellerService.h"

namespace rd {

ResellersPage::ResellersPage(const Session &session, ResellerService &service, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_service(service)
{
    setObjectName(QStringLiteral("resellersPage"));
    m_model = new ResellerTableModel(this);
    // Reseller lists are small and held whole; sorting them in memory is fine.
    auto *sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(m_model);
    sorted->setSortCaseSensitivity(Qt::CaseInsensitive);
    sorted->setSortLocaleAware(true);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("resellerTable"));
    m_view->setAccessibleName(tr("Resellers"));
    m_view->setModel(sorted);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ResellerTableModel::Name, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("resellersMessage"));
    m_message->setWordWrap(true);
    m_message->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(m_view);
}

void ResellersPage::refresh()
{
    Result<QList<ResellerSummary>> resellers = m_service.listResellers(m_session);
    if (!resellers) {
        m_message->setText(resellers.error().message());
        m_message->show();
        m_model->setResellers({});
        return;
    }
    m_message->hide();
    m_model->setResellers(*resellers);
    m_view->resizeColumnsToContents();
}

} // namespace rd
