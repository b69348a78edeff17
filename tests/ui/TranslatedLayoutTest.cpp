#include <memory>
#include <string>

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLibraryInfo>
#include <QListWidget>
#include <QLocale>
#include <QStandardItemModel>
#include <QStyle>
#include <QStyleOptionHeader>
#include <QTableView>
#include <QTranslator>
#include <QWizard>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "client/ClientWindow.h"
#include "common/Appearance.h"
#include "customers/wizard/AddCustomerWizard.h"
#include "mainwindow/MainWindow.h"

using namespace rd;
using namespace rd::test;

namespace {

QString describe(const QWidget *w)
{
    return QString::fromLatin1(w->metaObject()->className()) + QLatin1Char(' ')
        + (w->objectName().isEmpty() ? QStringLiteral("(no objectName)") : w->objectName());
}

bool shownIn(const QWidget *w, const QWidget *root)
{
    return w->isVisibleTo(root) && w->window()->isVisible();
}

// The width the header section needs for its text, as the style lays it out.
int headerTextWidth(const QHeaderView &header, int section)
{
    QStyleOptionHeader option;
    option.initFrom(&header);
    option.section = section;
    option.text = header.model()->headerData(section, header.orientation()).toString();
    const QVariant font = header.model()->headerData(section, header.orientation(), Qt::FontRole);
    if (font.canConvert<QFont>())
        option.fontMetrics = QFontMetrics(font.value<QFont>());
    return header.style()
        ->sizeFromContents(QStyle::CT_HeaderSection, &option, QSize(), &header)
        .width();
}

constexpr int MaxColumnsReadWhole = 6;

// The texts `root` shows cut off: a label or button narrower than its text
// (a fixed or maximum width the translation outgrew), a table's column
// narrower than its header when the user cannot see the rest by widening
// the window (the column is not the stretching last one), and a short
// table that hides columns behind a sideways scroll bar.
QStringList clippedTexts(const QWidget *root)
{
    QStringList clipped;
    for (const QLabel *label : root->findChildren<QLabel *>()) {
        if (!shownIn(label, root) || label->text().isEmpty() || label->wordWrap()
            || !label->pixmap().isNull())
            continue;
        if (label->width() < label->minimumSizeHint().width())
            clipped << describe(label) + QStringLiteral(": ") + label->text();
    }
    for (const QAbstractButton *button : root->findChildren<QAbstractButton *>()) {
        if (!shownIn(button, root) || button->text().isEmpty())
            continue;
        if (button->width() < button->minimumSizeHint().width())
            clipped << describe(button) + QStringLiteral(": ") + button->text();
    }
    for (const QTableView *table : root->findChildren<QTableView *>()) {
        const QHeaderView *header = table->horizontalHeader();
        if (!shownIn(table, root) || !header->isVisible() || table->model() == nullptr)
            continue;
        // A short table is read whole; a wide grid (the customers' dozen
        // columns) may scroll sideways.
        if (header->count() - header->hiddenSectionCount() <= MaxColumnsReadWhole
            && header->length() > table->viewport()->width() + 1)
            clipped << describe(table)
                    + QStringLiteral(" scrolls sideways: its columns need %1 px of %2")
                          .arg(header->length())
                          .arg(table->viewport()->width());
        const int last = header->logicalIndex(header->count() - 1 - header->hiddenSectionCount());
        for (int section = 0; section < header->count(); ++section) {
            if (header->isSectionHidden(section)
                || (section == last && header->stretchLastSection()))
                continue;
            if (header->sectionSize(section) < headerTextWidth(*header, section))
                clipped << describe(table) + QStringLiteral(" column: ")
                        + table->model()->headerData(section, Qt::Horizontal).toString();
        }
    }
    return clipped;
}

void settle()
{
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
}

// Each language, as a user running with --lang sees it: the English plural
// forms below the language's own strings (ui/common/Translations.cpp).
class TranslatedLayoutTest : public GuiFixture, public ::testing::WithParamInterface<const char *>
{
protected:
    void SetUp() override
    {
        GuiFixture::SetUp();
        m_locale = QLocale();
        QLocale::setDefault(QLocale(language()));
        install(QStringLiteral("resellerdesk_en"));
        if (language() != QLatin1String("en")) {
            // Qt's own (wizard and dialog buttons), package qt6-translations-l10n.
            install(QStringLiteral("qtbase_") + language(),
                QLibraryInfo::path(QLibraryInfo::TranslationsPath));
            install(QStringLiteral("resellerdesk_") + language());
        }
    }

    void TearDown() override
    {
        for (const auto &translator : m_translators)
            QCoreApplication::removeTranslator(translator.get());
        m_translators.clear();
        QLocale::setDefault(m_locale);
        applyTheme(Theme::System);
        GuiFixture::TearDown();
    }

    QString language() const { return QString::fromLatin1(GetParam()); }

    // Screenshots of both palettes (RESELLERDESK_SCREENSHOT_DIR), named by
    // language and palette.
    void shoot(QWidget *w, const QString &name)
    {
        for (const Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            screenshot(w,
                name + QLatin1Char('-') + language()
                    + (theme == Theme::Light ? QStringLiteral("-light") : QStringLiteral("-dark")));
        }
        applyTheme(Theme::System);
    }

