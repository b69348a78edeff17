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
#include "GuiHelpers.h"
#include "settings/SettingsDialog.h"

using namespace rd;
using namespace rd::test;

namespace {

class SettingsDialogTest : public GuiBackendFixture
{
protected:
    SettingsService::Versioned stored()
    {
        Result<SettingsService::Versioned> read = m_settings->settings(admin());
        EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().toString().toStdString());
        return read.value_or(SettingsService::Versioned {});
    }
};

} // namespace

TEST_P(SettingsDialogTest, AdministratorSaves)
{
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();
    EXPECT_FALSE(dialog.isReadOnly());
    EXPECT_FALSE(find<QLabel>(dialog, "readOnlyNote")->isVisible());
    auto *trialDays = find<QSpinBox>(dialog, "trialDays");
    EXPECT_EQ(trialDays->value(), TrialPolicy::DefaultTrialDays);
    EXPECT_EQ(
        find<QSpinBox>(dialog, "loginAsMinutes")->value(), DomainSettings::DefaultLoginAsMinutes);
    EXPECT_TRUE(find<QCheckBox>(dialog, "notifyClientOnLoginAs")->isChecked());
    screenshot(&dialog, QStringLiteral("settings-dialog"));

    trialDays->setValue(21);
    find<QSpinBox>(dialog, "trialBudget")->setValue(750);
    find<QSpinBox>(dialog, "reminderDays")->setValue(5);
    find<QSpinBox>(dialog, "loginAsMinutes")->setValue(30);
    find<QCheckBox>(dialog, "notifyClientOnLoginAs")->setChecked(false);
    auto *save = find<QPushButton>(dialog, "saveButton");
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

TEST_P(SettingsDialogTest, InvalidCombinationIsShownBesideTheFieldAndNothingIsSaved)
{
    const Session session = admin();
    const SettingsService::Versioned before = stored();
    SettingsDialog dialog(session, services());
    dialog.show();
    auto *reminder = find<QSpinBox>(dialog, "reminderDays");
    auto *reason = find<QLabel>(dialog, "reminderDaysReason");
    auto *save = find<QPushButton>(dialog, "saveButton");
    EXPECT_TRUE(reason->text().isEmpty());

    reminder->setValue(find<QSpinBox>(dialog, "trialDays")->value());
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
    find<QSpinBox>(dialog, "maxTrialBudget")->setValue(100);
    EXPECT_FALSE(save->isEnabled());
    EXPECT_FALSE(find<QLabel>(dialog, "maxTrialBudgetReason")->text().isEmpty());
    EXPECT_TRUE(reason->text().isEmpty());
}

TEST_P(SettingsDialogTest, ResellerAdminAndManagerSeeThemReadOnly)
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
        EXPECT_TRUE(find<QLabel>(dialog, "readOnlyNote")->isVisible());
        EXPECT_EQ(dialog.findChild<QPushButton *>(QStringLiteral("saveButton")), nullptr);
        auto *trialDays = find<QSpinBox>(dialog, "trialDays");
        EXPECT_EQ(trialDays->value(), 30);
        EXPECT_TRUE(trialDays->isReadOnly());
        EXPECT_FALSE(find<QCheckBox>(dialog, "notifyClientOnLoginAs")->isEnabled());
        if (session.role() == Role::ResellerAdmin)
            screenshot(&dialog, QStringLiteral("settings-dialog-read-only"));
        dialog.accept();
        EXPECT_NE(dialog.result(), QDialog::Accepted);
    }
}

TEST_P(SettingsDialogTest, CoreRefusesOthersThanAdministrators)
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
    EXPECT_FALSE(find<QLabel>(dialog, "loadError")->text().isEmpty());
    EXPECT_FALSE(find<QSpinBox>(dialog, "trialDays")->isEnabled());
}

TEST_P(SettingsDialogTest, ConflictOffersToReload)
{
    const Session session = admin();
    SettingsDialog dialog(session, services());
    dialog.show();

    // Another desktop saves meanwhile.
    DomainSettings other = stored().settings;
    other.trialBudget = 900;
    ASSERT_TRUE(m_settings->save(session, other, stored().version).has_value());

    auto *trialDays = find<QSpinBox>(dialog, "trialDays");
    trialDays->setValue(20);
    bool offered = false;
    whenModal([&offered](QWidget *modal) {
        offered = modal->objectName() == QLatin1String("conflictMessage");
        find<QPushButton>(*modal, "reloadButton")->click();
    });
    find<QPushButton>(dialog, "saveButton")->click();
    EXPECT_TRUE(offered);
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(find<QSpinBox>(dialog, "trialBudget")->value(), 900);
    EXPECT_EQ(trialDays->value(), TrialPolicy::DefaultTrialDays) << "reloaded";

    trialDays->setValue(20);
    find<QPushButton>(dialog, "saveButton")->click();
    ASSERT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(stored().settings.trialDays, 20);
    EXPECT_EQ(stored().settings.trialBudget, 900);
}

RD_INSTANTIATE_FOR_BACKENDS(SettingsDialogTest);
