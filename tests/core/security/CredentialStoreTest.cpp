#include <optional>

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QUuid>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "security/CredentialStore.h"
#include "storage/ConnectionProfile.h"

using namespace rd;
using namespace rd::test;

namespace {

std::string describe(const Error &error)
{
    return error.toString().toStdString();
}

// The Secret Service scripts/test started (scripts/lib/services.sh
// start_keyring): gnome-keyring on a private D-Bus session.
std::optional<std::string> keyringUnavailable()
{
    for (const char *name : {"RESELLERDESK_TEST_KEYRING", "DBUS_SESSION_BUS_ADDRESS"}) {
        if (qEnvironmentVariableIsEmpty(name))
            return std::string("The test keyring was not started (") + name
                + " is unset): run the tests through scripts/test";
    }
    return std::nullopt;
}

#define RD_REQUIRE_KEYRING()                                                                       \
    do {                                                                                           \
        if (const auto rdWhy = keyringUnavailable()) {                                             \
            if (inCi())                                                                            \
                FAIL() << *rdWhy;                                                                  \
            GTEST_SKIP() << *rdWhy;                                                                \
        }                                                                                          \
    } while (false)

// A service name of its own per test: ctest runs the tests in parallel
// against one keyring.
QString uniqueService()
{
    return QStringLiteral("ResellerDeskTest-")
        + QUuid::createUuid().toString(QUuid::WithoutBraces).left(13);
}

const QString SmtpKey = CredentialStore::smtpKey(
    QStringLiteral("mail.example.com"), 587, QStringLiteral("desk@example.com"));

class CredentialStoreTest : public ::testing::Test
{
protected:
    void SetUp() override { RD_REQUIRE_KEYRING(); }

    void TearDown() override
    {
        if (IsSkipped())
            return;
        for (const QString &key : m_written)
            EXPECT_TRUE(m_store.remove(key).has_value()) << "cleanup of " << key.toStdString();
    }

    // Writes and remembers the key for the cleanup.
    Status write(const QString &key, const QString &secret)
    {
        m_written.append(key);
        return m_store.write(key, secret);
    }

    CredentialStore m_store {uniqueService()};
    QStringList m_written;
};

} // namespace

TEST(CredentialStoreKeys, NameTheServerAndUserButNeverThePassword)
{
    EXPECT_EQ(SmtpKey, QStringLiteral("smtp:desk@example.com@mail.example.com:587"));
    EXPECT_EQ(CredentialStore::smtpKey(QStringLiteral("10.0.0.1"), 25, {}),
        QStringLiteral("smtp:10.0.0.1:25"));

    const ConnectionProfile pg = ConnectionProfile::postgres(QStringLiteral("db.example.com"), 5433,
        QStringLiteral("resellers"), QStringLiteral("desk"), QStringLiteral("s3cret"));
    EXPECT_EQ(CredentialStore::databaseKey(pg),
        QStringLiteral("postgresql:desk@db.example.com:5433/resellers"));
    EXPECT_EQ(CredentialStore::databaseKey(pg.withPassword(QStringLiteral("other"))),
        CredentialStore::databaseKey(pg));
    // The connection dialog names the same entry from its fields.
    EXPECT_EQ(CredentialStore::postgresKey(QStringLiteral("db.example.com"), 5433,
                  QStringLiteral("resellers"), QStringLiteral("desk")),
        CredentialStore::databaseKey(pg));
    EXPECT_EQ(CredentialStore::databaseKey(ConnectionProfile::postgres(
                  QStringLiteral("db"), 5432, QStringLiteral("rd"), QString())),
        QStringLiteral("postgresql:db:5432/rd"));
    EXPECT_TRUE(CredentialStore::databaseKey(
        ConnectionProfile::sqlite(QStringLiteral("/tmp/x.resellerdesk")))
                    .isEmpty());
    EXPECT_EQ(CredentialStore().service(), CredentialStore::defaultService());
}

