#pragma once

#include <functional>
#include <stdexcept>
#include <string>

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QStringList>
#include <QTest>
#include <QTimer>
#include <QVariant>

#include <gtest/gtest.h>

// Small ways of driving real widgets by objectName, shared by the GUI tests.
namespace rd::test {

// The child named name, or a test failure (gtest reports the exception).
template<typename T> T *find(const QObject &parent, const char *name)
{
    T *child = parent.findChild<T *>(QString::fromLatin1(name));
    if (child == nullptr)
        throw std::runtime_error(std::string("no widget named ") + name);
    return child;
}

// The text of the label named name.
inline QString text(const QWidget &parent, const char *name)
{
    return find<QLabel>(parent, name)->text();
}

// Types into a line edit the way a user does (replacing what is there).
inline void type(const QWidget &parent, const char *name, const QString &value)
{
    auto *edit = find<QLineEdit>(parent, name);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, value);
}

// Chooses the first item of the combo box named name whose text starts with
// itemStart.
inline void choose(const QWidget &parent, const char *name, const QString &itemStart)
{
    auto *combo = find<QComboBox>(parent, name);
    for (int i = 0; i < combo->count(); ++i) {
        if (combo->itemText(i).startsWith(itemStart)) {
            combo->setCurrentIndex(i);
            return;
        }
    }
    throw std::runtime_error("no item " + itemStart.toStdString() + " in " + name);
}

// Chooses the item carrying value, as a user picking it from the list.
inline void choose(const QWidget &parent, const char *name, qint64 value)
{
    auto *combo = find<QComboBox>(parent, name);
    const int index = combo->findData(QVariant(value));
    if (index < 0)
        throw std::runtime_error(std::string(name) + " has no item " + std::to_string(value));
    combo->setCurrentIndex(index);
}

// The texts of the combo box named name, in order.
inline QStringList items(const QWidget &parent, const char *name)
{
    auto *combo = find<QComboBox>(parent, name);
    QStringList texts;
    for (int i = 0; i < combo->count(); ++i)
        texts.append(combo->itemText(i));
    return texts;
}

// A reason or hint row is shown only when it has something to say.
inline bool shown(const QWidget &parent, const char *name)
{
    auto *label = find<QLabel>(parent, name);
    return label->isVisible() && !label->text().isEmpty();
}

// Runs handler on the next modal widget as soon as the code under test has
// opened it with exec() (which blocks the test until handler closes it).
inline void whenModal(std::function<void(QWidget *)> handler, int attempts = 300)
{
    QTimer::singleShot(10, qApp, [handler = std::move(handler), attempts]() mutable {
        QWidget *modal = QApplication::activeModalWidget();
        if (modal == nullptr) {
            if (attempts > 0)
                whenModal(std::move(handler), attempts - 1);
            else
                ADD_FAILURE() << "no modal widget appeared";
            return;
        }
        handler(modal);
    });
}

} // namespace rd::test
