#include "common/Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace rd {

namespace {

// Loads a translation into a translator owned by the application and
// installs it; false when the file is not there.
bool install(QCoreApplication &app, const QString &file, const QString &directory)
{
    auto *translator = new QTranslator(&app);
    if (!translator->load(file, directory)) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    return true;
}

} // namespace

QString installTranslations(QCoreApplication &app, const QString &requested)
{
    QString language = chooseLanguage(requested, QLocale::system().uiLanguages());
    if (language.isEmpty())
        language = QStringLiteral("en"); // the command line reports the unknown one
    if (!requested.isEmpty())
        QLocale::setDefault(QLocale(language));

    if (!install(app, QStringLiteral("resellerdesk_en"), QStringLiteral(":/i18n"))) {
        // A build defect, not a user error: the windows still work, counts read "(s)".
        qWarning("ResellerDesk: the English plural forms are not embedded.");
    }
    if (language == QLatin1String("en"))
        return language;
    // Installed later, asked first: the language's own strings win over the
    // English plural forms.
    install(app, QStringLiteral("qtbase_") + language,
        QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    if (!install(app, QStringLiteral("resellerdesk_") + language, QStringLiteral(":/i18n"))) {
        qWarning("ResellerDesk: the %s translation is not embedded.", qPrintable(language));
        return QStringLiteral("en");
    }
    return language;
}

} // namespace rd
