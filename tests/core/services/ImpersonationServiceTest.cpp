#include <QSqlError>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "security/LocalAuthenticator.h"
#include "security/PasswordHasher.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/ImpersonationService.h"
#include "services/OutboxService.h"
#include "services/SettingsService.h"
#include "services/UserService.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of rule 9 and the section 3 row "Login As client":
// who may open which kind of membership. "scope" for the Reseller Admin:
// only customers in its scope. A wrong table in the code cannot make this
// copy wrong too.
const char *const Rule9 = R"(
| actor            | client admin | client user | reseller user | staff | client admin, out of scope |
|------------------|--------------|-------------|---------------|-------|----------------------------|
| Administrator    | yes          | yes         | no            | no    | yes                        |
| Support          | yes          | yes         | no            | no    | yes                        |
| Reseller Admin   | yes          | yes         | no            | no    | no                         |
| Reseller Manager | no           | no          | no            | no    | no                         |
| Reseller User    | no           | no          | no            | no    | no                         |
| Client Admin     | no           | no          | no            | no    | no                         |
| Client User      | no           | no          | no            | no    | no                         |
)";

enum class Target { ClientAdmin, ClientUser, ResellerUser, Staff, ClientAdminOutOfScope };

const QList<Role> Actors {Role::Administrator, Role::Support, Role::ResellerAdmin,
    Role::ResellerManager, Role::ResellerUser, Role::ClientAdmin, Role::ClientUser};
const QList<Target> Targets {Target::ClientAdmin, Target::ClientUser, Target::ResellerUser,
    Target::Staff, Target::ClientAdminOutOfScope};

bool expected(Role actor, Target target)
{
    const QStringList lines = QString::fromUtf8(Rule9).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QStringList cells = line.split(QLatin1Char('|'));
        if (cells.size() < 7 || cells.at(1).trimmed() != roleDisplayName(actor))
            continue;
        const QString cell = cells.at(2 + static_cast<int>(Targets.indexOf(target))).trimmed();
        EXPECT_TRUE(cell == QLatin1String("yes") || cell == QLatin1String("no"));
        return cell == QLatin1String("yes");
    }
    ADD_FAILURE() << "no rule 9 row for " << roleKey(actor).toStdString();
    return false;
}

class ImpersonationServiceTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << world.error().toString().toStdString();
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db(), m_clock);
        m_service = std::make_unique<ImpersonationService>(db(), m_clock, *m_access);
        m_customers = std::make_unique<CustomerService>(db(), m_clock, *m_access);
        // A client admin of Bravo (owned by reseller B: out of reseller A's scope).
        m_bravoAdmin = addClientMembership(
            QStringLiteral("admin@bravo.example"), Role::ClientAdmin, m_world.customerB);
    }

    // A new user with one membership; returns the membership id.
    qint64 addClientMembership(const QString &email, Role role, qint64 customerId)
    {
        UserRepository users(db());
        UserRow u;
        u.email = email;
        u.emailKey = email.toLower();
        u.displayName = QStringLiteral("User ") + email;
        u.createdAt = testNow();
        Result<qint64> userId = users.insert(u);
        EXPECT_TRUE(userId.has_value());
        MembershipRow m;
        m.userId = userId.value_or(0);
        m.role = role;
        m.customerId = customerId;
        m.createdAt = testNow();
        Result<qint64> id = users.insertMembership(m);
        EXPECT_TRUE(id.has_value()) << id.error().toString().toStdString();
        return id.value_or(0);
    }

    qint64 count(const QString &sql)
    {
        QSqlQuery q(db().connection());
        EXPECT_TRUE(q.exec(sql)) << q.lastError().text().toStdString();
        return q.next() ? q.value(0).toLongLong() : -1;
    }

    qint64 membershipOf(Target target) const
    {
        switch (target) {
        case Target::ClientAdmin:
            return m_world.clientAdmin->membershipId();
        case Target::ClientUser:
            return m_world.clientUser->membershipId();
        case Target::ResellerUser:
            return m_world.resellerUser->membershipId();
        case Target::Staff:
            return m_world.support->membershipId();
        case Target::ClientAdminOutOfScope:
            return m_bravoAdmin;
        }
        return 0;
    }

    qint64 customerOf(Target target) const
    {
        return target == Target::ClientAdminOutOfScope ? m_world.customerB : m_world.customerA;
    }

    Result<LoginAsStarted> start(const Session &actor, qint64 customerId, qint64 membershipId = 0,
        const QString &reason = QStringLiteral("Ticket 4711: the client sees no usage"))
    {
        return m_service->start(actor, customerId, membershipId, reason);
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    qint64 m_bravoAdmin = 0;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<ImpersonationService> m_service;
    std::unique_ptr<CustomerService> m_customers;
};

} // namespace

