#pragma once

#include <QLocale>
#include <QString>

namespace rd {

// The name of the country or territory with ISO 3166 code `code` ("DE",
// "CH") in the language of `language`: "Allemagne" for DE in French,
// "Deutschland" in German. Qt 6.4 names territories in English only
// (QLocale::territoryToString), so the names come from ICU's CLDR data,
// which libphonenumber already brings. An unknown code gives Qt's English
// name, or the code itself.
QString territoryName(const QString &code, const QLocale &language = QLocale());

} // namespace rd
