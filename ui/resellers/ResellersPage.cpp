#include "resellers/ResellersPage.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/ReasonDialog.h"
#include "common/ThemedIcon.h"
#include "common/UiServices.h"
#include "domain/Permission.h"
#include "resellers/ResellerDialog.h"
#include "resellers/ResellerTableModel.h"
#include "services/ResellerService.h"
#include "services/Session.h"

namespace rd {

ResellersPage::ResellersPage(const Session &session, UiServices &services, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("resellersPage"));
    m_model = new ResellerTableModel(this);
    // Reseller lists are small and held whole; sorting and filtering them in
    // memory is fine.
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResellerTableModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortLocaleAware(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // any column: name, parent, status, scope…

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("resellerSearch"));
    m_filter->setAccessibleName(tr("Filter resellers"));
    m_filter->setPlaceholderText(tr("Name, parent, status…"));
    m_filter->setClearButtonEnabled(true);
    auto *filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filter);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("resellerCount"));

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("resellerTable"));
    m_view->setAccessibleName(tr("Resellers"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ResellerTableModel::Name, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("resellersMessage"));
    m_message->setWordWrap(true);
    m_message->hide();
    m_emptyState = new QLabel(this);
    m_emptyState->setObjectName(QStringLiteral("resellersEmptyState"));
    m_emptyState->setWordWrap(true);
    calmDown(m_emptyState, palette());
    m_emptyState->hide();

    auto *bar = new QHBoxLayout;
    bar->addWidget(filterLabel);
    bar->addWidget(m_filter, 1);
    bar->addStretch(1);
    bar->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(m_emptyState);
    layout->addWidget(m_view);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text.trimmed());
        updateActions();
        updateCount();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &ResellersPage::updateActions);

    // Only administrators get the actions (section 3); the service checks again.
    if (PermissionMatrix::allows(session.role(), Capability::ManageResellers, Access::Write))
        createActions();
    updateActions();
    updateCount();
}

void ResellersPage::createActions()
{
    m_add = new QAction(tr("&New Reseller…"), this);
    m_add->setObjectName(QStringLiteral("addResellerAction"));
    m_add->setToolTip(tr("Add a reseller portal"));
    m_add->setShortcut(QKeySequence::New);
    m_add->setIcon(themedIcon(QStringLiteral("add")));
    connect(m_add, &QAction::triggered, this, &ResellersPage::addReseller);

    m_edit = new QAction(tr("&Edit Reseller…"), this);
    m_edit->setObjectName(QStringLiteral("editResellerAction"));
    m_edit->setToolTip(tr("Edit the selected reseller"));
    m_edit->setIcon(themedIcon(QStringLiteral("edit")));
    connect(m_edit, &QAction::triggered, this, &ResellersPage::editReseller);

    m_deactivate = new QAction(tr("&Deactivate Reseller…"), this);
    m_deactivate->setObjectName(QStringLiteral("deactivateResellerAction"));
    m_deactivate->setToolTip(tr("Deactivate the selected reseller, with a reason"));
    m_deactivate->setShortcut(QKeySequence::Delete);
    connect(m_deactivate, &QAction::triggered, this, &ResellersPage::deactivateReseller);

    m_reactivate = new QAction(tr("&Reactivate Reseller"), this);
    m_reactivate->setObjectName(QStringLiteral("reactivateResellerAction"));
    m_reactivate->setToolTip(tr("Reactivate the selected reseller"));
    connect(m_reactivate, &QAction::triggered, this, &ResellersPage::reactivateReseller);

    m_actions = {m_add, m_edit, m_deactivate, m_reactivate};

    // Double-click and Enter edit, as in any list of records.
    connect(m_view, &QAbstractItemView::activated, this, [this] {
        if (m_edit->isEnabled())
            editReseller();
    });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ResellersPage::showContextMenu);
}

