#include "common/Appearance.h"

#include <QActionGroup>
#include <QApplication>
#include <QMenu>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

#include "common/ThemedIcon.h"

namespace rd {

namespace {

const auto ThemeKey = QLatin1String("appearance/theme");
const auto FusionStyle = QLatin1String("Fusion");

Theme g_current = Theme::System;

// What the platform chose, recorded before the first change.
struct SystemLook
{
    QString style;
};

const SystemLook &systemLook()
{
    static const SystemLook look {
        QApplication::style() ? QApplication::style()->name() : QString()};
    return look;
}

void setStyle(const QString &name)
{
    if (name.isEmpty())
        return;
    if (QApplication::style()
        && QApplication::style()->name().compare(name, Qt::CaseInsensitive) == 0)
        return;
    QApplication::setStyle(name);
}

QString keyOf(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

// The roles Fusion draws frames and bevels with, from the window colour.
void setBevels(QPalette &palette, const QColor &light, const QColor &midlight, const QColor &mid,
    const QColor &dark, const QColor &shadow)
{
    palette.setColor(QPalette::Light, light);
    palette.setColor(QPalette::Midlight, midlight);
    palette.setColor(QPalette::Mid, mid);
    palette.setColor(QPalette::Dark, dark);
    palette.setColor(QPalette::Shadow, shadow);
}

// Disabled text: readable, but clearly paler than the enabled text.
void setDisabled(
    QPalette &palette, const QColor &text, const QColor &highlight, const QColor &highlightedText)
{
    for (const QPalette::ColorRole role :
        {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::PlaceholderText}) {
        palette.setColor(QPalette::Disabled, role, text);
    }
    palette.setColor(QPalette::Disabled, QPalette::Highlight, highlight);
    palette.setColor(QPalette::Disabled, QPalette::HighlightedText, highlightedText);
}

} // namespace

QPalette lightPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0xf0, 0xf1, 0xf3));
    palette.setColor(QPalette::WindowText, QColor(0x1d, 0x1f, 0x23));
    palette.setColor(QPalette::Base, QColor(0xff, 0xff, 0xff));
    palette.setColor(QPalette::AlternateBase, QColor(0xf4, 0xf6, 0xf9));
    palette.setColor(QPalette::ToolTipBase, QColor(0xff, 0xfb, 0xe6));
    palette.setColor(QPalette::ToolTipText, QColor(0x1d, 0x1f, 0x23));
    palette.setColor(QPalette::Text, QColor(0x1d, 0x1f, 0x23));
    palette.setColor(QPalette::Button, QColor(0xe7, 0xe9, 0xec));
    palette.setColor(QPalette::ButtonText, QColor(0x1d, 0x1f, 0x23));
    palette.setColor(QPalette::BrightText, QColor(0xff, 0xff, 0xff));
    palette.setColor(QPalette::Highlight, QColor(0x2a, 0x65, 0xa8));
    palette.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    palette.setColor(QPalette::Link, QColor(0x1f, 0x5f, 0xa8));
    palette.setColor(QPalette::LinkVisited, QColor(0x6a, 0x3d, 0xa8));
    palette.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x70, 0x79));
    setBevels(palette, QColor(0xff, 0xff, 0xff), QColor(0xf6, 0xf7, 0xf8), QColor(0xb8, 0xbc, 0xc2),
        QColor(0x9a, 0x9e, 0xa5), QColor(0x76, 0x7a, 0x80));
    setDisabled(
        palette, QColor(0x8c, 0x91, 0x99), QColor(0xc8, 0xcc, 0xd2), QColor(0x4a, 0x4e, 0x55));
    return palette;
}

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    palette.setColor(QPalette::WindowText, QColor(0xe6, 0xe8, 0xeb));
    palette.setColor(QPalette::Base, QColor(0x1f, 0x20, 0x23));
    palette.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    palette.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    palette.setColor(QPalette::ToolTipText, QColor(0xf0, 0xf1, 0xf3));
    palette.setColor(QPalette::Text, QColor(0xe6, 0xe8, 0xeb));
    palette.setColor(QPalette::Button, QColor(0x38, 0x3b, 0x40));
    palette.setColor(QPalette::ButtonText, QColor(0xe6, 0xe8, 0xeb));
    palette.setColor(QPalette::BrightText, QColor(0xff, 0x8a, 0x80));
    palette.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb3));
    palette.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    palette.setColor(QPalette::Link, QColor(0x6c, 0xb0, 0xf0));
    palette.setColor(QPalette::LinkVisited, QColor(0xb8, 0x9c, 0xf0));
    palette.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9f, 0xa7));
    setBevels(palette, QColor(0x4a, 0x4d, 0x52), QColor(0x3d, 0x40, 0x45), QColor(0x24, 0x26, 0x2a),
        QColor(0x1a, 0x1b, 0x1e), QColor(0x0e, 0x0f, 0x10));
    setDisabled(
        palette, QColor(0x84, 0x89, 0x90), QColor(0x3f, 0x42, 0x47), QColor(0xa0, 0xa4, 0xaa));
    return palette;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