TEST_P(ImpersonationServiceTest, Rule9MatrixOfActorsAndTargets)
{
    int allowed = 0;
    int refused = 0;
    for (Role actorRole : Actors) {
        const Session &actor = m_world.as(actorRole);
        for (Target target : Targets) {
            const qint64 sessionsBefore
                = count(QStringLiteral("SELECT count(*) FROM impersonation_sessions"));
            const qint64 eventsBefore = count(QStringLiteral("SELECT count(*) FROM audit_events"));
            Result<LoginAsStarted> started = start(actor, customerOf(target), membershipOf(target));
            const std::string what = roleKey(actorRole).toStdString() + " -> target "
                + std::to_string(static_cast<int>(target));
            if (expected(actorRole, target)) {
                ++allowed;
                ASSERT_TRUE(started.has_value())
                    << what << ": " << started.error().toString().toStdString();
                EXPECT_TRUE(started->session.isImpersonated()) << what;
                EXPECT_EQ(started->session.membershipId(), membershipOf(target)) << what;
                EXPECT_EQ(started->session.impersonatorUserId(), actor.userId()) << what;
                EXPECT_TRUE(isClientRole(started->session.role())) << what;
                // The session can read the client's account, and ends cleanly.
                Result<CustomerRow> seen
                    = m_customers->customer(started->session, customerOf(target));
                EXPECT_TRUE(seen.has_value()) << what;
                EXPECT_TRUE(m_service->end(started->session, ImpersonationEnd::Closed).has_value())
                    << what;
            } else {
                ++refused;
                ASSERT_FALSE(started.has_value()) << what << " must be refused";
                EXPECT_TRUE(started.error().code() == ErrorCode::PermissionDenied
                    || started.error().code() == ErrorCode::NotFound)
                    << what << ": " << started.error().toString().toStdString();
                EXPECT_FALSE(started.error().message().isEmpty());
                EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM impersonation_sessions")),
                    sessionsBefore)
                    << what << ": a refused Login As writes no session";
                EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events")), eventsBefore)
                    << what;
            }
        }
    }
    EXPECT_EQ(allowed, 8);
    EXPECT_EQ(refused, 27);
}

TEST_P(ImpersonationServiceTest, DefaultTargetIsThePrimaryClientAdmin)
{
    // Alpha's primary user is its client admin once set; a second client
    // admin is added before it, so "first" and "primary" differ.
    const qint64 other = addClientMembership(
        QStringLiteral("second@alpha.example"), Role::ClientAdmin, m_world.customerA);
    ASSERT_GT(other, 0);
    QSqlQuery q(db().connection());
    ASSERT_TRUE(q.prepare(QStringLiteral("UPDATE customers SET primary_user_id = ? WHERE id = ?")));
    q.addBindValue(m_world.clientAdmin->userId());
    q.addBindValue(m_world.customerA);
    ASSERT_TRUE(q.exec()) << q.lastError().text().toStdString();

    Result<QList<LoginAsTarget>> targets = m_service->targets(*m_world.support, m_world.customerA);
    ASSERT_TRUE(targets.has_value()) << targets.error().toString().toStdString();
    ASSERT_EQ(targets->size(), 3);
    EXPECT_TRUE(targets->constFirst().primary);
    EXPECT_EQ(targets->constFirst().membershipId, m_world.clientAdmin->membershipId());

    Result<LoginAsStarted> started = start(*m_world.support, m_world.customerA);
    ASSERT_TRUE(started.has_value()) << started.error().toString().toStdString();
    EXPECT_EQ(started->session.membershipId(), m_world.clientAdmin->membershipId());
    EXPECT_EQ(started->session.role(), Role::ClientAdmin);
    EXPECT_EQ(started->companyName, QStringLiteral("Alpha"));
    EXPECT_EQ(started->expiresAt, testNow().addSecs(60 * 60));
}

