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

// A reason label that takes room only while it says something, then at
// least two lines: a top-level dialog's minimum size ignores the height a
// wrapped text needs, so a message that appears later would be clipped.
QLabel *createHiddenReasonLabel(
    const QString &objectName, const QString &accessibleName, QWidget *parent);

// Shows text in a reason or hint label; an empty text hides the label so it
// takes no room.
void setReason(QLabel *label, const QString &text);

// A wrapped label that takes the whole width of its form column: at its
// preferred width it would wrap into a narrow, clipped strip.
void fillWidth(QWidget *widget);

// A field with its hint under it, as one form field. (QFormLayout sizes a
// row without a label by the hint's unwrapped height, which leaves gaps.)
QWidget *withHint(QWidget *field, QLabel *hint, QWidget *parent);

// Makes a shown dialog tall enough for a reason that just appeared, so the
// wrapped text is never cut off. A dialog not shown yet is left to size
// itself when it is.
void growToFit(QWidget *dialog);

// Tells the user that someone else changed what the dialog edits, in a
// modal box (objectName "conflictMessage") with a Reload button
// ("reloadButton") and Cancel. consequence, when given, says what Reload
// does. True when the user chose to reload.
bool askToReload(QWidget *parent, const QString &title, const Error &error,
    const QString &consequence = QString());

// Shows a core error the dialog cannot place beside a field: the message,
// and the technical detail behind "Show Details..." when there is one.
void showError(QWidget *parent, const QString &title, const Error &error);

} // namespace rd
