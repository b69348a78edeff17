#include <functional>
#include <latch>
#include <thread>

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "MatrixTable.h"
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

const QList<Role> &Columns = matrixColumns();

QString cell(Role role)
{
    return matrixCell(MatrixRows, "plans, price lists, settings", role);
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

namespace {

// SMTP settings that deliver: every rule satisfied.
SmtpSettings deliveringSmtp()
{
    SmtpSettings smtp;
    smtp.enabled = true;
    smtp.host = QStringLiteral("smtp.northwind.example");
    smtp.port = 465;
    smtp.security = SmtpProfile::Security::ImplicitTls;
    smtp.userName = QStringLiteral("desk@northwind.example");
    smtp.senderAddress = QStringLiteral("support@northwind.example");
    smtp.senderName = QStringLiteral("Jürgen Müller – Northwind Support");
    smtp.caFile = QStringLiteral("/etc/ssl/northwind/ca.pem");
    return smtp;
}

} // namespace

TEST_P(SettingsServiceTest, SmtpSettingsAreSavedWithTheRestInOneVersionAndOneAuditEvent)
{
    DomainSettings s;
    s.trialDays = 21;
    s.smtp = deliveringSmtp();
    Result<qint64> first = m_service->save(*m_world.admin, s, 0);
    ASSERT_TRUE(first.has_value()) << describe(first.error());

    Result<SettingsService::Versioned> read = m_service->settings(*m_world.resellerAdmin);
    ASSERT_TRUE(read.has_value()) << describe(read.error());
    EXPECT_EQ(read->settings, s);
    EXPECT_EQ(read->settings.smtp, s.smtp);
    EXPECT_EQ(read->version, *first);
    EXPECT_EQ(m_service->current().value_or(DomainSettings {}).smtp, s.smtp);

    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.prepare(
        QStringLiteral("SELECT before_json, after_json FROM audit_events WHERE action = ?")));
    audit.addBindValue(QStringLiteral("settings.update"));
    ASSERT_TRUE(audit.exec());
    ASSERT_TRUE(audit.next());
    const QJsonObject before = QJsonDocument::fromJson(audit.value(0).toString().toUtf8()).object();
    const QJsonObject after = QJsonDocument::fromJson(audit.value(1).toString().toUtf8()).object();
    EXPECT_FALSE(audit.next()) << "one event for the whole save";
    EXPECT_EQ(after,
        (QJsonObject {{QStringLiteral("trial_days"), 21}, {QStringLiteral("smtp_enabled"), true},
            {QStringLiteral("smtp_host"), QStringLiteral("smtp.northwind.example")},
            {QStringLiteral("smtp_port"), 465},
            {QStringLiteral("smtp_security"), QStringLiteral("implicit_tls")},
            {QStringLiteral("smtp_user"), QStringLiteral("desk@northwind.example")},
            {QStringLiteral("smtp_sender_address"), QStringLiteral("support@northwind.example")},
            {QStringLiteral("smtp_sender_name"),
                QStringLiteral("Jürgen Müller – Northwind Support")},
            {QStringLiteral("smtp_ca_file"), QStringLiteral("/etc/ssl/northwind/ca.pem")}}));
    EXPECT_EQ(before,
        (QJsonObject {{QStringLiteral("trial_days"), 14}, {QStringLiteral("smtp_enabled"), false},
            {QStringLiteral("smtp_host"), QString()}, {QStringLiteral("smtp_port"), 587},
            {QStringLiteral("smtp_security"), QStringLiteral("starttls")},
            {QStringLiteral("smtp_user"), QString()},
            {QStringLiteral("smtp_sender_address"), QString()},
            {QStringLiteral("smtp_sender_name"), QString()},
            {QStringLiteral("smtp_ca_file"), QString()}}))
        << "smtp_allow_plain_auth did not change";
    for (const QString &key : after.keys())
        EXPECT_FALSE(key.contains(QLatin1String("password"))) << key.toStdString();

    // One SMTP value on its own: only that key is written and audited.
    s.smtp.port = 2465;
    Result<qint64> second = m_service->save(*m_world.admin, s, *first);
    ASSERT_TRUE(second.has_value()) << describe(second.error());
    EXPECT_GT(*second, *first);
    EXPECT_EQ(m_service->current()->smtp.port, 2465);
    QSqlQuery last(db().connection());
    ASSERT_TRUE(last.prepare(QStringLiteral("SELECT before_json, after_json FROM audit_events "
                                            "WHERE action = ? ORDER BY id DESC")));
    last.addBindValue(QStringLiteral("settings.update"));
    ASSERT_TRUE(last.exec());
    ASSERT_TRUE(last.next());
    EXPECT_EQ(QJsonDocument::fromJson(last.value(0).toString().toUtf8()).object(),
        (QJsonObject {{QStringLiteral("smtp_port"), 465}}));
    EXPECT_EQ(QJsonDocument::fromJson(last.value(1).toString().toUtf8()).object(),
        (QJsonObject {{QStringLiteral("smtp_port"), 2465}}));

    // Switching the mail off keeps the rest of the profile for later.
    s.smtp.enabled = false;
    ASSERT_TRUE(m_service->save(*m_world.admin, s, *second).has_value());
    const SmtpSettings off = m_service->current()->smtp;
    EXPECT_FALSE(off.enabled);
    EXPECT_EQ(off.host, s.smtp.host);
    EXPECT_EQ(off, s.smtp);
}

