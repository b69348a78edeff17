#include <functional>
#include <stdexcept>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "common/ReasonDialog.h"
#include "users/AddUserDialog.h"
#include "users/ChangeRoleDialog.h"
#include "users/UserTableModel.h"
#include "users/UsersPage.h"

using namespace rd;
using namespace rd::test;

namespace {

// True once done() holds, waiting (with events processed) at most timeoutMs.
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 3000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs)
        QTest::qWait(10);
    return done();
}

void selectRole(QComboBox *combo, Role role)
{
    const int index = combo->findData(static_cast<int>(role));
    if (index < 0)
        throw std::runtime_error("role not offered: " + roleKey(role).toStdString());
    combo->setCurrentIndex(index);
}

QList<Role> offeredRoles(const QComboBox *combo)
{
    QList<Role> roles;
    for (int i = 0; i < combo->count(); ++i)
        roles.append(static_cast<Role>(combo->itemData(i).toInt()));
    return roles;
}

class UsersPageTest : public GuiBackendFixture
{
protected:
    // The listed membership of email in the context named context.
    std::optional<UserListRow> membership(
        const Session &session, const QString &email, const QString &context = {})
    {
        Result<QList<UserListRow>> rows = m_users->listUsers(session);
        if (!rows)
            return std::nullopt;
        for (const UserListRow &row : *rows) {
            if (row.email.compare(email, Qt::CaseInsensitive) == 0
                && (context.isEmpty() || row.contextName == context))
                return row;
        }
        return std::nullopt;
    }

    // Fills the common fields of the Add User dialog.
    static void fill(AddUserDialog &dialog, const QString &email, const QString &name, Role role)
    {
        QTest::keyClicks(find<QLineEdit>(dialog, "email"), email);
        QTest::keyClicks(find<QLineEdit>(dialog, "displayName"), name);
        selectRole(find<QComboBox>(dialog, "role"), role);
    }
};

} // namespace

