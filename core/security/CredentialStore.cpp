#include "security/CredentialStore.h"

#include <QEventLoop>

#include <qt6keychain/keychain.h>

#include "storage/ConnectionProfile.h"

namespace rd {

namespace {

// Runs a QtKeychain job to its end. The job may finish inside start() (an
// immediate failure) or later from the event loop (the D-Bus round trip).
// False when the wait ended without an answer: something quit the event
// loops (QCoreApplication::exit) while the job was still running.
bool runToEnd(QKeychain::Job &job)
{
    job.setAutoDelete(false);
    // Never the plain-text QSettings store: no keychain means no stored secret.
    job.setInsecureFallback(false);
    bool finished = false;
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&finished, &loop] {
        finished = true;
        loop.quit();
    });
    job.start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return finished;
}

// The key is named, the secret never is.
QString detailFor(const char *operation, const QKeychain::Job &job, const QString &key)
{
    // One multi-argument arg(): a '%' in the key or text is not substituted again.
    return QStringLiteral("keychain %1 of \"%2\" in \"%3\": error %4: %5")
        .arg(QLatin1String(operation), key, job.service(),
            QString::number(static_cast<int>(job.error())), job.errorString());
}

} // namespace

CredentialStore::CredentialStore(QString service)
    : m_service(std::move(service))
{ }

Result<QString> CredentialStore::read(const QString &key) const
{
    if (key.isEmpty())
        return fail(ErrorCode::NotFound, tr("No password is stored for this connection."));
    QKeychain::ReadPasswordJob job(m_service);
    job.setKey(key);
    if (!runToEnd(job))
        return fail(interrupted("read", key));
    switch (job.error()) {
    case QKeychain::NoError:
        return job.textData();
    case QKeychain::EntryNotFound:
        return fail(ErrorCode::NotFound, tr("No password is stored for this connection."), {},
            detailFor("read", job, key));
    default:
        return fail(unavailable(job, "read", key));
    }
}

Status CredentialStore::write(const QString &key, const QString &secret)
{
    if (key.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
            tr("This connection has no password to keep in the system keychain."));
    }
    QKeychain::WritePasswordJob job(m_service);
    job.setKey(key);
    job.setTextData(secret);
    if (!runToEnd(job))
        return fail(interrupted("write", key));
    if (job.error() != QKeychain::NoError)
        return fail(unavailable(job, "write", key));
    return {};
}

Status CredentialStore::remove(const QString &key)
{
    if (key.isEmpty())
        return {};
    QKeychain::DeletePasswordJob job(m_service);
    job.setKey(key);
    if (!runToEnd(job))
        return fail(interrupted("delete", key));
    switch (job.error()) {
    case QKeychain::NoError:
    case QKeychain::EntryNotFound:
        return {};
    default:
        return fail(unavailable(job, "delete", key));
    }
}

Error CredentialStore::unavailable(
    const QKeychain::Job &job, const char *operation, const QString &key)
{
    const QString reason = job.errorString().isEmpty()
        ? tr("unknown error (code %1)").arg(static_cast<int>(job.error()))
        : job.errorString();
    return Error(ErrorCode::Unavailable, tr("The system keychain cannot be used: %1").arg(reason),
        {}, detailFor(operation, job, key));
}

Error CredentialStore::interrupted(const char *operation, const QString &key)
{
    return Error(ErrorCode::Unavailable,
        tr("The system keychain did not answer before the program stopped waiting."), {},
        QStringLiteral("keychain %1 of \"%2\": interrupted").arg(QLatin1String(operation), key));
}

QString CredentialStore::defaultService()
{
    return QStringLiteral("ResellerDesk");
}

QString CredentialStore::smtpKey(const QString &host, int port, const QString &userName)
{
    const QString server = host + QLatin1Char(':') + QString::number(port);
    return QStringLiteral("smtp:")
        + (userName.isEmpty() ? server : userName + QLatin1Char('@') + server);
}

QString CredentialStore::databaseKey(const ConnectionProfile &profile)
{
    if (profile.dialect() != Dialect::PostgreSQL)
        return {};
    return postgresKey(profile.host(), profile.port(), profile.databaseName(), profile.userName());
}

QString CredentialStore::postgresKey(
    const QString &host, int port, const QString &databaseName, const QString &userName)
{
    const QString server
        = host + QLatin1Char(':') + QString::number(port) + QLatin1Char('/') + databaseName;
    return QStringLiteral("postgresql:")
        + (userName.isEmpty() ? server : userName + QLatin1Char('@') + server);
}

} // namespace rd
