#include <latch>
#include <thread>

#include <QSet>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include "MatrixTable.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Role.h"
#include "mail/MessageComposer.h"
#include "security/OneTimeCode.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/ImpersonationService.h"
#include "services/UserService.h"
#include "storage/ResellerRepository.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The test's own copy of the section 3 row this service implements. A wrong
// permission table in the code cannot make this copy wrong too.
const char *const MatrixRows = R"(
| action | Admin | Support | Reseller Admin | Reseller Manager | Reseller User | Client Admin | Client User |
|---|---|---|---|---|---|---|---|
| manage users | all | – | own portal | own portal | – | own account | – |
)";

const QList<Role> &Columns = matrixColumns();

QString cell(const char *action, Role role)
{
    return matrixCell(MatrixRows, action, role);
}

std::string describe(const Error &error)
{
    return error.toString().toStdString();
}

struct OutboxMessage
{
    QString kind;
    QString recipient;
    QString body;
    QString secret;
    bool secretIsNull = true;
    qint64 userId = 0;
    qint64 resellerId = 0;
    qint64 customerId = 0;
};

class UserServiceTest : public DatabaseTest
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
        m_access = std::make_unique<AccessControl>(db(), m_clock);
        m_service = std::make_unique<UserService>(db(), m_clock, *m_access);
    }

    static NewUser newUser(const QString &email, Role role, qint64 contextId)
    {
        NewUser u;
        u.email = email;
        u.displayName = QStringLiteral("Ada Lovelace");
        u.role = role;
        u.contextId = contextId;
        return u;
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

    qint64 count(const char *table)
    {
        return scalar(QStringLiteral("SELECT count(*) FROM ") + QString::fromLatin1(table));
    }

    // Every row a refused call could have touched, and every membership
    // version (a refused (de)activation must not bump one).
    QList<qint64> footprint()
    {
        return {count("users"), count("memberships"), count("outbox"), count("audit_events"),
            scalar(QStringLiteral("SELECT coalesce(sum(version), 0) FROM memberships")),
            scalar(QStringLiteral("SELECT count(*) FROM memberships WHERE active = ?"), {true})};
    }

    MembershipRow membership(qint64 id)
    {
        Result<MembershipRow> m = UserRepository(db()).findMembership(id);
        EXPECT_TRUE(m.has_value()) << describe(m.error());
        return m.value_or(MembershipRow {});
    }

    OutboxMessage outbox(qint64 id)
    {
        QSqlQuery q(db().connection());
        EXPECT_TRUE(q.prepare(QStringLiteral(
            "SELECT kind, recipient, body, secret, user_id, reseller_id, customer_id FROM outbox "
            "WHERE id = ?")));
        q.addBindValue(id);
        EXPECT_TRUE(q.exec());
        OutboxMessage m;
        if (!q.next()) {
            ADD_FAILURE() << "no outbox row " << id;
            return m;
        }
        m.kind = q.value(0).toString();
        m.recipient = q.value(1).toString();
        m.body = q.value(2).toString();
        m.secret = q.value(3).toString();
        m.secretIsNull = q.value(3).isNull();
        m.userId = q.value(4).toLongLong();
        m.resellerId = q.isNull(5) ? 0 : q.value(5).toLongLong();
        m.customerId = q.isNull(6) ? 0 : q.value(6).toLongLong();
        return m;
    }

    QSet<qint64> listedMemberships(const Session &session)
    {
        Result<QList<UserListRow>> rows = m_service->listUsers(session);
        EXPECT_TRUE(rows.has_value()) << describe(rows.error());
        QSet<qint64> ids;
        if (rows) {
            for (const UserListRow &row : *rows)
                ids.insert(row.membershipId);
            EXPECT_EQ(ids.size(), rows->size()) << "one row per membership";
        }
        return ids;
    }

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<UserService> m_service;
};

} // namespace

TEST_P(UserServiceTest, AddUserFollowsTheMatrixAndTheScope)
{
    int n = 0;
    auto email = [&n] { return QStringLiteral("new%1@matrix.test").arg(++n); };
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("manage users", role);
        const Session &session = m_world.as(role);

        if (expected == QLatin1String("all")) {
            // Any context, including ones that are nobody's home here.
            for (const auto &[granted, context] :
                QList<std::pair<Role, qint64>> {{Role::ResellerUser, m_world.resellerB},
                    {Role::ClientUser, m_world.customerB}, {Role::ClientAdmin, m_world.customerA1},
                    {Role::Support, 0}, {Role::ResellerAdmin, m_world.resellerA}}) {
                Result<AddedUser> added
                    = m_service->addUser(session, newUser(email(), granted, context));
                ASSERT_TRUE(added.has_value()) << describe(added.error());
                EXPECT_FALSE(added->existingUser);
            }
        } else if (expected == QLatin1String("own portal")) {
            Result<AddedUser> own = m_service->addUser(
                session, newUser(email(), Role::ResellerUser, m_world.resellerA));
            ASSERT_TRUE(own.has_value()) << describe(own.error());
            EXPECT_EQ(membership(own->membershipId).resellerId, m_world.resellerA);

            const QList<qint64> before = footprint();
            Result<AddedUser> otherPortal = m_service->addUser(
                session, newUser(email(), Role::ResellerUser, m_world.resellerB));
            ASSERT_FALSE(otherPortal.has_value());
            EXPECT_EQ(otherPortal.error().code(), ErrorCode::NotFound) << "not revealed";
            Result<AddedUser> subPortal = m_service->addUser(
                session, newUser(email(), Role::ResellerUser, m_world.resellerA1));
            ASSERT_FALSE(subPortal.has_value());
            EXPECT_EQ(subPortal.error().code(), ErrorCode::NotFound);
            // A customer in the portal's scope is not the portal.
            Result<AddedUser> client = m_service->addUser(
                session, newUser(email(), Role::ClientUser, m_world.customerA));
            ASSERT_FALSE(client.has_value());
            EXPECT_EQ(client.error().code(), ErrorCode::PermissionDenied);
            EXPECT_EQ(footprint(), before) << "a refused call writes nothing";
        } else if (expected == QLatin1String("own account")) {
            Result<AddedUser> own = m_service->addUser(
                session, newUser(email(), Role::ClientUser, m_world.customerA));
            ASSERT_TRUE(own.has_value()) << describe(own.error());
            EXPECT_EQ(membership(own->membershipId).customerId, m_world.customerA);

            const QList<qint64> before = footprint();
            Result<AddedUser> otherAccount = m_service->addUser(
                session, newUser(email(), Role::ClientUser, m_world.customerB));
            ASSERT_FALSE(otherAccount.has_value());
            EXPECT_EQ(otherAccount.error().code(), ErrorCode::NotFound) << "not revealed";
            EXPECT_EQ(footprint(), before) << "a refused call writes nothing";
        } else if (expected == QString::fromUtf8("–")) {
            const QList<qint64> before = footprint();
            for (const auto &[granted, context] :
                QList<std::pair<Role, qint64>> {{Role::ClientUser, m_world.customerA},
                    {Role::ResellerUser, m_world.resellerA}}) {
                Result<AddedUser> refused
                    = m_service->addUser(session, newUser(email(), granted, context));
                ASSERT_FALSE(refused.has_value());
                EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
            }
            EXPECT_EQ(footprint(), before) << "a refused call writes nothing";
        } else {
            ADD_FAILURE() << "unknown cell " << expected.toStdString();
        }
    }
}

