#pragma once

#include <QList>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QTableView;
class QTimer;

namespace rd {

class Session;
class OutboxTableModel;
struct OutboxEntry;
struct UiServices;

// The Outbox view (section 3 "audit log, outbox"; issue 5): every email the
// session may see, newest first and loaded page by page, with a status
// filter, a search box and the actions Resend and Cancel. The actions are
// enabled only when every selected message allows them for this session
// (OutboxEntry::canResend / canCancel); core checks each call again.
//
// objectNames: "outboxPage", "outboxStatusFilter", "outboxSearch",
// "outboxTable", "outboxCount", "outboxMessage", "outboxColumnsMenu",
// "outboxReadOnlyHint" (for roles that may act on no email);
// actions "resendMailAction", "cancelMailAction", "refreshOutboxAction";
// the cancel confirmation "cancelMailConfirmation" with "confirmButton".
class OutboxPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutboxPage)

public:
    // The status filter's entries, in the order of the combo box.
    enum class Filter { All, Pending, Failed, Unknown, Sent, Cancelled, Problems };

    OutboxPage(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~OutboxPage() override;

    void refresh();
    void setFilter(Filter filter);
    Filter filter() const;
    void focusSearch();

    OutboxTableModel *model() const noexcept { return m_model; }
    QTableView *view() const noexcept { return m_view; }
    QMenu *columnsMenu() const noexcept { return m_columnsMenu; }
    QList<QAction *> pageActions() const { return m_pageActions; }
    QList<OutboxEntry> selectedEntries() const;

Q_SIGNALS:
    // A message was queued again (the desktop's mail worker may look now)
    // or the outbox changed otherwise (the indicator may count again).
    void mailQueued();
    void outboxChanged();

private:
    void createActions();
    void buildColumnsMenu();
    void restoreLayout();
    void saveLayout() const;
    void updateActions();
    void updateCount();
    void showMessage(const QString &text);
    void showContextMenu(const QPoint &position);
    void resend();
    void cancel();

    const Session &m_session;
    UiServices &m_services;
    OutboxTableModel *m_model = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_message = nullptr;
    QTableView *m_view = nullptr;
    QMenu *m_columnsMenu = nullptr;
    QTimer *m_debounce = nullptr;
    QList<QAction *> m_pageActions;
    QAction *m_resend = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_refresh = nullptr;
    bool m_sized = false;
};

} // namespace rd
