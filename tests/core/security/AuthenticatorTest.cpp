#include "security/LocalAuthenticator.h"

#include <memory>
#include <optional>

#include <QMutex>
#include <QMutexLocker>
#include <QSqlQuery>
#include <QStringList>

#include <gtest/gtest.h>

#include "TestDatabase.h"
#include "TestSeed.h"
#include "domain/LockoutPolicy.h"
#include "security/OneTimeCode.h"
#include "security/PasswordHasher.h"
#include "services/Clock.h"
#include "storage/CustomerRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

const QString Password = QStringLiteral("correct horse battery staple");
const QString OtherPassword = QStringLiteral("Tr0ub4dor&3 is not enough");
const QString NewPassword = QStringLiteral("a brand new passphrase 2026");
const QString WrongPassword = QStringLiteral("definitely not the password");
const QString WrongCredentials = QStringLiteral("The email address or password is not correct.");

constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;

std::string text(const QString &value)
{
    return value.toStdString();
}

std::string text(const Error &error)
{
    return error.toString().toStdString();
}

// Every Qt message (qDebug, qWarning, …) printed during a test, to prove no
// secret reaches a log.
QStringList &capturedMessages()
{
    static QStringList messages;
    return messages;
}

QMutex &captureMutex()
{
    static QMutex mutex;
    return mutex;
}

QtMessageHandler previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&captureMutex());
        capturedMessages().append(message);
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

class AuthenticatorTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        {
            QMutexLocker lock(&captureMutex());
            capturedMessages().clear();
        }
        previousHandler = qInstallMessageHandler(captureMessage);
        m_clock = std::make_unique<ManualClock>(testNow());
        m_auth = makeAuthenticator(PasswordCost::minimum());
        Result<Catalogue> seeded = seedCatalogue(db());
        ASSERT_TRUE(seeded.has_value()) << text(seeded.error());
        m_catalogue = *seeded;
        Result<qint64> customer = seedCustomer(db(), m_catalogue, QStringLiteral("Acme"));
        ASSERT_TRUE(customer.has_value()) << text(customer.error());
        m_customerId = *customer;
    }

    void TearDown() override
    {
        if (m_clock)
            qInstallMessageHandler(previousHandler);
        m_auth.reset();
        DatabaseTest::TearDown();
    }

    std::unique_ptr<LocalAuthenticator> makeAuthenticator(
        PasswordCost cost, LockoutPolicy lockout = {})
    {
        return std::make_unique<LocalAuthenticator>(db(), *m_clock, PasswordHasher(cost), lockout);
    }

    // A user with a password (hashed at the tests' minimum cost) and no
    // memberships yet.
    qint64 addUser(const QString &email, const QString &password = Password)
    {
        UserRow u;
        u.email = email;
        u.emailKey = email.trimmed().toLower();
        u.displayName = QStringLiteral("Ada Lovelace");
        u.passwordHash = PasswordHasher(PasswordCost::minimum()).hash(password).value_or(QString());
        u.passwordChangedAt = m_clock->now();
        u.mustChangePassword = false;
        u.createdAt = m_clock->now();
        Result<qint64> id = UserRepository(db()).insert(u);
        EXPECT_TRUE(id.has_value()) << text(id.error());
        return id.value_or(0);
    }

    // A user as the setup email leaves it: no password, a one-time code.
    qint64 addUserWithCode(const QString &email, const OneTimeCode &code)
    {
        UserRow u;
        u.email = email;
        u.emailKey = email.trimmed().toLower();
        u.displayName = QStringLiteral("Grace Hopper");
        u.mustChangePassword = true;
        u.setupCodeHash = code.hash();
        u.setupCodeExpiresAt = OneTimeCode::expiresAt(m_clock->now());
        u.createdAt = m_clock->now();
        Result<qint64> id = UserRepository(db()).insert(u);
        EXPECT_TRUE(id.has_value()) << text(id.error());
        return id.value_or(0);
    }

    qint64 addMembership(qint64 userId, Role role, bool active = true)
    {
        MembershipRow m;
        m.userId = userId;
        m.role = role;
        if (contextKindOf(role) == ContextKind::Reseller)
            m.resellerId = m_catalogue.resellerId;
        else if (contextKindOf(role) == ContextKind::Customer)
            m.customerId = m_customerId;
        m.active = active;
        m.createdAt = m_clock->now();
        Result<qint64> id = UserRepository(db()).insertMembership(m);
        EXPECT_TRUE(id.has_value()) << text(id.error());
        return id.value_or(0);
    }

    UserRow user(qint64 id)
    {
        Result<UserRow> row = UserRepository(db()).find(id);
        EXPECT_TRUE(row.has_value()) << text(row.error());
        return row.value_or(UserRow());
    }

    int auditCount(const QString &action)
    {
        QSqlQuery q(db().connection());
        q.prepare(QStringLiteral("SELECT count(*) FROM audit_events WHERE action = ?"));
        q.addBindValue(action);
        if (!q.exec() || !q.next())
            return -1;
        return q.value(0).toInt();
    }

    int auditCountTotal()
    {
        QSqlQuery q(db().connection());
        if (!q.exec(QStringLiteral("SELECT count(*) FROM audit_events")) || !q.next())
            return -1;
        return q.value(0).toInt();
    }

    // The membership that wrote the latest event with this action.
    qint64 latestActorMembership(const QString &action)
    {
        QSqlQuery q(db().connection());
        q.prepare(QStringLiteral("SELECT actor_membership_id FROM audit_events WHERE action = ? "
                                 "ORDER BY id DESC"));
        q.addBindValue(action);
        if (!q.exec() || !q.next())
            return -1;
        return q.value(0).isNull() ? 0 : q.value(0).toLongLong();
    }

    // The secret (as typed, and in the code's normalised forms) appears in
    // no text column of the audit trail and in no log message.
    void expectNowhere(const QString &secret)
    {
        QStringList forms {secret};
        QString compact = secret;
        compact.remove(QLatin1Char('-'));
        forms << compact << compact.toLower();
        QSqlQuery q(db().connection());
        ASSERT_TRUE(q.exec(
            QStringLiteral("SELECT action, entity_type, batch_id, before_json, after_json, reason "
                           "FROM audit_events")));
        int rows = 0;
        while (q.next()) {
            ++rows;
            for (int column = 0; column < 6; ++column) {
                const QString value = q.value(column).toString();
                for (const QString &form : std::as_const(forms))
                    EXPECT_FALSE(value.contains(form)) << text(value);
            }
        }
        EXPECT_GT(rows, 0) << "the scenario wrote audit rows";
        QMutexLocker lock(&captureMutex());
        for (const QString &message : std::as_const(capturedMessages())) {
            for (const QString &form : std::as_const(forms))
                EXPECT_FALSE(message.contains(form)) << text(message);
        }
    }

    Result<Session> signInAndOpen(const QString &email, const QString &secret)
    {
        Result<SignInResult> signedIn = m_auth->signIn(email, secret);
        if (!signedIn)
            return fail(signedIn.error());
        if (signedIn->memberships.isEmpty())
            return fail(ErrorCode::NotFound, QStringLiteral("no membership"));
        return m_auth->openSession(*signedIn, signedIn->memberships.constFirst().id());
    }

    void deactivateReseller()
    {
        ResellerRepository resellers(db());
        ResellerRow r = *resellers.find(m_catalogue.resellerId);
        r.active = false;
        ASSERT_TRUE(resellers.update(r).has_value());
    }

    void deactivateCustomer()
    {
        CustomerRepository customers(db());
        CustomerRow c = *customers.find(m_customerId);
        c.active = false;
        ASSERT_TRUE(customers.update(c).has_value());
    }

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<LocalAuthenticator> m_auth;
    Catalogue m_catalogue;
    qint64 m_customerId = 0;
};

} // namespace