void applyTheme(Theme theme)
{
    const SystemLook &system = systemLook();
    switch (theme) {
    case Theme::System:
        setStyle(system.style);
        // An empty palette resolves to the style's and platform's own.
        QApplication::setPalette(QPalette());
        break;
    case Theme::Light:
        setStyle(FusionStyle);
        QApplication::setPalette(lightPalette());
        break;
    case Theme::Dark:
        setStyle(FusionStyle);
        QApplication::setPalette(darkPalette());
        break;
    }
    g_current = theme;
}

Theme currentTheme()
{
    return g_current;
}

Theme savedTheme()
{
    const QString saved = QSettings().value(ThemeKey).toString();
    if (saved == keyOf(Theme::Light))
        return Theme::Light;
    if (saved == keyOf(Theme::Dark))
        return Theme::Dark;
    return Theme::System;
}

void saveTheme(Theme theme)
{
    QSettings().setValue(ThemeKey, keyOf(theme));
}

QMenu *createAppearanceMenu(QWidget *parent)
{
    auto *menu = new QMenu(QCoreApplication::translate("rd::Appearance", "&Appearance"), parent);
    menu->setObjectName(QStringLiteral("appearanceMenu"));
    menu->setIcon(themedIcon(QStringLiteral("appearance")));
    auto *group = new QActionGroup(menu);
    group->setExclusive(true);
    const struct
    {
        Theme theme;
        const char *name;
        QString text;
        QString tip;
    } choices[] = {
        {Theme::System, "themeSystemAction",
            QCoreApplication::translate("rd::Appearance", "&System"),
            QCoreApplication::translate("rd::Appearance", "The colours the desktop uses")},
        {Theme::Light, "themeLightAction", QCoreApplication::translate("rd::Appearance", "&Light"),
            QCoreApplication::translate("rd::Appearance", "Dark text on light backgrounds")},
        {Theme::Dark, "themeDarkAction", QCoreApplication::translate("rd::Appearance", "&Dark"),
            QCoreApplication::translate("rd::Appearance", "Light text on dark backgrounds")},
    };
    for (const auto &choice : choices) {
        QAction *action = menu->addAction(choice.text);
        action->setObjectName(QString::fromLatin1(choice.name));
        action->setStatusTip(choice.tip);
        action->setCheckable(true);
        action->setData(int(choice.theme));
        group->addAction(action);
        const Theme theme = choice.theme;
        QObject::connect(action, &QAction::triggered, menu, [theme] {
            applyTheme(theme);
            saveTheme(theme);
        });
    }
    // Another window may have changed the theme since.
    const auto check = [group] {
        for (QAction *action : group->actions())
            action->setChecked(Theme(action->data().toInt()) == currentTheme());
    };
    check();
    QObject::connect(menu, &QMenu::aboutToShow, menu, check);
    return menu;
}

} // namespace rd
