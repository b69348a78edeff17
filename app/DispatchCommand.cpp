#include "DispatchCommand.h"

#include <csignal>
#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

#include <QFile>
#include <QFileInfo>
#include <QSocketNotifier>

#include "mail/Dispatcher.h"
#include "mail/MailWorker.h"
#include "mail/SmtpSettings.h"
#include "mail/SmtpTransport.h"
#include "services/AccessControl.h"
#include "services/SettingsService.h"
#include "storage/ConnectionProfile.h"
#include "storage/Database.h"

namespace rd::app {

namespace {

// SIGTERM / SIGINT: a flag for the --once loop and a byte in a pipe for the
// event loop of the long run (write() is async-signal-safe, Qt is not).
volatile std::sig_atomic_t stopSignalled = 0;
int signalPipe[2] = {-1, -1};

void onStopSignal(int)
{
    stopSignalled = 1;
    const char byte = 1;
    // A full pipe already holds a wake-up, so a failed write loses nothing.
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
}

bool installStopSignals()
{
    if (::pipe2(signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGTERM, &action, nullptr) == 0
        && ::sigaction(SIGINT, &action, nullptr) == 0;
}

void printError(const QString &message)
{
    std::fprintf(stderr, "resellerdesk: %s\n", qPrintable(message));
    std::fflush(stderr);
}

void printLine(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

void add(DispatchCounts &total, const DispatchCounts &run)
{
    total.recovered += run.recovered;
    total.claimed += run.claimed;
    total.sent += run.sent;
    total.retried += run.retried;
    total.failed += run.failed;
    total.unknown += run.unknown;
    total.lostLeases += run.lostLeases;
}

// The first line of an owner-only file.
Result<QString> readPasswordFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists() || !info.isFile()) {
        return fail(ErrorCode::InvalidInput,
            DispatchCommand::tr("There is no SMTP password file at “%1”.").arg(path));
    }
    const QFile::Permissions shared
        = QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
    if (info.permissions() & shared) {
        return fail(ErrorCode::InvalidInput,
            DispatchCommand::tr("The SMTP password file “%1” can be read or changed by other "
                                "users. Allow its owner only (chmod 600) and try again.")
                .arg(path));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::InvalidInput,
            DispatchCommand::tr("The SMTP password file “%1” cannot be read: %2")
                .arg(path, file.errorString()));
    }
    QByteArray line = file.readLine();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
            DispatchCommand::tr("The first line of the SMTP password file “%1” is empty.")
                .arg(path));
    }
    return QString::fromUtf8(line);
}

} // namespace

DispatchCommand::DispatchCommand(CommandLineOptions options)
    : m_options(std::move(options))
{ }

DispatchCommand::~DispatchCommand() = default;

QString DispatchCommand::summary(const DispatchCounts &counts)
{
    return tr("Email: %1 sent, %2 retried later, %3 failed, %4 unknown, %5 recovered.")
        .arg(counts.sent)
        .arg(counts.retried)
        .arg(counts.failed)
        .arg(counts.unknown)
        .arg(counts.recovered);
}

Result<ConnectionProfile> DispatchCommand::databaseProfile(QString *keychainNote) const
{
    Result<ConnectionProfile> profile = ConnectionProfile::fromUrl(m_options.database);
    if (!profile)
        return profile;
    if (profile->dialect() == Dialect::SQLite) {
        // Never create an empty database where the desktop keeps none.
        if (!QFileInfo(profile->filePath()).isFile()) {
            return fail(ErrorCode::DatabaseUnavailable,
                tr("There is no database at “%1”.").arg(profile->filePath()));
        }
        return profile;
    }
    if (!profile->password().isEmpty())
        return profile;
    Result<QString> stored = m_credentials.read(CredentialStore::databaseKey(*profile));
    if (stored)
        return profile->withPassword(*stored);
    // Perhaps the server needs none; if it does, opening says why it had none.
    *keychainNote = tr("The address has no password and the system keychain has none for it: %1")
                        .arg(stored.error().message());
    return profile;
}

