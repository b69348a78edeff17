#include <functional>

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "settings/SettingsDialog.h"

using namespace rd;
using namespace rd::test;

namespace {

class SettingsDialogTest : public GuiFixture
{
protected:
    SettingsService::Versioned stored()
    {
        Result<SettingsService::Versioned> read = m_settings->settings(admin());
        EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().toString().toStdString());
        return read.value_or(SettingsService::Versioned {});
    }
};

template<typename T> T *child(const QWidget *parent, const char *name)
{
    T *found = parent->findChild<T *>(QString::fromLatin1(name));
    EXPECT_NE(found, nullptr) << name;
    return found;
}

// Runs handler on the next modal widget as soon as the code under test has
// opened it with exec().
void whenModal(std::function<void(QWidget *)> handler, int attempts = 300)
{
    QTimer::singleShot(10, qApp, [handler = std::move(handler), attempts]() mutable {
        QWidget *modal = QApplication::activeModalWidget();
        if (modal == nullptr) {
            if (attempts > 0)
                whenModal(std::move(handler), attempts - 1);
            else
                ADD_FAILURE() << "no modal widget appeared";
            return;
        }
        handler(modal);
    });
}

} // namespace

TEST_F(SettingsDialogTest, AdministratorSaves)
{
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();
    EXPECT_FALSE(dialog.isReadOnly());
    EXPECT_FALSE(child<QLabel>(&dialog, "readOnlyNote")->isVisible());
    auto *trialDays = child<QSpinBox>(&dialog, "trialDays");
    EXPECT_EQ(trialDays->value(), TrialPolicy::DefaultTrialDays);
    EXPECT_EQ(
        child<QSpinBox>(&dialog, "loginAsMinutes")->value(), DomainSettings::DefaultLoginAsMinutes);
    EXPECT_TRUE(child<QCheckBox>(&dialog, "notifyClientOnLoginAs")->isChecked());
    screenshot(&dialog, QStringLiteral("settings-dialog"));

    trialDays->setValue(21);
    child<QSpinBox>(&dialog, "trialBudget")->setValue(750);
    child<QSpinBox>(&dialog, "reminderDays")->setValue(5);
    child<QSpinBox>(&dialog, "loginAsMinutes")->setValue(30);
    child<QCheckBox>(&dialog, "notifyClientOnLoginAs")->setChecked(false);
    auto *save = child<QPushButton>(&dialog, "saveButton");
    ASSERT_TRUE(save->isEnabled()) << dialog.problem().toStdString();
    save->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);

    const DomainSettings saved = stored().settings;
    EXPECT_EQ(saved.trialDays, 21);
    EXPECT_EQ(saved.trialBudget, 750);
    EXPECT_EQ(saved.reminderDays, 5);
    EXPECT_EQ(saved.loginAsMinutes, 30);
    EXPECT_FALSE(saved.notifyClientOnLoginAs);
    EXPECT_EQ(saved.maxExtensionDays, TrialPolicy::DefaultMaxExtensionDays);
}

TEST_F(SettingsDialogTest, InvalidCombinationIsShownBesideTheFieldAndNothingIsSaved)
{
    const Session session = admin();
    const SettingsService::Versioned before = stored();
    SettingsDialog dialog(session, services());
    dialog.show();
    auto *reminder = child<QSpinBox>(&dialog, "reminderDays");
    auto *reason = child<QLabel>(&dialog, "reminderDaysReason");
    auto *save = child<QPushButton>(&dialog, "saveButton");
    EXPECT_TRUE(reason->text().isEmpty());

    reminder->setValue(child<QSpinBox>(&dialog, "trialDays")->value());
    EXPECT_FALSE(save->isEnabled());
    EXPECT_FALSE(reason->text().isEmpty());
    EXPECT_TRUE(reason->isVisibleTo(&dialog));
    screenshot(&dialog, QStringLiteral("settings-dialog-invalid"));
    save->click();
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(stored().version, before.version);
    EXPECT_EQ(stored().settings, before.settings);

    // Core refuses the same combination, naming the same field.
    DomainSettings bad = before.settings;
    bad.reminderDays = bad.trialDays;
    Result<qint64> refused = m_settings->save(session, bad, before.version);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(refused.error().field(), QStringLiteral("reminder_days"));

    // A budget ceiling below the trial budget names its own field.
    reminder->setValue(3);
    EXPECT_TRUE(save->isEnabled());
    child<QSpinBox>(&dialog, "maxTrialBudget")->setValue(100);
    EXPECT_FALSE(save->isEnabled());
    EXPECT_FALSE(child<QLabel>(&dialog, "maxTrialBudgetReason")->text().isEmpty());
    EXPECT_TRUE(reason->text().isEmpty());
}

