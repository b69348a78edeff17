#include <cmath>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPalette>
#include <QPushButton>
#include <QSettings>
#include <QStyle>
#include <QTableWidget>
#include <QTest>
#include <QToolBar>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "common/Appearance.h"
#include "common/ThemedIcon.h"
#include "mainwindow/AboutDialog.h"
#include "mainwindow/MainWindow.h"
#include "outbox/OutboxTableModel.h"
#include "resellers/ResellersPage.h"
#include "users/UsersPage.h"

using namespace rd;
using namespace rd::test;

namespace {

// WCAG relative luminance and contrast ratio.
double luminance(const QColor &colour)
{
    const auto channel
        = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Every test leaves the application as it found it: the system look.
class LookAndFeelTest : public GuiFixture
{
protected:
    void TearDown() override { applyTheme(Theme::System); }

    std::unique_ptr<MainWindow> window(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        return std::make_unique<MainWindow>(
            MainWindowContext {*m_session, services(), QStringLiteral("test.sqlite")});
    }

    std::unique_ptr<Session> m_session;
};

// A first run: no user, no reseller yet.
class EmptyInstallationTest : public LookAndFeelTest
{
protected:
    void SetUp() override { setUpOn(Backend::SQLite, false); }

    Session firstAdministrator()
    {
        Result<Session> session
            = m_authenticator->createFirstAdministrator(QStringLiteral("first@example.test"),
                QStringLiteral("First Admin"), QStringLiteral("correct horse battery staple 42"));
        if (!session)
            throw std::runtime_error(session.error().toString().toStdString());
        return *session;
    }
};

void expectReadable(const QPalette &palette, QPalette::ColorRole text, QPalette::ColorRole back)
{
    EXPECT_GE(contrast(palette.color(text), palette.color(back)), 4.5)
        << "role " << int(text) << " on role " << int(back);
}

} // namespace

TEST_F(LookAndFeelTest, TheDarkAndLightPalettesHaveReadableContrast)
{
    for (const QPalette &palette : {darkPalette(), lightPalette()}) {
        expectReadable(palette, QPalette::Text, QPalette::Base);
        expectReadable(palette, QPalette::Text, QPalette::AlternateBase);
        expectReadable(palette, QPalette::WindowText, QPalette::Window);
        expectReadable(palette, QPalette::HighlightedText, QPalette::Highlight);
        expectReadable(palette, QPalette::ButtonText, QPalette::Button);
        expectReadable(palette, QPalette::ToolTipText, QPalette::ToolTipBase);
        expectReadable(palette, QPalette::Link, QPalette::Base);
        // Disabled text is readable, but paler than enabled text.
        const QColor disabled = palette.color(QPalette::Disabled, QPalette::WindowText);
        const QColor window = palette.color(QPalette::Window);
        EXPECT_GE(contrast(disabled, window), 2.5);
        EXPECT_LT(
            contrast(disabled, window), contrast(palette.color(QPalette::WindowText), window));
    }
    EXPECT_TRUE(isDark(darkPalette()));
    EXPECT_FALSE(isDark(lightPalette()));
}

// The outbox colours its Failed, Unknown and Sent statuses: readable on
// both bases and their alternate rows, and the shown model follows a
// theme change.
TEST_F(LookAndFeelTest, OutboxStatusColoursAreReadableInBothPalettes)
{
    for (const QPalette &palette : {darkPalette(), lightPalette()}) {
        for (const OutboxStatus status :
            {OutboxStatus::Failed, OutboxStatus::Unknown, OutboxStatus::Sent}) {
            const QColor colour = OutboxTableModel::statusForeground(status, palette);
            ASSERT_TRUE(colour.isValid()) << int(status);
            EXPECT_GE(contrast(colour, palette.color(QPalette::Base)), 4.5)
                << "status " << int(status) << (isDark(palette) ? " on dark" : " on light");
            EXPECT_GE(contrast(colour, palette.color(QPalette::AlternateBase)), 4.5)
                << "status " << int(status) << (isDark(palette) ? " on dark" : " on light");
        }
        EXPECT_FALSE(OutboxTableModel::statusForeground(OutboxStatus::Pending, palette).isValid());
    }
    applyTheme(Theme::Dark);
    EXPECT_EQ(OutboxTableModel::statusForeground(OutboxStatus::Failed, QGuiApplication::palette()),
        OutboxTableModel::statusForeground(OutboxStatus::Failed, darkPalette()));
}

TEST_F(LookAndFeelTest, TheThemeIsAppliedToOpenWindowsAndRemembered)
{
    const QPalette system = QApplication::palette();
    const QString systemStyle = QApplication::style()->name();
    auto w = window(admin());
    w->show();

    auto *menu = find<QMenu>(*w, "appearanceMenu");
    QAction *dark = find<QAction>(*menu, "themeDarkAction");
    EXPECT_TRUE(find<QAction>(*menu, "themeSystemAction")->isChecked());
    dark->trigger();
    QApplication::processEvents(); // the windows hear of it
    EXPECT_EQ(currentTheme(), Theme::Dark);
    EXPECT_TRUE(isDark(QApplication::palette()));
    EXPECT_TRUE(isDark(w->palette()));
    EXPECT_TRUE(isDark(w->navigation()->palette()));
    EXPECT_EQ(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
    EXPECT_EQ(savedTheme(), Theme::Dark);
    EXPECT_EQ(
        QSettings().value(QStringLiteral("appearance/theme")).toString(), QStringLiteral("dark"));
    QMetaObject::invokeMethod(menu, "aboutToShow");
    EXPECT_TRUE(dark->isChecked());

    find<QAction>(*menu, "themeLightAction")->trigger();
    QApplication::processEvents();
    EXPECT_FALSE(isDark(w->palette()));
    EXPECT_EQ(savedTheme(), Theme::Light);

    find<QAction>(*menu, "themeSystemAction")->trigger();
    EXPECT_EQ(savedTheme(), Theme::System);
    EXPECT_EQ(QApplication::style()->name(), systemStyle);
    EXPECT_EQ(QApplication::palette().color(QPalette::Window), system.color(QPalette::Window));
    EXPECT_EQ(QApplication::palette().color(QPalette::Text), system.color(QPalette::Text));
}

TEST_F(LookAndFeelTest, IconsFollowThePalette)
{
    const QIcon icon = themedIcon(QStringLiteral("customers"));
    ASSERT_FALSE(icon.isNull());
    const auto strongest = [](const QImage &image) {
        // The most opaque pixel's colour: a stroke.
        QColor best(Qt::transparent);
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                if (c.alpha() > best.alpha())
                    best = c;
            }
        }
        return best;
    };
    applyTheme(Theme::Light);
    const QImage light = icon.pixmap(QSize(24, 24)).toImage();
    applyTheme(Theme::Dark);
    const QImage dark = icon.pixmap(QSize(24, 24)).toImage();
    EXPECT_LT(strongest(light).lightness(), 128);
    EXPECT_GT(strongest(dark).lightness(), 128);
    // Sharp on a high-density screen: drawn at twice the pixels.
    const QPixmap doubled = icon.pixmap(QSize(24, 24), 2.0);
    EXPECT_EQ(doubled.size(), QSize(48, 48));
    EXPECT_EQ(doubled.devicePixelRatio(), 2.0);
    EXPECT_TRUE(themedIcon(QStringLiteral("no-such-icon")).isNull());
}

