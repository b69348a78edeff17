#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "domain/EmailAddress.h"
#include "security/PasswordHasher.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/DemoData.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

class DemoDataTest : public DatabaseTest
{
protected:
    int scalar(const QString &sql)
    {
        QSqlQuery q(db().connection());
        if (!q.exec(sql) || !q.next()) {
            ADD_FAILURE() << sql.toStdString();
            return -1;
        }
        return q.value(0).toInt();
    }

    ManualClock m_clock {testNow()};
    PasswordHasher m_hasher {PasswordCost::minimum()};
};

} // namespace

TEST_P(DemoDataTest, FillsAnEmptyDatabaseWithEveryStatusAndRole)
{
    Result<DemoSummary> summary = DemoData::seedIfEmpty(db(), m_clock, m_hasher);
    ASSERT_TRUE(summary.has_value()) << summary.error().toString().toStdString();
    EXPECT_TRUE(summary->seeded);
    EXPECT_GE(summary->customers, 300);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM customers")), summary->customers);

    const qint64 now = testNow().toMSecsSinceEpoch();
    const QString running = QStringLiteral("SELECT count(*) FROM customers WHERE billing_status = "
                                           "'trial' AND trial_ends_at > %1")
                                .arg(now);
    const QString expired = QStringLiteral("SELECT count(*) FROM customers WHERE billing_status = "
                                           "'trial' AND trial_ends_at <= %1")
                                .arg(now);
    EXPECT_GT(scalar(running), 0);
    EXPECT_GT(scalar(expired), 0);
    EXPECT_GT(
        scalar(QStringLiteral("SELECT count(*) FROM customers WHERE billing_status = 'paid'")), 0);
    EXPECT_GT(scalar(QStringLiteral("SELECT count(*) FROM customers WHERE NOT (active = %1)")
                         .arg(db().dialect() == Dialect::SQLite ? QStringLiteral("1")
                                                                : QStringLiteral("true"))),
        0);

    // Every role has at least one demo membership.
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(DISTINCT role) FROM memberships")), 7);
    // A sub-portal, a migrated portal, a deactivated reseller, a direct account.
    EXPECT_GE(
        scalar(QStringLiteral("SELECT count(*) FROM resellers WHERE parent_id IS NOT NULL")), 2);
    EXPECT_EQ(scalar(QStringLiteral(
                  "SELECT count(*) FROM resellers WHERE origin_customer_id IS NOT NULL")),
        1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM resellers r JOIN customers c ON "
                                    "c.id = r.origin_customer_id AND c.owner_reseller_id = r.id")),
        1)
        << "the migrated portal owns its origin customer";
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM resellers WHERE NOT (active = %1)")
                         .arg(db().dialect() == Dialect::SQLite ? QStringLiteral("1")
                                                                : QStringLiteral("true"))),
        1);
    EXPECT_GT(
        scalar(QStringLiteral("SELECT count(*) FROM customers WHERE owner_reseller_id IS NULL")),
        0);
    // History: ended assignments, additional assignments, monthly usage.
    EXPECT_GT(scalar(QStringLiteral(
                  "SELECT count(*) FROM customer_assignments WHERE ended_at IS NOT NULL")),
        0);
    EXPECT_GT(scalar(QStringLiteral(
                  "SELECT count(*) FROM customer_assignments WHERE kind = 'additional'")),
        0);
    EXPECT_GT(
        scalar(QStringLiteral("SELECT count(*) FROM identification_usage")), summary->customers);
    // The owner column agrees with the open owner assignment for every customer.
    EXPECT_EQ(
        scalar(QStringLiteral(
            "SELECT count(*) FROM customers c WHERE c.owner_reseller_id IS NOT NULL AND NOT "
            "EXISTS (SELECT 1 FROM customer_assignments a WHERE a.customer_id = c.id AND "
            "a.reseller_id = c.owner_reseller_id AND a.kind = 'owner' AND a.ended_at IS NULL)")),
        0);
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT count(*) FROM audit_events WHERE action = 'demo.seed'")), 1);
    // Rule 13: orders of paid customers at their price-list price, with the
    // placing reseller's commission and, for a sub-portal, the parent's override.
    EXPECT_GT(scalar(QStringLiteral("SELECT count(*) FROM orders")), 0);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM orders o JOIN customers c ON "
                                    "c.id = o.customer_id WHERE c.billing_status <> 'paid'")),
        0);
    EXPECT_EQ(scalar(QStringLiteral(
                  "SELECT count(*) FROM orders o WHERE o.total <> o.unit_price * o.quantity OR "
                  "o.unit_price <> (SELECT pr.monthly_price FROM price_list_items pr WHERE "
                  "pr.price_list_id = "
                  "o.price_list_id AND pr.plan_id = o.plan_id)")),
        0);
    EXPECT_GT(scalar(QStringLiteral("SELECT count(*) FROM orders WHERE override_commission > 0 "
                                    "AND parent_reseller_id IS NOT NULL")),
        0);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM orders o JOIN resellers r ON r.id = "
                                    "o.reseller_id WHERE o.commission_rate_bp <> "
                                    "r.commission_rate_bp")),
        0);
}

TEST_P(DemoDataTest, DemoLoginsUseTheDocumentedPasswordAndValidEmails)
{
    ASSERT_TRUE(DemoData::seedIfEmpty(db(), m_clock, m_hasher).has_value());
    Result<std::optional<UserRow>> admin
        = UserRepository(db()).findByEmailKey(DemoData::demoAdministratorEmail());
    ASSERT_TRUE(admin.has_value() && admin->has_value());
    EXPECT_TRUE(m_hasher.verify((*admin)->passwordHash, DemoData::demoPassword()));
    EXPECT_FALSE((*admin)->mustChangePassword);

    QSqlQuery q(db().connection());
    ASSERT_TRUE(q.exec(QStringLiteral("SELECT email, email_key FROM users")));
    while (q.next()) {
        const Result<EmailAddress> parsed = EmailAddress::parse(q.value(0).toString());
        ASSERT_TRUE(parsed.has_value()) << q.value(0).toString().toStdString();
        EXPECT_EQ(parsed->key(), q.value(1).toString());
    }
}

TEST_P(DemoDataTest, SeedsOnlyAnEmptyDatabase)
{
    ASSERT_TRUE(seedCatalogue(db()).has_value());
    Result<DemoSummary> summary = DemoData::seedIfEmpty(db(), m_clock, m_hasher);
    ASSERT_TRUE(summary.has_value());
    EXPECT_FALSE(summary->seeded);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM users")), 0);
}

RD_INSTANTIATE_FOR_BACKENDS(DemoDataTest);