// --- first administrator ---

TEST_P(AuthenticatorTest, FirstAdministratorOnlyOnAnEmptyDatabase)
{
    ASSERT_EQ(m_auth->needsFirstAdministrator().value_or(false), true);

    Result<Session> session = m_auth->createFirstAdministrator(
        QStringLiteral("  Admin@Vendor.Example "), QStringLiteral(" Ada Admin "), Password);
    ASSERT_TRUE(session.has_value()) << text(session.error());
    EXPECT_GT(session->userId(), 0);
    EXPECT_GT(session->membershipId(), 0);
    EXPECT_EQ(session->role(), Role::Administrator);
    EXPECT_EQ(session->userName(), QStringLiteral("Ada Admin"));
    EXPECT_EQ(session->userEmail(), QStringLiteral("Admin@Vendor.Example"));
    EXPECT_FALSE(session->isImpersonated());

    const UserRow admin = user(session->userId());
    EXPECT_EQ(admin.email, QStringLiteral("Admin@Vendor.Example")) << "stored as typed (trimmed)";
    EXPECT_EQ(admin.emailKey, QStringLiteral("admin@vendor.example"));
    EXPECT_FALSE(admin.mustChangePassword);
    EXPECT_EQ(admin.passwordChangedAt, testNow());
    EXPECT_NE(admin.passwordHash, Password);
    EXPECT_TRUE(PasswordHasher(PasswordCost::minimum()).verify(admin.passwordHash, Password));
    Result<QList<MembershipRow>> memberships = UserRepository(db()).memberships(admin.id);
    ASSERT_TRUE(memberships.has_value());
    ASSERT_EQ(memberships->size(), 1);
    EXPECT_EQ(memberships->constFirst().role, Role::Administrator);
    EXPECT_EQ(memberships->constFirst().id, session->membershipId());

    EXPECT_EQ(auditCount(QStringLiteral("user.create")), 1);
    EXPECT_EQ(auditCount(QStringLiteral("membership.create")), 1);
    EXPECT_EQ(latestActorMembership(QStringLiteral("user.create")), session->membershipId());

    EXPECT_EQ(m_auth->needsFirstAdministrator().value_or(true), false);
    Result<Session> second = m_auth->createFirstAdministrator(
        QStringLiteral("other@vendor.example"), QStringLiteral("Other"), Password);
    ASSERT_FALSE(second.has_value()) << "only on an empty database";
    EXPECT_EQ(second.error().code(), ErrorCode::PermissionDenied);
    EXPECT_FALSE(UserRepository(db())
                     .findByEmailKey(QStringLiteral("other@vendor.example"))
                     .value_or(std::nullopt)
                     .has_value());
    EXPECT_EQ(auditCount(QStringLiteral("user.create")), 1);

    Result<Session> again = signInAndOpen(QStringLiteral("admin@vendor.example"), Password);
    ASSERT_TRUE(again.has_value()) << text(again.error());
    EXPECT_EQ(again->role(), Role::Administrator);
    expectNowhere(Password);
}

