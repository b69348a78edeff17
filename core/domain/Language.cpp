#include "domain/Language.h"

namespace rd {

namespace {

// "de-CH", "fr_FR", "EN" → "de", "fr", "en".
QString languageOf(const QString &name)
{
    return name.trimmed().toLower().section(QLatin1Char('-'), 0, 0).section(QLatin1Char('_'), 0, 0);
}

} // namespace

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")};
}

QString chooseLanguage(const QString &requested, const QStringList &uiLanguages)
{
    const QStringList available = availableLanguages();
    if (!requested.trimmed().isEmpty()) {
        const QString code = languageOf(requested);
        return available.contains(code) ? code : QString();
    }
    for (const QString &ui : uiLanguages) {
        const QString code = languageOf(ui);
        if (available.contains(code))
            return code;
    }
    return QStringLiteral("en");
}

} // namespace rd
