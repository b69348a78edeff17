#include <gtest/gtest.h>

#include "domain/Territory.h"

using namespace rd;

TEST(TerritoryTest, NamesACountryInTheLanguageAsked)
{
    EXPECT_EQ(territoryName(QStringLiteral("DE"), QLocale(QStringLiteral("en"))),
        QStringLiteral("Germany"));
    EXPECT_EQ(territoryName(QStringLiteral("DE"), QLocale(QStringLiteral("de"))),
        QStringLiteral("Deutschland"));
    EXPECT_EQ(territoryName(QStringLiteral("DE"), QLocale(QStringLiteral("fr"))),
        QStringLiteral("Allemagne"));
    EXPECT_EQ(territoryName(QStringLiteral("CH"), QLocale(QStringLiteral("fr_CH"))),
        QStringLiteral("Suisse"));
    EXPECT_EQ(territoryName(QStringLiteral("gb"), QLocale(QStringLiteral("de"))),
        QStringLiteral("Vereinigtes Königreich"));
}

TEST(TerritoryTest, AnUnknownCodeIsShownAsItIs)
{
    EXPECT_EQ(
        territoryName(QStringLiteral("QQ"), QLocale(QStringLiteral("fr"))), QStringLiteral("QQ"));
}
