#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace rd {

class Clock;
class CustomerService;
class CustomerTableModel;
class Session;

// The customers the session may see: a search box (debounced; the
// database filters), a table sorted by the database, and a count.
class CustomersPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomersPage)

public:
    static constexpr int PageSize = 1000;

    CustomersPage(const Session &session, CustomerService &service, const Clock &clock,
        QWidget *parent = nullptr);

    void refresh();
    void focusSearch();
    CustomerTableModel *model() const noexcept { return m_model; }
    QTableView *view() const noexcept { return m_view; }
    QLineEdit *searchBox() const noexcept { return m_search; }

private:
    void sortChanged(int column, Qt::SortOrder order);

    const Session &m_session;
    CustomerService &m_service;
    const Clock &m_clock;
    CustomerTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_count = nullptr;
    QTimer *m_debounce = nullptr;
    int m_sortColumn = 0;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    bool m_sized = false;
};

} // namespace rd