TEST_P(UsersPageTest, AdministratorSeesEveryMembershipInTheModel)
{
    const Session session = admin();
    UsersPage page(session, services());
    QAbstractItemModelTester tester(
        page.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    page.refresh();

    const Result<QList<UserListRow>> all = m_users->listUsers(session);
    ASSERT_TRUE(all.has_value());
    EXPECT_EQ(page.model()->rowCount(), all->size());
    EXPECT_GT(page.model()->rowCount(), 320) << "staff, resellers and every client admin";
    EXPECT_TRUE(find<QLabel>(page, "userCount")->text().contains(QString::number(all->size())));

    UserTableModel *model = page.model();
    const auto text
        = [model](int row, int column) { return model->index(row, column).data().toString(); };
    bool sawVendor = false;
    bool sawNever = false;
    for (int row = 0; row < model->rowCount(); ++row) {
        const UserListRow *user = model->userAt(row);
        ASSERT_NE(user, nullptr);
        EXPECT_EQ(text(row, UserTableModel::Role), roleDisplayName(user->role));
        EXPECT_EQ(text(row, UserTableModel::Status), QStringLiteral("Active"));
        if (contextKindOf(user->role) == ContextKind::Vendor) {
            EXPECT_EQ(text(row, UserTableModel::Context), UserService::vendorContextName());
            sawVendor = true;
        }
        if (!user->lastLoginAt.isValid()) {
            EXPECT_EQ(text(row, UserTableModel::LastSignIn), QStringLiteral("Never"));
            sawNever = true;
        }
    }
    EXPECT_TRUE(sawVendor);
    EXPECT_TRUE(sawNever);

    // The filter: the start of the email, the name or the context, applied
    // by the database once typing pauses; the count follows it.
    const QString term = QStringLiteral("Northwind");
    int expected = 0;
    for (const UserListRow &row : std::as_const(*all)) {
        if (row.email.startsWith(term, Qt::CaseInsensitive)
            || row.displayName.startsWith(term, Qt::CaseInsensitive)
            || (contextKindOf(row.role) != ContextKind::Vendor
                && row.contextName.startsWith(term, Qt::CaseInsensitive)))
            ++expected;
    }
    ASSERT_GT(expected, 0);
    QTest::keyClicks(page.filterBox(), term);
    ASSERT_TRUE(QTest::qWaitFor([&] { return model->query().filter == term; }, 3000));
    EXPECT_EQ(page.view()->model()->rowCount(), expected);
    EXPECT_TRUE(find<QLabel>(page, "userCount")
                    ->text()
                    .startsWith(QStringLiteral("Showing %1 of").arg(expected)));
    for (int row = 0; row < model->rowCount(); ++row)
        EXPECT_TRUE(text(row, UserTableModel::Context).startsWith(term)
            || text(row, UserTableModel::Email).startsWith(term, Qt::CaseInsensitive)
            || text(row, UserTableModel::Name).startsWith(term, Qt::CaseInsensitive));
    page.filterBox()->clear();
    page.resize(1100, 600);
    screenshot(&page, QStringLiteral("users-page-admin"));
}

TEST_P(UsersPageTest, StatusSaysInactiveAndLockedInWords)
{
    UserListRow row;
    row.role = Role::Support;
    EXPECT_EQ(UserTableModel::statusText(row), QStringLiteral("Active"));
    EXPECT_EQ(UserTableModel::contextText(row), UserService::vendorContextName());
    row.locked = true;
    EXPECT_EQ(UserTableModel::statusText(row), QStringLiteral("Locked"));
    row.active = false;
    EXPECT_EQ(UserTableModel::statusText(row), QStringLiteral("Inactive"));
}

TEST_P(UsersPageTest, AdministratorAddsASupportUser)
{
    const Session session = admin();
    AddUserDialog dialog(session, services());
    dialog.show();
    EXPECT_FALSE(find<QPushButton>(dialog, "addButton")->isEnabled());
    EXPECT_TRUE(find<QCheckBox>(dialog, "sendInvitation")->isChecked());
    fill(dialog, QStringLiteral("sam.second@demo.resellerdesk.test"), QStringLiteral("Sam Second"),
        Role::Support);
    // A vendor role has no context to choose.
    EXPECT_TRUE(find<QLabel>(dialog, "vendorContext")->isVisible());
    EXPECT_FALSE(find<QComboBox>(dialog, "resellerContext")->isVisible());
    EXPECT_FALSE(find<QLineEdit>(dialog, "customerSearch")->isVisible());
    ASSERT_TRUE(find<QPushButton>(dialog, "addButton")->isEnabled())
        << find<QLabel>(dialog, "reasonLabel")->text().toStdString();
    find<QPushButton>(dialog, "addButton")->click();

    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_FALSE(dialog.added().existingUser);
    EXPECT_GT(dialog.added().invitationId, 0);
    const std::optional<UserListRow> added
        = membership(session, QStringLiteral("sam.second@demo.resellerdesk.test"));
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(added->role, Role::Support);
    EXPECT_EQ(added->displayName, QStringLiteral("Sam Second"));
    EXPECT_EQ(added->membershipId, dialog.added().membershipId);
}

TEST_P(UsersPageTest, AdministratorAddsAResellerUserToContoso)
{
    const Session session = admin();
    AddUserDialog dialog(session, services());
    dialog.show();
    fill(dialog, QStringLiteral("rita@contoso.test"), QStringLiteral("Rita Reseller"),
        Role::ResellerUser);
    auto *portal = find<QComboBox>(dialog, "resellerContext");
    EXPECT_TRUE(portal->isVisible());
    EXPECT_FALSE(find<QLineEdit>(dialog, "customerSearch")->isVisible());
    ASSERT_GT(portal->count(), 1);
    EXPECT_TRUE(portal->isEnabled());
    // An administrator chooses the portal: none is preselected.
    EXPECT_FALSE(find<QPushButton>(dialog, "addButton")->isEnabled());
    EXPECT_FALSE(find<QLabel>(dialog, "contextError")->text().isEmpty());
    const int contoso = portal->findText(QStringLiteral("Contoso Resellers"));
    ASSERT_GE(contoso, 0);
    portal->setCurrentIndex(contoso);
    EXPECT_EQ(portal->findText(QStringLiteral("Tailspin Distribution")), -1)
        << "a deactivated portal is not offered";
    screenshot(&dialog, QStringLiteral("add-user-reseller-role"));
    ASSERT_TRUE(find<QPushButton>(dialog, "addButton")->isEnabled());
    find<QPushButton>(dialog, "addButton")->click();

    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    const std::optional<UserListRow> added
        = membership(session, QStringLiteral("rita@contoso.test"));
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(added->role, Role::ResellerUser);
    EXPECT_EQ(added->contextName, QStringLiteral("Contoso Resellers"));
    EXPECT_TRUE(dialog.outcome().contains(QStringLiteral("Contoso Resellers")));
}

TEST_P(UsersPageTest, AdministratorAddsAClientUserToACustomerFoundBySearch)
{
    const Session session = admin();
    AddUserDialog dialog(session, services());
    dialog.show();
    fill(dialog, QStringLiteral("lee@litware.test"), QStringLiteral("Lee Litware"),
        Role::ClientUser);
    EXPECT_FALSE(find<QComboBox>(dialog, "resellerContext")->isVisible());
    auto *search = find<QLineEdit>(dialog, "customerSearch");
    auto *results = find<QListWidget>(dialog, "customerResults");
    ASSERT_TRUE(search->isVisible());
    // Before typing: the first accounts, at most SearchLimit of them.
    EXPECT_EQ(results->count(), AddUserDialog::SearchLimit);
    EXPECT_FALSE(find<QPushButton>(dialog, "addButton")->isEnabled());

    QTest::keyClicks(search, QStringLiteral("Litware"));
    ASSERT_TRUE(waitUntil([results] {
        return results->count() == 1
            && results->item(0)->text().startsWith(QStringLiteral("Litware Inc."));
    }));
    results->setCurrentItem(results->item(0));
    screenshot(&dialog, QStringLiteral("add-user-client-role"));
    ASSERT_TRUE(find<QPushButton>(dialog, "addButton")->isEnabled())
        << find<QLabel>(dialog, "contextError")->text().toStdString();
    find<QPushButton>(dialog, "addButton")->click();

    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    const std::optional<UserListRow> added
        = membership(session, QStringLiteral("lee@litware.test"));
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(added->role, Role::ClientUser);
    EXPECT_EQ(added->contextName, QStringLiteral("Litware Inc."));
}

TEST_P(UsersPageTest, NewUserActionAddsAndSelectsTheMembership)
{
    const Session session = resellerAdmin();
    UsersPage page(session, services());
    page.refresh();
    const int before = page.model()->rowCount();
    whenModal([](QWidget *modal) {
        auto *dialog = qobject_cast<AddUserDialog *>(modal);
        ASSERT_NE(dialog, nullptr);
        fill(*dialog, QStringLiteral("paula@northwind.test"), QStringLiteral("Paula Partner"),
            Role::ResellerManager);
        find<QPushButton>(*dialog, "addButton")->click();
    });
    find<QAction>(page, "addUserAction")->trigger();

    EXPECT_EQ(page.model()->rowCount(), before + 1);
    const QList<const UserListRow *> selected = page.selectedUsers();
    ASSERT_EQ(selected.size(), 1);
    EXPECT_EQ(selected.constFirst()->email, QStringLiteral("paula@northwind.test"));
    EXPECT_EQ(selected.constFirst()->role, Role::ResellerManager);
    EXPECT_TRUE(find<QLabel>(page, "usersMessage")->text().contains(QStringLiteral("invitation")));
}

TEST_P(UsersPageTest, AnExistingLoginGetsTheMembershipAndTheOutcomeSaysSo)
{
    const Session session = admin();
    AddUserDialog dialog(session, services());
    dialog.show();
    // The Alpine Foods client admin also gets to work for Contoso.
    fill(dialog, DemoData::demoClientEmail(), {}, Role::ResellerUser);
    auto *portal = find<QComboBox>(dialog, "resellerContext");
    portal->setCurrentIndex(portal->findText(QStringLiteral("Contoso Resellers")));
    find<QPushButton>(dialog, "addButton")->click();

    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_TRUE(dialog.added().existingUser);
    EXPECT_TRUE(dialog.outcome().contains(QStringLiteral("added to the existing login")))
        << dialog.outcome().toStdString();
    EXPECT_TRUE(
        membership(session, DemoData::demoClientEmail(), QStringLiteral("Contoso Resellers"))
            .has_value());
}

TEST_P(UsersPageTest, InvalidEmailAndMissingNameAreShownBesideTheField)
{
    const Session session = admin();
    AddUserDialog dialog(session, services());
    dialog.show();
    auto *add = find<QPushButton>(dialog, "addButton");
    auto *emailError = find<QLabel>(dialog, "emailError");
    selectRole(find<QComboBox>(dialog, "role"), Role::Support);

    QTest::keyClicks(find<QLineEdit>(dialog, "email"), QStringLiteral("no-at-sign.example.com"));
    EXPECT_FALSE(add->isEnabled());
    EXPECT_FALSE(emailError->text().isEmpty());
    EXPECT_TRUE(emailError->isVisible());

    find<QLineEdit>(dialog, "email")->setText(QStringLiteral("nobody.yet@example.com"));
    EXPECT_TRUE(emailError->text().isEmpty());
    ASSERT_TRUE(add->isEnabled());
    // A new login needs a name: core says so, shown beside the name.
    add->click();
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    auto *nameError = find<QLabel>(dialog, "displayNameError");
    EXPECT_FALSE(nameError->text().isEmpty());
    EXPECT_TRUE(nameError->isVisible());
    EXPECT_FALSE(membership(session, QStringLiteral("nobody.yet@example.com")).has_value());
    screenshot(&dialog, QStringLiteral("add-user-missing-name"));

    // Typing the name clears the old refusal.
    QTest::keyClicks(find<QLineEdit>(dialog, "displayName"), QStringLiteral("No Body"));
    EXPECT_TRUE(nameError->text().isEmpty());
}

TEST_P(UsersPageTest, ADuplicateMembershipIsRefused)
{
    const Session session = admin();
    AddUserDialog dialog(session, services());
    dialog.show();
    fill(dialog, QStringLiteral("USER@northwind.test"), QStringLiteral("Uma Again"),
        Role::ResellerManager);
    auto *portal = find<QComboBox>(dialog, "resellerContext");
    portal->setCurrentIndex(portal->findText(QStringLiteral("Northwind Partners")));
    find<QPushButton>(dialog, "addButton")->click();

    EXPECT_NE(dialog.result(), QDialog::Accepted);
    const QString shown = find<QLabel>(dialog, "emailError")->text();
    EXPECT_TRUE(shown.contains(QStringLiteral("already has a membership"))) << shown.toStdString();
    const std::optional<UserListRow> existing
        = membership(session, QStringLiteral("user@northwind.test"));
    ASSERT_TRUE(existing.has_value());
    EXPECT_EQ(existing->role, Role::ResellerUser) << "unchanged";
}

TEST_P(UsersPageTest, ResellerAdminManagesOnlyItsOwnPortal)
{
    const Session session = resellerAdmin();
    UsersPage page(session, services());
    page.refresh();
    ASSERT_GT(page.model()->rowCount(), 0);
    for (int row = 0; row < page.model()->rowCount(); ++row) {
        EXPECT_EQ(page.model()->userAt(row)->contextName, QStringLiteral("Northwind Partners"))
            << page.model()->userAt(row)->email.toStdString();
    }
    EXPECT_FALSE(page.pageActions().isEmpty());

    AddUserDialog dialog(session, services());
    dialog.show();
    const QList<Role> roles = offeredRoles(find<QComboBox>(dialog, "role"));
    EXPECT_FALSE(roles.isEmpty());
    EXPECT_FALSE(roles.contains(Role::Administrator));
    EXPECT_FALSE(roles.contains(Role::Support));
    fill(dialog, QStringLiteral("new.seller@northwind.test"), QStringLiteral("Nils Seller"),
        Role::ResellerUser);
    auto *portal = find<QComboBox>(dialog, "resellerContext");
    EXPECT_EQ(portal->count(), 1);
    EXPECT_FALSE(portal->isEnabled()) << "fixed to the own portal";
    EXPECT_EQ(portal->currentText(), QStringLiteral("Northwind Partners"));
    find<QPushButton>(dialog, "addButton")->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    const std::optional<UserListRow> added
        = membership(session, QStringLiteral("new.seller@northwind.test"));
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(added->contextName, QStringLiteral("Northwind Partners"));

    // Core refuses a vendor role and another portal, whatever the UI offers.
    NewUser staff {
        QStringLiteral("sneaky@northwind.test"), QStringLiteral("Sneaky"), Role::Support, 0, true};
    EXPECT_EQ(m_users->addUser(session, staff).error().code(), ErrorCode::PermissionDenied);
}

TEST_P(UsersPageTest, ClientAdminAddsToItsOwnAccount)
{
    const Session session = signIn(DemoData::demoClientEmail());
    AddUserDialog dialog(session, services());
    dialog.show();
    const QList<Role> roles = offeredRoles(find<QComboBox>(dialog, "role"));
    for (const Role role : roles)
        EXPECT_TRUE(isClientRole(role)) << roleKey(role).toStdString();
    fill(dialog, QStringLiteral("third@alpinefoods.test"), QStringLiteral("Tia Third"),
        Role::ClientUser);
    auto *account = find<QLabel>(dialog, "clientAccount");
    EXPECT_TRUE(account->isVisible());
    EXPECT_EQ(account->text(), QStringLiteral("Alpine Foods GmbH"));
    EXPECT_FALSE(find<QLineEdit>(dialog, "customerSearch")->isVisible());
    find<QPushButton>(dialog, "addButton")->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    const std::optional<UserListRow> added
        = membership(session, QStringLiteral("third@alpinefoods.test"));
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(added->contextName, QStringLiteral("Alpine Foods GmbH"));
}

TEST_P(UsersPageTest, OwnMembershipCannotBeChangedFromThePage)
{
    const Session session = admin();
    UsersPage page(session, services());
    page.refresh();
    page.selectMembership(session.membershipId());
    ASSERT_EQ(page.selectedUsers().size(), 1);
    EXPECT_TRUE(find<QAction>(page, "addUserAction")->isEnabled());
    for (const char *name :
        {"changeRoleAction", "deactivateUserAction", "reactivateUserAction", "resetPasswordAction"})
        EXPECT_FALSE(find<QAction>(page, name)->isEnabled()) << name;
}

TEST_P(UsersPageTest, DeactivateWithAReasonThenReactivate)
{
    const Session session = admin();
    UsersPage page(session, services());
    page.refresh();
    const std::optional<UserListRow> manager
        = membership(session, QStringLiteral("manager@northwind.test"));
    ASSERT_TRUE(manager.has_value());
    page.selectMembership(manager->membershipId);
    auto *deactivate = find<QAction>(page, "deactivateUserAction");
    auto *reactivate = find<QAction>(page, "reactivateUserAction");
    ASSERT_TRUE(deactivate->isEnabled());
    EXPECT_FALSE(reactivate->isEnabled());

    bool confirmWasDisabled = false;
    whenModal([&confirmWasDisabled](QWidget *modal) {
        auto *confirm = find<QPushButton>(*modal, "confirmButton");
        confirmWasDisabled = !confirm->isEnabled();
        QTest::keyClicks(find<QLineEdit>(*modal, "reason"), QStringLiteral("Left the company"));
        confirm->click();
    });
    deactivate->trigger();
    EXPECT_TRUE(confirmWasDisabled) << "a reason is required to deactivate";
    std::optional<UserListRow> now = membership(session, QStringLiteral("manager@northwind.test"));
    ASSERT_TRUE(now.has_value());
    EXPECT_FALSE(now->active);
    const int row = page.model()->rowOfMembership(manager->membershipId);
    EXPECT_EQ(page.model()->index(row, UserTableModel::Status).data().toString(),
        QStringLiteral("Inactive"));
    // The row stays selected; now it can be reactivated.
    EXPECT_FALSE(deactivate->isEnabled());
    ASSERT_TRUE(reactivate->isEnabled());

    whenModal([](QWidget *modal) { find<QPushButton>(*modal, "confirmButton")->click(); });
    reactivate->trigger();
    now = membership(session, QStringLiteral("manager@northwind.test"));
    ASSERT_TRUE(now.has_value());
    EXPECT_TRUE(now->active);
    EXPECT_FALSE(find<QLabel>(page, "usersMessage")->text().isEmpty());
}

TEST_P(UsersPageTest, ResetPasswordQueuesASetupEmail)
{
    const Session session = admin();
    const std::optional<UserListRow> user
        = membership(session, QStringLiteral("user@northwind.test"));
    ASSERT_TRUE(user.has_value());
    const Result<qint64> queued = m_users->resetPassword(session, user->membershipId);
    ASSERT_TRUE(queued.has_value()) << queued.error().toString().toStdString();
    EXPECT_GT(*queued, 0);

    UsersPage page(session, services());
    page.refresh();
    page.selectMembership(user->membershipId);
    auto *reset = find<QAction>(page, "resetPasswordAction");
    ASSERT_TRUE(reset->isEnabled());
    QString question;
    whenModal([&question](QWidget *modal) {
        auto *box = qobject_cast<QMessageBox *>(modal);
        ASSERT_NE(box, nullptr);
        question = box->informativeText();
        find<QPushButton>(*modal, "confirmButton")->click();
    });
    reset->trigger();
    EXPECT_TRUE(question.contains(QStringLiteral("setup email"))) << question.toStdString();
    EXPECT_TRUE(question.contains(QStringLiteral("stops working")));
    const QString message = find<QLabel>(page, "usersMessage")->text();
    EXPECT_TRUE(message.contains(QStringLiteral("queued"))) << message.toStdString();
}

TEST_P(UsersPageTest, ChangeRoleOffersRolesOfTheSameContextKind)
{
    const Session session = admin();
    const std::optional<UserListRow> manager
        = membership(session, QStringLiteral("manager@northwind.test"));
    ASSERT_TRUE(manager.has_value());
    ChangeRoleDialog dialog(session, services(), *manager);
    dialog.show();
    EXPECT_EQ(find<QLabel>(dialog, "currentRole")->text(), roleDisplayName(Role::ResellerManager));
    auto *combo = find<QComboBox>(dialog, "newRole");
    const QList<Role> roles = offeredRoles(combo);
    EXPECT_FALSE(roles.isEmpty());
    for (const Role role : roles)
        EXPECT_EQ(contextKindOf(role), ContextKind::Reseller) << roleKey(role).toStdString();
    auto *save = find<QPushButton>(dialog, "saveButton");
    EXPECT_FALSE(save->isEnabled()) << "still the current role";

    selectRole(combo, Role::ResellerUser);
    screenshot(&dialog, QStringLiteral("change-role-dialog"));
    ASSERT_TRUE(save->isEnabled());
    save->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted)
        << find<QLabel>(dialog, "roleError")->text().toStdString();
    EXPECT_EQ(dialog.newRole(), Role::ResellerUser);
    const std::optional<UserListRow> changed
        = membership(session, QStringLiteral("manager@northwind.test"));
    ASSERT_TRUE(changed.has_value());
    EXPECT_EQ(changed->role, Role::ResellerUser);
    EXPECT_EQ(changed->membershipVersion, dialog.newVersion());
}

