#include <stdexcept>
#include <vector>

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QUrl>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "TestDatabase.h"
#include "domain/EmailAddress.h"
#include "security/CredentialStore.h"
#include "security/PasswordHasher.h"
#include "signin/ChangePasswordDialog.h"
#include "signin/ConnectionDialog.h"
#include "signin/FirstRunDialog.h"
#include "storage/ConnectionProfile.h"

using namespace rd;
using rd::test::find;

namespace {

const QString StrongPassword = QStringLiteral("correct horse battery");

QLineEdit *edit(const QWidget &parent, const char *name)
{
    return find<QLineEdit>(parent, name);
}

QPushButton *okButton(const QWidget &parent)
{
    return find<QPushButton>(parent, "okButton");
}

QString reason(const QWidget &parent)
{
    return find<QLabel>(parent, "reasonLabel")->text();
}

void pressKey(QWidget *target, int key)
{
    QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier);
    QApplication::sendEvent(target, &press);
    QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier);
    QApplication::sendEvent(target, &release);
}

// The widgets Tab visits after start: the focus chain without the widgets
// that do not take focus by Tab (labels, containers) and those that hand it
// to a focus proxy (a spin box's line edit hands it to the spin box).
std::vector<QWidget *> tabSequence(QWidget *start, int count)
{
    std::vector<QWidget *> sequence;
    for (QWidget *w = start->nextInFocusChain(); w != start && std::ssize(sequence) < count;
         w = w->nextInFocusChain()) {
        if ((w->focusPolicy() & Qt::TabFocus) == Qt::TabFocus && w->focusProxy() == nullptr)
            sequence.push_back(w);
    }
    return sequence;
}

// Every input and button, and the reason label, can be found by GUI tests
// and is named for screen readers.
void expectNamedForTestsAndScreenReaders(const QDialog &dialog)
{
    int checked = 0;
    for (const QWidget *widget : dialog.findChildren<QWidget *>()) {
        const bool input = qobject_cast<const QLineEdit *>(widget) != nullptr
            || qobject_cast<const QAbstractButton *>(widget) != nullptr
            || qobject_cast<const QAbstractSpinBox *>(widget) != nullptr;
        // A spin box's own line edit is part of the spin box.
        if (!input || qobject_cast<const QAbstractSpinBox *>(widget->parentWidget()) != nullptr)
            continue;
        ++checked;
        EXPECT_FALSE(widget->objectName().isEmpty()) << widget->metaObject()->className();
        EXPECT_FALSE(widget->accessibleName().isEmpty()) << widget->objectName().toStdString();
    }
    EXPECT_GE(checked, 4);
    const auto *label = find<QLabel>(dialog, "reasonLabel");
    EXPECT_FALSE(label->accessibleName().isEmpty());
}

// GuiFixture's screenshot() for the dialogs here, which need no database.
struct Screenshots : rd::test::GuiFixture
{
    using GuiFixture::screenshot;
};

class ConnectionDialogTest : public ::testing::Test
{
protected:
    // A keychain service name of this process's own.
    static QString keychainService()
    {
        return QStringLiteral("ResellerDesk-test-signin-%1")
            .arg(QCoreApplication::applicationPid());
    }

    // Whether a secret service can be used; with RESELLERDESK_TEST_KEYRING=1
    // (scripts/test started gnome-keyring) it must.
    static bool keychainWorks(const CredentialStore &store)
    {
        Result<QString> probe = store.read(QStringLiteral("probe:nothing-here"));
        const bool works = probe || probe.error().code() != ErrorCode::Unavailable;
        // scripts/test starts a keyring (RESELLERDESK_TEST_KEYRING=1); in CI it
        // must work unless this is the run that hides it on purpose
        // (RESELLERDESK_TEST_NO_KEYCHAIN=1, see tests/ui/CMakeLists.txt).
        const bool hidden
            = qEnvironmentVariable("RESELLERDESK_TEST_NO_KEYCHAIN") == QLatin1String("1");
        if (hidden) {
            EXPECT_FALSE(works) << "the keychain was meant to be unreachable in this run";
        } else if (qEnvironmentVariable("RESELLERDESK_TEST_KEYRING") == QLatin1String("1")
            || qEnvironmentVariableIsSet("CI")) {
            EXPECT_TRUE(works) << probe.error().message().toStdString();
        }
        return works;
    }

    void SetUp() override
    {
        // Settings live in this process's own XDG_CONFIG_HOME (GuiTestMain).
        // QStandardPaths' test mode would move them to ~/.qttest, shared by
        // every test process ctest runs in parallel: one test's saved
        // connection then showed up in another's fresh dialog.
        QCoreApplication::setOrganizationName(QStringLiteral("ResellerDeskTests"));
        clearSettings();
    }

