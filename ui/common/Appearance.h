#pragma once

#include <QString>

class QMenu;
class QPalette;
class QWidget;

namespace rd {

// The application's look (issue 8, "Look and feel"). Qt 6.4 has no
// colour-scheme API: System keeps the style and palette the platform gave
// at start; Light and Dark use the Fusion style, which honours the palette
// fully, with the palettes below. The choice is kept in QSettings and
// applied before the first window opens.
enum class Theme { System, Light, Dark };

// Applies the theme to the application and every open window (they get a
// palette change event; themedIcon() icons repaint in the new colours).
// The first call remembers the style and palette of the system, which
// System restores.
void applyTheme(Theme theme);
// The theme applied last (System before any call).
Theme currentTheme();

// The saved choice (System when none or an unknown one is saved).
Theme savedTheme();
void saveTheme(Theme theme);

QPalette lightPalette();
QPalette darkPalette();
// Whether the palette is a dark one (light text on a dark window).
bool isDark(const QPalette &palette);

// View ▸ Appearance: System, Light, Dark, one checked (the current theme).
// Choosing one applies it to every window and saves it.
QMenu *createAppearanceMenu(QWidget *parent);

} // namespace rd
