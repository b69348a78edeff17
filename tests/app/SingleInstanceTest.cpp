// Issue 8: one running window per database. A second launch on the same
// database brings the first one's window to the front and ends; other
// databases, and a socket left by a crashed instance, do not get in the way.

#include <atomic>
#include <thread>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>

#include <gtest/gtest.h>

#include "SingleInstance.h"
#include "storage/ConnectionProfile.h"

using namespace rd;
using namespace rd::app;

namespace {

QString uniqueName(const char *what)
{
    return QStringLiteral("rd-test-%1-%2-%3")
        .arg(QCoreApplication::applicationPid())
        .arg(QLatin1String(what))
        .arg(QDateTime::currentMSecsSinceEpoch());
}

// activateRunning() blocks; the running instance answers from the event
// loop, so the second launch runs on a thread of its own, as it would in
// its own process.
bool launchSecond(const QString &name, int timeoutMs = 5000)
{
    std::atomic<bool> done {false};
    bool found = false;
    std::thread second([&] {
        SingleInstance instance(name);
        found = instance.activateRunning(timeoutMs);
        done = true;
    });
    QElapsedTimer waited;
    waited.start();
    while (!done && waited.elapsed() < timeoutMs + 2000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    second.join();
    return found;
}

TEST(SingleInstanceTest, ASecondLaunchOnTheSameDatabaseRaisesTheFirst)
{
    const QString name = uniqueName("same");
    SingleInstance first(name);
    ASSERT_TRUE(first.listen()) << first.errorString().toStdString();
    QSignalSpy raised(&first, &SingleInstance::activationRequested);

    EXPECT_TRUE(launchSecond(name));
    EXPECT_EQ(raised.count(), 1);
    EXPECT_TRUE(launchSecond(name)) << "and again, as often as the user launches it";
    EXPECT_EQ(raised.count(), 2);
}

TEST(SingleInstanceTest, OtherDatabasesDoNotMeet)
{
    SingleInstance first(uniqueName("one"));
    ASSERT_TRUE(first.listen());
    QSignalSpy raised(&first, &SingleInstance::activationRequested);
    EXPECT_FALSE(launchSecond(uniqueName("other"), 500));
    EXPECT_EQ(raised.count(), 0);
}

TEST(SingleInstanceTest, ASocketLeftByACrashedInstanceIsTakenOver)
{
    const QString name = uniqueName("stale");
    // What a killed instance leaves behind: the name taken, nobody answering.
    const QString path = QDir(QDir::tempPath()).filePath(name);
    {
        QFile leftover(path);
        ASSERT_TRUE(leftover.open(QIODevice::WriteOnly));
    }
    EXPECT_FALSE(launchSecond(name, 500));
    SingleInstance next(name);
    EXPECT_TRUE(next.listen()) << next.errorString().toStdString();
    QSignalSpy raised(&next, &SingleInstance::activationRequested);
    EXPECT_TRUE(launchSecond(name));
    EXPECT_EQ(raised.count(), 1);
}

TEST(SingleInstanceTest, TheNameIsTheDatabaseWhicheverPathLeadsToIt)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("shop.sqlite"));
    QFile(file).open(QIODevice::WriteOnly);
    ASSERT_TRUE(QDir(dir.path()).mkdir(QStringLiteral("sub")));
    ASSERT_TRUE(QFile::link(file, dir.filePath(QStringLiteral("link.sqlite"))));

    const QString name = SingleInstance::serverNameFor(ConnectionProfile::sqlite(file));
    EXPECT_EQ(name,
        SingleInstance::serverNameFor(
            ConnectionProfile::sqlite(dir.filePath(QStringLiteral("sub/../shop.sqlite")))));
    EXPECT_EQ(name,
        SingleInstance::serverNameFor(
            ConnectionProfile::sqlite(dir.filePath(QStringLiteral("link.sqlite")))));
    EXPECT_NE(name,
        SingleInstance::serverNameFor(
            ConnectionProfile::sqlite(dir.filePath(QStringLiteral("other.sqlite")))));
    EXPECT_LT(name.size(), 64) << "socket paths are short on every platform";

    const QString shared = SingleInstance::serverNameFor(ConnectionProfile::postgres(
        QStringLiteral("db.example"), 5432, QStringLiteral("rd"), QStringLiteral("ana")));
    EXPECT_EQ(shared,
        SingleInstance::serverNameFor(ConnectionProfile::postgres(QStringLiteral("DB.example"),
            5432, QStringLiteral("rd"), QStringLiteral("ana"), QStringLiteral("secret"))));
    EXPECT_NE(shared,
        SingleInstance::serverNameFor(ConnectionProfile::postgres(
            QStringLiteral("db.example"), 5432, QStringLiteral("rd2"), QStringLiteral("ana"))));
    EXPECT_NE(shared, name);
}

// The built program: a window open on a database (here the first-run
// dialog of a new one), then a second launch on the same file.
TEST(SingleInstanceTest, TheProgramDefersToTheWindowAlreadyOpenOnTheDatabase)
{
    QTemporaryDir dir;
    const QString database = dir.filePath(QStringLiteral("one.sqlite"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    QProcess first;
    first.setProcessEnvironment(environment);
    first.start(QStringLiteral(RESELLERDESK_APP_BINARY),
        {QStringLiteral("--lang"), QStringLiteral("en"), QStringLiteral("--database"), database});
    ASSERT_TRUE(first.waitForStarted());

    // Up when it answers on its database's name.
    const QString name = SingleInstance::serverNameFor(ConnectionProfile::sqlite(database));
    QElapsedTimer waited;
    waited.start();
    bool listening = false;
    while (!listening && waited.elapsed() < 30'000) {
        QLocalSocket probe;
        probe.connectToServer(name);
        listening = probe.waitForConnected(200);
        if (!listening)
            QThread::msleep(100);
    }
    ASSERT_TRUE(listening) << first.readAllStandardError().toStdString();

    QProcess second;
    second.setProcessEnvironment(environment);
    second.start(QStringLiteral(RESELLERDESK_APP_BINARY),
        {QStringLiteral("--lang"), QStringLiteral("en"), QStringLiteral("--database"), database});
    ASSERT_TRUE(second.waitForFinished(30'000));
    EXPECT_EQ(second.exitCode(), 0);
    EXPECT_TRUE(second.readAllStandardError().contains("already open"));
    EXPECT_EQ(first.state(), QProcess::Running) << "the first window stays";

    first.kill();
    first.waitForFinished();
}

} // namespace