    void TearDown() override { clearSettings(); }

    static void clearSettings()
    {
        QSettings settings;
        settings.remove(QStringLiteral("connection"));
        settings.sync();
    }

    static void fillPostgres(const ConnectionDialog &dialog)
    {
        find<QRadioButton>(dialog, "postgresChoice")->setChecked(true);
        edit(dialog, "pgHost")->setText(QStringLiteral("db.example.com"));
        find<QSpinBox>(dialog, "pgPort")->setValue(6543);
        edit(dialog, "pgDatabase")->setText(QStringLiteral("rd_prod"));
        edit(dialog, "pgUser")->setText(QStringLiteral("a@b"));
        edit(dialog, "pgPassword")->setText(QStringLiteral("p:w/d@x"));
    }
};

} // namespace

// --- ConnectionDialog ------------------------------------------------------

TEST_F(ConnectionDialogTest, StartsWithAnSqliteFileInTheAppDataFolder)
{
    ConnectionDialog dialog;
    EXPECT_TRUE(find<QRadioButton>(dialog, "sqliteChoice")->isChecked());
    EXPECT_EQ(dialog.kind(), ConnectionDialog::Kind::SQLite);
    const QString expected = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                 .filePath(QStringLiteral("resellerdesk.sqlite"));
    EXPECT_EQ(edit(dialog, "sqlitePath")->text(), expected);
    EXPECT_EQ(dialog.connectionUrl(), QDir::cleanPath(expected));
    EXPECT_TRUE(okButton(dialog)->isEnabled());
    EXPECT_TRUE(reason(dialog).isEmpty());

    EXPECT_EQ(edit(dialog, "pgHost")->text(), QStringLiteral("localhost"));
    EXPECT_EQ(find<QSpinBox>(dialog, "pgPort")->value(), 5432);
    EXPECT_EQ(find<QSpinBox>(dialog, "pgPort")->minimum(), 1);
    EXPECT_EQ(find<QSpinBox>(dialog, "pgPort")->maximum(), 65535);
    EXPECT_EQ(edit(dialog, "pgDatabase")->text(), QStringLiteral("resellerdesk"));
    EXPECT_TRUE(edit(dialog, "pgUser")->text().isEmpty());
    EXPECT_EQ(edit(dialog, "pgPassword")->echoMode(), QLineEdit::Password);
}

TEST_F(ConnectionDialogTest, SwitchingTheKindEnablesOnlyItsFields)
{
    ConnectionDialog dialog;
    const char *const sqliteFields[] = {"sqlitePath", "browseButton"};
    const char *const postgresFields[] = {"pgHost", "pgPort", "pgDatabase", "pgUser", "pgPassword"};

    for (const char *name : sqliteFields)
        EXPECT_TRUE(find<QWidget>(dialog, name)->isEnabled()) << name;
    for (const char *name : postgresFields)
        EXPECT_FALSE(find<QWidget>(dialog, name)->isEnabled()) << name;

    find<QRadioButton>(dialog, "postgresChoice")->setChecked(true);
    EXPECT_EQ(dialog.kind(), ConnectionDialog::Kind::PostgreSQL);
    EXPECT_FALSE(find<QRadioButton>(dialog, "sqliteChoice")->isChecked());
    for (const char *name : sqliteFields)
        EXPECT_FALSE(find<QWidget>(dialog, name)->isEnabled()) << name;
    for (const char *name : postgresFields)
        EXPECT_TRUE(find<QWidget>(dialog, name)->isEnabled()) << name;

    find<QRadioButton>(dialog, "sqliteChoice")->setChecked(true);
    EXPECT_EQ(dialog.kind(), ConnectionDialog::Kind::SQLite);
    EXPECT_TRUE(edit(dialog, "sqlitePath")->isEnabled());
    EXPECT_FALSE(edit(dialog, "pgHost")->isEnabled());
}

TEST_F(ConnectionDialogTest, AnEmptySqlitePathDisablesOk)
{
    ConnectionDialog dialog;
    for (const QString &path : {QString(), QStringLiteral("   ")}) {
        edit(dialog, "sqlitePath")->setText(path);
        EXPECT_FALSE(okButton(dialog)->isEnabled());
        EXPECT_FALSE(reason(dialog).isEmpty());
    }
    edit(dialog, "sqlitePath")->setText(QStringLiteral("x.sqlite"));
    EXPECT_TRUE(okButton(dialog)->isEnabled());
    EXPECT_TRUE(reason(dialog).isEmpty());
}