TEST_P(AuthenticatorTest, FirstAdministratorInputIsValidated)
{
    struct Case
    {
        QString email;
        QString name;
        QString password;
        QString field;
    };
    const QList<Case> cases {
        {QStringLiteral("not an email"), QStringLiteral("Ada"), Password, QStringLiteral("email")},
        {QStringLiteral("ada@localhost"), QStringLiteral("Ada"), Password, QStringLiteral("email")},
        {QStringLiteral("ada@vendor.example"), QStringLiteral("   "), Password,
            QStringLiteral("displayName")},
        {QStringLiteral("ada@vendor.example"), QString(201, QLatin1Char('x')), Password,
            QStringLiteral("displayName")},
        {QStringLiteral("ada@vendor.example"), QStringLiteral("Ada"), QStringLiteral("elevenchars"),
            QStringLiteral("password")},
    };
    for (const Case &c : cases) {
        Result<Session> refused = m_auth->createFirstAdministrator(c.email, c.name, c.password);
        ASSERT_FALSE(refused.has_value()) << text(c.email) << " / " << text(c.name);
        EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(refused.error().field(), c.field);
        EXPECT_FALSE(refused.error().message().isEmpty());
    }
    EXPECT_TRUE(m_auth->needsFirstAdministrator().value_or(false)) << "nothing was created";
    EXPECT_EQ(auditCountTotal(), 0);
    EXPECT_TRUE(m_auth
                    ->createFirstAdministrator(QStringLiteral("ada@vendor.example"),
                        QString(200, QLatin1Char('x')), QStringLiteral("twelve chars"))
                    .has_value())
        << "the limits themselves are accepted";
}

// --- sign-in ---

TEST_P(AuthenticatorTest, SignInWithThePassword)
{
    const qint64 id = addUser(QStringLiteral("ada@acme.example"));
    const qint64 membership = addMembership(id, Role::ClientAdmin);
    m_clock->advanceMs(5 * Minute);

    Result<SignInResult> signedIn = m_auth->signIn(QStringLiteral(" ADA@Acme.Example "), Password);
    ASSERT_TRUE(signedIn.has_value()) << text(signedIn.error());
    EXPECT_EQ(signedIn->userId, id);
    EXPECT_EQ(signedIn->displayName, QStringLiteral("Ada Lovelace"));
    EXPECT_EQ(signedIn->email, QStringLiteral("ada@acme.example"));
    EXPECT_FALSE(signedIn->mustChangePassword);
    ASSERT_EQ(signedIn->memberships.size(), 1);
    EXPECT_EQ(signedIn->memberships.constFirst().id(), membership);
    EXPECT_EQ(signedIn->memberships.constFirst().role(), Role::ClientAdmin);
    EXPECT_EQ(signedIn->memberships.constFirst().contextId(), m_customerId);
    EXPECT_EQ(signedIn->contextNames.value(membership), QStringLiteral("Acme"));

    const UserRow row = user(id);
    EXPECT_EQ(row.lastLoginAt, testNow().addMSecs(5 * Minute));
    EXPECT_EQ(row.failedLogins, 0);
    EXPECT_EQ(row.version, 1) << "sign-in bookkeeping is not an edit";
    EXPECT_EQ(auditCount(QStringLiteral("user.sign_in")), 1);

    Result<Session> session = m_auth->openSession(*signedIn, membership);
    ASSERT_TRUE(session.has_value()) << text(session.error());
    EXPECT_EQ(session->userId(), id);
    EXPECT_EQ(session->membershipId(), membership);
    EXPECT_EQ(session->customerId(), m_customerId);
    EXPECT_EQ(session->userEmail(), QStringLiteral("ada@acme.example"));
    expectNowhere(Password);
}

