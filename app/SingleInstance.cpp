#include "SingleInstance.h"

#include <unistd.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>

#include "storage/ConnectionProfile.h"

namespace rd::app {

namespace {

const QByteArray Request = "raise\n";
const QByteArray Reply = "raised\n";

} // namespace

QString SingleInstance::serverNameFor(const ConnectionProfile &profile)
{
    QString identity;
    if (profile.dialect() == Dialect::SQLite) {
        const QFileInfo file(profile.filePath());
        const QString canonical = file.canonicalFilePath();
        identity = QStringLiteral("sqlite:")
            + (canonical.isEmpty() ? QDir::cleanPath(file.absoluteFilePath()) : canonical);
    } else {
        identity = QStringLiteral("postgresql:%1@%2:%3/%4")
                       .arg(profile.userName(), profile.host().toLower())
                       .arg(profile.port())
                       .arg(profile.databaseName());
    }
    const QByteArray hash
        = QCryptographicHash::hash(identity.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    return QStringLiteral("resellerdesk-%1-%2").arg(::getuid()).arg(QString::fromLatin1(hash));
}

SingleInstance::SingleInstance(const QString &serverName, QObject *parent)
    : QObject(parent)
    , m_serverName(serverName)
{ }

SingleInstance::~SingleInstance() = default;

bool SingleInstance::activateRunning(int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(m_serverName);
    if (!socket.waitForConnected(timeoutMs))
        return false; // nobody, or a socket file a crashed instance left
    socket.write(Request);
    if (!socket.waitForBytesWritten(timeoutMs))
        return false;
    // The running instance answers once its window is up front; one that is
    // busy (a long import) still holds the database: do not open it twice.
    while (!socket.canReadLine() && socket.waitForReadyRead(timeoutMs)) { }
    return true;
}

bool SingleInstance::listen()
{
    if (!m_server) {
        m_server = new QLocalServer(this);
        m_server->setSocketOptions(QLocalServer::UserAccessOption);
        connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::answer);
    }
    if (m_server->isListening())
        return true;
    if (m_server->listen(m_serverName))
        return true;
    // A socket file left by an instance that crashed: nobody answered
    // activateRunning(), so it is safe to take the name over.
    QLocalServer::removeServer(m_serverName);
    return m_server->listen(m_serverName);
}

QString SingleInstance::errorString() const
{
    return m_server ? m_server->errorString() : QString();
}

void SingleInstance::answer()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine())
                return;
            const QByteArray line = socket->readLine();
            if (line == Request) {
                Q_EMIT activationRequested();
                socket->write(Reply);
                socket->flush();
            }
            socket->disconnectFromServer();
        });
    }
}

} // namespace rd::app
