#pragma once

#include <optional>

#include <QDateTime>
#include <QMainWindow>
#include <QString>

#include "domain/ChangeFeed.h"
#include "services/ClientAccountService.h"

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace rd {

class ImpersonationBanner;
class Session;
struct UiServices;

// What the Login As banner says; set when the window is opened by Login As.
struct ImpersonationInfo
{
    QString companyName;
    QString clientUserName;   // the client user being viewed as
    QString actorDescription; // the real person, e.g. "Sam Support (Support)"
    QDateTime expiresAtUtc;
};

// What the client view works with, created by its owner (the composition
// root for a client signing in, the Login As wiring for an impersonation).
struct ClientWindowContext
{
    const Session &session; // a client membership (impersonated or not)
    UiServices &services;
    QString databaseName; // never contains a password
    std::optional<ImpersonationInfo> impersonation;
    // Changes made on other desktops; the view reads its account again when
    // one concerns it (nullptr: only its own actions and View ▸ Refresh).
    ChangeFeed *changes = nullptr;
};

// The window a client sees (DESIGN §5 "Client view"): its account's status,
// plan and trial, this month's identification budget, users, recent orders
// and the settings it may change. Opened by Login As it carries the
// impersonation banner above everything, a coloured frame and "(Login As)"
// in its title, and offers no sign-out or password change.
class ClientWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClientWindow)

public:
    explicit ClientWindow(const ClientWindowContext &context, QWidget *parent = nullptr);
    ~ClientWindow() override;

    // The banner when impersonated, else nullptr.
    ImpersonationBanner *banner() const noexcept { return m_banner; }
    // The last dashboard read, if the read succeeded.
    const std::optional<ClientDashboard> &dashboard() const noexcept { return m_dashboard; }

    // Reads the account again (View → Refresh).
    void refresh();

Q_SIGNALS:
    void signOutRequested();
    // From the banner: End session pressed / the time is up.
    void endSessionRequested();
    void sessionExpired();
    void closed();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *createDashboard();
    void createMenus();
    void display(const ClientDashboard &dashboard);
    void changedElsewhere(ChangeAreas areas);
    void showReadError(const QString &message);
    void saveSettings();
    void changePassword();
    void showAbout();

    const Session &m_session;
    UiServices &m_services;
    QString m_databaseName;
    std::optional<ImpersonationInfo> m_impersonation;
    std::optional<ClientDashboard> m_dashboard;
    ImpersonationBanner *m_banner = nullptr;

    QLabel *m_readError = nullptr;
    QWidget *m_dashboardArea = nullptr; // scrolls the content
    QWidget *m_content = nullptr;
    QLabel *m_company = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_inactiveNotice = nullptr;
    QLabel *m_plan = nullptr;
    QLabel *m_trial = nullptr;
    QProgressBar *m_budgetBar = nullptr;
    QLabel *m_budget = nullptr;
    QTableWidget *m_users = nullptr;
    QTableWidget *m_orders = nullptr;
    QLabel *m_noOrders = nullptr;
    QGroupBox *m_settingsGroup = nullptr;
    QLineEdit *m_contactName = nullptr;
    QLineEdit *m_contactPhone = nullptr;
    QLabel *m_contactEmail = nullptr;
    QCheckBox *m_noEmail = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_settingsReason = nullptr;
    QLabel *m_settingsError = nullptr;
};

} // namespace rd