TEST_P(UsersPageTest, ChangeRoleConflictOffersAReload)
{
    const Session session = admin();
    const std::optional<UserListRow> manager
        = membership(session, QStringLiteral("manager@northwind.test"));
    ASSERT_TRUE(manager.has_value());
    ChangeRoleDialog dialog(session, services(), *manager);
    dialog.show();
    // Someone else changes the membership in the meantime (and back).
    const Result<int> off = m_users->setMembershipActive(session, manager->membershipId,
        manager->membershipVersion, false, QStringLiteral("elsewhere"));
    ASSERT_TRUE(off.has_value());
    ASSERT_TRUE(m_users->setMembershipActive(session, manager->membershipId, *off, true, {}));

    selectRole(find<QComboBox>(dialog, "newRole"), Role::ResellerUser);
    bool offered = false;
    whenModal([&offered](QWidget *modal) {
        offered = true;
        find<QPushButton>(*modal, "reloadButton")->click();
    });
    find<QPushButton>(dialog, "saveButton")->click();
    EXPECT_TRUE(offered);
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_GT(dialog.membership().membershipVersion, manager->membershipVersion);

    // After the reload the same choice saves.
    find<QPushButton>(dialog, "saveButton")->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(
        membership(session, QStringLiteral("manager@northwind.test"))->role, Role::ResellerUser);
}

