#include "outbox/OutboxPage.h"

#include <algorithm>
#include <optional>

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/UiServices.h"
#include "domain/Permission.h"
#include "outbox/OutboxTableModel.h"
#include "services/OutboxService.h"
#include "services/Session.h"

namespace rd {

namespace {

const auto LayoutKey = QLatin1String("outbox/headerState");

} // namespace

OutboxPage::OutboxPage(const Session &session, UiServices &services, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("outboxPage"));
    m_model = new OutboxTableModel(m_session, m_services.outbox, this);

    m_statusFilter = new QComboBox(this);
    m_statusFilter->setObjectName(QStringLiteral("outboxStatusFilter"));
    m_statusFilter->setAccessibleName(tr("Show emails by status"));
    m_statusFilter->addItem(tr("All"), int(Filter::All));
    m_statusFilter->addItem(tr("Pending"), int(Filter::Pending));
    m_statusFilter->addItem(tr("Failed"), int(Filter::Failed));
    m_statusFilter->addItem(tr("Outcome unknown"), int(Filter::Unknown));
    m_statusFilter->addItem(tr("Sent"), int(Filter::Sent));
    m_statusFilter->addItem(tr("Cancelled"), int(Filter::Cancelled));
    m_statusFilter->addItem(tr("Problems (failed or unknown)"), int(Filter::Problems));
    m_statusFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *statusLabel = new QLabel(tr("S&tatus:"), this);
    statusLabel->setBuddy(m_statusFilter);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("outboxSearch"));
    m_search->setAccessibleName(tr("Search emails"));
    m_search->setPlaceholderText(tr("Search recipient or subject"));
    m_search->setClearButtonEnabled(true);
    auto *searchLabel = new QLabel(tr("&Search:"), this);
    searchLabel->setBuddy(m_search);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("outboxCount"));

    m_message = createReasonLabel(QStringLiteral("outboxMessage"), this);
    m_message->hide();
    // Support reads the outbox but acts on nothing: say why the actions
    // stay disabled instead of leaving it to guesswork.
    QLabel *readOnly = nullptr;
    const Role role = m_session.role();
    if (!PermissionMatrix::allows(role, Capability::ManageCustomers, Access::Write)
        && !PermissionMatrix::allows(role, Capability::ManageUsers, Access::Write)) {
        readOnly = new QLabel(tr("You can see the outbox; resending or cancelling an email needs "
                                 "the right to manage the customer or user it concerns."),
            this);
        readOnly->setObjectName(QStringLiteral("outboxReadOnlyHint"));
        readOnly->setWordWrap(true);
        calmDown(readOnly, palette());
    }

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("outboxTable"));
    m_view->setAccessibleName(tr("Outbox"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionsMovable(true);
    header->setStretchLastSection(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);

    auto *top = new QHBoxLayout;
    top->addWidget(statusLabel);
    top->addWidget(m_statusFilter);
    top->addSpacing(12);
    top->addWidget(searchLabel);
    top->addWidget(m_search, 1);
    top->addSpacing(12);
    top->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    if (readOnly)
        layout->addWidget(readOnly);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);

    createActions();
    buildColumnsMenu();
    restoreLayout();

    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, &OutboxPage::refresh);
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &OutboxPage::refresh);
    connect(header, &QHeaderView::customContextMenuRequested, this, [this](const QPoint &position) {
        m_columnsMenu->popup(m_view->horizontalHeader()->mapToGlobal(position));
    });
    for (auto signal : {&QHeaderView::sectionResized, &QHeaderView::sectionMoved}) {
        connect(header, signal, this, [this] { saveLayout(); });
    }
    connect(m_view, &QTableView::customContextMenuRequested, this, &OutboxPage::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &OutboxPage::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &OutboxPage::updateActions);
    connect(m_model, &OutboxTableModel::loaded, this, [this](const QString &error) {
        showMessage(error);
        updateCount();
    });
    updateActions();
    updateCount();
}

OutboxPage::~OutboxPage() = default;

void OutboxPage::createActions()
{
    const auto make = [this](const QString &text, const char *name, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        action->setStatusTip(tip);
        action->setToolTip(tip);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
        m_pageActions.append(action);
        return action;
    };
    // Everyone who sees the outbox gets the actions; they are enabled only
    // for messages the session may act on (not for Support).
    m_resend = make(tr("&Resend"), "resendMailAction",
        tr("Queue the selected failed, unknown or cancelled emails again"));
    m_cancel = make(tr("&Cancel Email…"), "cancelMailAction",
        tr("Stop the selected emails from being sent; a one-time code in them is erased"));
    m_cancel->setShortcut(QKeySequence::Delete);
    m_pageActions.append(nullptr);
    // F5 is the window's Refresh; this is the same for the menu and tool bar.
    m_refresh = make(tr("Re&fresh"), "refreshOutboxAction", tr("Load the outbox again"));
    for (QAction *action : {m_resend, m_cancel, m_refresh})
        action->setProperty("toolBar", true);

    connect(m_resend, &QAction::triggered, this, &OutboxPage::resend);
    connect(m_cancel, &QAction::triggered, this, &OutboxPage::cancel);
    connect(m_refresh, &QAction::triggered, this, &OutboxPage::refresh);
}

