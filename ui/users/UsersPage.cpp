#include "users/UsersPage.h"

#include <climits>
#include <optional>

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "common/ReasonDialog.h"
#include "common/ThemedIcon.h"
#include "common/UiServices.h"
#include "domain/Permission.h"
#include "services/Session.h"
#include "services/UserService.h"
#include "users/AddUserDialog.h"
#include "users/ChangeRoleDialog.h"
#include "users/UserTableModel.h"

namespace rd {

namespace {

// How long typing must pause before the filter queries the database.
constexpr int FilterDelayMs = 200;

} // namespace

UsersPage::UsersPage(const Session &session, UiServices &services, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("usersPage"));
    // Sorted and filtered by the database, a page at a time: an
    // administrator's scope is the whole installation.
    m_model = new UserTableModel(session, services.users, this);
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(FilterDelayMs);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("userFilter"));
    m_filter->setAccessibleName(tr("Filter users"));
    m_filter->setPlaceholderText(tr("Filter by the start of the email, name or context"));
    m_filter->setClearButtonEnabled(true);
    auto *filterLabel = new QLabel(tr("Fil&ter:"), this);
    filterLabel->setBuddy(m_filter);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("userCount"));

    m_message = createReasonLabel(QStringLiteral("usersMessage"), this);
    m_message->hide();
    m_emptyState = new QLabel(this);
    m_emptyState->setObjectName(QStringLiteral("usersEmptyState"));
    m_emptyState->setWordWrap(true);
    calmDown(m_emptyState, palette());
    m_emptyState->hide();

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("userTable"));
    m_view->setAccessibleName(tr("Users"));
    m_view->setModel(m_model);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(UserTableModel::Email, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);

    auto *top = new QHBoxLayout;
    top->addWidget(filterLabel);
    top->addWidget(m_filter, 1);
    top->addSpacing(12);
    top->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(m_emptyState);
    layout->addWidget(m_view);

    // Typing starts one query once it pauses, not one per key.
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this, &UsersPage::refresh);
    connect(m_view->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
        &UsersPage::sortChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &UsersPage::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &UsersPage::updateActions);

    createActions();
    updateActions();
    updateCount();
}

UsersPage::~UsersPage() = default;

void UsersPage::createActions()
{
    // Only for roles that may manage users (section 3), and never inside a
    // Login As session: core refuses both anyway.
    if (!PermissionMatrix::allows(m_session.role(), Capability::ManageUsers, Access::Write)
        || m_session.isImpersonated())
        return;

    const auto create = [this](const QString &text, const char *name, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        action->setStatusTip(tip);
        m_actions.append(action);
        return action;
    };
    m_add = create(tr("&New User…"), "addUserAction",
        tr("Add a user, or give an existing login access to another context"));
    m_changeRole = create(
        tr("Change &Role…"), "changeRoleAction", tr("Give the selected membership another role"));
    m_deactivate = create(tr("&Deactivate"), "deactivateUserAction",
        tr("Stop the selected memberships from being used; nothing is deleted"));
    m_reactivate = create(tr("Re&activate"), "reactivateUserAction",
        tr("Let the selected memberships be used again"));
    m_resetPassword = create(tr("Reset &Password…"), "resetPasswordAction",
        tr("Queue a setup email with a one-time code; the old password stops working"));

    m_add->setShortcut(QKeySequence::New);
    m_add->setIcon(themedIcon(QStringLiteral("add")));
    m_resetPassword->setIcon(themedIcon(QStringLiteral("key")));
    m_deactivate->setShortcut(QKeySequence::Delete);
    connect(m_add, &QAction::triggered, this, &UsersPage::addUser);
    connect(m_changeRole, &QAction::triggered, this, &UsersPage::changeRole);
    connect(m_deactivate, &QAction::triggered, this, [this] { setActive(false); });
    connect(m_reactivate, &QAction::triggered, this, [this] { setActive(true); });
    connect(m_resetPassword, &QAction::triggered, this, &UsersPage::resetPassword);

    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(m_add);
        menu.addSeparator();
        menu.addAction(m_changeRole);
        menu.addAction(m_resetPassword);
        menu.addSeparator();
        menu.addAction(m_deactivate);
        menu.addAction(m_reactivate);
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_view, &QAbstractItemView::doubleClicked, this, [this] {
        if (m_changeRole->isEnabled())
            changeRole();
    });
}

void UsersPage::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

