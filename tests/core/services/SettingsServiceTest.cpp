#include <latch>
#include <thread>

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/SettingsService.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of the section 3 row this service implements.
const char *const MatrixRows = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| plans, price lists, settings | ✓ | – | see | see | – | – | – |
)";

const QList<Role> Columns {Role::Administrator, Role::Support, Role::ResellerAdmin,
    Role::ResellerManager, Role::ResellerUser, Role::ClientAdmin, Role::ClientUser};

QString cell(Role role)
{
    for (const QString &line : QString::fromUtf8(MatrixRows).split(QLatin1Char('\n'))) {
        const QStringList cells = line.split(QLatin1Char('|'));
        if (cells.size() >= 9
            && cells.at(1).trimmed() == QLatin1String("plans, price lists, settings"))
            return cells.at(2 + static_cast<int>(Columns.indexOf(role))).trimmed();
    }
    ADD_FAILURE() << "no matrix row";
    return {};
}

std::string describe(const Error &error)
{
    return error.toString().toStdString();
}

class SettingsServiceTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << describe(world.error());
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db());
        m_service = std::make_unique<SettingsService>(db(), m_clock, *m_access);
    }

    qint64 scalar(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery q(db().connection());
        if (!q.prepare(sql)) {
            ADD_FAILURE() << sql.toStdString();
            return -1;
        }
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (!q.exec() || !q.next()) {
            ADD_FAILURE() << sql.toStdString();
            return -1;
        }
        return q.value(0).toLongLong();
    }

    // Every row a refused save could have touched.
    QList<qint64> footprint()
    {
        return {scalar(QStringLiteral("SELECT count(*) FROM settings")),
            scalar(QStringLiteral("SELECT coalesce(sum(version), 0) FROM settings")),
            scalar(QStringLiteral("SELECT count(*) FROM audit_events"))};
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<SettingsService> m_service;
};

} // namespace

TEST_P(SettingsServiceTest, BeforeAnySaveEverySettingIsItsDefault)
{
    Result<SettingsService::Versioned> read = m_service->settings(*m_world.admin);
    ASSERT_TRUE(read.has_value()) << describe(read.error());
    EXPECT_EQ(read->settings, DomainSettings {});
    EXPECT_EQ(read->version, 0);
    EXPECT_EQ(read->settings.trialDays, 14);
    EXPECT_EQ(read->settings.trialBudget, 500);
    EXPECT_EQ(read->settings.loginAsMinutes, 60);
    EXPECT_TRUE(read->settings.notifyClientOnLoginAs);
    Result<DomainSettings> current = m_service->current();
    ASSERT_TRUE(current.has_value());
    EXPECT_EQ(*current, DomainSettings {});
}

TEST_P(SettingsServiceTest, ReadingAndSavingFollowTheMatrix)
{
    DomainSettings changed;
    changed.trialDays = 21;
    qint64 version = 0;
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell(role);
        const Session &session = m_world.as(role);
        Result<SettingsService::Versioned> read = m_service->settings(session);
        const QList<qint64> before = footprint();
        Result<qint64> saved = m_service->save(session, changed, version);
        if (expected == QString::fromUtf8("✓")) {
            ASSERT_TRUE(read.has_value()) << describe(read.error());
            ASSERT_TRUE(saved.has_value()) << describe(saved.error());
            version = *saved;
            changed.trialBudget += 1;
        } else if (expected == QLatin1String("see")) {
            ASSERT_TRUE(read.has_value()) << describe(read.error());
            EXPECT_EQ(read->settings.trialDays, 21) << "sees what the administrator saved";
            EXPECT_EQ(read->version, version);
            ASSERT_FALSE(saved.has_value());
            EXPECT_EQ(saved.error().code(), ErrorCode::PermissionDenied);
            EXPECT_EQ(footprint(), before);
        } else {
            ASSERT_FALSE(read.has_value());
            EXPECT_EQ(read.error().code(), ErrorCode::PermissionDenied);
            ASSERT_FALSE(saved.has_value());
            EXPECT_EQ(saved.error().code(), ErrorCode::PermissionDenied);
            EXPECT_EQ(footprint(), before);
        }
    }
    const Session impersonated = m_world.clientAdmin->impersonatedBy(
        m_world.admin->userId(), m_world.admin->userName(), 1);
    EXPECT_FALSE(m_service->save(impersonated, changed, version).has_value());
}

