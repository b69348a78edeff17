#pragma once

class QCoreApplication;

namespace rd {

// Installs the translations embedded in the ui library (":/i18n"). Call it
// right after the application object is created, before any window exists.
//
// English is the source language, but the sources use Qt's plural idiom
// (tr("%n customer(s)", nullptr, n)): the English "plural-only" translation
// turns that into "1 customer" / "3 customers". It is always installed;
// translations for other languages, chosen by the locale, go on top of it.
void installTranslations(QCoreApplication &app);

} // namespace rd