TEST_P(UserServiceTest, ListUsersFollowsTheMatrixAndTheScope)
{
    const TestWorld &w = m_world;
    const QSet<qint64> all {w.admin->membershipId(), w.support->membershipId(),
        w.resellerAdmin->membershipId(), w.resellerManager->membershipId(),
        w.resellerUser->membershipId(), w.resellerAdminB->membershipId(),
        w.resellerAdminA1->membershipId(), w.resellerAdminC->membershipId(),
        w.clientAdmin->membershipId(), w.clientUser->membershipId()};
    const QSet<qint64> ownPortal {w.resellerAdmin->membershipId(),
        w.resellerManager->membershipId(), w.resellerUser->membershipId()};
    const QSet<qint64> ownAccount {w.clientAdmin->membershipId(), w.clientUser->membershipId()};
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("manage users", role);
        if (expected == QLatin1String("all")) {
            EXPECT_EQ(listedMemberships(m_world.as(role)), all);
        } else if (expected == QLatin1String("own portal")) {
            EXPECT_EQ(listedMemberships(m_world.as(role)), ownPortal);
        } else if (expected == QLatin1String("own account")) {
            EXPECT_EQ(listedMemberships(m_world.as(role)), ownAccount);
        } else if (expected == QString::fromUtf8("–")) {
            Result<QList<UserListRow>> refused = m_service->listUsers(m_world.as(role));
            ASSERT_FALSE(refused.has_value());
            EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
        } else {
            ADD_FAILURE() << "unknown cell " << expected.toStdString();
        }
    }
    // Other portals see their own users only; a parent not its sub-portal's.
    EXPECT_EQ(
        listedMemberships(*w.resellerAdminB), QSet<qint64> {w.resellerAdminB->membershipId()});
    EXPECT_EQ(
        listedMemberships(*w.resellerAdminA1), QSet<qint64> {w.resellerAdminA1->membershipId()});
}

TEST_P(UserServiceTest, SetMembershipActiveFollowsTheMatrixAndTheScope)
{
    const TestWorld &w = m_world;
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("manage users", role);
        const Session &session = m_world.as(role);

        qint64 inScope = 0;
        QList<qint64> outOfScope;
        if (expected == QLatin1String("all")) {
            inScope = w.resellerAdminB->membershipId();
        } else if (expected == QLatin1String("own portal")) {
            inScope = w.resellerUser->membershipId();
            outOfScope = {w.resellerAdminB->membershipId(), w.resellerAdminA1->membershipId(),
                w.clientUser->membershipId()};
        } else if (expected == QLatin1String("own account")) {
            inScope = w.clientUser->membershipId();
            outOfScope = {w.resellerUser->membershipId(), w.support->membershipId()};
        } else if (expected == QString::fromUtf8("–")) {
            outOfScope = {w.clientUser->membershipId(), w.resellerUser->membershipId()};
        } else {
            ADD_FAILURE() << "unknown cell " << expected.toStdString();
            continue;
        }

        if (inScope != 0) {
            const int version = membership(inScope).version;
            Result<int> off = m_service->setMembershipActive(
                session, inScope, version, false, QStringLiteral("matrix test"));
            ASSERT_TRUE(off.has_value()) << describe(off.error());
            EXPECT_EQ(*off, version + 1);
            EXPECT_FALSE(membership(inScope).active);
            Result<int> on = m_service->setMembershipActive(session, inScope, *off, true, {});
            ASSERT_TRUE(on.has_value()) << describe(on.error());
            EXPECT_EQ(*on, version + 2);
            EXPECT_TRUE(membership(inScope).active);
        }

        const QList<qint64> before = footprint();
        for (qint64 target : outOfScope) {
            Result<int> refused = m_service->setMembershipActive(
                session, target, membership(target).version, false, QStringLiteral("no"));
            ASSERT_FALSE(refused.has_value()) << "membership " << target;
            EXPECT_EQ(refused.error().code(),
                expected == QString::fromUtf8("–") ? ErrorCode::PermissionDenied
                                                   : ErrorCode::NotFound)
                << "membership " << target;
        }
        EXPECT_EQ(footprint(), before) << "a refused call writes nothing";
    }
}

