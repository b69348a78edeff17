#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace rd {

class ResellerService;
class ResellerTableModel;
class Session;

// The resellers the session may see, in a sortable table.
class ResellersPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResellersPage)

public:
    ResellersPage(const Session &session, ResellerService &service, QWidget *parent = nullptr);

    void refresh();
    ResellerTableModel *model() const noexcept { return m_model; }
    QTableView *view() const noexcept { return m_view; }

private:
    const Session &m_session;
    ResellerService &m_service;
    ResellerTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace rd