TEST_P(ImpersonationServiceTest, ReasonIsRequiredAndBounded)
{
    for (const QString &reason : {QString(), QStringLiteral("   "),
             QString(ImpersonationService::MaxReasonLength + 1, QLatin1Char('x'))}) {
        Result<LoginAsStarted> started = start(*m_world.admin, m_world.customerA, 0, reason);
        ASSERT_FALSE(started.has_value());
        EXPECT_EQ(started.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(started.error().field(), QStringLiteral("reason"));
    }
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM impersonation_sessions")), 0);
}

TEST_P(ImpersonationServiceTest, NobodyAtOrAboveTheActorsLevelNorOneself)
{
    // A client user of Alpha who is also Support elsewhere: Support may not
    // view as them (same level), an Administrator may.
    const qint64 membership = addClientMembership(
        QStringLiteral("double@alpha.example"), Role::ClientUser, m_world.customerA);
    Result<MembershipRow> row = UserRepository(db()).findMembership(membership);
    ASSERT_TRUE(row.has_value());
    MembershipRow staff;
    staff.userId = row->userId;
    staff.role = Role::Support;
    staff.createdAt = testNow();
    ASSERT_TRUE(UserRepository(db()).insertMembership(staff).has_value());

    Result<LoginAsStarted> bySupport = start(*m_world.support, m_world.customerA, membership);
    ASSERT_FALSE(bySupport.has_value());
    EXPECT_EQ(bySupport.error().code(), ErrorCode::PermissionDenied);
    EXPECT_TRUE(bySupport.error().message().contains(roleDisplayName(Role::Support)))
        << bySupport.error().message().toStdString();
    EXPECT_TRUE(start(*m_world.admin, m_world.customerA, membership).has_value());

    // The reseller admin's own client membership (a migrated customer's
    // admin runs the portal too) is not for Login As.
    MembershipRow own;
    own.userId = m_world.resellerAdmin->userId();
    own.role = Role::ClientAdmin;
    own.customerId = m_world.customerA;
    own.createdAt = testNow();
    Result<qint64> ownId = UserRepository(db()).insertMembership(own);
    ASSERT_TRUE(ownId.has_value());
    Result<LoginAsStarted> self = start(*m_world.resellerAdmin, m_world.customerA, *ownId);
    ASSERT_FALSE(self.has_value());
    EXPECT_EQ(self.error().code(), ErrorCode::PermissionDenied);
}

TEST_P(ImpersonationServiceTest, NoNesting)
{
    Result<LoginAsStarted> started = start(*m_world.admin, m_world.customerA);
    ASSERT_TRUE(started.has_value());
    Result<LoginAsStarted> nested = start(started->session, m_world.customerA);
    ASSERT_FALSE(nested.has_value());
    EXPECT_EQ(nested.error().code(), ErrorCode::PermissionDenied);
    EXPECT_TRUE(nested.error().message().contains(QStringLiteral("already viewing")));
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM impersonation_sessions")), 1);
}

TEST_P(ImpersonationServiceTest, StartWritesSessionAndAuditEventBeforeAnythingIsReturned)
{
    Result<LoginAsStarted> started = start(*m_world.resellerAdmin, m_world.customerA);
    ASSERT_TRUE(started.has_value()) << started.error().toString().toStdString();

    QSqlQuery s(db().connection());
    ASSERT_TRUE(s.exec(QStringLiteral(
        "SELECT impersonator_user_id, client_membership_id, customer_id, reseller_id, reason, "
        "ended_at FROM impersonation_sessions")));
    ASSERT_TRUE(s.next());
    EXPECT_EQ(s.value(0).toLongLong(), m_world.resellerAdmin->userId());
    EXPECT_EQ(s.value(1).toLongLong(), m_world.clientAdmin->membershipId());
    EXPECT_EQ(s.value(2).toLongLong(), m_world.customerA);
    EXPECT_EQ(s.value(3).toLongLong(), m_world.resellerA);
    EXPECT_EQ(s.value(4).toString(), QStringLiteral("Ticket 4711: the client sees no usage"));
    EXPECT_TRUE(s.value(5).isNull());

    QSqlQuery e(db().connection());
    ASSERT_TRUE(e.exec(QStringLiteral(
        "SELECT actor_user_id, actor_membership_id, impersonator_user_id, "
        "impersonation_session_id, reason, customer_id FROM audit_events WHERE action = "
        "'impersonation.start'")));
    ASSERT_TRUE(e.next()) << "the start is audited";
    EXPECT_EQ(e.value(0).toLongLong(), m_world.resellerAdmin->userId());
    EXPECT_EQ(e.value(1).toLongLong(), m_world.resellerAdmin->membershipId());
    EXPECT_TRUE(e.value(2).isNull());
    EXPECT_EQ(e.value(3).toLongLong(), started->impersonationId);
    EXPECT_EQ(e.value(4).toString(), QStringLiteral("Ticket 4711: the client sees no usage"));
    EXPECT_EQ(e.value(5).toLongLong(), m_world.customerA);
}

TEST_P(ImpersonationServiceTest, FailingAuditWriteReturnsNoSessionAndLeavesNoTrace)
{
    // The audit table made read-only for this test: every insert refused.
    if (GetParam() == Backend::SQLite) {
        ASSERT_TRUE(testDatabase()
                        .execRaw(QStringLiteral(
                            "CREATE TRIGGER test_audit_read_only BEFORE INSERT ON audit_events "
                            "BEGIN SELECT RAISE(ABORT, 'audit_events is read-only in this test'); "
                            "END"))
                        .has_value());
    } else {
        ASSERT_TRUE(testDatabase()
                        .execRaw(QStringLiteral(
                            "CREATE FUNCTION test_audit_read_only() RETURNS trigger LANGUAGE "
                            "plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is read-only in "
                            "this test'; END $$"))
                        .has_value());
        ASSERT_TRUE(testDatabase()
                        .execRaw(QStringLiteral(
                            "CREATE TRIGGER test_audit_read_only BEFORE INSERT ON audit_events "
                            "FOR EACH ROW EXECUTE FUNCTION test_audit_read_only()"))
                        .has_value());
    }
    Result<LoginAsStarted> started = start(*m_world.admin, m_world.customerA);
    ASSERT_FALSE(started.has_value()) << "no session without its audit event";
    EXPECT_EQ(started.error().code(), ErrorCode::DatabaseError);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM impersonation_sessions")), 0);
    EXPECT_EQ(
        count(QStringLiteral("SELECT count(*) FROM outbox WHERE kind = 'login_as_notice'")), 0);
}

TEST_P(ImpersonationServiceTest, ExpiresAfterTheSettingWithAnInjectedClock)
{
    SettingsService settings(db(), m_clock, *m_access);
    Result<SettingsService::Versioned> current = settings.settings(*m_world.admin);
    ASSERT_TRUE(current.has_value());
    DomainSettings changed = current->settings;
    changed.loginAsMinutes = 15;
    ASSERT_TRUE(settings.save(*m_world.admin, changed, current->version).has_value());

    Result<LoginAsStarted> started = start(*m_world.support, m_world.customerA);
    ASSERT_TRUE(started.has_value());
    EXPECT_EQ(started->expiresAt, testNow().addSecs(15 * 60));

    m_clock.advanceMs((15 * 60 - 1) * 1000LL);
    EXPECT_TRUE(m_customers->customer(started->session, m_world.customerA).has_value());
    EXPECT_TRUE(m_service->check(started->session).has_value());

    m_clock.advanceMs(1000);
    Result<CustomerRow> late = m_customers->customer(started->session, m_world.customerA);
    ASSERT_FALSE(late.has_value()) << "an expired session reads nothing";
    EXPECT_EQ(late.error().code(), ErrorCode::PermissionDenied);
    EXPECT_TRUE(late.error().message().contains(QStringLiteral("expired")));
    EXPECT_FALSE(m_service->check(started->session).has_value());
    Result<CustomerPage> list = m_customers->listCustomers(started->session, {});
    EXPECT_FALSE(list.has_value());

    // Closed late: recorded as expired, at the moment it expired.
    m_clock.advanceMs(10 * 60 * 1000);
    ASSERT_TRUE(m_service->end(started->session, ImpersonationEnd::Closed).has_value());
    QSqlQuery q(db().connection());
    ASSERT_TRUE(q.exec(QStringLiteral("SELECT ended_at, end_reason FROM impersonation_sessions")));
    ASSERT_TRUE(q.next());
    EXPECT_EQ(q.value(0).toLongLong(), started->expiresAt.toMSecsSinceEpoch());
    EXPECT_EQ(q.value(1).toString(), QStringLiteral("expired"));
}

TEST_P(ImpersonationServiceTest, EndWritesTheEndOnceAndTheSessionStopsWorking)
{
    Result<LoginAsStarted> started = start(*m_world.admin, m_world.customerA);
    ASSERT_TRUE(started.has_value());
    m_clock.advanceMs(90 * 1000);
    ASSERT_TRUE(m_service->end(started->session, ImpersonationEnd::SignedOut).has_value());
    ASSERT_TRUE(m_service->end(started->session, ImpersonationEnd::Closed).has_value())
        << "ending twice is harmless";

    EXPECT_EQ(count(QStringLiteral(
                  "SELECT count(*) FROM audit_events WHERE action = 'impersonation.end'")),
        1);
    QSqlQuery q(db().connection());
    ASSERT_TRUE(q.exec(QStringLiteral("SELECT end_reason, ended_at, version FROM "
                                      "impersonation_sessions")));
    ASSERT_TRUE(q.next());
    EXPECT_EQ(q.value(0).toString(), QStringLiteral("signed_out"));
    EXPECT_EQ(q.value(1).toLongLong(), testNow().addSecs(90).toMSecsSinceEpoch());
    EXPECT_EQ(q.value(2).toInt(), 2);

    Result<CustomerRow> after = m_customers->customer(started->session, m_world.customerA);
    ASSERT_FALSE(after.has_value());
    EXPECT_TRUE(after.error().message().contains(QStringLiteral("ended")));
}

TEST_P(ImpersonationServiceTest, ForgedSessionIsRefused)
{
    // A Session that claims a Login As that was never recorded reads nothing.
    const Session forged = m_world.clientAdmin->impersonatedBy(
        m_world.support->userId(), m_world.support->userName(), 999999);
    Result<CustomerRow> seen = m_customers->customer(forged, m_world.customerA);
    ASSERT_FALSE(seen.has_value());
    EXPECT_EQ(seen.error().code(), ErrorCode::PermissionDenied);
}

TEST_P(ImpersonationServiceTest, ExpiredLeftoversAreEndedAtNextSignIn)
{
    Result<LoginAsStarted> first = start(*m_world.support, m_world.customerA);
    ASSERT_TRUE(first.has_value());
    m_clock.advanceMs(61 * 60 * 1000);
    Result<LoginAsStarted> second = start(*m_world.support, m_world.customerA);
    ASSERT_TRUE(second.has_value());
    Result<int> ended = m_service->endExpiredOf(*m_world.support);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(*ended, 1) << "the live one is left alone";
    EXPECT_TRUE(m_service->check(second->session).has_value());
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM impersonation_sessions WHERE "
                                   "end_reason = 'expired'")),
        1);
}

