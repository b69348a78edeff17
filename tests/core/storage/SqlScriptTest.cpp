#include "storage/SqlScript.h"

#include <gtest/gtest.h>

using namespace rd;

TEST(SqlScript, SplitsOnSemicolonsAndDropsComments)
{
    const QStringList statements = SqlScript::split(QStringLiteral(
        "-- a comment; with a semicolon\nCREATE TABLE a (id integer);\n/* block; */\n"
        "CREATE INDEX a_idx ON a (id);\n\n;  \n"));
    ASSERT_EQ(statements.size(), 2);
    EXPECT_EQ(statements[0], QStringLiteral("CREATE TABLE a (id integer)"));
    EXPECT_EQ(statements[1].simplified(), QStringLiteral("CREATE INDEX a_idx ON a (id)"));
}

TEST(SqlScript, KeepsSemicolonsInsideQuotes)
{
    const QStringList statements = SqlScript::split(QStringLiteral(
        "INSERT INTO t VALUES ('a;b', 'it''s; fine');\nSELECT \"odd;name\" FROM t;"));
    ASSERT_EQ(statements.size(), 2);
    EXPECT_EQ(statements[0], QStringLiteral("INSERT INTO t VALUES ('a;b', 'it''s; fine')"));
    EXPECT_EQ(statements[1], QStringLiteral("SELECT \"odd;name\" FROM t"));
}

TEST(SqlScript, KeepsSqliteTriggerBodiesWhole)
{
    const QStringList statements = SqlScript::split(QStringLiteral(
        "CREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n    SELECT RAISE(ABORT, 'no');\n"
        "    SELECT CASE WHEN 1 THEN 2 END;\nEND;\nCREATE TABLE b (x integer);"));
    ASSERT_EQ(statements.size(), 2);
    EXPECT_TRUE(statements[0].startsWith(QStringLiteral("CREATE TRIGGER t")));
    EXPECT_TRUE(statements[0].endsWith(QStringLiteral("END")));
    EXPECT_TRUE(statements[0].contains(QStringLiteral("RAISE(ABORT, 'no');")));
    EXPECT_EQ(statements[1], QStringLiteral("CREATE TABLE b (x integer)"));
}

TEST(SqlScript, KeepsDollarQuotedFunctionBodiesWhole)
{
    const QStringList statements = SqlScript::split(
        QStringLiteral("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
                       "    RAISE EXCEPTION 'x;y';\nEND;\n$$;\n"
                       "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;\n"
                       "BEGIN;"));
    ASSERT_EQ(statements.size(), 3);
    EXPECT_TRUE(statements[0].endsWith(QStringLiteral("$$")));
    EXPECT_TRUE(statements[1].endsWith(QStringLiteral("$body$")));
    EXPECT_EQ(statements[2], QStringLiteral("BEGIN"));
}

TEST(SqlScript, EmptyScriptHasNoStatements)
{
    EXPECT_TRUE(SqlScript::split(QStringLiteral("  -- nothing\n /* at all */ ")).isEmpty());
}
