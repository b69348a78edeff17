#include "domain/Error.h"

#include <gtest/gtest.h>

using namespace rd;

TEST(Error, CarriesCodeMessageFieldAndDetail)
{
    const Error error(ErrorCode::InvalidInput, QStringLiteral("Bad email"), QStringLiteral("email"),
        QStringLiteral("no @"));
    EXPECT_EQ(error.code(), ErrorCode::InvalidInput);
    EXPECT_EQ(error.message(), QStringLiteral("Bad email"));
    EXPECT_EQ(error.field(), QStringLiteral("email"));
    EXPECT_EQ(error.toString(), QStringLiteral("Bad email (no @)"));
}

TEST(Error, FailBuildsAnUnexpectedResult)
{
    const Result<int> result = fail(ErrorCode::NotFound, QStringLiteral("gone"));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::NotFound);
    EXPECT_EQ(result.error().toString(), QStringLiteral("gone"));
}