TEST_P(AuthenticatorTest, WrongPasswordAndUnknownEmailGiveTheSameError)
{
    const qint64 id = addUser(QStringLiteral("ada@acme.example"));
    addMembership(id, Role::ClientAdmin);

    Result<SignInResult> unknown = m_auth->signIn(QStringLiteral("nobody@acme.example"), Password);
    Result<SignInResult> wrong = m_auth->signIn(QStringLiteral("ada@acme.example"), WrongPassword);
    ASSERT_FALSE(unknown.has_value());
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(unknown.error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(unknown.error().message(), WrongCredentials);
    EXPECT_EQ(wrong.error().code(), unknown.error().code());
    EXPECT_EQ(wrong.error().message(), unknown.error().message());
    EXPECT_EQ(wrong.error().field(), unknown.error().field());
    EXPECT_EQ(wrong.error().detail(), unknown.error().detail());
    EXPECT_EQ(wrong.error().toString(), unknown.error().toString());

    EXPECT_EQ(user(id).failedLogins, 1);
    EXPECT_EQ(user(id).lastFailedAt, testNow());
    EXPECT_EQ(auditCount(QStringLiteral("user.sign_in_failed")), 1)
        << "only the existing account changed";
    expectNowhere(WrongPassword);
    expectNowhere(Password);
}

TEST_P(AuthenticatorTest, ArchivedUserCannotSignIn)
{
    const qint64 id = addUser(QStringLiteral("ada@acme.example"));
    addMembership(id, Role::ClientAdmin);
    QSqlQuery q(db().connection());
    q.prepare(QStringLiteral("UPDATE users SET archived_at = ? WHERE id = ?"));
    q.addBindValue(testNow().toMSecsSinceEpoch());
    q.addBindValue(id);
    ASSERT_TRUE(q.exec());

    Result<SignInResult> refused = m_auth->signIn(QStringLiteral("ada@acme.example"), Password);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(refused.error().message(), WrongCredentials);
}

TEST_P(AuthenticatorTest, EmptySecretOrBadEmailIsInvalidInputAndNotCounted)
{
    const qint64 id = addUser(QStringLiteral("ada@acme.example"));
    addMembership(id, Role::ClientAdmin);
    Result<SignInResult> empty = m_auth->signIn(QStringLiteral("ada@acme.example"), QString());
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().code(), ErrorCode::InvalidInput);
    Result<SignInResult> bad = m_auth->signIn(QStringLiteral("ada-at-acme"), Password);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(bad.error().field(), QStringLiteral("email"));
    EXPECT_EQ(user(id).failedLogins, 0);
}

// --- lock-out ---

TEST_P(AuthenticatorTest, LockOutAfterFiveFailuresGrowsExponentially)
{
    const QString email = QStringLiteral("ada@acme.example");
    const qint64 id = addUser(email);
    addMembership(id, Role::ClientAdmin);

    for (int i = 1; i <= 4; ++i) {
        ASSERT_FALSE(m_auth->signIn(email, WrongPassword).has_value());
        EXPECT_EQ(user(id).failedLogins, i);
        EXPECT_FALSE(user(id).lockedUntil.isValid()) << "failure " << i << " locks nothing";
        m_clock->advanceMs(Second);
    }
    EXPECT_EQ(auditCount(QStringLiteral("user.locked")), 0);

    // 5th failure: 30 s.
    QDateTime failedAt = m_clock->now();
    Result<SignInResult> fifth = m_auth->signIn(email, WrongPassword);
    ASSERT_FALSE(fifth.has_value());
    EXPECT_EQ(fifth.error().message(), WrongCredentials) << "the lock starts quietly";
    EXPECT_EQ(user(id).failedLogins, 5);
    EXPECT_EQ(user(id).lockedUntil, failedAt.addMSecs(30 * Second));
    EXPECT_EQ(auditCount(QStringLiteral("user.locked")), 1);
    EXPECT_EQ(auditCount(QStringLiteral("user.sign_in_failed")), 5);

    // Locked: refused even with the right password, without counting.
    Result<SignInResult> whileLocked = m_auth->signIn(email, Password);
    ASSERT_FALSE(whileLocked.has_value());
    EXPECT_EQ(whileLocked.error().code(), ErrorCode::PermissionDenied);
    EXPECT_NE(whileLocked.error().message(), WrongCredentials);
    EXPECT_TRUE(whileLocked.error().message().contains(QStringLiteral("1 minute")))
        << text(whileLocked.error().message());
    ASSERT_FALSE(m_auth->signIn(email, WrongPassword).has_value());
    EXPECT_EQ(user(id).failedLogins, 5) << "attempts while locked are not counted";
    EXPECT_EQ(auditCount(QStringLiteral("user.sign_in_failed")), 5);

    // 6th failure after the lock ended: 60 s.
    m_clock->advanceMs(30 * Second);
    failedAt = m_clock->now();
    ASSERT_FALSE(m_auth->signIn(email, WrongPassword).has_value());
    EXPECT_EQ(user(id).failedLogins, 6);
    EXPECT_EQ(user(id).lockedUntil, failedAt.addMSecs(Minute));

    // 7th: 2 min.
    m_clock->advanceMs(Minute);
    failedAt = m_clock->now();
    ASSERT_FALSE(m_auth->signIn(email, WrongPassword).has_value());
    EXPECT_EQ(user(id).failedLogins, 7);
    EXPECT_EQ(user(id).lockedUntil, failedAt.addMSecs(2 * Minute));
    EXPECT_EQ(auditCount(QStringLiteral("user.locked")), 3);
    Result<SignInResult> twoMinutes = m_auth->signIn(email, Password);
    ASSERT_FALSE(twoMinutes.has_value());
    EXPECT_TRUE(twoMinutes.error().message().contains(QStringLiteral("2 minute")))
        << text(twoMinutes.error().message());

    // Still locked one millisecond before the end, unlocked at the end.
    m_clock->advanceMs(2 * Minute - 1);
    EXPECT_FALSE(m_auth->signIn(email, Password).has_value());
    m_clock->advanceMs(1);
    Result<SignInResult> unlocked = m_auth->signIn(email, Password);
    ASSERT_TRUE(unlocked.has_value()) << text(unlocked.error());

    // Success resets the count: the next failure locks nothing.
    EXPECT_EQ(user(id).failedLogins, 0);
    EXPECT_FALSE(user(id).lockedUntil.isValid());
    ASSERT_FALSE(m_auth->signIn(email, WrongPassword).has_value());
    EXPECT_EQ(user(id).failedLogins, 1);
    EXPECT_FALSE(user(id).lockedUntil.isValid());
    expectNowhere(WrongPassword);
}

