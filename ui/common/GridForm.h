#pragma once

#include <QString>

class QGridLayout;
class QWidget;

namespace rd {

// A form on a QGridLayout: labels in the first column, inputs and the notes
// under them (reasons, hints) in the next columnSpan columns. A QGridLayout
// rather than a QFormLayout, which gives a word-wrapped label the height of
// its size hint (computed for a narrow width) and so leaves gaps under
// longer reasons.

// Adds a row: a label with text (mnemonic and buddy included) and field.
void addGridRow(QGridLayout *grid, const QString &text, QWidget *field, int columnSpan = 1);

// Adds a note under the field above it.
void addGridNote(QGridLayout *grid, QWidget *note, int columnSpan = 1);

} // namespace rd
