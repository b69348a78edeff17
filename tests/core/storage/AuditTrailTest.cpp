#include <QSqlError>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "storage/AuditRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

class AuditTrailTest : public DatabaseTest
{
protected:
    qint64 appendOne()
    {
        AuditEventRow e;
        e.occurredAt = testNow();
        e.action = QStringLiteral("customer.create");
        e.entityType = QStringLiteral("customer");
        e.entityId = 42;
        e.afterJson = QStringLiteral("{\"company\":\"Acme\"}");
        e.reason = QStringLiteral("onboarding");
        Result<qint64> id = AuditRepository(db()).append(e);
        EXPECT_TRUE(id.has_value()) << id.error().toString().toStdString();
        return id.value_or(0);
    }

    int count()
    {
        QSqlQuery q(db().connection());
        q.exec(QStringLiteral("SELECT count(*) FROM audit_events"));
        return q.next() ? q.value(0).toInt() : -1;
    }
};

} // namespace

TEST_P(AuditTrailTest, AppendedEventsReadBackExactly)
{
    const qint64 id = appendOne();
    ASSERT_GT(id, 0);
    Result<QList<AuditEventRow>> events
        = AuditRepository(db()).forEntity(QStringLiteral("customer"), 42);
    ASSERT_TRUE(events.has_value());
    ASSERT_EQ(events->size(), 1);
    const AuditEventRow &e = events->constFirst();
    EXPECT_EQ(e.id, id);
    EXPECT_EQ(e.occurredAt, testNow());
    EXPECT_EQ(e.action, QStringLiteral("customer.create"));
    EXPECT_EQ(e.afterJson, QStringLiteral("{\"company\":\"Acme\"}"));
    EXPECT_EQ(e.reason, QStringLiteral("onboarding"));
    EXPECT_EQ(e.actorUserId, 0);
}

TEST_P(AuditTrailTest, DatabaseRefusesUpdate)
{
    const qint64 id = appendOne();
    QSqlQuery q(db().connection());
    ASSERT_TRUE(
        q.prepare(QStringLiteral("UPDATE audit_events SET action = 'forged' WHERE id = ?")));
    q.addBindValue(id);
    EXPECT_FALSE(q.exec()) << "UPDATE on audit_events must be refused by the database";
    EXPECT_TRUE(q.lastError().text().contains(QStringLiteral("append-only")))
        << q.lastError().text().toStdString();

    Result<QList<AuditEventRow>> events
        = AuditRepository(db()).forEntity(QStringLiteral("customer"), 42);
    ASSERT_TRUE(events.has_value());
    ASSERT_EQ(events->size(), 1);
    EXPECT_EQ(events->constFirst().action, QStringLiteral("customer.create"));
}

TEST_P(AuditTrailTest, DatabaseRefusesDelete)
{
    appendOne();
    QSqlQuery q(db().connection());
    EXPECT_FALSE(q.exec(QStringLiteral("DELETE FROM audit_events")))
        << "DELETE on audit_events must be refused by the database";
    EXPECT_EQ(count(), 1);
}

TEST_P(AuditTrailTest, DatabaseRefusesTruncateOnPostgres)
{
    appendOne();
    QSqlQuery q(db().connection());
    if (GetParam() == Backend::PostgreSQL) {
        EXPECT_FALSE(q.exec(QStringLiteral("TRUNCATE audit_events")));
    }
    EXPECT_EQ(count(), 1);
}

RD_INSTANTIATE_FOR_BACKENDS(AuditTrailTest);
