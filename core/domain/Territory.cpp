#include "domain/Territory.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

namespace rd {

QString territoryName(const QString &code, const QLocale &language)
{
    const QByteArray region = code.trimmed().toUpper().toLatin1();
    const icu::Locale territory("", region.constData());
    const icu::Locale display(language.name().toLatin1().constData());
    icu::UnicodeString name;
    territory.getDisplayCountry(display, name);
    // ICU answers an unknown region with the code itself.
    if (!territory.isBogus() && name.length() > 0 && name != icu::UnicodeString(region.constData()))
        return QString::fromUtf16(
            reinterpret_cast<const char16_t *>(name.getBuffer()), name.length());
    const QLocale::Territory known = QLocale::codeToTerritory(QString::fromLatin1(region));
    return known != QLocale::AnyTerritory ? QLocale::territoryToString(known)
                                          : QString::fromLatin1(region);
}

} // namespace rd