TEST_P(UserServiceTest, RolesCanOnlyBeGrantedUpToTheActorsOwn)
{
    const QList<qint64> before = footprint();

    Result<AddedUser> managerAddsAdmin = m_service->addUser(*m_world.resellerManager,
        newUser(QStringLiteral("boss@a.test"), Role::ResellerAdmin, m_world.resellerA));
    ASSERT_FALSE(managerAddsAdmin.has_value());
    EXPECT_EQ(managerAddsAdmin.error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(managerAddsAdmin.error().field(), QStringLiteral("role"));

    for (qint64 context : {m_world.resellerA, qint64 {0}}) {
        Result<AddedUser> clientAddsReseller = m_service->addUser(*m_world.clientAdmin,
            newUser(QStringLiteral("rep@a.test"), Role::ResellerUser, context));
        ASSERT_FALSE(clientAddsReseller.has_value());
        EXPECT_EQ(clientAddsReseller.error().code(), ErrorCode::PermissionDenied);
    }

    for (Role actor : Columns) {
        if (actor == Role::Administrator)
            continue;
        SCOPED_TRACE(roleKey(actor).toStdString());
        for (Role vendor : {Role::Administrator, Role::Support}) {
            Result<AddedUser> refused = m_service->addUser(
                m_world.as(actor), newUser(QStringLiteral("staff@vendor.test"), vendor, 0));
            ASSERT_FALSE(refused.has_value());
            EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
        }
    }
    EXPECT_EQ(footprint(), before) << "refused calls write nothing";

    // Equal is allowed; administrators grant the vendor roles.
    EXPECT_TRUE(m_service->addUser(*m_world.resellerManager,
        newUser(QStringLiteral("peer@a.test"), Role::ResellerManager, m_world.resellerA)));
    EXPECT_TRUE(m_service->addUser(
        *m_world.admin, newUser(QStringLiteral("staff@vendor.test"), Role::Support, 0)));
    EXPECT_TRUE(m_service->addUser(
        *m_world.admin, newUser(QStringLiteral("root@vendor.test"), Role::Administrator, 0)));
}

TEST_P(UserServiceTest, TheSameEmailGetsASecondMembershipNotASecondUser)
{
    Result<AddedUser> first = m_service->addUser(*m_world.resellerAdmin,
        newUser(QStringLiteral("Dana.Scully@Example.test"), Role::ResellerUser, m_world.resellerA));
    ASSERT_TRUE(first.has_value()) << describe(first.error());
    EXPECT_FALSE(first->existingUser);
    const qint64 users = count("users");

    NewUser again = newUser(
        QStringLiteral("  dana.scully@EXAMPLE.TEST "), Role::ResellerManager, m_world.resellerB);
    again.displayName = QStringLiteral("Someone else");
    Result<AddedUser> second = m_service->addUser(*m_world.resellerAdminB, again);
    ASSERT_TRUE(second.has_value()) << describe(second.error());
    EXPECT_TRUE(second->existingUser);
    EXPECT_EQ(second->userId, first->userId);
    EXPECT_NE(second->membershipId, first->membershipId);
    EXPECT_EQ(count("users"), users) << "no second user";
    Result<UserRow> user = UserRepository(db()).find(first->userId);
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(user->displayName, QStringLiteral("Ada Lovelace")) << "the login keeps its name";
    EXPECT_EQ(user->email, QStringLiteral("Dana.Scully@Example.test")) << "stored as typed";
    Result<QList<MembershipRow>> memberships = UserRepository(db()).memberships(first->userId);
    ASSERT_TRUE(memberships.has_value());
    ASSERT_EQ(memberships->size(), 2);
    EXPECT_EQ(memberships->at(1).role, Role::ResellerManager);
    EXPECT_EQ(memberships->at(1).resellerId, m_world.resellerB);

    // Each portal lists only its own membership of the person.
    EXPECT_TRUE(listedMemberships(*m_world.resellerAdminB).contains(second->membershipId));
    EXPECT_FALSE(listedMemberships(*m_world.resellerAdminB).contains(first->membershipId));
    EXPECT_TRUE(listedMemberships(*m_world.admin).contains(first->membershipId));

    // The same context twice is refused, with any role.
    const QList<qint64> before = footprint();
    Result<AddedUser> twice = m_service->addUser(*m_world.resellerAdminB,
        newUser(QStringLiteral("DANA.scully@example.test"), Role::ResellerUser, m_world.resellerB));
    ASSERT_FALSE(twice.has_value());
    EXPECT_EQ(twice.error().code(), ErrorCode::Duplicate);
    EXPECT_TRUE(twice.error().message().contains(QStringLiteral("already")))
        << describe(twice.error());
    EXPECT_EQ(footprint(), before);

    // A deactivated membership still counts; the message says to reactivate.
    const MembershipRow inB = membership(second->membershipId);
    ASSERT_TRUE(m_service->setMembershipActive(
        *m_world.resellerAdminB, inB.id, inB.version, false, QStringLiteral("on leave")));
    Result<AddedUser> deactivated = m_service->addUser(*m_world.resellerAdminB,
        newUser(QStringLiteral("dana.scully@example.test"), Role::ResellerUser, m_world.resellerB));
    ASSERT_FALSE(deactivated.has_value());
    EXPECT_EQ(deactivated.error().code(), ErrorCode::Duplicate);
    EXPECT_TRUE(deactivated.error().message().contains(QStringLiteral("Reactivate")))
        << describe(deactivated.error());

    // Rule 1: +tag is a different address, so a different login.
    Result<AddedUser> tagged = m_service->addUser(*m_world.resellerAdmin,
        newUser(
            QStringLiteral("dana.scully+b@example.test"), Role::ResellerUser, m_world.resellerA));
    ASSERT_TRUE(tagged.has_value()) << describe(tagged.error());
    EXPECT_FALSE(tagged->existingUser);
    EXPECT_NE(tagged->userId, first->userId);
    EXPECT_EQ(count("users"), users + 1);
}

TEST_P(UserServiceTest, NewUserInvitationCarriesTheCodeOnlyInTheSecretColumn)
{
    Result<AddedUser> added = m_service->addUser(*m_world.admin,
        newUser(QStringLiteral("Erin@Example.test"), Role::ClientUser, m_world.customerB));
    ASSERT_TRUE(added.has_value()) << describe(added.error());
    ASSERT_NE(added->invitationId, 0);

    const OutboxMessage mail = outbox(added->invitationId);
    EXPECT_EQ(mail.kind, QStringLiteral("invitation"));
    EXPECT_EQ(mail.recipient, QStringLiteral("Erin@Example.test"));
    EXPECT_EQ(mail.userId, added->userId);
    EXPECT_EQ(mail.customerId, m_world.customerB);
    EXPECT_EQ(mail.resellerId, 0);
    EXPECT_TRUE(mail.body.contains(MessageComposer::secretPlaceholder()));
    EXPECT_TRUE(mail.body.contains(QStringLiteral("Bravo"))) << "names the account";
    EXPECT_GE(mail.secret.size(), 26);
    EXPECT_FALSE(mail.body.contains(mail.secret));

    Result<UserRow> user = UserRepository(db()).find(added->userId);
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(user->setupCodeHash, OneTimeCode::hashOf(mail.secret));
    EXPECT_EQ(user->setupCodeExpiresAt, testNow().addDays(OneTimeCode::ValidityDays));
    EXPECT_TRUE(user->mustChangePassword);
    EXPECT_TRUE(user->passwordHash.isEmpty());
    EXPECT_EQ(user->createdBy, m_world.admin->userId());

    // Rule 12: user.create and membership.create, one batch, no secret.
    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.prepare(QStringLiteral(
        "SELECT action, entity_id, batch_id, actor_user_id, customer_id, "
        "coalesce(after_json, '') FROM audit_events WHERE action IN (?, ?) ORDER BY id")));
    audit.addBindValue(QStringLiteral("user.create"));
    audit.addBindValue(QStringLiteral("membership.create"));
    ASSERT_TRUE(audit.exec());
    QStringList actions;
    QList<qint64> entities;
    QSet<QString> batches;
    while (audit.next()) {
        actions << audit.value(0).toString();
        entities << audit.value(1).toLongLong();
        batches << audit.value(2).toString();
        EXPECT_EQ(audit.value(3).toLongLong(), m_world.admin->userId());
        EXPECT_EQ(audit.value(4).toLongLong(), m_world.customerB);
        EXPECT_FALSE(audit.value(5).toString().contains(mail.secret));
    }
    EXPECT_EQ(actions,
        (QStringList {QStringLiteral("user.create"), QStringLiteral("membership.create")}));
    EXPECT_EQ(entities, (QList<qint64> {added->userId, added->membershipId}));
    EXPECT_EQ(batches.size(), 1);
    EXPECT_FALSE(batches.contains(QString()));
}

