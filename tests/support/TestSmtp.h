#pragma once

#include <optional>
#include <string>

#include <QString>

#include <gtest/gtest.h>

#include "TestDatabase.h"

namespace rd::test {

// The SMTP servers scripts/test started (scripts/lib/services.sh start_smtp,
// environment RESELLERDESK_TEST_SMTP_*): nothing when they are all there,
// otherwise why not.
std::optional<std::string> smtpUnavailable();

// How many messages the test server's spool holds for `recipient`.
int spooledFor(const QString &recipient);

// "<prefix>-<random>@client.example": parallel tests share the spool, so
// each test mails recipients of its own.
QString uniqueRecipient(const QString &prefix);

} // namespace rd::test

// In CI a missing server fails the test; elsewhere it is skipped.
#define RD_REQUIRE_SMTP()                                                                          \
    do {                                                                                           \
        if (const auto rdWhy = ::rd::test::smtpUnavailable()) {                                    \
            if (::rd::test::inCi())                                                                \
                FAIL() << *rdWhy;                                                                  \
            GTEST_SKIP() << *rdWhy;                                                                \
        }                                                                                          \
    } while (false)