TEST_F(SettingsDialogTest, ResellerAdminAndManagerSeeThemReadOnly)
{
    const Session administrator = admin();
    DomainSettings changed = stored().settings;
    changed.trialDays = 30;
    ASSERT_TRUE(m_settings->save(administrator, changed, stored().version).has_value());

    for (const Session &session : {resellerAdmin(), resellerManager()}) {
        SCOPED_TRACE(roleKey(session.role()).toStdString());
        SettingsDialog dialog(session, services());
        dialog.show();
        EXPECT_TRUE(dialog.isReadOnly());
        EXPECT_TRUE(child<QLabel>(&dialog, "readOnlyNote")->isVisible());
        EXPECT_EQ(dialog.findChild<QPushButton *>(QStringLiteral("saveButton")), nullptr);
        auto *trialDays = child<QSpinBox>(&dialog, "trialDays");
        EXPECT_EQ(trialDays->value(), 30);
        EXPECT_TRUE(trialDays->isReadOnly());
        EXPECT_FALSE(child<QCheckBox>(&dialog, "notifyClientOnLoginAs")->isEnabled());
        if (session.role() == Role::ResellerAdmin)
            screenshot(&dialog, QStringLiteral("settings-dialog-read-only"));
        dialog.accept();
        EXPECT_NE(dialog.result(), QDialog::Accepted);
    }
}

TEST_F(SettingsDialogTest, CoreRefusesOthersThanAdministrators)
{
    const SettingsService::Versioned before = stored();
    DomainSettings changed = before.settings;
    changed.trialDays = 7;
    for (const Session &session : {resellerAdmin(), resellerManager(), support(), resellerUser()}) {
        SCOPED_TRACE(roleKey(session.role()).toStdString());
        Result<qint64> refused = m_settings->save(session, changed, before.version);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code(), ErrorCode::PermissionDenied);
    }
    EXPECT_EQ(stored().settings, before.settings);

    // Support and Reseller Users may not even see them: the dialog says so.
    const Session staff = support();
    SettingsDialog dialog(staff, services());
    dialog.show();
    EXPECT_FALSE(child<QLabel>(&dialog, "loadError")->text().isEmpty());
    EXPECT_FALSE(child<QSpinBox>(&dialog, "trialDays")->isEnabled());
}

TEST_F(SettingsDialogTest, ConflictOffersToReload)
{
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();

    // Another desktop saves meanwhile.
    DomainSettings other = stored().settings;
    other.trialBudget = 900;
    ASSERT_TRUE(m_settings->save(session, other, stored().version).has_value());

    auto *trialDays = child<QSpinBox>(&dialog, "trialDays");
    trialDays->setValue(20);
    bool offered = false;
    whenModal([&offered](QWidget *modal) {
        offered = modal->objectName() == QLatin1String("conflictMessage");
        child<QPushButton>(modal, "reloadButton")->click();
    });
    child<QPushButton>(&dialog, "saveButton")->click();
    EXPECT_TRUE(offered);
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(child<QSpinBox>(&dialog, "trialBudget")->value(), 900);
    EXPECT_EQ(trialDays->value(), TrialPolicy::DefaultTrialDays) << "reloaded";

    trialDays->setValue(20);
    child<QPushButton>(&dialog, "saveButton")->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(stored().settings.trialDays, 20);
    EXPECT_EQ(stored().settings.trialBudget, 900);
}