TEST_P(SettingsServiceTest, SaveStoresAuditsOnlyTheChangesAndMovesTheVersion)
{
    DomainSettings s;
    s.trialDays = 21;
    s.loginAsMinutes = 30;
    s.notifyClientOnLoginAs = false;
    Result<qint64> first = m_service->save(*m_world.admin, s, 0);
    ASSERT_TRUE(first.has_value()) << describe(first.error());
    EXPECT_GT(*first, 0);

    Result<SettingsService::Versioned> read = m_service->settings(*m_world.resellerManager);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->settings, s);
    EXPECT_EQ(read->version, *first);
    EXPECT_EQ(m_service->current().value_or(DomainSettings {}), s);

    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.prepare(QStringLiteral(
        "SELECT entity_type, before_json, after_json, actor_user_id FROM audit_events "
        "WHERE action = ?")));
    audit.addBindValue(QStringLiteral("settings.update"));
    ASSERT_TRUE(audit.exec());
    ASSERT_TRUE(audit.next());
    EXPECT_EQ(audit.value(0).toString(), QStringLiteral("settings"));
    const QJsonObject before = QJsonDocument::fromJson(audit.value(1).toString().toUtf8()).object();
    const QJsonObject after = QJsonDocument::fromJson(audit.value(2).toString().toUtf8()).object();
    EXPECT_EQ(before,
        (QJsonObject {{QStringLiteral("trial_days"), 14}, {QStringLiteral("login_as_minutes"), 60},
            {QStringLiteral("notify_client_on_login_as"), true}}));
    EXPECT_EQ(after,
        (QJsonObject {{QStringLiteral("trial_days"), 21}, {QStringLiteral("login_as_minutes"), 30},
            {QStringLiteral("notify_client_on_login_as"), false}}));
    EXPECT_EQ(audit.value(3).toLongLong(), m_world.admin->userId());
    EXPECT_FALSE(audit.next());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM settings WHERE updated_by = ?"),
                  {m_world.admin->userId()}),
        4)
        << "three values and the version row";

    s.trialBudget = 750;
    Result<qint64> second = m_service->save(*m_world.admin, s, *first);
    ASSERT_TRUE(second.has_value()) << describe(second.error());
    EXPECT_GT(*second, *first);
    EXPECT_EQ(m_service->current()->trialBudget, 750);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM audit_events WHERE action = ?"),
                  {QStringLiteral("settings.update")}),
        2);
}

TEST_P(SettingsServiceTest, SavingUnchangedSettingsWritesNothing)
{
    const QList<qint64> before = footprint();
    Result<qint64> same = m_service->save(*m_world.admin, DomainSettings {}, 0);
    ASSERT_TRUE(same.has_value()) << describe(same.error());
    EXPECT_EQ(*same, 0);
    EXPECT_EQ(footprint(), before);

    DomainSettings s;
    s.reminderDays = 5;
    const qint64 v = m_service->save(*m_world.admin, s, 0).value_or(-1);
    const QList<qint64> saved = footprint();
    EXPECT_EQ(m_service->save(*m_world.admin, s, v).value_or(-1), v);
    EXPECT_EQ(footprint(), saved);
}

