#include "security/PasswordHasher.h"

#include <QRegularExpression>

#include <gtest/gtest.h>

using namespace rd;

namespace {

// Most tests run at libsodium's minimum cost; one checks production cost.
PasswordHasher fastHasher()
{
    return PasswordHasher(PasswordCost::minimum());
}

} // namespace

TEST(PasswordHasher, HashVerifiesOnlyTheSamePassword)
{
    const PasswordHasher hasher = fastHasher();
    const Result<QString> hash = hasher.hash(QStringLiteral("correct horse battery"));
    ASSERT_TRUE(hash.has_value());
    EXPECT_TRUE(hash->startsWith(QStringLiteral("$argon2id$"))) << hash->toStdString();
    EXPECT_TRUE(hasher.verify(*hash, QStringLiteral("correct horse battery")));
    EXPECT_FALSE(hasher.verify(*hash, QStringLiteral("correct horse batterY")));
    EXPECT_FALSE(hasher.verify(*hash, QString()));
    EXPECT_FALSE(hasher.verify(QString(), QStringLiteral("correct horse battery")));
    EXPECT_FALSE(hasher.verify(QStringLiteral("not a hash"), QStringLiteral("x")));
}

TEST(PasswordHasher, EachHashHasItsOwnSalt)
{
    const PasswordHasher hasher = fastHasher();
    const QString password = QStringLiteral("the same password");
    EXPECT_NE(*hasher.hash(password), *hasher.hash(password));
}

TEST(PasswordHasher, UnicodePasswordsRoundTrip)
{
    const PasswordHasher hasher = fastHasher();
    const QString password = QStringLiteral("Grüße aus Köln 🔑");
    EXPECT_TRUE(hasher.verify(*hasher.hash(password), password));
}

TEST(PasswordHasher, ProductionCostMeetsOwaspArgon2idMinimum)
{
    // OWASP: Argon2id with at least m = 19 MiB, t = 2, p = 1.
    const PasswordHasher hasher(PasswordCost::production());
    const Result<QString> hash = hasher.hash(QStringLiteral("a production password"));
    ASSERT_TRUE(hash.has_value());
    static const QRegularExpression params(
        QStringLiteral("^\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$"));
    const QRegularExpressionMatch m = params.match(*hash);
    ASSERT_TRUE(m.hasMatch()) << hash->toStdString();
    EXPECT_GE(m.captured(1).toInt(), 19 * 1024) << "memory in KiB";
    EXPECT_GE(m.captured(2).toInt(), 2) << "iterations";
    EXPECT_EQ(m.captured(3).toInt(), 1) << "parallelism";
    EXPECT_TRUE(hasher.verify(*hash, QStringLiteral("a production password")));
}

TEST(PasswordHasher, AHashWithOtherParametersNeedsRehash)
{
    const PasswordHasher cheap = fastHasher();
    const PasswordHasher production(PasswordCost::production());
    const QString hash = *cheap.hash(QStringLiteral("upgrade me please"));
    EXPECT_FALSE(cheap.needsRehash(hash));
    EXPECT_TRUE(production.needsRehash(hash));
    EXPECT_TRUE(production.needsRehash(QStringLiteral("$2y$10$bcrypt-is-not-ours")));
}

TEST(PasswordHasher, StrengthNeedsTwelveCharacters)
{
    EXPECT_FALSE(PasswordHasher::checkStrength(QStringLiteral("elevenchars")).has_value());
    EXPECT_TRUE(PasswordHasher::checkStrength(QStringLiteral("twelve chars")).has_value());
    // Counted as characters, not UTF-16 units: 11 emoji are 22 units but 11 characters.
    const QString elevenEmoji = QString(QStringLiteral("🔑")).repeated(11);
    const Status tooShort = PasswordHasher::checkStrength(elevenEmoji);
    ASSERT_FALSE(tooShort.has_value());
    EXPECT_EQ(tooShort.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(tooShort.error().field(), QStringLiteral("password"));
    EXPECT_TRUE(tooShort.error().message().contains(QStringLiteral("12")));
    EXPECT_FALSE(PasswordHasher::checkStrength(QString(1025, QLatin1Char('x'))).has_value());
    EXPECT_TRUE(PasswordHasher::checkStrength(QString(1024, QLatin1Char('x'))).has_value());
}