TEST_F(LookAndFeelTest, EveryMenuActionWithAnIconHasOneThatDraws)
{
    auto w = window(admin());
    w->show();
    int withIcons = 0;
    const auto check = [&withIcons](QAction *action) {
        if (action->icon().isNull())
            return;
        ++withIcons;
        const QImage image = action->icon().pixmap(QSize(16, 16)).toImage();
        bool drawn = false;
        for (int y = 0; y < image.height() && !drawn; ++y) {
            for (int x = 0; x < image.width() && !drawn; ++x)
                drawn = image.pixelColor(x, y).alpha() > 0;
        }
        EXPECT_TRUE(drawn) << action->objectName().toStdString();
    };
    for (QMenu *menu : w->findChildren<QMenu *>()) {
        for (QAction *action : menu->actions())
            check(action);
    }
    // The main actions and every section have one.
    for (const char *name :
        {"addCustomerAction", "importCustomersAction", "editCustomerAction", "convertTrialAction",
            "loginAsAction", "cloneCustomersAction", "migrateCustomerAction", "moveCustomerAction",
            "archiveCustomerAction", "exportCustomersAction", "refreshAction", "signOutAction",
            "settingsAction", "findAction", "aboutAction", "addResellerAction", "addUserAction"}) {
        EXPECT_FALSE(find<QAction>(*w, name)->icon().isNull()) << name;
    }
    EXPECT_GE(withIcons, 17);
    for (int i = 0; i < w->navigation()->count(); ++i)
        EXPECT_FALSE(w->navigation()->item(i)->icon().isNull()) << i;
    EXPECT_EQ(w->toolBar()->toolButtonStyle(), Qt::ToolButtonTextBesideIcon);
}