TEST_P(AuthenticatorTest, LockOutFollowsTheConfiguredPolicy)
{
    Result<LockoutPolicy> policy = LockoutPolicy::create(2, 10 * Second, 15 * Second);
    ASSERT_TRUE(policy.has_value());
    m_auth = makeAuthenticator(PasswordCost::minimum(), *policy);
    const QString email = QStringLiteral("ada@acme.example");
    const qint64 id = addUser(email);
    addMembership(id, Role::ClientAdmin);

    ASSERT_FALSE(m_auth->signIn(email, WrongPassword).has_value());
    EXPECT_FALSE(user(id).lockedUntil.isValid());
    ASSERT_FALSE(m_auth->signIn(email, WrongPassword).has_value());
    EXPECT_EQ(user(id).lockedUntil, m_clock->now().addMSecs(10 * Second));
    m_clock->advanceMs(10 * Second);
    ASSERT_FALSE(m_auth->signIn(email, WrongPassword).has_value());
    EXPECT_EQ(user(id).lockedUntil, m_clock->now().addMSecs(15 * Second)) << "capped";
}

// --- one-time setup code ---

TEST_P(AuthenticatorTest, SetupCodeForcesAPasswordChangeThatClearsIt)
{
    const OneTimeCode code = OneTimeCode::generate();
    const QString email = QStringLiteral("grace@acme.example");
    const qint64 id = addUserWithCode(email, code);
    const qint64 membership = addMembership(id, Role::ClientAdmin);
    m_clock->advanceMs(60 * Minute);

    Result<SignInResult> withCode = m_auth->signIn(email, code.text().toLower());
    ASSERT_TRUE(withCode.has_value()) << text(withCode.error());
    EXPECT_TRUE(withCode->mustChangePassword);
    ASSERT_EQ(withCode->memberships.size(), 1);

    Result<Session> tooEarly = m_auth->openSession(*withCode, membership);
    ASSERT_FALSE(tooEarly.has_value()) << "a new password comes first";
    EXPECT_EQ(tooEarly.error().code(), ErrorCode::PermissionDenied);

    m_clock->advanceMs(Minute);
    Status set = m_auth->setPassword(id, code.text(), NewPassword);
    ASSERT_TRUE(set.has_value()) << text(set.error());
    const UserRow row = user(id);
    EXPECT_TRUE(row.setupCodeHash.isEmpty());
    EXPECT_FALSE(row.setupCodeExpiresAt.isValid());
    EXPECT_FALSE(row.mustChangePassword);
    EXPECT_EQ(row.passwordChangedAt, m_clock->now());
    EXPECT_EQ(row.version, 2);
    EXPECT_TRUE(PasswordHasher(PasswordCost::minimum()).verify(row.passwordHash, NewPassword));
    EXPECT_EQ(auditCount(QStringLiteral("user.password_set")), 1);

    Result<SignInResult> codeAgain = m_auth->signIn(email, code.text());
    ASSERT_FALSE(codeAgain.has_value()) << "the code works once";
    EXPECT_EQ(codeAgain.error().message(), WrongCredentials);

    Result<SignInResult> withPassword = m_auth->signIn(email, NewPassword);
    ASSERT_TRUE(withPassword.has_value()) << text(withPassword.error());
    EXPECT_FALSE(withPassword->mustChangePassword);
    Result<Session> session = m_auth->openSession(*withPassword, membership);
    ASSERT_TRUE(session.has_value()) << text(session.error());
    EXPECT_EQ(session->role(), Role::ClientAdmin);

    expectNowhere(code.text());
    expectNowhere(NewPassword);
}