TEST(CredentialStoreKeys, AnEmptyKeyHoldsNothingWithoutAskingTheKeychain)
{
    // SQLite's key: no keychain needed, so this holds with or without one.
    CredentialStore store(uniqueService());
    Result<QString> read = store.read(QString());
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().code(), ErrorCode::NotFound);
    EXPECT_TRUE(store.remove(QString()).has_value());
    Status write = store.write(QString(), QStringLiteral("secret"));
    ASSERT_FALSE(write.has_value());
    EXPECT_EQ(write.error().code(), ErrorCode::InvalidInput);
}

TEST_F(CredentialStoreTest, StoresReadsReplacesAndDeletes)
{
    ASSERT_TRUE(write(SmtpKey, QStringLiteral("first-password")).has_value());
    Result<QString> read = m_store.read(SmtpKey);
    ASSERT_TRUE(read.has_value()) << describe(read.error());
    EXPECT_EQ(*read, QStringLiteral("first-password"));

    Status replaced = m_store.write(SmtpKey, QStringLiteral("second-password"));
    ASSERT_TRUE(replaced.has_value()) << describe(replaced.error());
    EXPECT_EQ(m_store.read(SmtpKey).value_or(QString()), QStringLiteral("second-password"));

    Status removed = m_store.remove(SmtpKey);
    ASSERT_TRUE(removed.has_value()) << describe(removed.error());
    Result<QString> gone = m_store.read(SmtpKey);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code(), ErrorCode::NotFound);
}

TEST_F(CredentialStoreTest, ReadingAMissingEntryIsNotFoundAndDeletingItSucceeds)
{
    const QString key = QStringLiteral("smtp:nobody@nowhere.example:25");
    Result<QString> read = m_store.read(key);
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().code(), ErrorCode::NotFound) << describe(read.error());
    EXPECT_FALSE(read.error().message().isEmpty());

    Status removed = m_store.remove(key);
    EXPECT_TRUE(removed.has_value()) << describe(removed.error());
    EXPECT_TRUE(m_store.remove(key).has_value()) << "twice";
}

TEST_F(CredentialStoreTest, KeepsNonAsciiAndLongSecretsExactly)
{
    const QString unicode = QStringLiteral("Pässwörd – ĳ ß 密码 🔑 \"quoted\" back\\slash\ttab");
    const QString longSecret = QString(QStringLiteral("0123456789abcdef")).repeated(256);
    const QString spaces = QStringLiteral("  leading and trailing  ");
    const ConnectionProfile pg = ConnectionProfile::postgres(QStringLiteral("db.example.com"), 5432,
        QStringLiteral("resellers"), QStringLiteral("jürgen"));
    const QString pgKey = CredentialStore::databaseKey(pg);

    ASSERT_TRUE(write(SmtpKey, unicode).has_value());
    ASSERT_TRUE(write(pgKey, longSecret).has_value());
    ASSERT_TRUE(write(QStringLiteral("smtp:spaces"), spaces).has_value());
    EXPECT_EQ(m_store.read(SmtpKey).value_or(QString()), unicode);
    EXPECT_EQ(m_store.read(pgKey).value_or(QString()), longSecret);
    EXPECT_EQ(m_store.read(QStringLiteral("smtp:spaces")).value_or(QString()), spaces);
}

TEST_F(CredentialStoreTest, KeysOfTwoServicesAndTwoKeysDoNotMix)
{
    CredentialStore other(uniqueService());
    const QString otherKey = CredentialStore::smtpKey(
        QStringLiteral("mail.example.com"), 465, QStringLiteral("desk@example.com"));

    ASSERT_TRUE(write(SmtpKey, QStringLiteral("mine")).has_value());
    ASSERT_TRUE(write(otherKey, QStringLiteral("mine on 465")).has_value());
    ASSERT_TRUE(other.write(SmtpKey, QStringLiteral("theirs")).has_value());

    EXPECT_EQ(m_store.read(SmtpKey).value_or(QString()), QStringLiteral("mine"));
    EXPECT_EQ(m_store.read(otherKey).value_or(QString()), QStringLiteral("mine on 465"));
    EXPECT_EQ(other.read(SmtpKey).value_or(QString()), QStringLiteral("theirs"));
    Result<QString> notTheirs = other.read(otherKey);
    ASSERT_FALSE(notTheirs.has_value());
    EXPECT_EQ(notTheirs.error().code(), ErrorCode::NotFound);

    ASSERT_TRUE(other.remove(SmtpKey).has_value());
    EXPECT_EQ(m_store.read(SmtpKey).value_or(QString()), QStringLiteral("mine"))
        << "deleting in one service leaves the other alone";
    EXPECT_EQ(other.read(SmtpKey).error().code(), ErrorCode::NotFound);
}

