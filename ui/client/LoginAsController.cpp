#include "client/LoginAsController.h"

#include <QMessageBox>
#include <QSignalBlocker>
#include <QWidget>

#include "client/ClientWindow.h"
#include "client/LoginAsDialog.h"
#include "common/UiServices.h"
#include "services/Session.h"

namespace rd {

LoginAsController::LoginAsController(const Session &actor, UiServices &services,
    QString databaseName, QWidget *owner, ChangeFeed *changes)
    : QObject(owner)
    , m_actor(actor)
    , m_services(services)
    , m_databaseName(std::move(databaseName))
    , m_changes(changes)
    , m_owner(owner)
{
    setObjectName(QStringLiteral("loginAsController"));
}

LoginAsController::~LoginAsController()
{
    // The owner is being destroyed: nobody is left to tell.
    const QSignalBlocker quiet(this);
    endSession(ImpersonationEnd::AppExit);
    delete m_window.data(); // a top-level window without a parent
}

ClientWindow *LoginAsController::clientWindow() const
{
    return m_window.data();
}

void LoginAsController::loginAs(qint64 customerId, const QString &companyName)
{
    if (isActive()) {
        QMessageBox::information(m_owner, tr("Login As"),
            tr("You are viewing %1 with Login As. End that session before you start another.")
                .arg(m_active->companyName));
        if (m_window) {
            m_window->raise();
            m_window->activateWindow();
        }
        return;
    }
    auto *dialog = new LoginAsDialog(m_actor, m_services, customerId, companyName, m_owner);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->started())
            open(*dialog->started());
    });
    dialog->open();
}

void LoginAsController::open(const LoginAsStarted &started)
{
    delete m_window.data(); // an ended session's view, if still there
    m_active = started;
    m_ended = false;

    ImpersonationInfo info;
    info.companyName = m_active->companyName;
    info.clientUserName = m_active->clientUserName;
    info.actorDescription = tr("%1 (%2)").arg(m_actor.userName(), roleDisplayName(m_actor.role()));
    info.expiresAtUtc = m_active->expiresAt;
    ClientWindowContext context {
        m_active->session, m_services, m_databaseName, info, m_changes.data()};
    auto *window = new ClientWindow(context);
    window->setAttribute(Qt::WA_DeleteOnClose);
    m_window = window;
    connect(window, &ClientWindow::endSessionRequested, this,
        [this] { endSession(ImpersonationEnd::Closed); });
    connect(window, &ClientWindow::sessionExpired, this, [this] {
        const QString company = m_active ? m_active->companyName : QString();
        endSession(ImpersonationEnd::Expired);
        auto *box = new QMessageBox(QMessageBox::Information, tr("Login As"),
            tr("The Login As session with %1 reached its time limit and has ended.").arg(company),
            QMessageBox::Ok, m_owner);
        box->setObjectName(QStringLiteral("loginAsExpiredMessage"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    // Closing the view by its title bar or File → Close ends the session too.
    connect(window, &ClientWindow::closed, this, [this] { endSession(ImpersonationEnd::Closed); });
    connect(window, &QObject::destroyed, this, [this] {
        if (m_ended)
            m_active.reset();
    });
    window->show();
    window->raise();
    window->activateWindow();
    Q_EMIT sessionStarted();
}

void LoginAsController::endSession(ImpersonationEnd why)
{
    if (!m_active || m_ended)
        return;
    m_ended = true;
    const QString company = m_active->companyName;
    Status ended = m_services.impersonation.end(m_active->session, why);
    if (m_window && m_window->isVisible())
        m_window->close();
    if (!ended) {
        Q_EMIT sessionEnded(tr("The end of the Login As session with %1 could not be recorded: %2")
                                .arg(company, ended.error().message()));
        return;
    }
    Q_EMIT sessionEnded(tr("Login As session with %1 ended.").arg(company));
}

} // namespace rd