TEST_P(UserServiceTest, ExistingUserInvitationHasNoCodeAndKeepsTheirPassword)
{
    Result<AddedUser> first = m_service->addUser(*m_world.admin,
        newUser(QStringLiteral("frank@example.test"), Role::ClientUser, m_world.customerB));
    ASSERT_TRUE(first.has_value());
    const QString hashBefore = UserRepository(db()).find(first->userId)->setupCodeHash;
    const qint64 auditBefore = count("audit_events");

    Result<AddedUser> second = m_service->addUser(*m_world.resellerAdmin,
        newUser(QStringLiteral("Frank@example.test"), Role::ResellerUser, m_world.resellerA));
    ASSERT_TRUE(second.has_value()) << describe(second.error());
    ASSERT_TRUE(second->existingUser);
    ASSERT_NE(second->invitationId, 0);

    const OutboxMessage mail = outbox(second->invitationId);
    EXPECT_EQ(mail.kind, QStringLiteral("invitation"));
    EXPECT_EQ(mail.recipient, QStringLiteral("frank@example.test")) << "the login as stored";
    EXPECT_EQ(mail.resellerId, m_world.resellerA);
    EXPECT_TRUE(mail.secretIsNull) << "no code for an existing login";
    EXPECT_FALSE(mail.body.contains(MessageComposer::secretPlaceholder()));
    const QString portal = ResellerRepository(db()).find(m_world.resellerA)->name;
    EXPECT_TRUE(mail.body.contains(portal)) << mail.body.toStdString();
    EXPECT_EQ(UserRepository(db()).find(first->userId)->setupCodeHash, hashBefore);

    EXPECT_EQ(count("audit_events"), auditBefore + 1) << "membership.create only";
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM audit_events WHERE action = ? "
                                    "AND entity_id = ? AND reseller_id = ?"),
                  {QStringLiteral("membership.create"), second->membershipId, m_world.resellerA}),
        1);
}

TEST_P(UserServiceTest, WithoutInvitationNothingIsQueued)
{
    const qint64 mails = count("outbox");
    NewUser quiet
        = newUser(QStringLiteral("quiet@example.test"), Role::ClientUser, m_world.customerA);
    quiet.sendInvitation = false;
    Result<AddedUser> added = m_service->addUser(*m_world.clientAdmin, quiet);
    ASSERT_TRUE(added.has_value()) << describe(added.error());
    EXPECT_EQ(added->invitationId, 0);
    EXPECT_EQ(count("outbox"), mails);
    Result<UserRow> user = UserRepository(db()).find(added->userId);
    ASSERT_TRUE(user.has_value());
    EXPECT_TRUE(user->setupCodeHash.isEmpty());
    EXPECT_FALSE(user->setupCodeExpiresAt.isValid());

    // Also for a membership added to an existing login.
    NewUser existing
        = newUser(QStringLiteral("QUIET@example.test"), Role::ResellerUser, m_world.resellerA);
    existing.sendInvitation = false;
    Result<AddedUser> more = m_service->addUser(*m_world.resellerAdmin, existing);
    ASSERT_TRUE(more.has_value()) << describe(more.error());
    EXPECT_TRUE(more->existingUser);
    EXPECT_EQ(more->invitationId, 0);
    EXPECT_EQ(count("outbox"), mails);
}

TEST_P(UserServiceTest, LoginAsRefusesUserManagementChanges)
{
    // A real Login As session: AccessControl refuses one that is not recorded.
    AccessControl access(db(), m_clock);
    Result<LoginAsStarted> started
        = ImpersonationService(db(), m_clock, access)
              .start(*m_world.support, m_world.customerA, m_world.clientAdmin->membershipId(),
                  QStringLiteral("Ticket 12"));
    ASSERT_TRUE(started.has_value()) << describe(started.error());
    const Session impersonated = started->session;
    const QList<qint64> before = footprint();

    Result<AddedUser> add = m_service->addUser(impersonated,
        newUser(QStringLiteral("sneaky@example.test"), Role::ClientUser, m_world.customerA));
    ASSERT_FALSE(add.has_value());
    EXPECT_EQ(add.error().code(), ErrorCode::PermissionDenied);
    EXPECT_TRUE(add.error().message().contains(QStringLiteral("Login As")))
        << describe(add.error());

    const MembershipRow target = membership(m_world.clientUser->membershipId());
    Result<int> deactivate = m_service->setMembershipActive(
        impersonated, target.id, target.version, false, QStringLiteral("because"));
    ASSERT_FALSE(deactivate.has_value());
    EXPECT_EQ(deactivate.error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(footprint(), before);

    // Reading is not a change.
    EXPECT_TRUE(m_service->listUsers(impersonated).has_value());
    // The same client admin, signed in as themselves, may do both.
    EXPECT_TRUE(m_service->addUser(*m_world.clientAdmin,
        newUser(QStringLiteral("sneaky@example.test"), Role::ClientUser, m_world.customerA)));
}

TEST_P(UserServiceTest, DeactivateIsAuditedWithItsReasonAndEndsTheMembershipsUse)
{
    const Session &actor = *m_world.resellerAdmin;
    const qint64 id = m_world.resellerUser->membershipId();
    const MembershipRow before = membership(id);

    Result<int> missingReason
        = m_service->setMembershipActive(actor, id, before.version, false, QStringLiteral("   "));
    ASSERT_FALSE(missingReason.has_value());
    EXPECT_EQ(missingReason.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(missingReason.error().field(), QStringLiteral("reason"));

    Result<int> off = m_service->setMembershipActive(
        actor, id, before.version, false, QStringLiteral("  Left the company "));
    ASSERT_TRUE(off.has_value()) << describe(off.error());
    EXPECT_EQ(*off, before.version + 1);

    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.prepare(
        QStringLiteral("SELECT action, entity_type, entity_id, reason, actor_user_id, "
                       "actor_membership_id, reseller_id FROM audit_events ORDER BY id DESC")));
    ASSERT_TRUE(audit.exec());
    ASSERT_TRUE(audit.next());
    EXPECT_EQ(audit.value(0).toString(), QStringLiteral("membership.deactivate"));
    EXPECT_EQ(audit.value(1).toString(), QStringLiteral("membership"));
    EXPECT_EQ(audit.value(2).toLongLong(), id);
    EXPECT_EQ(audit.value(3).toString(), QStringLiteral("Left the company"));
    EXPECT_EQ(audit.value(4).toLongLong(), actor.userId());
    EXPECT_EQ(audit.value(5).toLongLong(), actor.membershipId());
    EXPECT_EQ(audit.value(6).toLongLong(), m_world.resellerA);

    // Rule 11: kept, not deleted, but no longer usable; listed as inactive.
    EXPECT_EQ(count("memberships"), 10);
    Result<QList<UsableMembershipRow>> usable
        = UserRepository(db()).usableMemberships(m_world.resellerUser->userId());
    ASSERT_TRUE(usable.has_value());
    EXPECT_TRUE(usable->isEmpty());
    Result<QList<UserListRow>> rows = m_service->listUsers(actor);
    ASSERT_TRUE(rows.has_value());
    const auto row = std::find_if(
        rows->cbegin(), rows->cend(), [id](const UserListRow &r) { return r.membershipId == id; });
    ASSERT_NE(row, rows->cend());
    EXPECT_FALSE(row->active);
    EXPECT_EQ(row->membershipVersion, *off);

    // Asking again for the same state writes nothing.
    const qint64 events = count("audit_events");
    EXPECT_EQ(m_service->setMembershipActive(actor, id, *off, false, QStringLiteral("again"))
                  .value_or(-1),
        *off);
    EXPECT_EQ(count("audit_events"), events);

    Result<int> on = m_service->setMembershipActive(actor, id, *off, true, {});
    ASSERT_TRUE(on.has_value()) << describe(on.error());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM audit_events WHERE action = ? "
                                    "AND entity_id = ?"),
                  {QStringLiteral("membership.activate"), id}),
        1);
    EXPECT_EQ(UserRepository(db()).usableMemberships(m_world.resellerUser->userId())->size(), 1);
}

