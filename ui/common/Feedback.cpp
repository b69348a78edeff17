#include "common/Feedback.h"

#include <QLabel>
#include <QMessageBox>
#include <QPalette>

#include "domain/Error.h"

namespace rd {

void calmDown(QLabel *label, const QPalette &palette)
{
    const QColor text = palette.color(QPalette::WindowText);
    const QColor background = palette.color(QPalette::Window);
    const auto mix = [](int a, int b) { return (a * 2 + b) / 3; };
    QPalette calm = label->palette();
    calm.setColor(QPalette::WindowText,
        QColor(mix(text.red(), background.red()), mix(text.green(), background.green()),
            mix(text.blue(), background.blue())));
    label->setPalette(calm);
}

QLabel *createReasonLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

void showError(QWidget *parent, const QString &title, const Error &error)
{
    QMessageBox box(QMessageBox::Warning, title, error.message(), QMessageBox::Ok, parent);
    box.setObjectName(QStringLiteral("errorMessage"));
    if (!error.detail().isEmpty())
        box.setDetailedText(error.detail());
    box.exec();
}

} // namespace rd
