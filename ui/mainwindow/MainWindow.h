#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace rd {

class Clock;
class CustomerService;
class CustomersPage;
class ResellerService;
class ResellersPage;
class Session;

// What the main window works with, created by the composition root.
struct MainWindowContext
{
    const Session &session;
    ResellerService &resellers;
    CustomerService &customers;
    const Clock &clock;
    QString databaseName; // never contains a password
};

// The administrators' and resellers' window: navigation on the left, built
// from what the session's role may see (section 3), the pages on the right.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(const MainWindowContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    ResellersPage *resellersPage() const noexcept { return m_resellers; }
    CustomersPage *customersPage() const noexcept { return m_customers; }
    QListWidget *navigation() const noexcept { return m_navigation; }

Q_SIGNALS:
    void signOutRequested();
    void closed();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void refreshCurrent();
    void showAbout();

    const Session &m_session;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_pages = nullptr;
    ResellersPage *m_resellers = nullptr;
    CustomersPage *m_customers = nullptr;
};

} // namespace rd