TEST_P(SettingsServiceTest, InvalidSmtpSettingsNameTheirKeyAndChangeNothing)
{
    DomainSettings valid;
    valid.smtp = deliveringSmtp();
    const qint64 version = m_service->save(*m_world.admin, valid, 0).value_or(-1);
    ASSERT_GT(version, 0);

    struct Case
    {
        const char *field;
        std::function<void(SmtpSettings &)> change;
    };
    const QList<Case> cases {
        {"smtp_host", [](SmtpSettings &s) { s.host.clear(); }},
        {"smtp_host", [](SmtpSettings &s) { s.host = QStringLiteral("smtp example.com"); }},
        {"smtp_port", [](SmtpSettings &s) { s.port = 0; }},
        {"smtp_port", [](SmtpSettings &s) { s.port = 65536; }},
        {"smtp_sender_address", [](SmtpSettings &s) { s.senderAddress.clear(); }},
        {"smtp_sender_address",
            [](SmtpSettings &s) { s.senderAddress = QStringLiteral("not an address"); }},
        {"smtp_allow_plain_auth",
            [](SmtpSettings &s) {
                s.security = SmtpProfile::Security::Plain;
                s.port = 25;
            }},
        {"smtp_sender_name",
            [](SmtpSettings &s) { s.senderName = QStringLiteral("Support\r\nBcc: x@y.example"); }},
        {"smtp_user", [](SmtpSettings &s) { s.userName = QStringLiteral("desk\n"); }},
        {"smtp_ca_file", [](SmtpSettings &s) { s.caFile = QStringLiteral("  "); }},
    };
    const QList<qint64> before = footprint();
    for (const Case &c : cases) {
        SCOPED_TRACE(c.field);
        DomainSettings s = valid;
        s.trialDays = 30; // a valid change beside the invalid one is not saved either
        c.change(s.smtp);
        Result<qint64> refused = m_service->save(*m_world.admin, s, version);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(refused.error().field(), QString::fromLatin1(c.field));
        EXPECT_FALSE(refused.error().message().isEmpty());
        EXPECT_EQ(SettingsService::validate(s).error().field(), QString::fromLatin1(c.field));
    }
    EXPECT_EQ(footprint(), before);
    EXPECT_EQ(*m_service->current(), valid);

    // Disabled, a profile without a host or sender is fine (mail stays queued).
    DomainSettings off;
    off.smtp.enabled = false;
    off.smtp.userName = QStringLiteral("desk@northwind.example");
    Result<qint64> saved = m_service->save(*m_world.admin, off, version);
    ASSERT_TRUE(saved.has_value()) << describe(saved.error());
    EXPECT_EQ(m_service->current()->smtp, off.smtp) << "cleared texts are stored as empty";

    // Only Administrators change the mail server.
    DomainSettings theirs = off;
    theirs.smtp = deliveringSmtp();
    const QList<qint64> unchanged = footprint();
    for (const Session *session :
        {&*m_world.resellerAdmin, &*m_world.resellerManager, &*m_world.support}) {
        Result<qint64> denied
            = m_service->save(*session, theirs, m_service->settings(*m_world.admin)->version);
        ASSERT_FALSE(denied.has_value());
        EXPECT_EQ(denied.error().code(), ErrorCode::PermissionDenied);
    }
    EXPECT_EQ(footprint(), unchanged);
}

TEST_P(SettingsServiceTest, AStaleSmtpSaveIsAConflict)
{
    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value()) << describe(other.error());
    AccessControl otherAccess(**other);
    SettingsService otherDesk(**other, m_clock, otherAccess);

    const SettingsService::Versioned mine = *m_service->settings(*m_world.admin);
    const SettingsService::Versioned theirs = *otherDesk.settings(*m_world.admin);
    DomainSettings theirChange = theirs.settings;
    theirChange.smtp = deliveringSmtp();
    ASSERT_TRUE(otherDesk.save(*m_world.admin, theirChange, theirs.version).has_value());

    const QList<qint64> before = footprint();
    DomainSettings myChange = mine.settings;
    myChange.smtp = deliveringSmtp();
    myChange.smtp.host = QStringLiteral("mail.contoso.example");
    Result<qint64> stale = m_service->save(*m_world.admin, myChange, mine.version);
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
    EXPECT_EQ(footprint(), before);
    EXPECT_EQ(m_service->current()->smtp, theirChange.smtp);

    // After a reload the same change goes through.
    const SettingsService::Versioned reloaded = *m_service->settings(*m_world.admin);
    Result<qint64> saved = m_service->save(*m_world.admin, myChange, reloaded.version);
    ASSERT_TRUE(saved.has_value()) << describe(saved.error());
    EXPECT_EQ(otherDesk.current()->smtp.host, QStringLiteral("mail.contoso.example"));
}

RD_INSTANTIATE_FOR_BACKENDS(SettingsServiceTest);
