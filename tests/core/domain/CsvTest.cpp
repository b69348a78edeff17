#include "domain/Csv.h"

#include <ostream>

#include <QString>

#include <gtest/gtest.h>

using namespace rd;

// GoogleTest prints QStrings as text (found by argument-dependent lookup).
QT_BEGIN_NAMESPACE
static void PrintTo(const QString &value, std::ostream *os)
{
    *os << '"' << value.toStdString() << '"';
}
QT_END_NAMESPACE

TEST(CsvTest, PlainFieldsStayAsTheyAre)
{
    EXPECT_EQ(Csv::field(QStringLiteral("Alpine Foods")), QStringLiteral("Alpine Foods"));
    EXPECT_EQ(Csv::field(QString()), QString());
    EXPECT_EQ(Csv::field(QStringLiteral("42")), QStringLiteral("42"));
    EXPECT_EQ(Csv::field(QStringLiteral("Zürich – Straße")), QStringLiteral("Zürich – Straße"));
}

TEST(CsvTest, CommasQuotesAndLineBreaksAreQuoted)
{
    EXPECT_EQ(Csv::field(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
    EXPECT_EQ(Csv::field(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
    EXPECT_EQ(Csv::field(QStringLiteral("two\nlines")), QStringLiteral("\"two\nlines\""));
    EXPECT_EQ(Csv::field(QStringLiteral("two\r\nlines")), QStringLiteral("\"two\r\nlines\""));
    EXPECT_EQ(Csv::field(QStringLiteral("{\"plan\":\"standard\",\"budget\":500}")),
        QStringLiteral("\"{\"\"plan\"\":\"\"standard\"\",\"\"budget\"\":500}\""));
}

TEST(CsvTest, FormulasGetAnApostropheFirst)
{
    EXPECT_EQ(Csv::field(QStringLiteral("=cmd")), QStringLiteral("'=cmd"));
    EXPECT_EQ(Csv::field(QStringLiteral("+1")), QStringLiteral("'+1"));
    EXPECT_EQ(Csv::field(QStringLiteral("-2+3")), QStringLiteral("'-2+3"));
    EXPECT_EQ(Csv::field(QStringLiteral("@SUM(A1:A9)")), QStringLiteral("'@SUM(A1:A9)"));
    EXPECT_EQ(Csv::field(QStringLiteral("\tx")), QStringLiteral("'\tx"));
    // A leading CR is protected and, being a line break, quoted as well.
    EXPECT_EQ(Csv::field(QStringLiteral("\r=1")), QStringLiteral("\"'\r=1\""));
    // Protection first, then quoting of what the field now holds.
    EXPECT_EQ(Csv::field(QStringLiteral("=HYPERLINK(\"http://evil.example\",\"Click\")")),
        QStringLiteral("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\""));
    // Only the first character counts.
    EXPECT_EQ(Csv::field(QStringLiteral("a=b")), QStringLiteral("a=b"));
    EXPECT_EQ(Csv::field(QStringLiteral(" =1")), QStringLiteral(" =1"));
    EXPECT_TRUE(Csv::looksLikeFormula(QStringLiteral("=1")));
    EXPECT_FALSE(Csv::looksLikeFormula(QStringLiteral("1=")));
    EXPECT_FALSE(Csv::looksLikeFormula(QString()));
}

TEST(CsvTest, LinesEndWithCrLfAndAreUtf8)
{
    EXPECT_EQ(Csv::line({QStringLiteral("a"), QString(), QStringLiteral("b,c")}),
        QStringLiteral("a,,\"b,c\"\r\n"));
    EXPECT_EQ(Csv::line({}), QStringLiteral("\r\n"));
    EXPECT_EQ(Csv::lineUtf8({QStringLiteral("é")}), QByteArray("\xC3\xA9\r\n"));
    EXPECT_EQ(Csv::byteOrderMark(), QByteArray("\xEF\xBB\xBF"));
}