TEST_P(SettingsServiceTest, InvalidSettingsNameTheirKeyAndChangeNothing)
{
    struct Case
    {
        const char *field;
        int DomainSettings::*member;
        int value;
    };
    const QList<Case> cases {
        {"trial_days", &DomainSettings::trialDays, 0},
        {"trial_days", &DomainSettings::trialDays, 3651},
        {"trial_budget", &DomainSettings::trialBudget, 0},
        {"reminder_days", &DomainSettings::reminderDays, 0},
        {"reminder_days", &DomainSettings::reminderDays, 14},
        {"max_extension_days", &DomainSettings::maxExtensionDays, 0},
        {"max_total_trial_days", &DomainSettings::maxTotalTrialDays, 13},
        {"max_trial_budget", &DomainSettings::maxTrialBudget, 499},
        {"login_as_minutes", &DomainSettings::loginAsMinutes, 4},
        {"login_as_minutes", &DomainSettings::loginAsMinutes, 481},
    };
    const QList<qint64> before = footprint();
    for (const Case &c : cases) {
        SCOPED_TRACE(std::string(c.field) + "=" + std::to_string(c.value));
        DomainSettings s;
        s.*(c.member) = c.value;
        Result<qint64> refused = m_service->save(*m_world.admin, s, 0);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(refused.error().field(), QString::fromLatin1(c.field));
        EXPECT_FALSE(refused.error().message().isEmpty());
    }
    EXPECT_EQ(footprint(), before);

    DomainSettings edges;
    edges.loginAsMinutes = 5;
    ASSERT_TRUE(m_service->save(*m_world.admin, edges, 0).has_value());
    edges.loginAsMinutes = 480;
    ASSERT_TRUE(m_service->save(*m_world.admin, edges, m_service->settings(*m_world.admin)->version)
                    .has_value());
}

TEST_P(SettingsServiceTest, ASaveAfterAnotherDesktopSavedIsAConflict)
{
    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value()) << describe(other.error());
    AccessControl otherAccess(**other);
    SettingsService otherDesk(**other, m_clock, otherAccess);

    // Both read the same version; they change different settings.
    for (int round = 0; round < 2; ++round) {
        SCOPED_TRACE(round);
        const SettingsService::Versioned mine = *m_service->settings(*m_world.admin);
        const SettingsService::Versioned theirs = *otherDesk.settings(*m_world.admin);
        ASSERT_EQ(mine.version, theirs.version);
        DomainSettings theirChange = theirs.settings;
        theirChange.trialBudget += 100;
        ASSERT_TRUE(otherDesk.save(*m_world.admin, theirChange, theirs.version).has_value());

        const QList<qint64> before = footprint();
        DomainSettings myChange = mine.settings;
        myChange.loginAsMinutes += 10;
        Result<qint64> stale = m_service->save(*m_world.admin, myChange, mine.version);
        ASSERT_FALSE(stale.has_value());
        EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
        EXPECT_EQ(footprint(), before);
        EXPECT_EQ(m_service->current()->trialBudget, theirChange.trialBudget);
        EXPECT_EQ(m_service->current()->loginAsMinutes, mine.settings.loginAsMinutes);
    }
}

TEST_P(SettingsServiceTest, TwoDesktopsSavingAtOnceOneWinsTheOtherGetsAConflict)
{
    for (int round = 0; round < 4; ++round) {
        SCOPED_TRACE(round);
        const qint64 read = m_service->settings(*m_world.admin)->version;
        std::latch start(2);
        auto attempt = [&](int minutes) -> Result<qint64> {
            Result<std::unique_ptr<Database>> own = testDatabase().open();
            start.arrive_and_wait();
            if (!own)
                return fail(own.error());
            AccessControl access(**own);
            SettingsService service(**own, m_clock, access);
            DomainSettings s = *service.current();
            s.loginAsMinutes = minutes;
            return service.save(*m_world.admin, s, read);
        };
        Result<qint64> first = fail(ErrorCode::DatabaseError, QString());
        Result<qint64> second = fail(ErrorCode::DatabaseError, QString());
        std::thread a([&] { first = attempt(100 + round); });
        std::thread b([&] { second = attempt(200 + round); });
        a.join();
        b.join();
        ASSERT_NE(first.has_value(), second.has_value())
            << (first ? describe(second.error()) : describe(first.error()));
        const Error &loser = first ? second.error() : first.error();
        EXPECT_EQ(loser.code(), ErrorCode::Conflict) << describe(loser);
        EXPECT_EQ(m_service->current()->loginAsMinutes, first ? 100 + round : 200 + round);
    }
}

RD_INSTANTIATE_FOR_BACKENDS(SettingsServiceTest);