    void expectNothingClipped(const QWidget *root, const std::string &where)
    {
        const QStringList clipped = clippedTexts(root);
        EXPECT_TRUE(clipped.isEmpty()) << where << " in " << GetParam() << " cuts off:\n  "
                                       << clipped.join(QStringLiteral("\n  ")).toStdString();
    }

    const Session &keep(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        return *m_session;
    }

private:
    void install(const QString &file, const QString &directory = QStringLiteral(":/i18n"))
    {
        auto translator = std::make_unique<QTranslator>();
        ASSERT_TRUE(translator->load(file, directory)) << file.toStdString();
        QCoreApplication::installTranslator(translator.get());
        m_translators.push_back(std::move(translator));
    }

    std::vector<std::unique_ptr<QTranslator>> m_translators;
    std::unique_ptr<Session> m_session;
    QLocale m_locale;
};

} // namespace

// The check itself: a label held narrower than its text and a column
// narrower than its header are reported.
TEST(ClippedTextCheckTest, FindsALabelAndAColumnTooNarrowForTheirText)
{
    QWidget window;
    auto *label = new QLabel(QStringLiteral("A rather long label that cannot fit"), &window);
    label->setFixedWidth(40);
    auto *table = new QTableView(&window);
    table->move(0, 40);
    table->resize(400, 200);
    QStandardItemModel model(1, 2);
    model.setHorizontalHeaderLabels(
        {QStringLiteral("Id"), QStringLiteral("A very long column header")});
    table->setModel(&model);
    table->setColumnWidth(1, 30);
    window.resize(500, 300);
    window.show();
    settle();
    const QStringList clipped = clippedTexts(&window);
    ASSERT_EQ(clipped.size(), 2) << clipped.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(clipped.at(0).contains(QStringLiteral("A rather long label")));
    EXPECT_TRUE(clipped.at(1).contains(QStringLiteral("A very long column header")));
}

TEST_P(TranslatedLayoutTest, TheMainWindowShowsEveryTextWhole)
{
    const Session &session = keep(admin());
    MainWindow w(MainWindowContext {session, services(), QStringLiteral("demo.sqlite")});
    w.resize(1280, 800);
    w.show();
    auto *navigation = w.findChild<QListWidget *>(QStringLiteral("navigation"));
    ASSERT_NE(navigation, nullptr);
    for (int i = 0; i < navigation->count(); ++i) {
        navigation->setCurrentRow(i);
        settle();
        expectNothingClipped(&w, "main window, page " + std::to_string(i));
        shoot(&w, QStringLiteral("main-page%1").arg(i));
    }
}

TEST_P(TranslatedLayoutTest, TheClientViewShowsEveryTextWhole)
{
    const Session &session = keep(signIn(QStringLiteral("priya.costa@alpinefoods.test")));
    ClientWindow w(ClientWindowContext {
        session, services(), QStringLiteral("demo.sqlite"), std::nullopt, nullptr});
    w.show();
    settle();
    expectNothingClipped(&w, "client view");
    shoot(&w, QStringLiteral("client"));
}

TEST_P(TranslatedLayoutTest, TheAddCustomerWizardShowsEveryTextWhole)
{
    const Session &session = keep(admin());
    AddCustomerWizard w(session, services());
    w.show();
    settle();
    type(w, "companyName", QStringLiteral("Blue Harbor Ltd"));
    type(w, "website", QStringLiteral("https://www.blueharbor.example"));
    expectNothingClipped(&w, "wizard, company");
    shoot(&w, QStringLiteral("wizard-1-company"));
    w.button(QWizard::NextButton)->click();
    settle();

    type(w, "contactName", QStringLiteral("Hana Harbor"));
    type(w, "email", QStringLiteral("hana@blueharbor.example"));
    auto *region = find<QComboBox>(w, "phoneRegion");
    region->setCurrentIndex(region->findData(QStringLiteral("DE")));
    // Countries are named in the user's language, not Qt's English.
    const QString germany = language() == QLatin1String("de") ? QStringLiteral("Deutschland")
        : language() == QLatin1String("fr")                   ? QStringLiteral("Allemagne")
                                                              : QStringLiteral("Germany");
    EXPECT_EQ(region->currentText(), germany);
    type(w, "phone", QStringLiteral("030 1234567"));
    expectNothingClipped(&w, "wizard, contact");
    shoot(&w, QStringLiteral("wizard-2-contact"));
    w.button(QWizard::NextButton)->click();
    settle();

    ASSERT_EQ(w.currentId(), AddCustomerWizard::PlanPageId);
    auto *plan = find<QComboBox>(w, "plan");
    plan->setCurrentIndex(plan->count() > 1 ? 1 : 0);
    settle();
    expectNothingClipped(&w, "wizard, plan");
    shoot(&w, QStringLiteral("wizard-3-plan"));
    w.button(QWizard::NextButton)->click();
    settle();

    ASSERT_EQ(w.currentId(), AddCustomerWizard::ReviewPageId);
    expectNothingClipped(&w, "wizard, review");
    shoot(&w, QStringLiteral("wizard-4-review"));
}

INSTANTIATE_TEST_SUITE_P(Languages, TranslatedLayoutTest, ::testing::Values("en", "de", "fr"),
    [](const ::testing::TestParamInfo<const char *> &param) { return std::string(param.param); });
