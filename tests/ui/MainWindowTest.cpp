#include <QAction>
#include <QLabel>
#include <QStatusBar>

#include <gtest/gtest.h>

#include "mainwindow/MainWindow.h"

using namespace rd;

TEST(MainWindow, ShowsWhichDatabaseIsOpenWithoutItsPassword)
{
    MainWindow::DatabaseInfo info;
    info.displayName = QStringLiteral("postgresql://alice@db.example:5432/rd");
    info.schemaVersion = 1;
    info.isPostgres = true;
    MainWindow window(info);
    window.show();

    const auto *label = window.findChild<QLabel *>(QStringLiteral("databaseLabel"));
    ASSERT_NE(label, nullptr);
    EXPECT_TRUE(label->text().contains(info.displayName));
    EXPECT_TRUE(label->text().contains(QStringLiteral("PostgreSQL")));
    EXPECT_EQ(window.statusBar()->currentMessage(), info.displayName);
}

TEST(MainWindow, QuitUsesTheStandardShortcut)
{
    MainWindow window(MainWindow::DatabaseInfo {});
    const auto *quit = window.findChild<QAction *>(QStringLiteral("quitAction"));
    ASSERT_NE(quit, nullptr);
    EXPECT_EQ(quit->shortcut(), QKeySequence(QKeySequence::Quit));
}