TEST_F(LookAndFeelTest, AboutShowsTheVersionsAndCopiesThem)
{
    QApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    AboutDialog dialog(QStringLiteral("What it is for."));
    dialog.show();
    EXPECT_TRUE(text(dialog, "aboutVersion").contains(QStringLiteral("9.8.7")));
    EXPECT_TRUE(text(dialog, "aboutLicence").contains(QStringLiteral("MIT")));
    auto *table = find<QTableWidget>(dialog, "libraryVersions");
    QStringList names;
    for (int row = 0; row < table->rowCount(); ++row) {
        names.append(table->item(row, 0)->text());
        EXPECT_FALSE(table->item(row, 1)->text().isEmpty()) << row;
    }
    EXPECT_EQ(table->item(0, 1)->text(), QString::fromLatin1(qVersion()));
    for (const char *library : {"Qt", "SQLite", "libpq", "libsodium", "libxlsxwriter", "libcsv"})
        EXPECT_TRUE(names.contains(QString::fromLatin1(library))) << library;

    QApplication::clipboard()->clear();
    QTest::mouseClick(find<QPushButton>(dialog, "copyVersionsButton"), Qt::LeftButton);
    const QString copied = QApplication::clipboard()->text();
    EXPECT_EQ(copied, dialog.versionText());
    EXPECT_TRUE(copied.startsWith(QApplication::applicationName() + QStringLiteral(" 9.8.7")));
    EXPECT_TRUE(copied.contains(QStringLiteral("Qt ") + QString::fromLatin1(qVersion())));
    QApplication::setApplicationVersion(QString());
}

TEST_F(LookAndFeelTest, CalmHintsStayReadableAfterAThemeChange)
{
    applyTheme(Theme::Light);
    AboutDialog dialog(QStringLiteral("What it is for."));
    dialog.show();
    auto *licence = find<QLabel>(dialog, "aboutLicence");
    const auto readable = [licence] {
        const QPalette palette = licence->palette();
        return contrast(palette.color(QPalette::WindowText), palette.color(QPalette::Window));
    };
    EXPECT_GE(readable(), 3.0);
    for (const Theme theme : {Theme::Dark, Theme::Light, Theme::Dark}) {
        applyTheme(theme);
        QApplication::processEvents();
        EXPECT_EQ(isDark(licence->palette()), theme == Theme::Dark);
        EXPECT_GE(readable(), 3.0) << int(theme);
    }
}

TEST_F(LookAndFeelTest, AboutOpensFromTheHelpMenu)
{
    auto w = window(admin());
    w->show();
    find<QAction>(*w, "aboutAction")->trigger();
    auto *dialog = w->findChild<AboutDialog *>(QStringLiteral("aboutDialog"));
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_EQ(
        text(*dialog, "aboutDescription"), QStringLiteral("Manage resellers and their customers."));
    dialog->close();
}

TEST_F(LookAndFeelTest, AFilterThatMatchesNothingSaysSo)
{
    auto w = window(admin());
    w->show();
    w->showPage(w->resellersPage());
    ResellersPage &resellers = *w->resellersPage();
    EXPECT_TRUE(find<QLabel>(resellers, "resellersEmptyState")->isHidden());
    type(resellers, "resellerSearch", QStringLiteral("zzz-nothing"));
    EXPECT_TRUE(find<QLabel>(resellers, "resellersEmptyState")->isVisible());
    EXPECT_EQ(text(resellers, "resellersEmptyState"),
        QStringLiteral("No resellers match “zzz-nothing”."));

    w->showPage(w->usersPage());
    UsersPage &users = *w->usersPage();
    EXPECT_TRUE(find<QLabel>(users, "usersEmptyState")->isHidden());
    type(users, "userFilter", QStringLiteral("zzz-nobody"));
    users.refresh(); // as when typing pauses
    EXPECT_TRUE(find<QLabel>(users, "usersEmptyState")->isVisible());
    EXPECT_EQ(text(users, "usersEmptyState"), QStringLiteral("No users match “zzz-nobody”."));
    find<QLineEdit>(users, "userFilter")->clear();
    users.refresh();
    EXPECT_TRUE(find<QLabel>(users, "usersEmptyState")->isHidden());
}

TEST_F(EmptyInstallationTest, AnEmptyResellerListSaysWhatToDo)
{
    auto w = window(firstAdministrator());
    w->show();
    w->showPage(w->resellersPage());
    ResellersPage &resellers = *w->resellersPage();
    auto *hint = find<QLabel>(resellers, "resellersEmptyState");
    EXPECT_TRUE(hint->isVisible());
    EXPECT_EQ(hint->text(), QStringLiteral("No resellers yet — add one with New Reseller…"));
    screenshot(w.get(), QStringLiteral("empty-resellers"));
}

// Screenshots of the main window in both palettes (written when
// RESELLERDESK_SCREENSHOT_DIR is set; see GuiFixture::screenshot).
TEST_F(LookAndFeelTest, MainWindowInLightAndDark)
{
    auto w = window(admin());
    w->resize(1280, 800);
    applyTheme(Theme::Light);
    screenshot(w.get(), QStringLiteral("main-window-light"));
    applyTheme(Theme::Dark);
    screenshot(w.get(), QStringLiteral("main-window-dark"));
    w->showPage(w->resellersPage());
    screenshot(w.get(), QStringLiteral("main-window-dark-resellers"));
    AboutDialog about(QStringLiteral("Manage resellers and their customers."), w.get());
    screenshot(&about, QStringLiteral("about-dark"));
    applyTheme(Theme::Light);
    screenshot(&about, QStringLiteral("about-light"));
}