TEST_F(ConnectionDialogTest, TheSqliteUrlIsTheAbsoluteFilePath)
{
    ConnectionDialog dialog;
    edit(dialog, "sqlitePath")->setText(QStringLiteral("  some/dir/../data.sqlite "));
    EXPECT_EQ(dialog.connectionUrl(),
        QDir::cleanPath(QDir::current().absoluteFilePath(QStringLiteral("some/data.sqlite"))));
    EXPECT_TRUE(QDir::isAbsolutePath(dialog.connectionUrl()));
}

TEST_F(ConnectionDialogTest, EachMissingPostgresFieldDisablesOkWithAReason)
{
    struct Case
    {
        const char *field;
        QString value;
    };
    const Case cases[] = {
        {"pgHost", QString()},
        {"pgHost", QStringLiteral("  ")},
        {"pgHost", QStringLiteral("bad host name")},
        {"pgDatabase", QString()},
        {"pgDatabase", QStringLiteral("a/b")},
        {"pgUser", QString()},
    };
    for (const Case &c : cases) {
        ConnectionDialog dialog;
        fillPostgres(dialog);
        ASSERT_TRUE(okButton(dialog)->isEnabled());
        edit(dialog, c.field)->setText(c.value);
        EXPECT_FALSE(okButton(dialog)->isEnabled()) << c.field << " = " << c.value.toStdString();
        EXPECT_FALSE(reason(dialog).isEmpty()) << c.field;
    }
}

TEST_F(ConnectionDialogTest, AnEmptyPostgresPasswordIsAllowed)
{
    ConnectionDialog dialog;
    fillPostgres(dialog);
    edit(dialog, "pgPassword")->clear();
    EXPECT_TRUE(okButton(dialog)->isEnabled());
    const QUrl url(dialog.connectionUrl());
    EXPECT_TRUE(url.password().isEmpty());
    EXPECT_EQ(url.userName(QUrl::FullyDecoded), QStringLiteral("a@b"));
}

TEST_F(ConnectionDialogTest, ThePostgresUrlPercentEncodesSpecialCharacters)
{
    ConnectionDialog dialog;
    fillPostgres(dialog);
    EXPECT_TRUE(okButton(dialog)->isEnabled());
    EXPECT_TRUE(reason(dialog).isEmpty());

    const QString text = dialog.connectionUrl();
    EXPECT_TRUE(text.startsWith(QLatin1String("postgresql://"))) << text.toStdString();
    const QUrl url(text, QUrl::StrictMode);
    ASSERT_TRUE(url.isValid()) << url.errorString().toStdString();
    EXPECT_EQ(url.scheme(), QStringLiteral("postgresql"));
    EXPECT_EQ(url.userName(QUrl::FullyDecoded), QStringLiteral("a@b"));
    EXPECT_EQ(url.password(QUrl::FullyDecoded), QStringLiteral("p:w/d@x"));
    EXPECT_EQ(url.password(), QStringLiteral("p:w/d@x"));
    EXPECT_EQ(url.host(), QStringLiteral("db.example.com"));
    EXPECT_EQ(url.port(), 6543);
    EXPECT_EQ(url.path(), QStringLiteral("/rd_prod"));

    // A '%' is literal too, never read as an escape.
    edit(dialog, "pgPassword")->setText(QStringLiteral("100%41 sure?#"));
    EXPECT_EQ(
        QUrl(dialog.connectionUrl()).password(QUrl::FullyDecoded), QStringLiteral("100%41 sure?#"));
}

TEST_F(ConnectionDialogTest, RemembersEverythingButThePassword)
{
    const QString password = QStringLiteral("Unforgettable-Secret-42");
    {
        ConnectionDialog dialog;
        fillPostgres(dialog);
        edit(dialog, "pgPassword")->setText(password);
        edit(dialog, "sqlitePath")->setText(QStringLiteral("/tmp/remembered.sqlite"));
        okButton(dialog)->click();
        EXPECT_EQ(dialog.result(), QDialog::Accepted);
    }

    ConnectionDialog restored;
    EXPECT_EQ(restored.kind(), ConnectionDialog::Kind::PostgreSQL);
    EXPECT_TRUE(find<QRadioButton>(restored, "postgresChoice")->isChecked());
    EXPECT_EQ(edit(restored, "sqlitePath")->text(), QStringLiteral("/tmp/remembered.sqlite"));
    EXPECT_EQ(edit(restored, "pgHost")->text(), QStringLiteral("db.example.com"));
    EXPECT_EQ(find<QSpinBox>(restored, "pgPort")->value(), 6543);
    EXPECT_EQ(edit(restored, "pgDatabase")->text(), QStringLiteral("rd_prod"));
    EXPECT_EQ(edit(restored, "pgUser")->text(), QStringLiteral("a@b"));
    EXPECT_TRUE(edit(restored, "pgPassword")->text().isEmpty());
    EXPECT_TRUE(okButton(restored)->isEnabled());

    QSettings settings;
    settings.sync();
    const QStringList keys = settings.allKeys();
    EXPECT_TRUE(keys.contains(QStringLiteral("connection/pgUser")));
    for (const QString &key : keys) {
        EXPECT_FALSE(key.contains(password, Qt::CaseInsensitive)) << key.toStdString();
        const QVariant value = settings.value(key);
        EXPECT_FALSE(value.toString().contains(password)) << key.toStdString();
        for (const QString &item : value.toStringList())
            EXPECT_FALSE(item.contains(password)) << key.toStdString();
    }
    QFile file(settings.fileName());
    ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << settings.fileName().toStdString();
    EXPECT_FALSE(file.readAll().contains(password.toUtf8()));
}