void UsersPage::sortChanged(int column, Qt::SortOrder order)
{
    if (!UserTableModel::sortFor(column)) {
        // Not sorted by the database (the context): keep the current order.
        const UserPageQuery &query = m_model->query();
        int sorted = UserTableModel::Email;
        for (int c = 0; c < UserTableModel::ColumnCount; ++c) {
            if (UserTableModel::sortFor(c) == query.sort)
                sorted = c;
        }
        const QSignalBlocker block(m_view->horizontalHeader());
        m_view->horizontalHeader()->setSortIndicator(
            sorted, query.ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
        return;
    }
    Q_UNUSED(order)
    // The view has sorted the model (a new query): the count may say more.
    updateCount();
}

void UsersPage::refresh()
{
    m_filterDelay->stop();
    QList<qint64> selected;
    for (const UserListRow *user : selectedUsers())
        selected.append(user->membershipId);
    const int top = m_view->rowAt(0);

    UserPageQuery query = m_model->query();
    query.filter = m_filter->text().trimmed();
    // Another filter shows other rows: from the top then.
    const bool sameRows = query.filter == m_model->query().filter;
    if (rd::Status shown = m_model->setQuery(query); !shown) {
        showMessage(shown.error().message());
        updateCount();
        return;
    }
    m_message->hide();
    m_unfiltered = m_model->total();
    if (!query.filter.isEmpty()) {
        UserPageQuery all = query;
        all.filter.clear();
        if (Result<qint64> total = m_services.users.countMemberships(m_session, all); total)
            m_unfiltered = *total;
    }
    if (!m_sized && m_model->rowCount() > 0) {
        // Fit the columns once to the first page; later the user's widths stay.
        m_view->resizeColumnsToContents();
        m_sized = true;
    }
    // The view stays where it was (a live refresh, an action), and so does
    // the selection of the rows around it.
    if (sameRows && top > 0 && top < m_model->rowCount()) {
        const int visible = qMax(1, m_view->viewport()->height() / qMax(1, m_view->rowHeight(0)));
        (void)m_model->loadRows(top, top + visible);
        m_view->scrollTo(m_model->index(top, 0), QAbstractItemView::PositionAtTop);
    }
    for (const qint64 id : std::as_const(selected)) {
        if (const std::optional<int> row = m_model->loadedRowOf(id)) {
            m_view->selectionModel()->select(
                m_model->index(*row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    }
    updateCount();
}

QList<const UserListRow *> UsersPage::selectedUsers() const
{
    // The rows read: a selection is made of rows that were shown. (Rows of
    // a huge selection whose pages left the cache are not in it.)
    QList<const UserListRow *> users;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        if (const UserListRow *user = m_model->cachedUserAt(index.row()))
            users.append(user);
    }
    return users;
}

void UsersPage::selectMembership(qint64 membershipId)
{
    const int row = m_model->rowOfMembership(membershipId);
    if (row < 0)
        return;
    (void)m_model->loadRows(row, row);
    const QModelIndex index = m_model->index(row, 0);
    m_view->selectionModel()->select(
        index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    m_view->scrollTo(index);
}

bool UsersPage::mayChange(const UserListRow &user) const
{
    // The same refusals as core: not one's own login, not a higher role.
    return user.userId != m_session.userId() && outranksOrEquals(m_session.role(), user.role);
}

void UsersPage::updateActions()
{
    if (m_actions.isEmpty())
        return;
    const QList<const UserListRow *> users = selectedUsers();
    bool canDeactivate = false;
    bool canReactivate = false;
    for (const UserListRow *user : users) {
        if (!mayChange(*user))
            continue;
        canDeactivate = canDeactivate || user->active;
        canReactivate = canReactivate || !user->active;
    }
    const bool oneChangeable = users.size() == 1 && mayChange(*users.constFirst());
    m_changeRole->setEnabled(oneChangeable);
    m_resetPassword->setEnabled(oneChangeable);
    m_deactivate->setEnabled(canDeactivate);
    m_reactivate->setEnabled(canReactivate);
}

void UsersPage::updateCount()
{
    const qint64 shown = m_model->total();
    const qint64 total = m_filter->text().trimmed().isEmpty() ? shown : qMax(shown, m_unfiltered);
    const int n = static_cast<int>(qMin<qint64>(total, INT_MAX));
    if (total == 0 && !m_message->isHidden()) {
        m_count->clear();
    } else if (shown < total) {
        m_count->setText(
            tr("Showing %1 of %n memberships", nullptr, n).arg(QLocale().toString(shown)));
    } else {
        // English has no source-text plural without a translation loaded.
        m_count->setText(total == 1 ? tr("1 membership") : tr("%n memberships", nullptr, n));
    }

    // The filter the rows were read with (typing waits before it applies).
    const QString filter = m_model->query().filter;
    const bool empty = shown == 0 && m_message->isHidden();
    if (empty && !filter.isEmpty())
        m_emptyState->setText(tr("No users match “%1”.").arg(filter));
    else if (empty && m_add)
        m_emptyState->setText(tr("No users yet — add one with New User…"));
    else if (empty)
        m_emptyState->setText(tr("No users yet."));
    m_emptyState->setVisible(empty);
}

void UsersPage::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void UsersPage::reportError(const QString &title, const Error &error)
{
    if (error.code() != ErrorCode::Conflict) {
        showError(this, title, error);
        return;
    }
    QMessageBox box(QMessageBox::Warning, title, error.message(), QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("conflictMessage"));
    QPushButton *reload = box.addButton(tr("&Reload"), QMessageBox::AcceptRole);
    reload->setObjectName(QStringLiteral("reloadButton"));
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(reload);
    box.exec();
    if (box.clickedButton() == reload)
        refresh();
}

void UsersPage::addUser()
{
    AddUserDialog dialog(m_session, m_services, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_filter->clear();
    refresh();
    m_view->clearSelection();
    selectMembership(dialog.added().membershipId);
    showMessage(dialog.outcome());
}

void UsersPage::changeRole()
{
    const QList<const UserListRow *> users = selectedUsers();
    if (users.size() != 1)
        return;
    const UserListRow user = *users.constFirst();
    ChangeRoleDialog dialog(m_session, m_services, user, this);
    const bool accepted = dialog.exec() == QDialog::Accepted;
    // A reload inside the dialog may have shown a newer state: show it here too.
    refresh();
    if (accepted) {
        showMessage(tr("%1 now has the %2 role in %3.")
                        .arg(user.email, roleDisplayName(dialog.newRole()),
                            UserTableModel::contextText(user)));
    }
}

void UsersPage::setActive(bool active)
{
    QList<UserListRow> targets;
    for (const UserListRow *user : selectedUsers()) {
        if (mayChange(*user) && user->active != active)
            targets.append(*user);
    }
    if (targets.isEmpty())
        return;

    const qsizetype count = targets.size();
    const UserListRow &first = targets.constFirst();
    QString title;
    QString explanation;
    if (active) {
        title = count == 1 ? tr("Reactivate Membership")
                           : tr("Reactivate %n Memberships", nullptr, static_cast<int>(count));
        explanation = count == 1
            ? tr("%1 can work in %2 as %3 again (unless the portal or account itself is "
                 "deactivated).")
                  .arg(first.email, UserTableModel::contextText(first), roleDisplayName(first.role))
            : tr("The %n selected memberships can be used again (unless their portal or account "
                 "is deactivated).",
                nullptr, static_cast<int>(count));
    } else {
        title = count == 1 ? tr("Deactivate Membership")
                           : tr("Deactivate %n Memberships", nullptr, static_cast<int>(count));
        explanation = count == 1
            ? tr("%1 can no longer work in %2 as %3. Nothing is deleted: you can reactivate "
                 "the membership later. A user with no usable membership left cannot sign in.")
                  .arg(first.email, UserTableModel::contextText(first), roleDisplayName(first.role))
            : tr("The %n selected memberships can no longer be used. Nothing is deleted: you "
                 "can reactivate them later. A user with no usable membership left cannot sign "
                 "in.",
                nullptr, static_cast<int>(count));
    }
    ReasonDialog confirm(title, explanation, active ? tr("Re&activate") : tr("&Deactivate"),
        /*reasonRequired=*/!active, this);
    if (confirm.exec() != QDialog::Accepted)
        return;

    QStringList failures;
    std::optional<Error> onlyError;
    int changed = 0;
    for (const UserListRow &user : std::as_const(targets)) {
        Result<int> done = m_services.users.setMembershipActive(
            m_session, user.membershipId, user.membershipVersion, active, confirm.reason());
        if (done) {
            ++changed;
            continue;
        }
        failures.append(
            tr("%1 (%2): %3")
                .arg(user.email, UserTableModel::contextText(user), done.error().message()));
        onlyError = done.error();
    }
    refresh();
    if (changed > 0) {
        if (changed == 1) {
            showMessage(active ? tr("The membership is reactivated.")
                               : tr("The membership is deactivated."));
        } else {
            showMessage(active ? tr("%n memberships reactivated.", nullptr, changed)
                               : tr("%n memberships deactivated.", nullptr, changed));
        }
    }
    if (failures.isEmpty())
        return;
    if (count == 1) {
        reportError(title, *onlyError);
        return;
    }
    showError(this, title,
        Error(ErrorCode::InvalidInput,
            tr("These memberships could not be changed:") + QLatin1Char('\n')
                + failures.join(QLatin1Char('\n'))));
}

void UsersPage::resetPassword()
{
    const QList<const UserListRow *> users = selectedUsers();
    if (users.size() != 1)
        return;
    const UserListRow user = *users.constFirst();

    QMessageBox confirm(QMessageBox::Question, tr("Reset Password"),
        tr("Reset the password of %1 (%2)?").arg(user.displayName, user.email),
        QMessageBox::NoButton, this);
    confirm.setObjectName(QStringLiteral("resetPasswordConfirmation"));
    confirm.setInformativeText(
        tr("A setup email with a one-time code is queued for %1. Their current password stops "
           "working at once; they choose a new one with the code. The reset applies to the "
           "login, in every context it has access to.")
            .arg(user.email));
    QPushButton *reset = confirm.addButton(tr("&Reset Password"), QMessageBox::AcceptRole);
    reset->setObjectName(QStringLiteral("confirmButton"));
    QPushButton *cancel = confirm.addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    confirm.setDefaultButton(cancel);
    confirm.exec();
    if (confirm.clickedButton() != reset)
        return;

    Result<qint64> queued = m_services.users.resetPassword(m_session, user.membershipId);
    if (!queued) {
        reportError(tr("Reset Password"), queued.error());
        return;
    }
    refresh();
    showMessage(
        tr("A setup email for %1 is queued. Their old password no longer works.").arg(user.email));
}

} // namespace rd
