#include <QApplication>

#include <gtest/gtest.h>

// Widget tests run in a QApplication on the offscreen platform unless the
// caller chose another (e.g. xcb under Xvfb for screenshots). Listing the
// tests (gtest_discover_tests) therefore never needs a display.
int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    ::testing::InitGoogleTest(&argc, argv);
    QApplication app(argc, argv);
    return RUN_ALL_TESTS();
}
