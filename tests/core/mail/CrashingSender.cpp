// A mail dispatcher in a process of its own, for MailFaultTest: it claims
// one due outbox row and sends it to the test's SMTP server, which stalls
// after DATA; the test then kills this process (SIGKILL) in the middle of
// the delivery, as a crash or a power cut would.
//
//   mail_crash_sender --port N --now MSECS --owner NAME [--seed SEED]
//
// The database (an SQLite path or a postgresql:// URL) comes from the
// environment, RESELLERDESK_CRASH_DB, since it may hold a password.
#include <chrono>
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>

#include "mail/Dispatcher.h"
#include "mail/SmtpTransport.h"
#include "services/Clock.h"
#include "storage/ConnectionProfile.h"
#include "storage/Database.h"

using namespace rd;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption port(
        QStringLiteral("port"), QStringLiteral("SMTP port"), QStringLiteral("port"));
    const QCommandLineOption now(QStringLiteral("now"),
        QStringLiteral("the dispatcher's time, ms since the epoch (UTC)"), QStringLiteral("ms"));
    const QCommandLineOption owner(
        QStringLiteral("owner"), QStringLiteral("lease owner"), QStringLiteral("name"));
    const QCommandLineOption seed(
        QStringLiteral("seed"), QStringLiteral("Message-ID seed"), QStringLiteral("seed"));
    parser.addOptions({port, now, owner, seed});
    parser.process(app);

    const Result<ConnectionProfile> database
        = ConnectionProfile::fromUrl(qEnvironmentVariable("RESELLERDESK_CRASH_DB"));
    if (!database) {
        std::fprintf(stderr, "mail_crash_sender: %s\n", qPrintable(database.error().toString()));
        return 2;
    }
    Result<std::unique_ptr<Database>> db = Database::open(*database);
    if (!db) {
        std::fprintf(stderr, "mail_crash_sender: %s\n", qPrintable(db.error().toString()));
        return 2;
    }

    const ManualClock clock(
        QDateTime::fromMSecsSinceEpoch(parser.value(now).toLongLong(), Qt::UTC));
    SmtpProfile smtp;
    smtp.host = QStringLiteral("127.0.0.1");
    smtp.port = parser.value(port).toUShort();
    smtp.security = SmtpProfile::Security::Plain;
    smtp.senderAddress = QStringLiteral("support@northwind.example");
    smtp.senderName = QStringLiteral("Northwind Support");
    smtp.messageIdSeed = parser.value(seed);
    // Far longer than the test waits: it is killed while still waiting.
    smtp.timeout = std::chrono::minutes(2);
    SmtpTransport transport(smtp, clock);

    Dispatcher::Options options;
    options.leaseOwner = parser.value(owner);
    options.batchSize = 1;
    Dispatcher dispatcher(**db, transport, clock, options);
    const Result<DispatchCounts> counts = dispatcher.runOnce();
    if (!counts) {
        std::fprintf(stderr, "mail_crash_sender: %s\n", qPrintable(counts.error().toString()));
        return 1;
    }
    std::printf("claimed %d, sent %d, retried %d, failed %d, unknown %d\n", counts->claimed,
        counts->sent, counts->retried, counts->failed, counts->unknown);
    return 0;
}