TEST_F(ConnectionDialogTest, RemembersTheSqliteChoice)
{
    {
        ConnectionDialog dialog;
        find<QRadioButton>(dialog, "postgresChoice")->setChecked(true);
        find<QRadioButton>(dialog, "sqliteChoice")->setChecked(true);
        edit(dialog, "sqlitePath")->setText(QStringLiteral("/srv/rd/main.db"));
        dialog.accept();
    }
    ConnectionDialog restored;
    EXPECT_EQ(restored.kind(), ConnectionDialog::Kind::SQLite);
    EXPECT_EQ(restored.connectionUrl(), QStringLiteral("/srv/rd/main.db"));
}

TEST_F(ConnectionDialogTest, RecentConnectionsAreOfferedWithoutPasswords)
{
    const QString password = QStringLiteral("Unforgettable-Secret-42");
    {
        ConnectionDialog dialog;
        fillPostgres(dialog);
        edit(dialog, "pgPassword")->setText(password);
        dialog.accept();
    }
    for (int i = 0; i < 2; ++i) { // the same file twice: listed once
        ConnectionDialog dialog;
        find<QRadioButton>(dialog, "sqliteChoice")->setChecked(true);
        edit(dialog, "sqlitePath")->setText(QStringLiteral("/srv/rd/main.db"));
        dialog.accept();
    }

    ConnectionDialog restored;
    auto *recent = find<QComboBox>(restored, "recentConnections");
    ASSERT_EQ(recent->count(), 3) << "a prompt, then the two connections, newest first";
    EXPECT_TRUE(recent->itemText(1).contains(QStringLiteral("/srv/rd/main.db")));
    EXPECT_TRUE(recent->itemText(2).contains(QStringLiteral("db.example.com")));
    EXPECT_FALSE(recent->itemText(2).contains(password));

    Q_EMIT recent->activated(2);
    EXPECT_EQ(restored.kind(), ConnectionDialog::Kind::PostgreSQL);
    EXPECT_EQ(edit(restored, "pgHost")->text(), QStringLiteral("db.example.com"));
    EXPECT_EQ(find<QSpinBox>(restored, "pgPort")->value(), 6543);
    EXPECT_TRUE(edit(restored, "pgPassword")->text().isEmpty());

    Q_EMIT recent->activated(1);
    EXPECT_EQ(restored.kind(), ConnectionDialog::Kind::SQLite);
    EXPECT_EQ(restored.connectionUrl(), QStringLiteral("/srv/rd/main.db"));

    QSettings settings;
    QFile file(settings.fileName());
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    EXPECT_FALSE(file.readAll().contains(password.toUtf8()));
}

TEST_F(ConnectionDialogTest, CancelSavesNothing)
{
    {
        ConnectionDialog dialog;
        fillPostgres(dialog);
        dialog.show();
        pressKey(edit(dialog, "pgUser"), Qt::Key_Escape);
        EXPECT_EQ(dialog.result(), QDialog::Rejected);
        EXPECT_FALSE(dialog.isVisible());
    }
    ConnectionDialog restored;
    EXPECT_EQ(restored.kind(), ConnectionDialog::Kind::SQLite);
    EXPECT_TRUE(edit(restored, "pgUser")->text().isEmpty());
}

TEST_F(ConnectionDialogTest, EnterAcceptsOnlyWhenValid)
{
    ConnectionDialog dialog;
    fillPostgres(dialog);
    edit(dialog, "pgUser")->clear();
    dialog.show();
    pressKey(edit(dialog, "pgHost"), Qt::Key_Return);
    EXPECT_TRUE(dialog.isVisible());

    edit(dialog, "pgUser")->setText(QStringLiteral("alice"));
    pressKey(edit(dialog, "pgHost"), Qt::Key_Return);
    EXPECT_FALSE(dialog.isVisible());
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
}

