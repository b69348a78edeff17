#include "storage/ConnectionProfile.h"

#include <QDir>

#include <gtest/gtest.h>

using namespace rd;

TEST(ConnectionProfile, ParsesPostgresUrlWithPassword)
{
    const Result<ConnectionProfile> profile = ConnectionProfile::fromUrl(
        QStringLiteral("postgresql://alice:s%40cret@db.example:6543/rd"));
    ASSERT_TRUE(profile.has_value()) << profile.error().toString().toStdString();
    EXPECT_EQ(profile->dialect(), Dialect::PostgreSQL);
    EXPECT_EQ(profile->host(), QStringLiteral("db.example"));
    EXPECT_EQ(profile->port(), 6543);
    EXPECT_EQ(profile->databaseName(), QStringLiteral("rd"));
    EXPECT_EQ(profile->userName(), QStringLiteral("alice"));
    EXPECT_EQ(profile->password(), QStringLiteral("s@cret"));
}

TEST(ConnectionProfile, DefaultsThePostgresPort)
{
    const Result<ConnectionProfile> profile
        = ConnectionProfile::fromUrl(QStringLiteral("postgres://bob@localhost/rd"));
    ASSERT_TRUE(profile.has_value());
    EXPECT_EQ(profile->port(), 5432);
    EXPECT_TRUE(profile->password().isEmpty());
}

TEST(ConnectionProfile, DisplayNameNeverShowsThePassword)
{
    const ConnectionProfile profile = *ConnectionProfile::fromUrl(
        QStringLiteral("postgresql://alice:hunter2@db.example:5432/rd"));
    EXPECT_FALSE(profile.displayName().contains(QStringLiteral("hunter2")));
    EXPECT_EQ(profile.displayName(), QStringLiteral("postgresql://alice@db.example:5432/rd"));
}

TEST(ConnectionProfile, PlainPathIsSqlite)
{
    const Result<ConnectionProfile> profile
        = ConnectionProfile::fromUrl(QStringLiteral("relative/demo.sqlite"));
    ASSERT_TRUE(profile.has_value());
    EXPECT_EQ(profile->dialect(), Dialect::SQLite);
    EXPECT_TRUE(QDir::isAbsolutePath(profile->filePath()));
    EXPECT_TRUE(profile->filePath().endsWith(QStringLiteral("relative/demo.sqlite")));
}

TEST(ConnectionProfile, SqliteUrlIsSqlite)
{
    const Result<ConnectionProfile> profile
        = ConnectionProfile::fromUrl(QStringLiteral("sqlite:///tmp/rd.sqlite"));
    ASSERT_TRUE(profile.has_value());
    EXPECT_EQ(profile->filePath(), QStringLiteral("/tmp/rd.sqlite"));
}

TEST(ConnectionProfile, RefusesBadInputWithClearErrors)
{
    for (const char *bad : {"", "   ", "postgresql://", "postgresql://host", "postgresql://host/",
             "mysql://host/db", "postgresql://host:99999/db"}) {
        SCOPED_TRACE(bad);
        const Result<ConnectionProfile> profile
            = ConnectionProfile::fromUrl(QString::fromUtf8(bad));
        ASSERT_FALSE(profile.has_value());
        EXPECT_EQ(profile.error().code(), ErrorCode::InvalidInput);
        EXPECT_FALSE(profile.error().message().isEmpty());
    }
}
