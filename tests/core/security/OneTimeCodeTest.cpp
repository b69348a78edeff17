#include "security/OneTimeCode.h"

#include <cmath>

#include <QRegularExpression>
#include <QSet>

#include <gtest/gtest.h>

using namespace rd;

TEST(OneTimeCode, HasAtLeast128RandomBitsInReadableGroups)
{
    const OneTimeCode code = OneTimeCode::generate();
    static const QRegularExpression shape(
        QStringLiteral("^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}-[0-9A-HJKMNP-TV-Z]$"));
    EXPECT_TRUE(shape.match(code.text()).hasMatch()) << code.text().toStdString();
    const int symbols
        = static_cast<int>(code.text().count(QRegularExpression(QStringLiteral("[^-]"))));
    EXPECT_GE(symbols * std::log2(32.0), 128.0);
}

TEST(OneTimeCode, CodesDoNotRepeat)
{
    QSet<QString> seen;
    for (int i = 0; i < 2000; ++i)
        seen.insert(OneTimeCode::generate().text());
    EXPECT_EQ(seen.size(), 2000);
}

TEST(OneTimeCode, EverySymbolOccurs)
{
    // A broken generator (e.g. a fixed or narrow range) would miss symbols.
    QSet<QChar> symbols;
    for (int i = 0; i < 200; ++i) {
        for (const QChar c : OneTimeCode::generate().text())
            symbols.insert(c);
    }
    symbols.remove(QLatin1Char('-'));
    EXPECT_EQ(symbols.size(), 32);
}

TEST(OneTimeCode, StoredHashIsSha256AndForgivesTypingVariants)
{
    const OneTimeCode code = OneTimeCode::generate();
    const QString hash = code.hash();
    EXPECT_EQ(hash.size(), 64);
    EXPECT_FALSE(hash.contains(code.text()));
    QString typed = code.text().toLower();
    typed.replace(QLatin1Char('-'), QLatin1Char(' '));
    EXPECT_EQ(OneTimeCode::hashOf(typed), hash);
    EXPECT_EQ(OneTimeCode::hashOf(QStringLiteral("ABCDO-IL")),
        OneTimeCode::hashOf(QStringLiteral("abcd0 11")));
    EXPECT_NE(
        OneTimeCode::hashOf(QStringLiteral("AAAAA")), OneTimeCode::hashOf(QStringLiteral("AAAAB")));
}

TEST(OneTimeCode, ExpiresAfterSevenDays)
{
    const QDateTime issued(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    EXPECT_EQ(OneTimeCode::expiresAt(issued), QDateTime(QDate(2026, 3, 8), QTime(12, 0), Qt::UTC));
}