TEST_F(ConnectionDialogTest, SetErrorShowsTheRefusalUntilTheNextEdit)
{
    ConnectionDialog dialog;
    fillPostgres(dialog);
    dialog.setError(QStringLiteral("The server refused the password."));
    EXPECT_EQ(reason(dialog), QStringLiteral("The server refused the password."));
    EXPECT_TRUE(okButton(dialog)->isEnabled());
    edit(dialog, "pgPassword")->setText(QStringLiteral("another"));
    EXPECT_TRUE(reason(dialog).isEmpty());
}

TEST_F(ConnectionDialogTest, WidgetsAreNamedForTestsAndScreenReaders)
{
    ConnectionDialog dialog;
    expectNamedForTestsAndScreenReaders(dialog);
}

TEST_F(ConnectionDialogTest, WithACredentialStoreTooTheWidgetsAreNamed)
{
    CredentialStore store(keychainService());
    ConnectionDialog dialog;
    dialog.setCredentialStore(&store);
    expectNamedForTestsAndScreenReaders(dialog);
}

// --- ConnectionDialog and the keychain -------------------------------------

TEST_F(ConnectionDialogTest, WithoutACredentialStoreThereIsNothingToRemember)
{
    ConnectionDialog dialog;
    dialog.show();
    fillPostgres(dialog);
    EXPECT_FALSE(find<QCheckBox>(dialog, "rememberPassword")->isVisible());
    EXPECT_FALSE(find<QLabel>(dialog, "keychainNote")->isVisible());
}

TEST_F(ConnectionDialogTest, AnUnavailableKeychainIsExplainedAndThePasswordIsTypedEachTime)
{
    CredentialStore store(keychainService());
    if (keychainWorks(store))
        GTEST_SKIP() << "a secret service is running: covered by the round trip";
    {
        ConnectionDialog dialog;
        fillPostgres(dialog);
        dialog.accept();
    }
    ConnectionDialog dialog;
    dialog.show();
    dialog.setCredentialStore(&store);
    Result<QString> probe = store.read(QStringLiteral("probe"));
    ASSERT_FALSE(probe.has_value());
    auto *note = find<QLabel>(dialog, "keychainNote");
    EXPECT_TRUE(note->isVisible());
    EXPECT_TRUE(note->text().contains(probe.error().message())) << note->text().toStdString();
    auto *remember = find<QCheckBox>(dialog, "rememberPassword");
    EXPECT_TRUE(remember->isVisible());
    EXPECT_FALSE(remember->isEnabled());
    EXPECT_FALSE(remember->isChecked());
    EXPECT_TRUE(edit(dialog, "pgPassword")->text().isEmpty());
    Screenshots::screenshot(&dialog, QStringLiteral("connection-keychain-unavailable"));

    // Opening still works; the password goes nowhere.
    edit(dialog, "pgPassword")->setText(QStringLiteral("typed-each-time"));
    okButton(dialog)->click();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
}

TEST_F(ConnectionDialogTest, ARememberedPasswordIsFilledInAndCanBeForgotten)
{
    CredentialStore store(keychainService());
    if (!keychainWorks(store)) {
        // scripts/test starts a keyring: in CI its absence is a failure.
        if (::rd::test::inCi())
            FAIL() << "no secret service in this test run";
        GTEST_SKIP() << "no secret service in this test run";
    }
    const QString password = QStringLiteral("Db-Secret-%1").arg(QCoreApplication::applicationPid());
    const QString key = CredentialStore::databaseKey(ConnectionProfile::postgres(
        QStringLiteral("db.example.com"), 6543, QStringLiteral("rd_prod"), QStringLiteral("a@b")));
    {
        ConnectionDialog dialog;
        dialog.setCredentialStore(&store);
        fillPostgres(dialog);
        edit(dialog, "pgPassword")->setText(password);
        auto *remember = find<QCheckBox>(dialog, "rememberPassword");
        EXPECT_TRUE(remember->isEnabled());
        EXPECT_FALSE(remember->isChecked()) << "remembering is the user's choice";
        remember->setChecked(true);
        Screenshots::screenshot(&dialog, QStringLiteral("connection-remember"));
        okButton(dialog)->click();
        ASSERT_EQ(dialog.result(), QDialog::Accepted);
    }
    Result<QString> kept = store.read(key);
    ASSERT_TRUE(kept.has_value()) << kept.error().message().toStdString();
    EXPECT_EQ(*kept, password);
    QSettings settings;
    settings.sync();
    for (const QString &settingKey : settings.allKeys())
        EXPECT_FALSE(settings.value(settingKey).toString().contains(password));

    // The last profile opens with its password filled in.
    {
        ConnectionDialog dialog;
        dialog.setCredentialStore(&store);
        EXPECT_EQ(edit(dialog, "pgPassword")->text(), password);
        EXPECT_TRUE(find<QCheckBox>(dialog, "rememberPassword")->isChecked());
        EXPECT_FALSE(find<QLabel>(dialog, "keychainNote")->isVisible());

        // So does the profile picked from the recent list, after another one.
        find<QRadioButton>(dialog, "sqliteChoice")->setChecked(true);
        edit(dialog, "sqlitePath")->setText(QStringLiteral("/srv/rd/other.db"));
        dialog.accept();
    }
    {
        ConnectionDialog dialog;
        dialog.setCredentialStore(&store);
        auto *recent = find<QComboBox>(dialog, "recentConnections");
        ASSERT_EQ(recent->count(), 3);
        EXPECT_TRUE(edit(dialog, "pgPassword")->text().isEmpty());
        recent->setCurrentIndex(2);
        emit recent->activated(2);
        EXPECT_EQ(dialog.kind(), ConnectionDialog::Kind::PostgreSQL);
        EXPECT_EQ(edit(dialog, "pgPassword")->text(), password);
        EXPECT_TRUE(find<QCheckBox>(dialog, "rememberPassword")->isChecked());

        // Unchecked and opened: forgotten.
        find<QCheckBox>(dialog, "rememberPassword")->setChecked(false);
        okButton(dialog)->click();
        ASSERT_EQ(dialog.result(), QDialog::Accepted);
    }
    Result<QString> removed = store.read(key);
    ASSERT_FALSE(removed.has_value());
    EXPECT_EQ(removed.error().code(), ErrorCode::NotFound);

    ConnectionDialog dialog;
    dialog.setCredentialStore(&store);
    EXPECT_TRUE(edit(dialog, "pgPassword")->text().isEmpty());
    EXPECT_FALSE(find<QCheckBox>(dialog, "rememberPassword")->isChecked());
}

