#pragma once

#include <QString>

class QLabel;
class QPalette;
class QWidget;

namespace rd {

class Error;

// Shared ways of telling the user something, so every dialog looks and
// reads the same.

// Makes a label's text quieter: the text colour a third of the way towards
// the background, readable in any palette. For hints and "why is OK
// disabled" lines under a form.
void calmDown(QLabel *label, const QPalette &palette);

// A word-wrapped, selectable label for the reason beside or under a field,
// empty until there is something to say. objectName lets tests find it.
QLabel *createReasonLabel(const QString &objectName, QWidget *parent);

// Shows a core error the dialog cannot place beside a field: the message,
// and the technical detail behind "Show Details..." when there is one.
void showError(QWidget *parent, const QString &title, const Error &error);

} // namespace rd
