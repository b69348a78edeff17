#include "common/Translations.h"

#include <QCoreApplication>
#include <QTranslator>

namespace rd {

void installTranslations(QCoreApplication &app)
{
    // The translator lives as long as the application (its parent).
    auto *plurals = new QTranslator(&app);
    if (!plurals->load(QStringLiteral(":/i18n/resellerdesk_en.qm"))) {
        // A build defect, not a user error: the windows still work, counts read "(s)".
        qWarning("ResellerDesk: the English plural forms are not embedded.");
        delete plurals;
        return;
    }
    QCoreApplication::installTranslator(plurals);
}

} // namespace rd