// --- FirstRunDialog --------------------------------------------------------

namespace {

void fillFirstRun(const FirstRunDialog &dialog)
{
    edit(dialog, "email")->setText(QStringLiteral("  admin@example.com "));
    edit(dialog, "name")->setText(QStringLiteral(" Ada Admin "));
    edit(dialog, "password")->setText(StrongPassword);
    edit(dialog, "confirm")->setText(StrongPassword);
}

} // namespace

TEST(FirstRunDialog, OkIsDisabledUntilTheFormIsFilled)
{
    FirstRunDialog dialog;
    EXPECT_FALSE(okButton(dialog)->isEnabled());
    EXPECT_FALSE(reason(dialog).isEmpty());
    EXPECT_EQ(edit(dialog, "password")->echoMode(), QLineEdit::Password);
    EXPECT_EQ(edit(dialog, "confirm")->echoMode(), QLineEdit::Password);

    fillFirstRun(dialog);
    EXPECT_TRUE(okButton(dialog)->isEnabled());
    EXPECT_TRUE(reason(dialog).isEmpty());
    EXPECT_EQ(dialog.email(), QStringLiteral("admin@example.com"));
    EXPECT_EQ(dialog.displayName(), QStringLiteral("Ada Admin"));
    EXPECT_EQ(dialog.password(), StrongPassword);
}

TEST(FirstRunDialog, EachInvalidFieldDisablesOkWithAReason)
{
    struct Case
    {
        const char *field;
        QString value;
    };
    const Case cases[] = {
        {"email", QString()},
        {"email", QStringLiteral("admin")},
        {"email", QStringLiteral("admin@@example.com")},
        {"email", QStringLiteral("ad min@example.com")},
        {"name", QString()},
        {"name", QStringLiteral("   ")},
        {"name", QString(201, QLatin1Char('n'))},
        {"password", QStringLiteral("short")},
        {"confirm", StrongPassword + QLatin1Char('!')},
        {"confirm", QString()},
    };
    for (const Case &c : cases) {
        FirstRunDialog dialog;
        fillFirstRun(dialog);
        edit(dialog, c.field)->setText(c.value);
        EXPECT_FALSE(okButton(dialog)->isEnabled()) << c.field << " = " << c.value.toStdString();
        EXPECT_FALSE(reason(dialog).isEmpty()) << c.field;
    }
}

TEST(FirstRunDialog, TheReasonIsTheCoresMessageForTheFirstProblem)
{
    FirstRunDialog dialog;
    edit(dialog, "email")->setText(QStringLiteral("admin"));
    edit(dialog, "password")->setText(QStringLiteral("short"));
    EXPECT_EQ(reason(dialog), EmailAddress::parse(QStringLiteral("admin")).error().message());

    edit(dialog, "email")->setText(QStringLiteral("admin@example.com"));
    edit(dialog, "name")->setText(QStringLiteral("Ada"));
    EXPECT_EQ(
        reason(dialog), PasswordHasher::checkStrength(QStringLiteral("short")).error().message());

    edit(dialog, "password")->setText(StrongPassword);
    edit(dialog, "confirm")->setText(QStringLiteral("something else entirely"));
    EXPECT_EQ(reason(dialog), QStringLiteral("The two passwords differ."));
}