TEST_P(ImpersonationServiceTest, ForbiddenChangesAreRefusedInCoreWhileImpersonating)
{
    Result<LoginAsStarted> started = start(*m_world.admin, m_world.customerA);
    ASSERT_TRUE(started.has_value());
    const Session &client = started->session;
    ASSERT_EQ(client.role(), Role::ClientAdmin);

    // Users: the client admin may manage its account's users, not while impersonated.
    UserService users(db(), m_clock, *m_access);
    NewUser user;
    user.email = QStringLiteral("new@alpha.example");
    user.displayName = QStringLiteral("New Colleague");
    user.role = Role::ClientUser;
    Result<AddedUser> added = users.addUser(client, user);
    ASSERT_FALSE(added.has_value());
    EXPECT_EQ(added.error().code(), ErrorCode::PermissionDenied);

    // Passwords.
    PasswordHasher hasher(PasswordCost::minimum());
    LocalAuthenticator authenticator(db(), m_clock, hasher);
    Status password = authenticator.changeOwnPassword(
        client, QStringLiteral("whatever-it-was"), QStringLiteral("a-new-long-password"));
    ASSERT_FALSE(password.has_value());
    EXPECT_EQ(password.error().code(), ErrorCode::PermissionDenied);
    EXPECT_FALSE(authenticator.reverifyPassword(client, QStringLiteral("x")).has_value());

    // Settings (security settings included).
    SettingsService settings(db(), m_clock, *m_access);
    EXPECT_FALSE(settings.save(client, DomainSettings {}, 0).has_value());

    // Customer changes that only staff and resellers make.
    Result<CustomerRow> row = m_customers->customer(client, m_world.customerA);
    ASSERT_TRUE(row.has_value());
    EXPECT_FALSE(
        m_customers->setActive(client, m_world.customerA, row->version, false, QStringLiteral("x"))
            .has_value());
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_events WHERE "
                                   "impersonator_user_id IS NOT NULL")),
        0)
        << "nothing was written";
}