Result<QString> DispatchCommand::smtpPassword(const SmtpSettings &smtp) const
{
    if (smtp.userName.isEmpty())
        return QString();
    // An explicitly named file wins over what the keychain may still hold.
    if (!m_options.smtpPasswordFile.isEmpty())
        return readPasswordFile(m_options.smtpPasswordFile);
    const Result<QString> stored
        = m_credentials.read(CredentialStore::smtpKey(smtp.host, smtp.port, smtp.userName));
    if (stored && !stored->isEmpty())
        return stored;
    const QString why
        = stored ? tr("The keychain's entry for it is empty.") : stored.error().message();
    return fail(ErrorCode::Unavailable,
        tr("The SMTP server %1:%2 needs the password of “%3”, and none is available: %4 Store "
           "it in the keychain from the desktop (Settings, Email) on this machine, or give "
           "--smtp-password-file.")
            .arg(smtp.host)
            .arg(smtp.port)
            .arg(smtp.userName, why));
}

int DispatchCommand::run()
{
    if (!installStopSignals()) {
        printError(tr("Cannot watch for the stop signals."));
        return 1;
    }

    QString keychainNote;
    Result<ConnectionProfile> profile = databaseProfile(&keychainNote);
    if (!profile) {
        printError(profile.error().toString());
        return 1;
    }
    Database::Options openOptions;
    // A schema upgrade is the desktop's job (it makes a backup first).
    openOptions.migrate = false;
    Result<std::unique_ptr<Database>> db = Database::open(*profile, openOptions);
    if (!db) {
        printError(keychainNote.isEmpty()
                ? db.error().toString()
                : db.error().toString() + QLatin1Char(' ') + keychainNote);
        return 1;
    }

    SmtpSettings smtp;
    {
        AccessControl access(**db);
        const SettingsService settings(**db, m_clock, access);
        Result<DomainSettings> current = settings.current();
        if (!current) {
            printError(current.error().toString());
            return 1;
        }
        smtp = current->smtp;
    }
    if (!smtp.enabled) {
        printError(tr("Email delivery is turned off in the settings of %1, so nothing is sent. "
                      "An administrator turns it on in the desktop's settings (Email).")
                       .arg(profile->displayName()));
        return 1;
    }
    if (Status valid = smtp.validate(); !valid) {
        printError(tr("The SMTP settings of %1 cannot be used: %2")
                       .arg(profile->displayName(), valid.error().message()));
        return 1;
    }
    Result<QString> password = smtpPassword(smtp);
    if (!password) {
        printError(password.error().message());
        return 1;
    }
    const SmtpProfile smtpProfile = smtp.toProfile(*password);

    if (m_options.once)
        return deliverDue(**db, smtpProfile);
    // The worker opens its own connection in its thread.
    db->reset();
    return runUntilStopped(*profile, smtpProfile);
}

int DispatchCommand::deliverDue(Database &db, const SmtpProfile &smtp)
{
    SmtpTransport transport(smtp, m_clock);
    Dispatcher::Options options;
    options.leaseOwner = Dispatcher::defaultLeaseOwner();
    options.batchSize = 1; // a stop signal waits for one message at most
    Dispatcher dispatcher(db, transport, m_clock, options);

    DispatchCounts total;
    while (stopSignalled == 0) {
        const Result<DispatchCounts> counts = dispatcher.runOnce();
        if (!counts) {
            printLine(summary(total));
            printError(counts.error().toString());
            return 1;
        }
        add(total, *counts);
        if (counts->claimed == 0)
            break;
    }
    printLine(summary(total));
    return 0;
}

int DispatchCommand::runUntilStopped(const ConnectionProfile &database, const SmtpProfile &smtp)
{
    MailWorker::Config config;
    config.database = database;
    config.smtp = smtp;
    config.idleInterval = std::chrono::seconds(m_options.intervalSeconds);
    MailWorker worker(config);

    QObject::connect(&worker, &MailWorker::ran, &worker,
        [](const DispatchCounts &counts) { printLine(summary(counts)); });
    QObject::connect(&worker, &MailWorker::problem, &worker, &printError);
    QSocketNotifier stopNotifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&stopNotifier, &QSocketNotifier::activated, &worker, [&] {
        stopNotifier.setEnabled(false);
        printError(tr("Stopping after the message in hand."));
        worker.stop();
        QCoreApplication::quit();
    });

    printError(tr("Delivering the email of %1 through %2:%3, looking every %n second(s); stop "
                  "with SIGTERM or Ctrl+C.",
        nullptr, m_options.intervalSeconds)
                   .arg(database.displayName(), smtp.host)
                   .arg(smtp.port));
    worker.start();
    QCoreApplication::exec();
    worker.stop();
    return 0;
}

} // namespace rd::app
