// Issue 8, accessibility: every input and table of the windows and dialogs
// has a name a screen reader can say (its own accessible name, or the text
// of the label that is its buddy, which is what QAccessible reports), and
// every one of them can be reached with the keyboard.

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSlider>
#include <QStackedWidget>
#include <QTextEdit>
#include <QWizard>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "client/ClientWindow.h"
#include "customers/ConvertTrialDialog.h"
#include "customers/EditCustomerDialog.h"
#include "customers/ExtendTrialDialog.h"
#include "customers/ImportCustomersDialog.h"
#include "customers/wizard/AddCustomerWizard.h"
#include "mainwindow/MainWindow.h"
#include "resellers/ResellerDialog.h"
#include "services/Session.h"
#include "settings/SettingsDialog.h"
#include "signin/ChangePasswordDialog.h"
#include "signin/ConnectionDialog.h"
#include "signin/FirstRunDialog.h"
#include "signin/SignInDialog.h"
#include "transfers/CloneCustomersDialog.h"
#include "transfers/MigrateCustomerDialog.h"
#include "transfers/MoveCustomerDialog.h"
#include "users/AddUserDialog.h"

using namespace rd;
using namespace rd::test;

namespace {

// Inside a combo box, spin box or item view: parts of that widget, which
// carries the name.
bool partOfAnother(const QWidget *widget, const QWidget *root)
{
    for (const QWidget *p = widget->parentWidget(); p && p != root; p = p->parentWidget()) {
        if (qobject_cast<const QComboBox *>(p) || qobject_cast<const QAbstractSpinBox *>(p)
            || qobject_cast<const QAbstractItemView *>(p))
            return true;
    }
    return false;
}

bool isInput(const QWidget *w)
{
    return qobject_cast<const QLineEdit *>(w) || qobject_cast<const QComboBox *>(w)
        || qobject_cast<const QAbstractSpinBox *>(w) || qobject_cast<const QTextEdit *>(w)
        || qobject_cast<const QPlainTextEdit *>(w) || qobject_cast<const QAbstractItemView *>(w)
        || qobject_cast<const QSlider *>(w) || qobject_cast<const QAbstractButton *>(w);
}

QString describe(const QWidget *w)
{
    return QString::fromLatin1(w->metaObject()->className()) + QLatin1Char(' ')
        + (w->objectName().isEmpty() ? QStringLiteral("(no objectName)") : w->objectName());
}

// Checks the inputs `root` shows (or would show: pages of a stack or a
// wizard that are not current count too).
void expectAccessible(QWidget *root, const std::string &where)
{
    SCOPED_TRACE(where);
    int checked = 0;
    const QList<QWidget *> widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!isInput(w) || partOfAnother(w, root))
            continue;
        // Explicitly hidden widgets (and those in hidden parents below a
        // page) are not shown; pages of stacks and wizards are.
        bool hidden = false;
        for (QWidget *p = w; p && p != root; p = p->parentWidget()) {
            const bool page = qobject_cast<QStackedWidget *>(p->parentWidget())
                || qobject_cast<QWizardPage *>(p);
            if (p->isHidden() && !page) {
                hidden = true;
                break;
            }
        }
        if (hidden)
            continue;
        ++checked;
        QAccessibleInterface *a = QAccessible::queryAccessibleInterface(w);
        ASSERT_NE(a, nullptr) << describe(w).toStdString();
        EXPECT_FALSE(a->text(QAccessible::Name).trimmed().isEmpty())
            << describe(w).toStdString() << " has no accessible name (setAccessibleName, or a "
            << "QLabel with setBuddy)";
        if (w->isEnabled() && !qobject_cast<QAbstractButton *>(w)) {
            EXPECT_TRUE(w->focusPolicy() & Qt::TabFocus)
                << describe(w).toStdString() << " cannot be reached with Tab";
        }
    }
    EXPECT_GT(checked, 0) << "nothing checked";
}

class AccessibilityTest : public GuiFixture
{
protected:
    std::unique_ptr<Session> m_session;
    const Session &keep(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        return *m_session;
    }
};