TEST_P(ImpersonationServiceTest, NoticeFollowsTheSettingAndTheNoEmailFlag)
{
    Result<LoginAsStarted> notified = start(*m_world.admin, m_world.customerA);
    ASSERT_TRUE(notified.has_value());
    EXPECT_GT(notified->noticeId, 0);
    {
        QSqlQuery q(db().connection());
        ASSERT_TRUE(q.exec(QStringLiteral(
            "SELECT recipient, kind, customer_id FROM outbox WHERE kind = 'login_as_notice'")));
        ASSERT_TRUE(q.next());
        EXPECT_EQ(q.value(0).toString(), m_world.clientAdmin->userEmail());
    }
    ASSERT_TRUE(m_service->end(notified->session, ImpersonationEnd::Closed).has_value());

    // "No email" on the customer: no notice.
    ASSERT_TRUE(testDatabase()
                    .execRaw(QStringLiteral("UPDATE customers SET no_email = TRUE WHERE id = %1")
                                 .arg(m_world.customerA))
                    .has_value());
    Result<LoginAsStarted> quiet = start(*m_world.admin, m_world.customerA);
    ASSERT_TRUE(quiet.has_value()) << quiet.error().toString().toStdString();
    EXPECT_EQ(quiet->noticeId, 0);
    ASSERT_TRUE(m_service->end(quiet->session, ImpersonationEnd::Closed).has_value());

    // The setting off: no notice either.
    SettingsService settings(db(), m_clock, *m_access);
    Result<SettingsService::Versioned> current = settings.settings(*m_world.admin);
    ASSERT_TRUE(current.has_value());
    DomainSettings off = current->settings;
    off.notifyClientOnLoginAs = false;
    ASSERT_TRUE(settings.save(*m_world.admin, off, current->version).has_value());
    Result<LoginAsStarted> unannounced = start(*m_world.admin, m_world.customerB);
    ASSERT_TRUE(unannounced.has_value());
    EXPECT_EQ(unannounced->noticeId, 0);
    EXPECT_EQ(
        count(QStringLiteral("SELECT count(*) FROM outbox WHERE kind = 'login_as_notice'")), 1);
}