TEST_P(UserServiceTest, OwnAndHigherMembershipsAreRefused)
{
    const QList<qint64> before = footprint();
    for (const Session *actor : {&*m_world.admin, &*m_world.resellerAdmin,
             &*m_world.resellerManager, &*m_world.clientAdmin}) {
        SCOPED_TRACE(roleKey(actor->role()).toStdString());
        Result<int> own = m_service->setMembershipActive(
            *actor, actor->membershipId(), 1, false, QStringLiteral("me"));
        ASSERT_FALSE(own.has_value());
        EXPECT_EQ(own.error().code(), ErrorCode::PermissionDenied);
    }
    Result<int> higher = m_service->setMembershipActive(*m_world.resellerManager,
        m_world.resellerAdmin->membershipId(), 1, false, QStringLiteral("coup"));
    ASSERT_FALSE(higher.has_value());
    EXPECT_EQ(higher.error().code(), ErrorCode::PermissionDenied);
    Result<int> missing
        = m_service->setMembershipActive(*m_world.admin, 987654, 1, false, QStringLiteral("ghost"));
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
    EXPECT_EQ(footprint(), before);

    // The same rank is allowed: an administrator deactivates another one.
    Result<AddedUser> second = m_service->addUser(
        *m_world.admin, newUser(QStringLiteral("root@vendor.test"), Role::Administrator, 0));
    ASSERT_TRUE(second.has_value());
    EXPECT_TRUE(m_service->setMembershipActive(
        *m_world.admin, second->membershipId, 1, false, QStringLiteral("duplicate account")));
}

TEST_P(UserServiceTest, AConcurrentChangeFromAnotherDesktopIsAConflict)
{
    const qint64 id = m_world.clientUser->membershipId();
    const int read = membership(id).version;

    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value()) << describe(other.error());
    AccessControl otherAccess(**other);
    UserService otherDesk(**other, m_clock, otherAccess);
    Result<int> theirs = otherDesk.setMembershipActive(
        *m_world.admin, id, read, false, QStringLiteral("their change"));
    ASSERT_TRUE(theirs.has_value()) << describe(theirs.error());

    const QList<qint64> before = footprint();
    Result<int> mine = m_service->setMembershipActive(
        *m_world.clientAdmin, id, read, false, QStringLiteral("my change"));
    ASSERT_FALSE(mine.has_value());
    EXPECT_EQ(mine.error().code(), ErrorCode::Conflict);
    EXPECT_TRUE(mine.error().message().contains(QStringLiteral("someone else")));
    EXPECT_EQ(footprint(), before);

    // With the version read again it applies.
    Result<int> reloaded
        = m_service->setMembershipActive(*m_world.clientAdmin, id, *theirs, true, {});
    ASSERT_TRUE(reloaded.has_value()) << describe(reloaded.error());
    EXPECT_EQ(*reloaded, *theirs + 1);
}

TEST_P(UserServiceTest, TwoDesktopsAddingTheSameNewLoginMakeOneUser)
{
    for (int round = 0; round < 4; ++round) {
        SCOPED_TRACE(round);
        const QString email = QStringLiteral("race%1@example.test").arg(round);
        std::latch start(2);
        auto attempt = [&](qint64 resellerId) {
            Result<std::unique_ptr<Database>> own = testDatabase().open();
            start.arrive_and_wait();
            if (!own)
                return Result<AddedUser>(fail(own.error()));
            AccessControl access(**own);
            UserService service(**own, m_clock, access);
            return service.addUser(*m_world.admin, newUser(email, Role::ResellerUser, resellerId));
        };
        Result<AddedUser> first = fail(ErrorCode::DatabaseError, QString());
        Result<AddedUser> second = fail(ErrorCode::DatabaseError, QString());
        std::thread a([&] { first = attempt(m_world.resellerA); });
        std::thread b([&] { second = attempt(m_world.resellerB); });
        a.join();
        b.join();
        ASSERT_TRUE(first.has_value()) << describe(first.error());
        ASSERT_TRUE(second.has_value()) << describe(second.error());
        EXPECT_EQ(first->userId, second->userId);
        EXPECT_NE(first->existingUser, second->existingUser) << "one created the login";
    }
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM users WHERE email_key LIKE ?"),
                  {QStringLiteral("race%")}),
        4);
}

TEST_P(UserServiceTest, TheContextMustExistBeActiveAndFitTheRole)
{
    const QList<qint64> before = footprint();
    auto refused = [&](const Session &s, const NewUser &u, ErrorCode code, const char *field) {
        Result<AddedUser> r = m_service->addUser(s, u);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code(), code) << describe(r.error());
        EXPECT_EQ(r.error().field(), QString::fromLatin1(field)) << describe(r.error());
    };
    const QString email = QStringLiteral("ctx@example.test");
    refused(*m_world.admin, newUser(email, Role::ResellerUser, 987654), ErrorCode::NotFound, "");
    refused(*m_world.admin, newUser(email, Role::ClientUser, 987654), ErrorCode::NotFound, "");
    refused(*m_world.admin, newUser(email, Role::ResellerUser, 0), ErrorCode::InvalidInput,
        "contextId");
    refused(*m_world.admin, newUser(email, Role::Support, m_world.resellerA),
        ErrorCode::InvalidInput, "contextId");

    QSqlQuery deactivate(db().connection());
    ASSERT_TRUE(deactivate.prepare(QStringLiteral("UPDATE resellers SET active = ? WHERE id = ?")));
    deactivate.addBindValue(false);
    deactivate.addBindValue(m_world.resellerB);
    ASSERT_TRUE(deactivate.exec());
    refused(*m_world.admin, newUser(email, Role::ResellerUser, m_world.resellerB),
        ErrorCode::InvalidInput, "contextId");
    refused(*m_world.resellerAdminB, newUser(email, Role::ResellerUser, m_world.resellerB),
        ErrorCode::InvalidInput, "contextId");
    EXPECT_EQ(footprint(), before);

    // 0 with a role of the actor's own kind of context means that context.
    Result<AddedUser> own
        = m_service->addUser(*m_world.resellerAdmin, newUser(email, Role::ResellerUser, 0));
    ASSERT_TRUE(own.has_value()) << describe(own.error());
    EXPECT_EQ(membership(own->membershipId).resellerId, m_world.resellerA);
}

