#include <QAbstractButton>
#include <QApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "client/ImpersonationBanner.h"
#include "services/Clock.h"

using namespace rd;
using namespace rd::test;

namespace {

// Standalone: no database, only the fixture's screenshot helper.
class ImpersonationBannerTest : public GuiFixture
{
protected:
    void SetUp() override { }

    std::unique_ptr<ImpersonationBanner> banner()
    {
        return std::make_unique<ImpersonationBanner>(QStringLiteral("Alpine Foods GmbH"),
            QStringLiteral("Priya Costa"), QStringLiteral("Sam Support (Support)"),
            testNow().addSecs(600), m_clock);
    }
};

} // namespace

TEST_F(ImpersonationBannerTest, SaysWhoIsViewedByWhomAndHowLongIsLeft)
{
    auto b = banner();
    b->show();
    EXPECT_EQ(b->objectName(), QStringLiteral("impersonationBanner"));
    const QString shownText = b->text();
    EXPECT_TRUE(shownText.contains(QStringLiteral("Alpine Foods GmbH"))) << shownText.toStdString();
    EXPECT_TRUE(shownText.contains(QStringLiteral("Priya Costa")));
    EXPECT_TRUE(shownText.contains(QStringLiteral("Sam Support (Support)")));
    EXPECT_TRUE(shownText.contains(QStringLiteral("every action is recorded")));
    EXPECT_TRUE(shownText.endsWith(QStringLiteral("ends in 10:00"))) << shownText.toStdString();
    // Not by colour alone: a word and an icon say what this is.
    EXPECT_EQ(text(*b, "impersonationWord"), QStringLiteral("LOGIN AS"));
    EXPECT_FALSE(find<QLabel>(*b, "impersonationIcon")->pixmap().isNull());
    EXPECT_FALSE(b->accessibleName().isEmpty());

    m_clock.advanceMs((3 * 60 + 25) * 1000 + 400);
    b->tick();
    EXPECT_TRUE(b->text().endsWith(QStringLiteral("ends in 06:35"))) << b->text().toStdString();
    EXPECT_EQ(b->secondsLeft(), 395);
}

TEST_F(ImpersonationBannerTest, ExpiresOnceWhenTheTimeIsUp)
{
    auto b = banner();
    QSignalSpy expired(b.get(), &ImpersonationBanner::expired);
    m_clock.advanceMs(599 * 1000);
    b->tick();
    EXPECT_EQ(expired.count(), 0);
    EXPECT_TRUE(b->text().endsWith(QStringLiteral("ends in 00:01")));
    m_clock.advanceMs(1000);
    b->tick();
    EXPECT_EQ(expired.count(), 1);
    EXPECT_TRUE(b->text().endsWith(QStringLiteral("ends in 00:00")));
    m_clock.advanceMs(5000);
    b->tick();
    b->tick();
    EXPECT_EQ(expired.count(), 1) << "once";
}

TEST_F(ImpersonationBannerTest, EndSessionIsTheOnlyButtonAndItAsksToEnd)
{
    auto b = banner();
    b->show();
    QSignalSpy ended(b.get(), &ImpersonationBanner::endRequested);
    const QList<QAbstractButton *> buttons = b->findChildren<QAbstractButton *>();
    ASSERT_EQ(buttons.size(), 1) << "no close or hide affordance";
    EXPECT_EQ(buttons.first()->objectName(), QStringLiteral("endSessionButton"));
    EXPECT_EQ(b->contextMenuPolicy(), Qt::PreventContextMenu);
    QTest::mouseClick(find<QPushButton>(*b, "endSessionButton"), Qt::LeftButton);
    EXPECT_EQ(ended.count(), 1);
    GuiFixture::screenshot(b.get(), QStringLiteral("impersonation-banner"));
}