// The check itself: an input without a name, or out of the Tab order, fails.
TEST(AccessibilityCheckTest, CatchesAnUnnamedInputAndOneOutOfTheTabOrder)
{
    QWidget unnamed;
    new QLineEdit(&unnamed);
    EXPECT_NONFATAL_FAILURE(expectAccessible(&unnamed, "unnamed"), "has no accessible name");

    QWidget untabbable;
    auto *edit = new QLineEdit(&untabbable);
    edit->setAccessibleName(QStringLiteral("Company"));
    edit->setFocusPolicy(Qt::ClickFocus);
    EXPECT_NONFATAL_FAILURE(expectAccessible(&untabbable, "untabbable"), "cannot be reached");

    QWidget fine;
    auto *named = new QLineEdit(&fine);
    named->setAccessibleName(QStringLiteral("Company"));
    expectAccessible(&fine, "fine");
}

TEST_F(AccessibilityTest, TheMainWindowAndEachOfItsPages)
{
    const Session &session = keep(admin());
    MainWindow w(MainWindowContext {session, services(), QStringLiteral("test.sqlite")});
    w.show();
    auto *navigation = w.findChild<QListWidget *>(QStringLiteral("navigation"));
    ASSERT_NE(navigation, nullptr);
    for (int i = 0; i < navigation->count(); ++i) {
        navigation->setCurrentRow(i);
        QCoreApplication::processEvents();
        expectAccessible(&w, "main window, page " + navigation->item(i)->text().toStdString());
    }
}

TEST_F(AccessibilityTest, TheClientView)
{
    const Session &session = keep(signIn(QStringLiteral("priya.costa@alpinefoods.test")));
    ClientWindow w(ClientWindowContext {
        session, services(), QStringLiteral("test.sqlite"), std::nullopt, nullptr});
    w.show();
    expectAccessible(&w, "client view");
}

TEST_F(AccessibilityTest, TheAddCustomerWizardAndTheImport)
{
    const Session &session = keep(admin());
    AddCustomerWizard wizard(session, services());
    wizard.show();
    for (const int id : wizard.pageIds())
        expectAccessible(wizard.page(id), "wizard page " + std::to_string(id));
    ImportCustomersDialog import(session, services());
    import.show();
    expectAccessible(&import, "import");
}

TEST_F(AccessibilityTest, TheCustomerDialogs)
{
    const Session priya = signIn(QStringLiteral("priya.costa@alpinefoods.test"));
    const qint64 customer = priya.customerId();
    const Session &session = keep(admin());
    EditCustomerDialog edit(session, services(), customer);
    expectAccessible(&edit, "edit customer");
    ConvertTrialDialog convert(session, services(), customer);
    expectAccessible(&convert, "convert trial");
    ExtendTrialDialog extend(session, services(), customer);
    expectAccessible(&extend, "extend trial");
    MigrateCustomerDialog migrate(session, services(), customer);
    expectAccessible(&migrate, "migrate");
    MoveCustomerDialog move(session, services(), customer);
    expectAccessible(&move, "move");
    CloneCustomersDialog clone(session, services(), {customer});
    expectAccessible(&clone, "clone");
}

TEST_F(AccessibilityTest, TheAdministrationDialogs)
{
    const Session &session = keep(admin());
    ResellerDialog reseller(session, services(), 0);
    expectAccessible(&reseller, "new reseller");
    AddUserDialog user(session, services());
    expectAccessible(&user, "add user");
    SettingsDialog settings(session, services());
    expectAccessible(&settings, "settings");
}

TEST_F(AccessibilityTest, TheSignInDialogs)
{
    SignInDialog signInDialog(services().authenticator, QStringLiteral("test.sqlite"));
    expectAccessible(&signInDialog, "sign in");
    ConnectionDialog connection;
    expectAccessible(&connection, "connection");
    FirstRunDialog firstRun;
    expectAccessible(&firstRun, "first run");
    ChangePasswordDialog password;
    expectAccessible(&password, "change password");
}

} // namespace
