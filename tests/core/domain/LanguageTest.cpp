#include <gtest/gtest.h>

#include "domain/Language.h"

using namespace rd;

// Issue 8: the language follows the system's UI languages; --lang overrides.
TEST(LanguageTest, TheFirstSystemLanguageWeSpeakWins)
{
    EXPECT_EQ(chooseLanguage({}, {QStringLiteral("de-CH"), QStringLiteral("en-US")}),
        QStringLiteral("de"));
    EXPECT_EQ(chooseLanguage({}, {QStringLiteral("fr_CA")}), QStringLiteral("fr"));
    EXPECT_EQ(chooseLanguage({}, {QStringLiteral("es-ES"), QStringLiteral("fr-FR")}),
        QStringLiteral("fr"));
    EXPECT_EQ(chooseLanguage({}, {QStringLiteral("en-GB"), QStringLiteral("de-DE")}),
        QStringLiteral("en"));
}

TEST(LanguageTest, NoneWeSpeakMeansEnglish)
{
    EXPECT_EQ(chooseLanguage({}, {}), QStringLiteral("en"));
    EXPECT_EQ(chooseLanguage({}, {QStringLiteral("C")}), QStringLiteral("en"));
    EXPECT_EQ(chooseLanguage({}, {QStringLiteral("ja-JP")}), QStringLiteral("en"));
}

TEST(LanguageTest, TheRequestedLanguageOverridesTheSystem)
{
    const QStringList german {QStringLiteral("de-DE")};
    EXPECT_EQ(chooseLanguage(QStringLiteral("fr"), german), QStringLiteral("fr"));
    EXPECT_EQ(chooseLanguage(QStringLiteral(" EN_gb "), german), QStringLiteral("en"));
    EXPECT_EQ(chooseLanguage(QStringLiteral("de-AT"), {}), QStringLiteral("de"));
    EXPECT_TRUE(chooseLanguage(QStringLiteral("xx"), german).isEmpty())
        << "an unknown language is the caller's to report, not silently the system's";
    EXPECT_EQ(availableLanguages(),
        (QStringList {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")}));
}