void OutboxPage::buildColumnsMenu()
{
    m_columnsMenu = new QMenu(tr("Outbox &Columns"), this);
    m_columnsMenu->setObjectName(QStringLiteral("outboxColumnsMenu"));
    for (int column = 0; column < OutboxTableModel::ColumnCount; ++column) {
        QAction *toggle = m_columnsMenu->addAction(
            m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
        toggle->setObjectName(QStringLiteral("outboxColumn%1Action").arg(column));
        toggle->setCheckable(true);
        toggle->setChecked(true);
        // The status is what the view is about: it always stays.
        toggle->setEnabled(column != OutboxTableModel::Status);
        connect(toggle, &QAction::toggled, this, [this, column](bool shown) {
            m_view->setColumnHidden(column, !shown);
            saveLayout();
        });
    }
    connect(m_columnsMenu, &QMenu::aboutToShow, this, [this] {
        const QList<QAction *> toggles = m_columnsMenu->actions();
        for (int column = 0; column < toggles.size(); ++column) {
            QSignalBlocker block(toggles.at(column));
            toggles.at(column)->setChecked(!m_view->isColumnHidden(column));
        }
    });
}

void OutboxPage::restoreLayout()
{
    const QByteArray state = QSettings().value(LayoutKey).toByteArray();
    if (!state.isEmpty() && m_view->horizontalHeader()->restoreState(state)) {
        m_sized = true; // the user's widths
        m_view->setColumnHidden(OutboxTableModel::Status, false);
    }
}

void OutboxPage::saveLayout() const
{
    QSettings().setValue(LayoutKey, m_view->horizontalHeader()->saveState());
}

void OutboxPage::setFilter(Filter filter)
{
    const int index = m_statusFilter->findData(int(filter));
    if (index == m_statusFilter->currentIndex())
        refresh();
    else
        m_statusFilter->setCurrentIndex(index); // refreshes
}

OutboxPage::Filter OutboxPage::filter() const
{
    return static_cast<Filter>(m_statusFilter->currentData().toInt());
}

void OutboxPage::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void OutboxPage::refresh()
{
    m_debounce->stop();
    // The selection by id and row: a row is found again among the pages
    // read around where it was (new mail above it shifts it a little).
    QList<std::pair<qint64, int>> selected;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        if (const OutboxEntry *entry = m_model->entryAt(index.row()))
            selected.append({entry->id, index.row()});
    }

    OutboxQuery query;
    query.search = m_search->text().trimmed();
    switch (filter()) {
    case Filter::All:
        break;
    case Filter::Pending:
        query.status = OutboxStatus::Pending;
        break;
    case Filter::Failed:
        query.status = OutboxStatus::Failed;
        break;
    case Filter::Unknown:
        query.status = OutboxStatus::Unknown;
        break;
    case Filter::Sent:
        query.status = OutboxStatus::Sent;
        break;
    case Filter::Cancelled:
        query.status = OutboxStatus::Cancelled;
        break;
    case Filter::Problems:
        query.problemsOnly = true;
        break;
    }
    m_model->setQuery(query);

    if (!m_sized && m_model->rowCount() == 0) {
        // Nothing to fit yet: at least every header reads whole.
        QHeaderView *header = m_view->horizontalHeader();
        for (int column = 0; column < OutboxTableModel::ColumnCount; ++column)
            m_view->setColumnWidth(
                column, qMax(m_view->columnWidth(column), header->sectionSizeHint(column)));
    }
    if (!m_sized && m_model->rowCount() > 0) {
        // Fit the columns once to what is there; later the user's widths stay.
        m_view->resizeColumnsToContents();
        for (int column = 0; column < OutboxTableModel::ColumnCount; ++column)
            m_view->setColumnWidth(column, qMin(m_view->columnWidth(column), 220));
        m_sized = true;
    }
    QItemSelection keep;
    for (const auto &[id, was] : std::as_const(selected)) {
        int row = m_model->rowOfId(id);
        if (row < 0) {
            (void)m_model->loadRows(was - m_model->pageRows(), was + m_model->pageRows());
            row = m_model->rowOfId(id);
        }
        if (row >= 0)
            keep.select(
                m_model->index(row, 0), m_model->index(row, OutboxTableModel::ColumnCount - 1));
    }
    m_view->selectionModel()->select(keep, QItemSelectionModel::ClearAndSelect);
    updateActions();
}

QList<OutboxEntry> OutboxPage::selectedEntries() const
{
    // Copies: reading one row's page may drop another's.
    QList<OutboxEntry> entries;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        if (const OutboxEntry *entry = m_model->entryAt(index.row()))
            entries.append(*entry);
    }
    return entries;
}