TEST_P(UserServiceTest, BadInputGetsAClearErrorOnItsFieldAndChangesNothing)
{
    struct Case
    {
        const char *field;
        NewUser input;
    };
    const qint64 a = m_world.resellerA;
    QList<Case> cases {
        {"email", newUser(QStringLiteral("not-an-address"), Role::ResellerUser, a)},
        {"email", newUser(QStringLiteral("joe@localhost"), Role::ResellerUser, a)},
        {"displayName", newUser(QStringLiteral("joe@example.test"), Role::ResellerUser, a)},
        {"displayName", newUser(QStringLiteral("joe@example.test"), Role::ResellerUser, a)},
    };
    cases[2].input.displayName = QStringLiteral("   ");
    cases[3].input.displayName = QString(201, QLatin1Char('x'));
    const QList<qint64> before = footprint();
    for (const Case &c : cases) {
        SCOPED_TRACE(c.field);
        Result<AddedUser> refused = m_service->addUser(*m_world.resellerAdmin, c.input);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(refused.error().field(), QString::fromLatin1(c.field));
        EXPECT_FALSE(refused.error().message().isEmpty());
    }
    EXPECT_EQ(footprint(), before);
}

TEST_P(UserServiceTest, ListRowsDescribeTheUserAndTheMembership)
{
    Result<AddedUser> added = m_service->addUser(*m_world.admin,
        newUser(QStringLiteral("Grace@Example.test"), Role::ResellerManager, m_world.resellerA));
    ASSERT_TRUE(added.has_value());
    UserRepository users(db());
    ASSERT_TRUE(users.recordSuccessfulSignIn(added->userId, testNow().addSecs(60)));
    ASSERT_TRUE(users.setLockedUntil(added->userId, testNow().addSecs(900)));

    Result<QList<UserListRow>> rows = m_service->listUsers(*m_world.resellerManager);
    ASSERT_TRUE(rows.has_value()) << describe(rows.error());
    const auto row = std::find_if(rows->cbegin(), rows->cend(),
        [&](const UserListRow &r) { return r.membershipId == added->membershipId; });
    ASSERT_NE(row, rows->cend());
    EXPECT_EQ(row->userId, added->userId);
    EXPECT_EQ(row->email, QStringLiteral("Grace@Example.test"));
    EXPECT_EQ(row->displayName, QStringLiteral("Ada Lovelace"));
    EXPECT_EQ(row->role, Role::ResellerManager);
    EXPECT_EQ(row->contextName, ResellerRepository(db()).find(m_world.resellerA)->name);
    EXPECT_TRUE(row->active);
    EXPECT_TRUE(row->locked);
    EXPECT_EQ(row->lastLoginAt, testNow().addSecs(60));
    EXPECT_EQ(row->membershipVersion, 1);

    // The lock-out ends with time.
    m_clock.advanceMs(901 * 1000);
    rows = m_service->listUsers(*m_world.resellerManager);
    ASSERT_TRUE(rows.has_value());
    for (const UserListRow &r : *rows)
        EXPECT_FALSE(r.locked) << r.email.toStdString();

    // Vendor memberships are named as such; client ones by the company.
    rows = m_service->listUsers(*m_world.admin);
    ASSERT_TRUE(rows.has_value());
    for (const UserListRow &r : *rows) {
        if (r.membershipId == m_world.support->membershipId()) {
            EXPECT_EQ(r.contextName, UserService::vendorContextName());
        }
        if (r.membershipId == m_world.clientUser->membershipId()) {
            EXPECT_EQ(r.contextName, QStringLiteral("Alpha"));
        }
    }
}

TEST_P(UserServiceTest, GrantableRolesFollowRuleTenAndTheScope)
{
    const QList<Role> everything = allRoles();
    const QList<Role> reseller {Role::ResellerAdmin, Role::ResellerManager, Role::ResellerUser};
    const QList<Role> manager {Role::ResellerManager, Role::ResellerUser};
    const QList<Role> client {Role::ClientAdmin, Role::ClientUser};
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("manage users", role);
        const QList<Role> roles = m_service->grantableRoles(m_world.as(role));
        if (expected == QLatin1String("all"))
            EXPECT_EQ(roles, everything);
        else if (expected == QLatin1String("own portal"))
            EXPECT_EQ(roles, role == Role::ResellerAdmin ? reseller : manager);
        else if (expected == QLatin1String("own account"))
            EXPECT_EQ(roles, client);
        else
            EXPECT_TRUE(roles.isEmpty());
    }
    const Session impersonated = m_world.clientAdmin->impersonatedBy(
        m_world.support->userId(), m_world.support->userName(), 1);
    EXPECT_TRUE(m_service->grantableRoles(impersonated).isEmpty()) << "no changes during Login As";
}

TEST_P(UserServiceTest, ResellerContextsAreTheActiveOwnOrAllPortals)
{
    QSqlQuery deactivate(db().connection());
    ASSERT_TRUE(deactivate.prepare(QStringLiteral("UPDATE resellers SET active = ? WHERE id = ?")));
    deactivate.addBindValue(false);
    deactivate.addBindValue(m_world.resellerC);
    ASSERT_TRUE(deactivate.exec());
    const QString nameA = ResellerRepository(db()).find(m_world.resellerA)->name;

    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("manage users", role);
        Result<QList<std::pair<qint64, QString>>> contexts
            = m_service->resellerContexts(m_world.as(role));
        ASSERT_TRUE(contexts.has_value()) << describe(contexts.error());
        if (expected == QLatin1String("all")) {
            EXPECT_EQ(*contexts,
                (QList<std::pair<qint64, QString>> {
                    {m_world.resellerA1, QStringLiteral("A1 Sub-portal")},
                    {m_world.resellerA, nameA}, {m_world.resellerB, QStringLiteral("Reseller B")}}))
                << "by name, the deactivated C left out";
        } else if (expected == QLatin1String("own portal")) {
            EXPECT_EQ(*contexts, (QList<std::pair<qint64, QString>> {{m_world.resellerA, nameA}}));
        } else {
            EXPECT_TRUE(contexts->isEmpty());
        }
    }
}

