#pragma once

#include <QString>

#include "domain/Language.h"

class QCoreApplication;

namespace rd {

// Installs the translations embedded in the ui library (":/i18n") for
// `language` (chooseLanguage()), plus Qt's own for its standard dialogs
// and buttons when the system has them (package qt6-translations-l10n).
// Call it right after the application object is created, before any window
// exists. An explicit choice (--lang) also becomes the default QLocale, so
// dates, numbers and money are written the way the language writes them;
// otherwise they follow the system's locale.
//
// English is the source language, but the sources use Qt's plural idiom
// (tr("%n customer(s)", nullptr, n)): the English "plural-only" translation
// turns that into "1 customer" / "3 customers". It is always installed;
// German or French go on top of it. Returns the language installed.
QString installTranslations(QCoreApplication &app, const QString &requested = {});

} // namespace rd
