// The sign-in of the headless commands: where the password comes from, in
// which order, and how a membership is chosen, on a real database.
#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QUuid>

#include <gtest/gtest.h>

#include "HeadlessSignIn.h"
#include "TestDatabase.h"
#include "TestSeed.h"
#include "security/CredentialStore.h"
#include "security/LocalAuthenticator.h"
#include "security/PasswordHasher.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::app;
using namespace rd::test;

namespace {

const QString Password = QStringLiteral("correct horse battery");
const QString Email = QStringLiteral("Ops@Vendor.example");

std::string text(const Error &error)
{
    return error.toString().toStdString();
}

class HeadlessSignInTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<Catalogue> catalogue = seedCatalogue(db());
        ASSERT_TRUE(catalogue.has_value()) << text(catalogue.error());
        m_catalogue = *catalogue;
        m_userId = addUser(Email);
        m_support = addMembership(m_userId, Role::Support);
        m_auth = std::make_unique<LocalAuthenticator>(
            db(), m_clock, PasswordHasher(PasswordCost::minimum()));
        ASSERT_TRUE(m_dir.isValid());
    }

    qint64 addUser(const QString &email, bool mustChangePassword = false)
    {
        UserRow u;
        u.email = email;
        u.emailKey = email.trimmed().toLower();
        u.displayName = QStringLiteral("Ops");
        u.passwordHash = PasswordHasher(PasswordCost::minimum()).hash(Password).value_or(QString());
        u.passwordChangedAt = m_clock.now();
        u.mustChangePassword = mustChangePassword;
        u.createdAt = m_clock.now();
        Result<qint64> id = UserRepository(db()).insert(u);
        EXPECT_TRUE(id.has_value()) << text(id.error());
        return id.value_or(0);
    }

    qint64 addMembership(qint64 userId, Role role)
    {
        MembershipRow m;
        m.userId = userId;
        m.role = role;
        if (contextKindOf(role) == ContextKind::Reseller)
            m.resellerId = m_catalogue.resellerId;
        m.active = true;
        m.createdAt = m_clock.now();
        Result<qint64> id = UserRepository(db()).insertMembership(m);
        EXPECT_TRUE(id.has_value()) << text(id.error());
        return id.value_or(0);
    }

    // Only the password sources a test names: no keychain, no prompt.
    static HeadlessSignIn::Sources sources(std::optional<QString> password = {})
    {
        HeadlessSignIn::Sources s;
        s.passwordVariable = std::move(password);
        s.prompt = false;
        return s;
    }

    Result<Session> signIn(const HeadlessSignIn::Sources &s, const QString &user,
        const QString &passwordFile = {}, const QString &membership = {})
    {
        return HeadlessSignIn(*m_auth, testDatabase().profile(), s)
            .signIn(HeadlessCredentials {user, passwordFile, membership});
    }

    QString passwordFile(QFile::Permissions permissions, const QByteArray &content)
    {
        const QString path = m_dir.filePath(QUuid::createUuid().toString(QUuid::Id128));
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        EXPECT_TRUE(file.setPermissions(permissions));
        return path;
    }

    ManualClock m_clock {testNow()};
    Catalogue m_catalogue;
    qint64 m_userId = 0;
    qint64 m_support = 0;
    std::unique_ptr<LocalAuthenticator> m_auth;
    QTemporaryDir m_dir;
};

TEST_P(HeadlessSignInTest, ThePasswordVariableSignsInToTheOnlyMembership)
{
    Result<Session> session = signIn(sources(Password), QStringLiteral(" ops@vendor.EXAMPLE "));
    ASSERT_TRUE(session.has_value()) << text(session.error());
    EXPECT_EQ(session->userId(), m_userId);
    EXPECT_EQ(session->membershipId(), m_support);
    EXPECT_EQ(session->role(), Role::Support);
}

TEST_P(HeadlessSignInTest, APasswordThatMustBeChangedIsSentToTheDesktop)
{
    const QString flaggedEmail = QStringLiteral("flagged@vendor.example");
    addMembership(addUser(flaggedEmail, true), Role::Support);
    Result<Session> session = signIn(sources(Password), flaggedEmail);
    ASSERT_FALSE(session.has_value());
    EXPECT_TRUE(session.error().message().contains(QStringLiteral("Sign in once in the desktop")))
        << text(session.error());
}

TEST_P(HeadlessSignInTest, TheUserComesFromTheOptionElseTheVariable)
{
    HeadlessSignIn::Sources s = sources(Password);
    s.userVariable = Email;
    Result<Session> session = signIn(s, QString());
    ASSERT_TRUE(session.has_value()) << text(session.error());
    EXPECT_EQ(session->userId(), m_userId);

    Result<Session> nobody = signIn(sources(Password), QString());
    ASSERT_FALSE(nobody.has_value());
    EXPECT_TRUE(nobody.error().message().contains(QStringLiteral("--user EMAIL")))
        << text(nobody.error());
    EXPECT_TRUE(nobody.error().message().contains(QStringLiteral("RESELLERDESK_USER")));
}

TEST_P(HeadlessSignInTest, AWrongPasswordIsRefusedWithoutSayingWhichPartIsWrong)
{
    Result<Session> session = signIn(sources(QStringLiteral("not the password")), Email);
    ASSERT_FALSE(session.has_value());
    EXPECT_EQ(session.error().code(), ErrorCode::PermissionDenied);
    EXPECT_TRUE(session.error().message().contains(QStringLiteral("not correct")))
        << text(session.error());
    Result<Session> unknown = signIn(sources(Password), QStringLiteral("nobody@vendor.example"));
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().message(), session.error().message());
}