TEST_P(UsersPageTest, ResellerUserAndSupportCannotManageUsers)
{
    const Session administrator = admin();
    const std::optional<UserListRow> target
        = membership(administrator, QStringLiteral("colleague@alpinefoods.test"));
    ASSERT_TRUE(target.has_value());

    for (const Session &session : {resellerUser(), support()}) {
        SCOPED_TRACE(roleKey(session.role()).toStdString());
        UsersPage page(session, services());
        page.refresh();
        EXPECT_TRUE(page.pageActions().isEmpty());
        EXPECT_EQ(page.findChild<QAction *>(QStringLiteral("addUserAction")), nullptr);
        EXPECT_EQ(page.model()->rowCount(), 0);
        EXPECT_FALSE(find<QLabel>(page, "usersMessage")->text().isEmpty());

        AddUserDialog dialog(session, services());
        EXPECT_EQ(find<QComboBox>(dialog, "role")->count(), 0);
        EXPECT_FALSE(find<QPushButton>(dialog, "addButton")->isEnabled());

        // Core refuses each call, whatever the UI shows.
        NewUser input {QStringLiteral("x@example.com"), QStringLiteral("X"), Role::ClientUser,
            target->membershipId, true};
        EXPECT_EQ(m_users->addUser(session, input).error().code(), ErrorCode::PermissionDenied);
        EXPECT_EQ(m_users
                      ->setMembershipActive(session, target->membershipId,
                          target->membershipVersion, false, QStringLiteral("no"))
                      .error()
                      .code(),
            ErrorCode::PermissionDenied);
        EXPECT_EQ(m_users->resetPassword(session, target->membershipId).error().code(),
            ErrorCode::PermissionDenied);
        EXPECT_EQ(m_users
                      ->changeRole(session, target->membershipId, target->membershipVersion,
                          Role::ClientAdmin)
                      .error()
                      .code(),
            ErrorCode::PermissionDenied);
        EXPECT_TRUE(m_users->grantableRoles(session).isEmpty());
    }
    EXPECT_TRUE(membership(administrator, QStringLiteral("colleague@alpinefoods.test"))->active);
}

RD_INSTANTIATE_FOR_BACKENDS(UsersPageTest);
