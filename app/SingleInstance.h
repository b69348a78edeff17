#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

namespace rd {
class ConnectionProfile;
}

namespace rd::app {

// One running window per database (issue 8): the first ResellerDesk that
// opens a database listens on a local socket named after it; a second launch
// on the same database finds it, asks it to bring its window to the front
// and ends. The socket is the user's own (QLocalServer::UserAccessOption),
// so two users of one machine never meet. Headless commands (dispatch,
// export, import) and --screenshot runs do not take part.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    // The socket name for a database: the same file (whatever path leads to
    // it) or the same PostgreSQL database, server and user give the same
    // name. Short enough for any platform's socket path limit.
    static QString serverNameFor(const ConnectionProfile &profile);

    explicit SingleInstance(const QString &serverName, QObject *parent = nullptr);
    ~SingleInstance() override;

    // True when another instance answers on the name: it has been asked to
    // raise its window. False when none does (a socket left by a crashed
    // instance does not count).
    bool activateRunning(int timeoutMs = 3000);

    // Starts answering on the name; false (with errorString()) when the
    // name cannot be taken.
    bool listen();
    QString errorString() const;
    const QString &serverName() const noexcept { return m_serverName; }

Q_SIGNALS:
    // Another launch asked for this instance's window.
    void activationRequested();

private:
    void answer();

    QString m_serverName;
    QLocalServer *m_server = nullptr;
};

} // namespace rd::app