TEST_P(HeadlessSignInTest, APasswordFileMustBeTheOwnersOnly)
{
    const QFile::Permissions owner = QFile::ReadOwner | QFile::WriteOwner;
    Result<Session> session
        = signIn(sources(), Email, passwordFile(owner, Password.toUtf8() + "\nsecond line\n"));
    ASSERT_TRUE(session.has_value()) << text(session.error());

    Result<Session> shared
        = signIn(sources(), Email, passwordFile(owner | QFile::ReadOther, Password.toUtf8()));
    ASSERT_FALSE(shared.has_value());
    EXPECT_TRUE(shared.error().message().contains(QStringLiteral("chmod 600")))
        << text(shared.error());

    Result<Session> missing = signIn(sources(), Email, m_dir.filePath(QStringLiteral("none")));
    ASSERT_FALSE(missing.has_value());
    EXPECT_TRUE(missing.error().message().contains(QStringLiteral("There is no password file")));

    Result<Session> empty = signIn(sources(), Email, passwordFile(owner, "\n"));
    ASSERT_FALSE(empty.has_value());
    EXPECT_TRUE(empty.error().message().contains(QStringLiteral("is empty")));
}

TEST_P(HeadlessSignInTest, ThePasswordVariableComesBeforeTheFile)
{
    const QString wrongFile
        = passwordFile(QFile::ReadOwner | QFile::WriteOwner, "a wrong password, long enough");
    Result<Session> session = signIn(sources(Password), Email, wrongFile);
    EXPECT_TRUE(session.has_value()) << text(session.error());

    Result<Session> empty = signIn(sources(QString()), Email);
    ASSERT_FALSE(empty.has_value());
    EXPECT_TRUE(
        empty.error().message().contains(QStringLiteral("RESELLERDESK_PASSWORD is set but empty")));
}

TEST_P(HeadlessSignInTest, WithoutAnyPasswordSourceTheErrorNamesThemAll)
{
    Result<Session> session = signIn(sources(), Email);
    ASSERT_FALSE(session.has_value());
    const QString message = session.error().message();
    for (const char *source : {"RESELLERDESK_PASSWORD", "--password-file", "keychain", "terminal"})
        EXPECT_TRUE(message.contains(QLatin1String(source))) << message.toStdString();
}

TEST_P(HeadlessSignInTest, SeveralMembershipsAreListedUntilOneIsChosen)
{
    const qint64 portal = addMembership(m_userId, Role::ResellerAdmin);

    Result<Session> unchosen = signIn(sources(Password), Email);
    ASSERT_FALSE(unchosen.has_value());
    const QString list = unchosen.error().message();
    EXPECT_TRUE(list.contains(QStringLiteral("--membership"))) << list.toStdString();
    EXPECT_TRUE(list.contains(QStringLiteral("%1  Support").arg(m_support))) << list.toStdString();
    EXPECT_TRUE(
        list.contains(QStringLiteral("%1  Reseller Admin — Northwind Partners").arg(portal)))
        << list.toStdString();

    Result<Session> byId = signIn(sources(Password), Email, QString(), QString::number(portal));
    ASSERT_TRUE(byId.has_value()) << text(byId.error());
    EXPECT_EQ(byId->membershipId(), portal);
    EXPECT_EQ(byId->resellerId(), m_catalogue.resellerId);

    Result<Session> byName
        = signIn(sources(Password), Email, QString(), QStringLiteral("northwind partners"));
    ASSERT_TRUE(byName.has_value()) << text(byName.error());
    EXPECT_EQ(byName->membershipId(), portal);

    Result<Session> byRole = signIn(sources(Password), Email, QString(), QStringLiteral("Support"));
    ASSERT_TRUE(byRole.has_value()) << text(byRole.error());
    EXPECT_EQ(byRole->membershipId(), m_support);

    Result<Session> unknown
        = signIn(sources(Password), Email, QString(), QStringLiteral("Contoso"));
    ASSERT_FALSE(unknown.has_value());
    EXPECT_TRUE(unknown.error().message().contains(QStringLiteral("no membership “Contoso”")))
        << text(unknown.error());
}

TEST_P(HeadlessSignInTest, TheKeychainHoldsThePasswordPerUserAndDatabase)
{
    if (qEnvironmentVariableIsEmpty("RESELLERDESK_TEST_KEYRING")) {
        if (inCi())
            FAIL() << "The test keyring was not started: run the tests through scripts/test";
        GTEST_SKIP() << "The test keyring was not started";
    }
    CredentialStore keychain(
        QStringLiteral("ResellerDeskTest-") + QUuid::createUuid().toString(QUuid::Id128).left(13));
    const QString key = HeadlessSignIn::keychainKey(testDatabase().profile(), Email);
    EXPECT_TRUE(key.startsWith(QStringLiteral("signin:ops@vendor.example@"))) << key.toStdString();
    ASSERT_TRUE(keychain.write(key, Password));

    HeadlessSignIn::Sources s = sources();
    s.keychain = &keychain;
    Result<Session> session = signIn(s, Email);
    EXPECT_TRUE(session.has_value()) << text(session.error());
    EXPECT_TRUE(keychain.remove(key));
}

RD_INSTANTIATE_FOR_BACKENDS(HeadlessSignInTest);

} // namespace