TEST_P(AuthenticatorTest, ExpiredSetupCodeIsRefusedClearly)
{
    const OneTimeCode code = OneTimeCode::generate();
    const QString email = QStringLiteral("grace@acme.example");
    const qint64 id = addUserWithCode(email, code);
    addMembership(id, Role::ClientAdmin);

    m_clock->set(OneTimeCode::expiresAt(testNow()).addMSecs(-1));
    EXPECT_TRUE(m_auth->signIn(email, code.text()).has_value()) << "valid until the last moment";

    m_clock->set(OneTimeCode::expiresAt(testNow()));
    Result<SignInResult> expired = m_auth->signIn(email, code.text());
    ASSERT_FALSE(expired.has_value());
    EXPECT_EQ(expired.error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(expired.error().message(),
        QStringLiteral("The temporary password has expired; ask for a new setup email."));
    Status set = m_auth->setPassword(id, code.text(), NewPassword);
    ASSERT_FALSE(set.has_value());
    EXPECT_EQ(set.error().message(), expired.error().message());
    EXPECT_EQ(user(id).failedLogins, 0) << "the right but expired code is no guess";
    EXPECT_TRUE(user(id).passwordHash.isEmpty());
}

TEST_P(AuthenticatorTest, WeakOrUnchangedNewPasswordIsRefusedAndNothingChanges)
{
    const OneTimeCode code = OneTimeCode::generate();
    const qint64 id = addUserWithCode(QStringLiteral("grace@acme.example"), code);
    addMembership(id, Role::ClientAdmin);
    const UserRow before = user(id);
    const int events = auditCountTotal();

    Status tooShort = m_auth->setPassword(id, code.text(), QStringLiteral("short pass!"));
    ASSERT_FALSE(tooShort.has_value());
    EXPECT_EQ(tooShort.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(tooShort.error().field(), QStringLiteral("newPassword"));

    Status sameAsCode = m_auth->setPassword(id, code.text(), code.text().toLower());
    ASSERT_FALSE(sameAsCode.has_value());
    EXPECT_EQ(sameAsCode.error().code(), ErrorCode::InvalidInput);

    const UserRow after = user(id);
    EXPECT_EQ(after.passwordHash, before.passwordHash);
    EXPECT_EQ(after.setupCodeHash, before.setupCodeHash);
    EXPECT_EQ(after.mustChangePassword, before.mustChangePassword);
    EXPECT_EQ(after.version, before.version);
    EXPECT_EQ(after.failedLogins, 0);
    EXPECT_EQ(auditCountTotal(), events);

    const qint64 withPassword = addUser(QStringLiteral("ada@acme.example"));
    Status samePassword = m_auth->setPassword(withPassword, Password, Password);
    ASSERT_FALSE(samePassword.has_value());
    EXPECT_EQ(samePassword.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(user(withPassword).version, 1);
}

TEST_P(AuthenticatorTest, SetPasswordWithAWrongCurrentSecretCountsAsAFailure)
{
    const qint64 id = addUser(QStringLiteral("ada@acme.example"));
    addMembership(id, Role::ClientAdmin);
    Status wrong = m_auth->setPassword(id, WrongPassword, NewPassword);
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().code(), ErrorCode::PermissionDenied);
    EXPECT_EQ(user(id).failedLogins, 1);
    EXPECT_EQ(auditCount(QStringLiteral("user.password_set_failed")), 1);

    Status right = m_auth->setPassword(id, Password, NewPassword);
    ASSERT_TRUE(right.has_value()) << text(right.error());
    EXPECT_EQ(user(id).failedLogins, 0);
    EXPECT_TRUE(m_auth->signIn(QStringLiteral("ada@acme.example"), NewPassword).has_value());
    EXPECT_FALSE(m_auth->signIn(QStringLiteral("ada@acme.example"), Password).has_value());
    expectNowhere(NewPassword);
    expectNowhere(WrongPassword);
}

// --- rehash ---

TEST_P(AuthenticatorTest, SignInRehashesWhenTheCostChanged)
{
    const QString email = QStringLiteral("ada@acme.example");
    const qint64 id = addUser(email);
    addMembership(id, Role::ClientAdmin);
    const QString oldHash = user(id).passwordHash;

    PasswordCost stronger = PasswordCost::minimum();
    stronger.opsLimit += 1;
    const PasswordHasher strongerHasher(stronger);
    ASSERT_TRUE(strongerHasher.needsRehash(oldHash));
    m_auth = makeAuthenticator(stronger);

    ASSERT_TRUE(m_auth->signIn(email, Password).has_value());
    const QString newHash = user(id).passwordHash;
    EXPECT_NE(newHash, oldHash);
    EXPECT_TRUE(strongerHasher.verify(newHash, Password));
    EXPECT_FALSE(strongerHasher.needsRehash(newHash));
    EXPECT_EQ(user(id).version, 1) << "the same password: no edit";

    ASSERT_TRUE(m_auth->signIn(email, Password).has_value());
    EXPECT_EQ(user(id).passwordHash, newHash) << "rehashed only once";
    expectNowhere(Password);
}

// --- rule 11: usable memberships ---

TEST_P(AuthenticatorTest, MembershipsOfDeactivatedResellersAndCustomersAreUnusable)
{
    const QString email = QStringLiteral("ada@acme.example");
    const qint64 id = addUser(email);
    const qint64 resellerMembership = addMembership(id, Role::ResellerAdmin);
    const qint64 clientMembership = addMembership(id, Role::ClientAdmin);

    Result<SignInResult> both = m_auth->signIn(email, Password);
    ASSERT_TRUE(both.has_value()) << text(both.error());
    ASSERT_EQ(both->memberships.size(), 2);
    EXPECT_EQ(both->contextNames.value(resellerMembership), QStringLiteral("Northwind Partners"));

    deactivateReseller();
    Result<Session> stale = m_auth->openSession(*both, resellerMembership);
    ASSERT_FALSE(stale.has_value()) << "deactivated since the sign-in";
    EXPECT_EQ(stale.error().code(), ErrorCode::PermissionDenied);

    Result<SignInResult> clientOnly = m_auth->signIn(email, Password);
    ASSERT_TRUE(clientOnly.has_value()) << text(clientOnly.error());
    ASSERT_EQ(clientOnly->memberships.size(), 1);
    EXPECT_EQ(clientOnly->memberships.constFirst().id(), clientMembership);

    deactivateCustomer();
    Result<SignInResult> none = m_auth->signIn(email, Password);
    ASSERT_FALSE(none.has_value());
    EXPECT_EQ(none.error().code(), ErrorCode::PermissionDenied);
    EXPECT_NE(none.error().message(), WrongCredentials) << "a clear reason";
    EXPECT_EQ(user(id).failedLogins, 0) << "the right password is no failure";
}

TEST_P(AuthenticatorTest, UserWithoutUsableMembershipIsRefused)
{
    const QString email = QStringLiteral("ada@acme.example");
    const qint64 id = addUser(email);
    addMembership(id, Role::ClientUser, false); // the membership itself is inactive
    const int events = auditCountTotal();

    Result<SignInResult> refused = m_auth->signIn(email, Password);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
    EXPECT_NE(refused.error().message(), WrongCredentials);
    EXPECT_EQ(user(id).failedLogins, 0);
    EXPECT_FALSE(user(id).lastLoginAt.isValid());
    EXPECT_EQ(auditCountTotal(), events) << "nothing changed";

    const qint64 vendor = addMembership(id, Role::Support);
    Result<SignInResult> staff = m_auth->signIn(email, Password);
    ASSERT_TRUE(staff.has_value()) << text(staff.error());
    ASSERT_EQ(staff->memberships.size(), 1);
    EXPECT_EQ(staff->memberships.constFirst().id(), vendor);
    EXPECT_TRUE(staff->contextNames.value(vendor).isEmpty());
}

TEST_P(AuthenticatorTest, OpenSessionRefusesAForeignMembership)
{
    const qint64 ada = addUser(QStringLiteral("ada@acme.example"));
    const qint64 adaMembership = addMembership(ada, Role::ClientAdmin);
    const qint64 bob = addUser(QStringLiteral("bob@acme.example"));
    const qint64 bobMembership = addMembership(bob, Role::Support);

    Result<SignInResult> signedIn = m_auth->signIn(QStringLiteral("ada@acme.example"), Password);
    ASSERT_TRUE(signedIn.has_value()) << text(signedIn.error());

    Result<Session> foreign = m_auth->openSession(*signedIn, bobMembership);
    ASSERT_FALSE(foreign.has_value());
    EXPECT_EQ(foreign.error().code(), ErrorCode::PermissionDenied);

    SignInResult forged = *signedIn;
    forged.memberships.append(*Membership::create(bob, Role::Support, 0));
    forged.memberships.last().setId(bobMembership);
    Result<Session> smuggled = m_auth->openSession(forged, bobMembership);
    ASSERT_FALSE(smuggled.has_value()) << "a membership of another user";
    EXPECT_EQ(smuggled.error().code(), ErrorCode::PermissionDenied);

    EXPECT_FALSE(m_auth->openSession(*signedIn, 0).has_value());
    Result<Session> own = m_auth->openSession(*signedIn, adaMembership);
    ASSERT_TRUE(own.has_value()) << text(own.error());
    EXPECT_EQ(own->membershipId(), adaMembership);
}

// --- re-entering the password (rule 8) ---

TEST_P(AuthenticatorTest, ReverifyPasswordCountsTowardsLockOut)
{
    const QString email = QStringLiteral("admin@vendor.example");
    const qint64 id = addUser(email);
    const qint64 membership = addMembership(id, Role::Administrator);
    Result<Session> session = signInAndOpen(email, Password);
    ASSERT_TRUE(session.has_value()) << text(session.error());

    EXPECT_TRUE(m_auth->reverifyPassword(*session, Password).has_value());
    for (int i = 1; i <= 5; ++i) {
        Status wrong = m_auth->reverifyPassword(*session, WrongPassword);
        ASSERT_FALSE(wrong.has_value());
        EXPECT_EQ(wrong.error().code(), ErrorCode::PermissionDenied);
        EXPECT_EQ(user(id).failedLogins, i);
    }
    EXPECT_EQ(auditCount(QStringLiteral("user.password_reverify_failed")), 5);
    EXPECT_EQ(latestActorMembership(QStringLiteral("user.password_reverify_failed")), membership);
    EXPECT_EQ(auditCount(QStringLiteral("user.locked")), 1);
    EXPECT_EQ(user(id).lockedUntil, m_clock->now().addMSecs(30 * Second));

    Status whileLocked = m_auth->reverifyPassword(*session, Password);
    ASSERT_FALSE(whileLocked.has_value()) << "refused while locked, even when right";
    EXPECT_TRUE(whileLocked.error().message().contains(QStringLiteral("minute")));
    Result<SignInResult> signInLocked = m_auth->signIn(email, Password);
    ASSERT_FALSE(signInLocked.has_value()) << "the same lock as sign-in";
    EXPECT_EQ(signInLocked.error().message(), whileLocked.error().message());

    m_clock->advanceMs(30 * Second);
    Status right = m_auth->reverifyPassword(*session, Password);
    ASSERT_TRUE(right.has_value()) << text(right.error());
    EXPECT_EQ(user(id).failedLogins, 0);
    EXPECT_EQ(auditCount(QStringLiteral("user.password_reverified")), 1);

    Status impersonated
        = m_auth->reverifyPassword(session->impersonatedBy(id, QStringLiteral("x"), 1), Password);
    ASSERT_FALSE(impersonated.has_value());
    EXPECT_EQ(impersonated.error().code(), ErrorCode::PermissionDenied);
    expectNowhere(WrongPassword);
    expectNowhere(Password);
}

// --- audit ---

TEST_P(AuthenticatorTest, EveryChangeIsAuditedWithoutTheSecrets)
{
    Result<Session> admin = m_auth->createFirstAdministrator(
        QStringLiteral("admin@vendor.example"), QStringLiteral("Admin"), Password);
    ASSERT_TRUE(admin.has_value()) << text(admin.error());
    const OneTimeCode code = OneTimeCode::generate();
    const qint64 grace = addUserWithCode(QStringLiteral("grace@acme.example"), code);
    addMembership(grace, Role::ClientAdmin);

    ASSERT_FALSE(m_auth->signIn(QStringLiteral("grace@acme.example"), WrongPassword).has_value());
    ASSERT_TRUE(m_auth->signIn(QStringLiteral("grace@acme.example"), code.text()).has_value());
    ASSERT_TRUE(m_auth->setPassword(grace, code.text(), NewPassword).has_value());
    ASSERT_TRUE(m_auth->signIn(QStringLiteral("grace@acme.example"), NewPassword).has_value());
    ASSERT_FALSE(m_auth->reverifyPassword(*admin, OtherPassword).has_value());
    ASSERT_TRUE(m_auth->reverifyPassword(*admin, Password).has_value());

    EXPECT_EQ(auditCount(QStringLiteral("user.create")), 1);
    EXPECT_EQ(auditCount(QStringLiteral("membership.create")), 1);
    EXPECT_EQ(auditCount(QStringLiteral("user.sign_in_failed")), 1);
    EXPECT_EQ(auditCount(QStringLiteral("user.sign_in")), 2);
    EXPECT_EQ(auditCount(QStringLiteral("user.password_set")), 1);
    EXPECT_EQ(auditCount(QStringLiteral("user.password_reverify_failed")), 1);
    EXPECT_EQ(auditCount(QStringLiteral("user.password_reverified")), 1);
    EXPECT_EQ(auditCountTotal(), 8);

    for (const QString &secret : {Password, code.text(), NewPassword, WrongPassword, OtherPassword})
        expectNowhere(secret);
}

RD_INSTANTIATE_FOR_BACKENDS(AuthenticatorTest);
