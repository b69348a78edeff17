#include "TestSmtp.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace rd::test {

std::optional<std::string> smtpUnavailable()
{
    for (const char *name : {"RESELLERDESK_TEST_SMTP_PLAIN", "RESELLERDESK_TEST_SMTP_TLS",
             "RESELLERDESK_TEST_SMTP_IMPLICIT", "RESELLERDESK_TEST_SMTP_CA",
             "RESELLERDESK_TEST_SMTP_USER", "RESELLERDESK_TEST_SMTP_PASSWORD",
             "RESELLERDESK_TEST_SMTP_SPOOL"}) {
        if (qEnvironmentVariableIsEmpty(name))
            return std::string("The test SMTP server was not started (") + name
                + " is unset): run the tests through scripts/test";
    }
    return std::nullopt;
}

int spooledFor(const QString &recipient)
{
    int found = 0;
    const QDir spool(qEnvironmentVariable("RESELLERDESK_TEST_SMTP_SPOOL"));
    for (const QString &name : spool.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        QFile file(spool.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
        for (const QJsonValue &rcpt : record.value(QLatin1String("rcpt_tos")).toArray()) {
            if (rcpt.toString() == recipient)
                ++found;
        }
    }
    return found;
}

QString uniqueRecipient(const QString &prefix)
{
    return QStringLiteral("%1-%2@client.example")
        .arg(prefix, QUuid::createUuid().toString(QUuid::Id128).left(12));
}

} // namespace rd::test