TEST(FirstRunDialog, NameLengthCountsCharactersUpTo200)
{
    FirstRunDialog dialog;
    fillFirstRun(dialog);
    QString emoji200;
    for (int i = 0; i < 200; ++i)
        emoji200 += QString::fromUcs4(U"\U0001F600", 1);
    edit(dialog, "name")->setText(emoji200);
    EXPECT_TRUE(okButton(dialog)->isEnabled()) << reason(dialog).toStdString();
    edit(dialog, "name")->setText(QString(200, QLatin1Char('n')));
    EXPECT_TRUE(okButton(dialog)->isEnabled());
}

TEST(FirstRunDialog, KeyboardEnterAcceptsWhenValidAndEscapeCancels)
{
    {
        FirstRunDialog dialog;
        dialog.show();
        pressKey(edit(dialog, "email"), Qt::Key_Return);
        EXPECT_TRUE(dialog.isVisible());
        fillFirstRun(dialog);
        pressKey(edit(dialog, "confirm"), Qt::Key_Enter);
        EXPECT_FALSE(dialog.isVisible());
        EXPECT_EQ(dialog.result(), QDialog::Accepted);
    }
    {
        FirstRunDialog dialog;
        fillFirstRun(dialog);
        dialog.show();
        pressKey(edit(dialog, "name"), Qt::Key_Escape);
        EXPECT_FALSE(dialog.isVisible());
        EXPECT_EQ(dialog.result(), QDialog::Rejected);
    }
}

TEST(FirstRunDialog, TabGoesThroughTheFieldsInOrder)
{
    FirstRunDialog dialog;
    const std::vector<QWidget *> expected = {edit(dialog, "name"), edit(dialog, "password"),
        edit(dialog, "confirm"), okButton(dialog), find<QPushButton>(dialog, "cancelButton")};
    EXPECT_EQ(tabSequence(edit(dialog, "email"), 5), expected);
}

TEST(FirstRunDialog, SetErrorShowsTheRefusal)
{
    FirstRunDialog dialog;
    fillFirstRun(dialog);
    dialog.setError(QStringLiteral("This database already has users."));
    EXPECT_EQ(reason(dialog), QStringLiteral("This database already has users."));
    edit(dialog, "name")->setText(QStringLiteral("Ada"));
    EXPECT_TRUE(reason(dialog).isEmpty());
}

TEST(FirstRunDialog, DemoDataIsOfferedInstead)
{
    FirstRunDialog dialog;
    dialog.show();
    find<QPushButton>(dialog, "demoDataButton")->click();
    EXPECT_EQ(dialog.result(), FirstRunDialog::UseDemoData);
    EXPECT_FALSE(dialog.isVisible());
}

TEST(FirstRunDialog, WidgetsAreNamedForTestsAndScreenReaders)
{
    FirstRunDialog dialog;
    expectNamedForTestsAndScreenReaders(dialog);
}

// --- ChangePasswordDialog --------------------------------------------------

TEST(ChangePasswordDialog, OkIsDisabledUntilAStrongPasswordIsConfirmed)
{
    ChangePasswordDialog dialog;
    EXPECT_FALSE(okButton(dialog)->isEnabled());
    EXPECT_FALSE(reason(dialog).isEmpty());
    EXPECT_EQ(edit(dialog, "newPassword")->echoMode(), QLineEdit::Password);
    EXPECT_EQ(edit(dialog, "confirm")->echoMode(), QLineEdit::Password);

    edit(dialog, "newPassword")->setText(StrongPassword);
    EXPECT_FALSE(okButton(dialog)->isEnabled());
    EXPECT_EQ(reason(dialog), QStringLiteral("The two passwords differ."));

    edit(dialog, "confirm")->setText(StrongPassword);
    EXPECT_TRUE(okButton(dialog)->isEnabled());
    EXPECT_TRUE(reason(dialog).isEmpty());
    EXPECT_EQ(dialog.newPassword(), StrongPassword);
}

TEST(ChangePasswordDialog, ASignedInUserMustGiveTheCurrentPassword)
{
    ChangePasswordDialog dialog;
    EXPECT_EQ(dialog.findChild<QLineEdit *>(QStringLiteral("currentPassword")), nullptr);
    dialog.requireCurrentPassword();
    QLineEdit *current = edit(dialog, "currentPassword");
    EXPECT_EQ(current->echoMode(), QLineEdit::Password);
    edit(dialog, "newPassword")->setText(StrongPassword);
    edit(dialog, "confirm")->setText(StrongPassword);
    EXPECT_FALSE(okButton(dialog)->isEnabled());
    EXPECT_EQ(reason(dialog), QStringLiteral("Enter your current password."));
    current->setText(QStringLiteral("the old one"));
    EXPECT_TRUE(okButton(dialog)->isEnabled());
    EXPECT_EQ(dialog.currentPassword(), QStringLiteral("the old one"));
    expectNamedForTestsAndScreenReaders(dialog);
}

