#include <QApplication>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "common/Translations.h"

// Widget tests run in a QApplication on the offscreen platform unless the
// caller chose another (e.g. xcb under Xvfb for screenshots). Listing the
// tests (gtest_discover_tests) therefore never needs a display.
int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Each test process gets its own settings and data folders: window and
    // column layouts saved by one test never leak into another or into the
    // user's own configuration, also when ctest runs tests in parallel.
    QTemporaryDir home;
    if (home.isValid()) {
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.filePath(QStringLiteral("config"))));
        qputenv("XDG_DATA_HOME", QFile::encodeName(home.filePath(QStringLiteral("data"))));
    }
    ::testing::InitGoogleTest(&argc, argv);
    QApplication app(argc, argv);
    rd::installTranslations(app); // as the app does: English plural forms
    QApplication::setOrganizationName(QStringLiteral("ResellerDeskTests"));
    QApplication::setApplicationName(QStringLiteral("ui_tests"));
    return RUN_ALL_TESTS();
}
