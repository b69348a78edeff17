#pragma once

#include <memory>
#include <optional>

#include <QObject>
#include <QPointer>

#include "services/ImpersonationService.h"

class QWidget;

namespace rd {

class ChangeFeed;

class ClientWindow;
class Session;
struct UiServices;

// Runs Login As for a main window (rule 9): asks for the target and the
// reason (LoginAsDialog), opens the client view with its banner once the
// session and its audit event are written, and ends the session — with the
// right reason — whichever way it stops: End Session or closing the view
// (closed), the time limit (expired), signing out or switching membership
// (signed_out), quitting or closing the main window (app_exit). One Login As
// at a time per window.
class LoginAsController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginAsController)

public:
    // changes: the main window's notifier, so the client view follows
    // changes made elsewhere too (may be nullptr).
    LoginAsController(const Session &actor, UiServices &services, QString databaseName,
        QWidget *owner, ChangeFeed *changes = nullptr);
    // Ends an open session as app_exit and closes its view.
    ~LoginAsController() override;

    // Asks who and why, then opens the client view. With a session already
    // open it says so and brings that view to the front instead.
    void loginAs(qint64 customerId, const QString &companyName);
    // Ends the open session, if any, and closes its view.
    void endSession(ImpersonationEnd why);

    bool isActive() const noexcept { return m_active && !m_ended; }
    // The open client view; nullptr when none.
    ClientWindow *clientWindow() const;
    // The running session; nullptr when none.
    const LoginAsStarted *active() const { return isActive() ? &*m_active : nullptr; }

Q_SIGNALS:
    // The view opened (for tests and the status bar).
    void sessionStarted();
    // A line for the status bar once a session ended, or why ending failed.
    void sessionEnded(const QString &message);

private:
    void open(const LoginAsStarted &started);

    const Session &m_actor;
    UiServices &m_services;
    QString m_databaseName;
    QPointer<ChangeFeed> m_changes;
    QWidget *m_owner = nullptr;
    // Lives as long as the view (the window refers to its Session).
    std::optional<LoginAsStarted> m_active;
    bool m_ended = false;
    QPointer<ClientWindow> m_window;
};

} // namespace rd