TEST_P(ImpersonationServiceTest, DeactivatedCustomerCanBeViewedAndSaysSo)
{
    ASSERT_TRUE(testDatabase()
                    .execRaw(QStringLiteral("UPDATE customers SET active = FALSE WHERE id = %1")
                                 .arg(m_world.customerA))
                    .has_value());
    Result<LoginAsStarted> started = start(*m_world.support, m_world.customerA);
    ASSERT_TRUE(started.has_value()) << started.error().toString().toStdString();
    EXPECT_FALSE(started->customerActive);
}

TEST_P(ImpersonationServiceTest, DeactivatedClientUserCannotBeOpened)
{
    Result<MembershipRow> row
        = UserRepository(db()).findMembership(m_world.clientUser->membershipId());
    ASSERT_TRUE(row.has_value());
    ASSERT_TRUE(UserRepository(db()).setMembershipActive(row->id, row->version, false).has_value());
    Result<LoginAsStarted> started
        = start(*m_world.admin, m_world.customerA, m_world.clientUser->membershipId());
    ASSERT_FALSE(started.has_value());
    EXPECT_EQ(started.error().code(), ErrorCode::PermissionDenied);
    EXPECT_TRUE(started.error().message().contains(QStringLiteral("deactivated")));
}

// Migration 0002: a session row is evidence; only its end may be set, once.
TEST_P(ImpersonationServiceTest, DatabaseLetsOnlyTheEndBeSetOnce)
{
    Result<LoginAsStarted> started = start(*m_world.admin, m_world.customerA);
    ASSERT_TRUE(started.has_value());
    const QString id = QString::number(started->impersonationId);

    QSqlQuery q(db().connection());
    EXPECT_FALSE(q.exec(QStringLiteral("UPDATE impersonation_sessions SET reason = 'forged', "
                                       "version = version + 1 WHERE id = ")
        + id))
        << "the reason cannot change";
    EXPECT_FALSE(q.exec(
        QStringLiteral("UPDATE impersonation_sessions SET expires_at = expires_at + 3600000, "
                       "version = version + 1 WHERE id = ")
        + id))
        << "the limit cannot be extended";
    EXPECT_FALSE(q.exec(QStringLiteral("DELETE FROM impersonation_sessions WHERE id = ") + id));
    if (GetParam() == Backend::PostgreSQL) {
        EXPECT_FALSE(q.exec(QStringLiteral("TRUNCATE impersonation_sessions CASCADE")));
    }

    ASSERT_TRUE(m_service->end(started->session, ImpersonationEnd::Closed).has_value());
    EXPECT_FALSE(q.exec(QStringLiteral("UPDATE impersonation_sessions SET ended_at = ended_at + 1, "
                                       "end_reason = 'expired', version = version + 1 WHERE id = ")
        + id))
        << "the end is set once";
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM impersonation_sessions WHERE reason = "
                                   "'Ticket 4711: the client sees no usage' AND end_reason = "
                                   "'closed'")),
        1);
}

RD_INSTANTIATE_FOR_BACKENDS(ImpersonationServiceTest);
