#include <latch>
#include <thread>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "storage/CustomerRepository.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

class ConcurrencyTest : public DatabaseTest
{ };

struct Outcome
{
    bool opened = false;
    bool inserted = false;
    ErrorCode code = ErrorCode::DatabaseError;
    QString message;
};

// Two desktops, one database: each thread has its own connection (a Qt rule)
// and both insert the same login at the same moment.
Outcome insertFromOwnConnection(const TestDatabase &target, std::latch &start, const UserRow &user)
{
    Outcome outcome;
    Result<std::unique_ptr<Database>> db = target.open();
    outcome.opened = db.has_value();
    start.arrive_and_wait();
    if (!db) {
        outcome.message = db.error().toString();
        return outcome;
    }
    Result<qint64> id = UserRepository(**db).insert(user);
    outcome.inserted = id.has_value();
    if (!id) {
        outcome.code = id.error().code();
        outcome.message = id.error().message();
    }
    return outcome;
}

} // namespace

TEST_P(ConcurrencyTest, ExactlyOneOfTwoConcurrentDuplicateLoginsWins)
{
    for (int round = 0; round < 8; ++round) {
        SCOPED_TRACE(round);
        // Same email key, typed differently on each desktop.
        UserRow a;
        a.email = QStringLiteral("Race%1@Example.com").arg(round);
        a.emailKey = QStringLiteral("race%1@example.com").arg(round);
        a.displayName = QStringLiteral("Desktop A");
        a.createdAt = testNow();
        UserRow b = a;
        b.email = QStringLiteral(" race%1@example.COM ").arg(round).trimmed();
        b.displayName = QStringLiteral("Desktop B");

        std::latch start(2);
        Outcome first;
        Outcome second;
        std::thread ta([&] { first = insertFromOwnConnection(testDatabase(), start, a); });
        std::thread tb([&] { second = insertFromOwnConnection(testDatabase(), start, b); });
        ta.join();
        tb.join();

        ASSERT_TRUE(first.opened && second.opened)
            << first.message.toStdString() << second.message.toStdString();
        EXPECT_NE(first.inserted, second.inserted) << "exactly one insert must win";
        const Outcome &loser = first.inserted ? second : first;
        EXPECT_EQ(loser.code, ErrorCode::Duplicate) << loser.message.toStdString();
        EXPECT_TRUE(loser.message.contains(QStringLiteral("already exists")))
            << loser.message.toStdString();

        Result<std::optional<UserRow>> stored = UserRepository(db()).findByEmailKey(a.emailKey);
        ASSERT_TRUE(stored.has_value());
        EXPECT_TRUE(stored->has_value());
    }
}

TEST_P(ConcurrencyTest, AStaleEditGetsAConflictInsteadOfOverwriting)
{
    Result<Catalogue> catalogue = seedCatalogue(db());
    ASSERT_TRUE(catalogue.has_value()) << catalogue.error().toString().toStdString();
    Result<qint64> id = seedCustomer(db(), *catalogue, QStringLiteral("Acme"));
    ASSERT_TRUE(id.has_value());

    // Desktop B, its own connection, reads the same version as desktop A.
    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value());
    CustomerRepository onA(db());
    CustomerRepository onB(**other);
    CustomerRow readByA = *onA.find(*id);
    CustomerRow readByB = *onB.find(*id);
    ASSERT_EQ(readByA.version, readByB.version);

    readByB.companyName = QStringLiteral("Acme (by B)");
    Result<int> savedByB = onB.update(readByB);
    ASSERT_TRUE(savedByB.has_value()) << savedByB.error().toString().toStdString();
    EXPECT_EQ(*savedByB, readByB.version + 1);

    readByA.companyName = QStringLiteral("Acme (by A)");
    Result<int> savedByA = onA.update(readByA);
    ASSERT_FALSE(savedByA.has_value()) << "A's stale write must not overwrite B's";
    EXPECT_EQ(savedByA.error().code(), ErrorCode::Conflict);
    EXPECT_TRUE(savedByA.error().message().contains(QStringLiteral("someone else")));

    EXPECT_EQ(onA.find(*id)->companyName, QStringLiteral("Acme (by B)"));
}

RD_INSTANTIATE_FOR_BACKENDS(ConcurrencyTest);