// Without a Secret Service (no session bus, no display) every call is
// Unavailable with the keychain's own text, and the secret lands nowhere.
// The test runs itself in a child process with such an environment, so it
// also runs (and means the same) in the normal run beside the keyring.
TEST(CredentialStoreUnavailable, SaysSoWithTheKeychainsTextAndStoresNothing)
{
    const QString secret = QStringLiteral("never-on-disk-%1").arg(QUuid::createUuid().toString());
    const char *const ChildMarker = "RESELLERDESK_TEST_NO_SECRET_SERVICE";

    if (qEnvironmentVariableIsSet(ChildMarker)) {
        CredentialStore store(uniqueService());
        Status write = store.write(SmtpKey, qEnvironmentVariable(ChildMarker));
        ASSERT_FALSE(write.has_value());
        // Shown in the XML report: what a user without a keychain reads.
        RecordProperty("message", write.error().message().toStdString());
        Result<QString> read = store.read(SmtpKey);
        ASSERT_FALSE(read.has_value());
        Status remove = store.remove(SmtpKey);
        ASSERT_FALSE(remove.has_value());
        for (const Error &error : {write.error(), read.error(), remove.error()}) {
            SCOPED_TRACE(describe(error));
            EXPECT_EQ(error.code(), ErrorCode::Unavailable);
            // "The system keychain cannot be used: <QtKeychain's errorString()>",
            // and the detail carries the same text after "error N: ".
            const QString prefix = QStringLiteral("The system keychain cannot be used: ");
            ASSERT_TRUE(error.message().startsWith(prefix));
            const QString keychainText = error.message().mid(prefix.size());
            EXPECT_FALSE(keychainText.trimmed().isEmpty());
            EXPECT_TRUE(error.detail().endsWith(QStringLiteral(": ") + keychainText));
            EXPECT_TRUE(error.detail().contains(SmtpKey)) << "names the key";
            EXPECT_FALSE(error.toString().contains(qEnvironmentVariable(ChildMarker)));
        }
        return;
    }

    QTemporaryDir home;
    ASSERT_TRUE(home.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION",
             "KDE_FULL_SESSION", "KDE_SESSION_VERSION", "GNOME_KEYRING_CONTROL"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
        QStringLiteral("unix:path=") + home.filePath(QStringLiteral("no-bus")));
    // Where a plain-text fallback (QSettings) or a keyring file would go.
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QString::fromLatin1(ChildMarker), secret);
    env.remove(QStringLiteral("RESELLERDESK_TEST_KEYRING"));

    QProcess child;
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(),
        {QStringLiteral("--gtest_filter=CredentialStoreUnavailable.*")});
    ASSERT_TRUE(child.waitForFinished(60'000)) << "the child did not finish";
    const QString output = QString::fromUtf8(child.readAll());
    EXPECT_EQ(child.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(child.exitCode(), 0) << output.toStdString();
    EXPECT_TRUE(output.contains(QStringLiteral("[  PASSED  ] 1 test."))) << output.toStdString();
    EXPECT_FALSE(output.contains(QStringLiteral("SKIPPED"))) << output.toStdString();

    QDirIterator files(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << file.fileName().toStdString();
        EXPECT_FALSE(file.readAll().contains(secret.toUtf8()))
            << "the secret was written to " << file.fileName().toStdString();
    }
}
