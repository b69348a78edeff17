#pragma once

#include <QIcon>
#include <QString>

namespace rd {

// One of the application's icons (resources/icons/<name>.svg, embedded under
// ":/icons"), drawn at whatever size and device pixel ratio it is asked for
// and in the colours of the application palette at that moment: the
// neutral strokes take the text colour and the accent a lighter blue on a
// dark palette, so the icons stay visible after View ▸ Appearance changes.
// Disabled icons are faded; selected ones take the highlighted text colour.
QIcon themedIcon(const QString &name);

} // namespace rd