TEST(ChangePasswordDialog, WeakOrMismatchedPasswordsDisableOkWithAReason)
{
    const QString tooLong(PasswordHasher::MaximumLength + 1, QLatin1Char('x'));
    const std::pair<QString, QString> cases[] = {
        {QString(), QString()},
        {QStringLiteral("short"), QStringLiteral("short")},
        {QString(PasswordHasher::MinimumLength - 1, QLatin1Char('x')),
            QString(PasswordHasher::MinimumLength - 1, QLatin1Char('x'))},
        {tooLong, tooLong},
        {StrongPassword, StrongPassword.toUpper()},
        {StrongPassword, StrongPassword + QLatin1Char(' ')},
    };
    for (const auto &[password, confirm] : cases) {
        ChangePasswordDialog dialog;
        edit(dialog, "newPassword")->setText(password);
        edit(dialog, "confirm")->setText(confirm);
        EXPECT_FALSE(okButton(dialog)->isEnabled()) << password.size();
        EXPECT_FALSE(reason(dialog).isEmpty()) << password.size();
    }
    ChangePasswordDialog dialog;
    edit(dialog, "newPassword")->setText(QStringLiteral("short"));
    EXPECT_EQ(
        reason(dialog), PasswordHasher::checkStrength(QStringLiteral("short")).error().message());
}

TEST(ChangePasswordDialog, SetErrorShowsTheServersRefusalUntilTheNextEdit)
{
    ChangePasswordDialog dialog;
    edit(dialog, "newPassword")->setText(StrongPassword);
    edit(dialog, "confirm")->setText(StrongPassword);
    dialog.setError(QStringLiteral("You used this password before."));
    EXPECT_EQ(reason(dialog), QStringLiteral("You used this password before."));
    EXPECT_EQ(edit(dialog, "newPassword")->selectedText(), StrongPassword);

    edit(dialog, "newPassword")->setText(StrongPassword + QLatin1Char('2'));
    EXPECT_EQ(reason(dialog), QStringLiteral("The two passwords differ."));
}

TEST(ChangePasswordDialog, KeyboardEnterAcceptsWhenValidAndEscapeCancels)
{
    {
        ChangePasswordDialog dialog;
        dialog.show();
        edit(dialog, "newPassword")->setText(StrongPassword);
        pressKey(edit(dialog, "newPassword"), Qt::Key_Return);
        EXPECT_TRUE(dialog.isVisible());
        edit(dialog, "confirm")->setText(StrongPassword);
        pressKey(edit(dialog, "confirm"), Qt::Key_Return);
        EXPECT_FALSE(dialog.isVisible());
        EXPECT_EQ(dialog.result(), QDialog::Accepted);
    }
    {
        ChangePasswordDialog dialog;
        dialog.show();
        pressKey(edit(dialog, "newPassword"), Qt::Key_Escape);
        EXPECT_FALSE(dialog.isVisible());
        EXPECT_EQ(dialog.result(), QDialog::Rejected);
    }
}

TEST(ChangePasswordDialog, TabGoesThroughTheFieldsInOrder)
{
    ChangePasswordDialog dialog;
    const std::vector<QWidget *> expected
        = {edit(dialog, "confirm"), okButton(dialog), find<QPushButton>(dialog, "cancelButton")};
    EXPECT_EQ(tabSequence(edit(dialog, "newPassword"), 3), expected);
}

TEST(ChangePasswordDialog, WidgetsAreNamedForTestsAndScreenReaders)
{
    ChangePasswordDialog dialog;
    expectNamedForTestsAndScreenReaders(dialog);
}

TEST_F(ConnectionDialogTest, TabGoesThroughTheFieldsInOrder)
{
    CredentialStore store(keychainService());
    ConnectionDialog dialog;
    dialog.setCredentialStore(&store);
    const std::vector<QWidget *> expected
        = {edit(dialog, "sqlitePath"), find<QWidget>(dialog, "browseButton"),
            find<QWidget>(dialog, "postgresChoice"), edit(dialog, "pgHost"),
            find<QWidget>(dialog, "pgPort"), edit(dialog, "pgDatabase"), edit(dialog, "pgUser"),
            edit(dialog, "pgPassword"), find<QWidget>(dialog, "rememberPassword"), okButton(dialog),
            find<QPushButton>(dialog, "cancelButton")};
    EXPECT_EQ(tabSequence(find<QWidget>(dialog, "sqliteChoice"), 11), expected);
}
