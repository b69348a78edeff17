#pragma once

#include <QString>
#include <QStringList>

namespace rd {

// The languages ResellerDesk speaks, as ISO 639-1 codes: "en" (the source
// language), "de", "fr". The translations themselves are embedded in the ui
// library (ui/common/Translations.h).
QStringList availableLanguages();

// The language to use: `requested` (--lang: "de", "fr_CH", "en-GB" …) when
// it names one of availableLanguages(), else the first of the system's UI
// languages (QLocale::uiLanguages(), e.g. "de-CH", "fr", "en-US") that does,
// else English. An unknown `requested` gives an empty string: the caller
// reports it.
QString chooseLanguage(const QString &requested, const QStringList &uiLanguages);

} // namespace rd