void ResellersPage::refresh()
{
    const ResellerSummary *current = currentReseller();
    const qint64 keep = current ? current->id : 0;
    Result<QList<ResellerSummary>> resellers = m_services.resellers.listResellers(m_session);
    if (!resellers) {
        m_message->setText(resellers.error().message());
        m_message->show();
        m_model->setResellers({});
    } else {
        m_message->hide();
        m_model->setResellers(*resellers);
        if (!m_sized && m_model->rowCount() > 0) {
            m_view->resizeColumnsToContents();
            m_sized = true;
        }
    }
    if (keep > 0)
        selectReseller(keep);
    updateActions();
    updateCount();
}

const ResellerSummary *ResellersPage::currentReseller() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid() || !m_view->selectionModel()->isRowSelected(current.row()))
        return nullptr;
    return m_model->resellerAt(m_proxy->mapToSource(current).row());
}

void ResellersPage::selectReseller(qint64 resellerId)
{
    const int row = m_model->rowOf(resellerId);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return; // filtered out
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

void ResellersPage::addReseller()
{
    ResellerDialog dialog(m_session, m_services, 0, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    // The new reseller must be visible to be selected.
    m_filter->clear();
    refresh();
    selectReseller(dialog.resellerId());
}

void ResellersPage::editReseller()
{
    const ResellerSummary *current = currentReseller();
    if (!current)
        return;
    ResellerDialog dialog(m_session, m_services, current->id, this);
    const bool saved = dialog.exec() == QDialog::Accepted;
    // Also after Cancel: a reload in the dialog may have shown newer data.
    refresh();
    if (saved)
        selectReseller(dialog.resellerId());
}

void ResellersPage::deactivateReseller()
{
    setActive(false);
}

void ResellersPage::reactivateReseller()
{
    setActive(true);
}

void ResellersPage::setActive(bool active)
{
    const ResellerSummary *current = currentReseller();
    if (!current || current->active == active)
        return;
    const ResellerSummary reseller = *current; // refresh() replaces the rows
    const QString title = active ? tr("Reactivate Reseller") : tr("Deactivate Reseller");
    const QString explanation = active
        ? tr("Reactivate %1? Its users can work in the portal again, and it can be chosen for "
             "new customers and transfers.")
              .arg(reseller.name)
        : tr("Deactivate %1? Its users can no longer work in the portal, and it cannot be "
             "chosen for new customers or transfers. Its customers and history are kept; you "
             "can reactivate it later.")
              .arg(reseller.name);
    ReasonDialog dialog(
        title, explanation, active ? tr("&Reactivate") : tr("&Deactivate"), !active, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    Result<int> version = m_services.resellers.setActive(
        m_session, reseller.id, reseller.version, active, dialog.reason());
    if (!version)
        showError(this, title, version.error());
    // After a refusal too: a Conflict means the table is out of date.
    refresh();
    selectReseller(reseller.id);
}

void ResellersPage::updateActions()
{
    if (m_actions.isEmpty())
        return;
    const ResellerSummary *current = currentReseller();
    m_edit->setEnabled(current != nullptr);
    m_deactivate->setEnabled(current && current->active);
    m_reactivate->setEnabled(current && !current->active);
}

void ResellersPage::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    if (shown != total)
        m_count->setText(tr("%1 of %Ln resellers", nullptr, total).arg(QLocale().toString(shown)));
    else
        m_count->setText(total == 1 ? tr("1 reseller") : tr("%Ln resellers", nullptr, total));

    const QString filter = m_filter->text().trimmed();
    if (shown > 0 || !m_message->isHidden())
        m_emptyState->hide();
    else if (total > 0 && !filter.isEmpty())
        m_emptyState->setText(tr("No resellers match “%1”.").arg(filter));
    else if (m_add)
        m_emptyState->setText(tr("No resellers yet — add one with New Reseller…"));
    else
        m_emptyState->setText(tr("No resellers yet."));
    m_emptyState->setVisible(shown == 0 && m_message->isHidden());
}

void ResellersPage::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (index.isValid()) {
        m_view->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("resellerContextMenu"));
    menu.addAction(m_add);
    menu.addSeparator();
    menu.addAction(m_edit);
    menu.addAction(m_deactivate);
    menu.addAction(m_reactivate);
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

} // namespace rd
