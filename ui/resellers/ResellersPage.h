#pragma once

#include <QList>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace rd {

class ResellerTableModel;
class Session;
struct ResellerSummary;
struct UiServices;

// The resellers the session may see, in a sortable, filterable table, and
// for administrators (ManageResellers write) the actions on them: new,
// edit (also double-click / Enter), deactivate with a reason, reactivate.
// The actions live on the page; pageActions() hands them to the main
// window's menu and toolbar, and the table's context menu shows them too.
//
// objectNames: "resellersPage", "resellerTable", "resellerSearch",
// "resellerCount", "resellersMessage", "addResellerAction",
// "editResellerAction", "deactivateResellerAction",
// "reactivateResellerAction".
class ResellersPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResellersPage)

public:
    ResellersPage(const Session &session, UiServices &services, QWidget *parent = nullptr);

    void refresh();
    ResellerTableModel *model() const noexcept { return m_model; }
    QTableView *view() const noexcept { return m_view; }
    QLineEdit *filterBox() const noexcept { return m_filter; }
    // The manage actions the session's role allows; empty for everyone but
    // administrators.
    QList<QAction *> pageActions() const { return m_actions; }

    // The reseller of the current row, or nullptr.
    const ResellerSummary *currentReseller() const;
    // Makes the reseller the current row, if the table shows it.
    void selectReseller(qint64 resellerId);

    void addReseller();
    void editReseller();
    void deactivateReseller();
    void reactivateReseller();

private:
    void createActions();
    void setActive(bool active);
    void updateActions();
    void updateCount();
    void showContextMenu(const QPoint &position);

    const Session &m_session;
    UiServices &m_services;
    ResellerTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_message = nullptr;
    // What to do when the list is empty, or that the filter matches nothing.
    QLabel *m_emptyState = nullptr;
    QList<QAction *> m_actions;
    QAction *m_add = nullptr;
    QAction *m_edit = nullptr;
    QAction *m_deactivate = nullptr;
    QAction *m_reactivate = nullptr;
    bool m_sized = false;
};

} // namespace rd
