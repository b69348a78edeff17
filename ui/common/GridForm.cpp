#include "common/GridForm.h"

#include <QGridLayout>
#include <QLabel>

namespace rd {

void addGridRow(QGridLayout *grid, const QString &text, QWidget *field, int columnSpan)
{
    const int row = grid->rowCount();
    auto *label = new QLabel(text, grid->parentWidget());
    label->setBuddy(field);
    grid->addWidget(label, row, 0);
    grid->addWidget(field, row, 1, 1, columnSpan);
}

void addGridNote(QGridLayout *grid, QWidget *note, int columnSpan)
{
    grid->addWidget(note, grid->rowCount(), 1, 1, columnSpan);
}

} // namespace rd