TEST_P(UserServiceTest, ChangeRoleFollowsTheMatrixAndTheScope)
{
    const TestWorld &w = m_world;
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("manage users", role);
        const Session &session = m_world.as(role);

        qint64 inScope = 0;
        Role from = Role::ClientUser;
        Role to = Role::ClientUser;
        QList<qint64> outOfScope;
        if (expected == QLatin1String("all")) {
            inScope = w.resellerAdminB->membershipId();
            from = Role::ResellerAdmin;
            to = Role::ResellerUser;
        } else if (expected == QLatin1String("own portal")) {
            inScope = w.resellerUser->membershipId();
            from = Role::ResellerUser;
            to = Role::ResellerManager;
            outOfScope = {w.resellerAdminB->membershipId(), w.resellerAdminA1->membershipId(),
                w.clientUser->membershipId()};
        } else if (expected == QLatin1String("own account")) {
            inScope = w.clientUser->membershipId();
            from = Role::ClientUser;
            to = Role::ClientAdmin;
            outOfScope = {w.resellerUser->membershipId(), w.support->membershipId()};
        } else if (expected == QString::fromUtf8("–")) {
            outOfScope = {w.clientUser->membershipId(), w.resellerUser->membershipId()};
        } else {
            ADD_FAILURE() << "unknown cell " << expected.toStdString();
            continue;
        }

        if (inScope != 0) {
            const int version = membership(inScope).version;
            Result<int> changed = m_service->changeRole(session, inScope, version, to);
            ASSERT_TRUE(changed.has_value()) << describe(changed.error());
            EXPECT_EQ(*changed, version + 1);
            EXPECT_EQ(membership(inScope).role, to);
            Result<int> back = m_service->changeRole(session, inScope, *changed, from);
            ASSERT_TRUE(back.has_value()) << describe(back.error());
            EXPECT_EQ(membership(inScope).role, from);
        }

        const QList<qint64> before = footprint();
        for (qint64 target : outOfScope) {
            const MembershipRow m = membership(target);
            Result<int> refused = m_service->changeRole(session, target, m.version, m.role);
            ASSERT_FALSE(refused.has_value()) << "membership " << target;
            EXPECT_EQ(refused.error().code(),
                expected == QString::fromUtf8("–") ? ErrorCode::PermissionDenied
                                                   : ErrorCode::NotFound)
                << "membership " << target;
        }
        EXPECT_EQ(footprint(), before) << "a refused call writes nothing";
    }
}

TEST_P(UserServiceTest, ChangeRoleIsAuditedAndRefusesWhatRuleTenForbids)
{
    const qint64 id = m_world.resellerUser->membershipId();
    const QList<qint64> before = footprint();
    auto refused = [&](const Session &actor, qint64 target, Role role, ErrorCode code,
                       const char *field) {
        Result<int> r = m_service->changeRole(actor, target, membership(target).version, role);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code(), code) << describe(r.error());
        EXPECT_EQ(r.error().field(), QString::fromLatin1(field)) << describe(r.error());
    };
    // Not above one's own role, not one's own, not a higher membership.
    refused(*m_world.resellerManager, id, Role::ResellerAdmin, ErrorCode::PermissionDenied, "role");
    refused(*m_world.resellerAdmin, m_world.resellerAdmin->membershipId(), Role::ResellerUser,
        ErrorCode::PermissionDenied, "");
    refused(*m_world.admin, m_world.admin->membershipId(), Role::Support,
        ErrorCode::PermissionDenied, "");
    refused(*m_world.resellerManager, m_world.resellerAdmin->membershipId(), Role::ResellerUser,
        ErrorCode::PermissionDenied, "");
    // The role must fit the membership's context.
    refused(*m_world.admin, id, Role::ClientUser, ErrorCode::InvalidInput, "role");
    refused(*m_world.admin, id, Role::Support, ErrorCode::InvalidInput, "role");
    refused(*m_world.admin, m_world.support->membershipId(), Role::ResellerAdmin,
        ErrorCode::InvalidInput, "role");
    // Not during Login As; unknown memberships look like out of scope.
    const Session impersonated = m_world.clientAdmin->impersonatedBy(
        m_world.support->userId(), m_world.support->userName(), 1);
    refused(impersonated, m_world.clientUser->membershipId(), Role::ClientAdmin,
        ErrorCode::PermissionDenied, "");
    Result<int> missing = m_service->changeRole(*m_world.admin, 987654, 1, Role::ResellerUser);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
    // A stale version.
    Result<int> stale = m_service->changeRole(
        *m_world.resellerAdmin, id, membership(id).version + 1, Role::ResellerManager);
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().code(), ErrorCode::Conflict);
    // The same role: nothing to do.
    EXPECT_EQ(
        m_service->changeRole(*m_world.resellerAdmin, id, 1, Role::ResellerUser).value_or(-1), 1);
    EXPECT_EQ(footprint(), before) << "refused calls write nothing";

    Result<int> changed
        = m_service->changeRole(*m_world.resellerAdmin, id, 1, Role::ResellerManager);
    ASSERT_TRUE(changed.has_value()) << describe(changed.error());
    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.prepare(QStringLiteral(
        "SELECT action, entity_type, entity_id, before_json, after_json, actor_user_id, "
        "reseller_id FROM audit_events ORDER BY id DESC")));
    ASSERT_TRUE(audit.exec());
    ASSERT_TRUE(audit.next());
    EXPECT_EQ(audit.value(0).toString(), QStringLiteral("membership.change_role"));
    EXPECT_EQ(audit.value(1).toString(), QStringLiteral("membership"));
    EXPECT_EQ(audit.value(2).toLongLong(), id);
    EXPECT_TRUE(audit.value(3).toString().contains(QStringLiteral("reseller_user")));
    EXPECT_TRUE(audit.value(4).toString().contains(QStringLiteral("reseller_manager")));
    EXPECT_EQ(audit.value(5).toLongLong(), m_world.resellerAdmin->userId());
    EXPECT_EQ(audit.value(6).toLongLong(), m_world.resellerA);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM audit_events WHERE action = ?"),
                  {QStringLiteral("membership.change_role")}),
        1);
}

TEST_P(UserServiceTest, ChangeRoleAfterAnEditOnAnotherDesktopIsAConflict)
{
    const qint64 id = m_world.clientUser->membershipId();
    const int read = membership(id).version;
    Result<std::unique_ptr<Database>> other = testDatabase().open();
    ASSERT_TRUE(other.has_value()) << describe(other.error());
    AccessControl otherAccess(**other);
    UserService otherDesk(**other, m_clock, otherAccess);
    ASSERT_TRUE(otherDesk.changeRole(*m_world.admin, id, read, Role::ClientAdmin).has_value());

    const QList<qint64> before = footprint();
    Result<int> mine = m_service->changeRole(*m_world.clientAdmin, id, read, Role::ClientAdmin);
    ASSERT_FALSE(mine.has_value());
    EXPECT_EQ(mine.error().code(), ErrorCode::Conflict);
    EXPECT_TRUE(mine.error().message().contains(QStringLiteral("someone else")));
    EXPECT_EQ(footprint(), before);
}