void OutboxPage::updateActions()
{
    const QList<OutboxEntry> entries = selectedEntries();
    const bool any = !entries.isEmpty();
    m_resend->setEnabled(any && std::ranges::all_of(entries, &OutboxEntry::canResend));
    m_cancel->setEnabled(any && std::ranges::all_of(entries, &OutboxEntry::canCancel));
}

void OutboxPage::updateCount()
{
    // The exact number the query lists (the model counts them).
    const int total = m_model->rowCount();
    if (!m_model->loadError().isEmpty() && total == 0) {
        m_count->clear();
    } else if (total == 0) {
        const bool filtered = filter() != Filter::All || !m_search->text().trimmed().isEmpty();
        m_count->setText(filtered ? tr("No email matches") : tr("The outbox is empty"));
    } else {
        m_count->setText(tr("%n emails", nullptr, total));
    }
}

void OutboxPage::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void OutboxPage::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (index.isValid() && !m_view->selectionModel()->isRowSelected(index.row(), {})) {
        m_view->selectionModel()->select(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    QMenu menu(this);
    for (QAction *action : std::as_const(m_pageActions)) {
        if (action)
            menu.addAction(action);
        else
            menu.addSeparator();
    }
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void OutboxPage::resend()
{
    QList<OutboxEntry> targets;
    for (const OutboxEntry &entry : selectedEntries()) {
        if (entry.canResend)
            targets.append(entry);
    }
    if (targets.isEmpty())
        return;

    QStringList failures;
    std::optional<Error> onlyError;
    int done = 0;
    for (const OutboxEntry &entry : std::as_const(targets)) {
        Status resent = m_services.outbox.resend(m_session, entry.id);
        if (resent) {
            ++done;
            continue;
        }
        failures.append(
            tr("%1 (%2): %3").arg(entry.recipient, entry.subject, resent.error().message()));
        onlyError = resent.error();
    }
    refresh();
    if (done > 0) {
        showMessage(done == 1 ? tr("The email is queued again.")
                              : tr("%n emails are queued again.", nullptr, done));
        Q_EMIT mailQueued();
        Q_EMIT outboxChanged();
    }
    if (failures.isEmpty())
        return;
    if (targets.size() == 1) {
        showError(this, tr("Resend Email"), *onlyError);
        return;
    }
    showError(this, tr("Resend Email"),
        Error(ErrorCode::InvalidInput,
            tr("These emails could not be queued again:") + QLatin1Char('\n')
                + failures.join(QLatin1Char('\n'))));
}

void OutboxPage::cancel()
{
    QList<OutboxEntry> targets;
    for (const OutboxEntry &entry : selectedEntries()) {
        if (entry.canCancel)
            targets.append(entry);
    }
    if (targets.isEmpty())
        return;

    const int count = static_cast<int>(targets.size());
    const OutboxEntry &first = targets.constFirst();
    QMessageBox confirm(QMessageBox::Question,
        count == 1 ? tr("Cancel Email") : tr("Cancel %n Emails", nullptr, count),
        count == 1 ? tr("Cancel the email “%1” to %2?").arg(first.subject, first.recipient)
                   : tr("Cancel the %n selected emails?", nullptr, count),
        QMessageBox::NoButton, this);
    confirm.setObjectName(QStringLiteral("cancelMailConfirmation"));
    confirm.setInformativeText(
        tr("A cancelled email is not sent. A one-time code it carries is erased, so such an "
           "email cannot be resent later: use Resend Setup Email or Reset Password for a new "
           "code."));
    QPushButton *yes = confirm.addButton(
        count == 1 ? tr("&Cancel Email") : tr("&Cancel Emails"), QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    QPushButton *keep = confirm.addButton(tr("&Keep"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepButton"));
    confirm.setDefaultButton(keep);
    confirm.setEscapeButton(keep);
    confirm.exec();
    if (confirm.clickedButton() != yes)
        return;

    QStringList failures;
    std::optional<Error> onlyError;
    int done = 0;
    for (const OutboxEntry &entry : std::as_const(targets)) {
        Status cancelled = m_services.outbox.cancel(m_session, entry.id);
        if (cancelled) {
            ++done;
            continue;
        }
        failures.append(
            tr("%1 (%2): %3").arg(entry.recipient, entry.subject, cancelled.error().message()));
        onlyError = cancelled.error();
    }
    refresh();
    if (done > 0) {
        showMessage(done == 1 ? tr("The email is cancelled.")
                              : tr("%n emails are cancelled.", nullptr, done));
        Q_EMIT outboxChanged();
    }
    if (failures.isEmpty())
        return;
    if (count == 1) {
        showError(this, tr("Cancel Email"), *onlyError);
        return;
    }
    showError(this, tr("Cancel Email"),
        Error(ErrorCode::InvalidInput,
            tr("These emails could not be cancelled:") + QLatin1Char('\n')
                + failures.join(QLatin1Char('\n'))));
}

} // namespace rd