TEST_P(UserServiceTest, ResetPasswordQueuesANewCodeAndTheOldPasswordStopsWorking)
{
    const qint64 userId = m_world.resellerUser->userId();
    UserRepository users(db());
    ASSERT_TRUE(users.setPassword(userId, 1, QStringLiteral("$argon2id$old"), testNow()));
    ASSERT_TRUE(users.recordFailedSignIn(userId, testNow()));
    ASSERT_TRUE(users.setLockedUntil(userId, testNow().addSecs(900)));
    const UserRow before = *users.find(userId);

    Result<qint64> queued
        = m_service->resetPassword(*m_world.resellerAdmin, m_world.resellerUser->membershipId());
    ASSERT_TRUE(queued.has_value()) << describe(queued.error());

    const UserRow after = *users.find(userId);
    EXPECT_TRUE(after.passwordHash.isEmpty()) << "the old password no longer works";
    EXPECT_TRUE(after.mustChangePassword);
    EXPECT_EQ(after.failedLogins, 0);
    EXPECT_FALSE(after.lockedUntil.isValid());
    EXPECT_EQ(after.setupCodeExpiresAt, OneTimeCode::expiresAt(testNow()));
    EXPECT_EQ(after.version, before.version + 1);

    const OutboxMessage mail = outbox(*queued);
    EXPECT_EQ(mail.kind, QStringLiteral("password_reset"));
    EXPECT_EQ(mail.recipient, QStringLiteral("user@a.example"));
    EXPECT_EQ(mail.userId, userId);
    EXPECT_EQ(mail.resellerId, m_world.resellerA);
    EXPECT_FALSE(mail.secretIsNull);
    EXPECT_EQ(after.setupCodeHash, OneTimeCode::hashOf(mail.secret));
    EXPECT_TRUE(mail.body.contains(MessageComposer::secretPlaceholder()));
    EXPECT_FALSE(mail.body.contains(mail.secret)) << "the code lives only in the secret column";

    QSqlQuery audit(db().connection());
    ASSERT_TRUE(audit.prepare(QStringLiteral(
        "SELECT entity_type, entity_id, coalesce(before_json, '') || coalesce(after_json, ''), "
        "actor_user_id FROM audit_events WHERE action = ?")));
    audit.addBindValue(QStringLiteral("user.reset_password"));
    ASSERT_TRUE(audit.exec());
    ASSERT_TRUE(audit.next());
    EXPECT_EQ(audit.value(0).toString(), QStringLiteral("user"));
    EXPECT_EQ(audit.value(1).toLongLong(), userId);
    EXPECT_FALSE(audit.value(2).toString().contains(mail.secret)) << "no secret in the audit";
    EXPECT_EQ(audit.value(3).toLongLong(), m_world.resellerAdmin->userId());
    EXPECT_FALSE(audit.next()) << "one event";
}

TEST_P(UserServiceTest, ASecondResetCancelsTheFirstResetsEmail)
{
    const qint64 membership = m_world.resellerUser->membershipId();
    Result<qint64> first = m_service->resetPassword(*m_world.resellerAdmin, membership);
    ASSERT_TRUE(first.has_value()) << describe(first.error());
    Result<qint64> second = m_service->resetPassword(*m_world.resellerAdmin, membership);
    ASSERT_TRUE(second.has_value()) << describe(second.error());

    QSqlQuery q(db().connection());
    ASSERT_TRUE(
        q.prepare(QStringLiteral("SELECT status, secret IS NULL FROM outbox WHERE id = ?")));
    q.addBindValue(*first);
    ASSERT_TRUE(q.exec() && q.next());
    EXPECT_EQ(q.value(0).toString(), QStringLiteral("cancelled")) << "its code no longer works";
    EXPECT_TRUE(q.value(1).toBool()) << "and its secret is redacted";
    EXPECT_FALSE(outbox(*second).secretIsNull);
}

TEST_P(UserServiceTest, ResetPasswordFollowsTheMatrixAndTheScope)
{
    const TestWorld &w = m_world;
    for (Role role : Columns) {
        SCOPED_TRACE(roleKey(role).toStdString());
        const QString expected = cell("manage users", role);
        const Session &session = m_world.as(role);
        qint64 inScope = 0;
        QList<qint64> outOfScope;
        if (expected == QLatin1String("all")) {
            inScope = w.resellerAdminB->membershipId();
        } else if (expected == QLatin1String("own portal")) {
            inScope = w.resellerUser->membershipId();
            outOfScope = {w.resellerAdminB->membershipId(), w.clientUser->membershipId()};
        } else if (expected == QLatin1String("own account")) {
            inScope = w.clientUser->membershipId();
            outOfScope = {w.resellerUser->membershipId(), w.support->membershipId()};
        } else {
            outOfScope = {w.clientUser->membershipId(), w.resellerUser->membershipId()};
        }
        if (inScope != 0) {
            Result<qint64> reset = m_service->resetPassword(session, inScope);
            EXPECT_TRUE(reset.has_value()) << describe(reset.error());
        }
        const QList<qint64> before = footprint();
        for (qint64 target : outOfScope) {
            Result<qint64> refused = m_service->resetPassword(session, target);
            ASSERT_FALSE(refused.has_value()) << "membership " << target;
            EXPECT_EQ(refused.error().code(),
                expected == QString::fromUtf8("–") ? ErrorCode::PermissionDenied
                                                   : ErrorCode::NotFound)
                << "membership " << target;
        }
        EXPECT_EQ(footprint(), before) << "a refused call writes nothing";
    }
}

TEST_P(UserServiceTest, ResetPasswordRefusesOwnHigherAndOtherContextsLogins)
{
    // The client user is also a client user of Bravo (not higher, but
    // another account); the reseller user is also support staff (higher).
    UserRepository users(db());
    MembershipRow elsewhere;
    elsewhere.userId = m_world.clientUser->userId();
    elsewhere.role = Role::ClientUser;
    elsewhere.customerId = m_world.customerB;
    elsewhere.createdAt = testNow();
    ASSERT_TRUE(users.insertMembership(elsewhere).has_value());
    MembershipRow staff;
    staff.userId = m_world.resellerUser->userId();
    staff.role = Role::Support;
    staff.createdAt = testNow();
    ASSERT_TRUE(users.insertMembership(staff).has_value());

    const QList<qint64> before = footprint();
    auto refused = [&](const Session &actor, qint64 membershipId) {
        Result<qint64> r = m_service->resetPassword(actor, membershipId);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code(), ErrorCode::PermissionDenied) << describe(r.error());
    };
    refused(*m_world.clientAdmin, m_world.clientUser->membershipId());
    refused(*m_world.resellerAdmin, m_world.resellerUser->membershipId());
    refused(*m_world.resellerAdmin, m_world.resellerAdmin->membershipId());
    refused(*m_world.admin, m_world.admin->membershipId());
    refused(*m_world.resellerManager, m_world.resellerAdmin->membershipId());
    const Session impersonated = m_world.clientAdmin->impersonatedBy(
        m_world.support->userId(), m_world.support->userName(), 1);
    Result<qint64> duringLoginAs
        = m_service->resetPassword(impersonated, m_world.clientUser->membershipId());
    ASSERT_FALSE(duringLoginAs.has_value());
    EXPECT_TRUE(duringLoginAs.error().message().contains(QStringLiteral("Login As")));
    Result<qint64> missing = m_service->resetPassword(*m_world.admin, 987654);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
    EXPECT_EQ(footprint(), before) << "refused calls write nothing";

    // An administrator may reset both.
    EXPECT_TRUE(m_service->resetPassword(*m_world.admin, m_world.clientUser->membershipId()));
    EXPECT_TRUE(m_service->resetPassword(*m_world.admin, m_world.resellerUser->membershipId()));
}

RD_INSTANTIATE_FOR_BACKENDS(UserServiceTest);
