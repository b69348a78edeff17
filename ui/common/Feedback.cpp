#include "common/Feedback.h"

#include <QApplication>
#include <QEvent>
#include <QLabel>
#include <QLayout>
#include <QMessageBox>
#include <QPalette>
#include <QPushButton>
#include <QVBoxLayout>

#include "domain/Error.h"

namespace rd {

namespace {

void setCalmColour(QLabel *label, const QPalette &palette)
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

// Mixes the calm colour again when the palette around the label changes
// (View ▸ Appearance): its own colour would otherwise stay that of the old
// palette, grey on grey. A window hears of a new application palette
// (ApplicationPaletteChange), the widgets inside it of their parent's
// (PaletteChange), the label's own change included, hence the guard.
class CalmColourFollower final : public QObject
{
public:
    explicit CalmColourFollower(QLabel *label)
        : QObject(label)
    {
        label->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        const bool changed = event->type() == QEvent::ApplicationPaletteChange
            || event->type() == QEvent::PaletteChange;
        auto *label = qobject_cast<QLabel *>(watched);
        if (changed && label && !m_mixing) {
            m_mixing = true;
            QWidget *parent = label->parentWidget();
            setCalmColour(label, parent ? parent->palette() : QApplication::palette(label));
            m_mixing = false;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_mixing = false;
};

} // namespace

void calmDown(QLabel *label, const QPalette &palette)
{
    setCalmColour(label, palette);
    static const char *const Follows = "rdCalmColourFollows";
    if (!label->property(Follows).toBool()) {
        label->setProperty(Follows, true);
        new CalmColourFollower(label);
    }
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

QLabel *createHiddenReasonLabel(
    const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    QLabel *label = createReasonLabel(objectName, parent);
    label->setAccessibleName(accessibleName);
    label->setMinimumHeight(label->fontMetrics().lineSpacing() * 2);
    label->hide();
    return label;
}

void setReason(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

void fillWidth(QWidget *widget)
{
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(widget->sizePolicy().hasHeightForWidth());
    widget->setSizePolicy(policy);
}

QWidget *withHint(QWidget *field, QLabel *hint, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    // Inputs that do not grow (spin boxes, check boxes) keep their width.
    const bool grows = field->sizePolicy().expandingDirections() & Qt::Horizontal;
    layout->addWidget(field, 0, grows ? Qt::Alignment() : Qt::AlignLeft);
    layout->addWidget(hint);
    return box;
}

void growToFit(QWidget *dialog)
{
    if (!dialog->isVisible())
        return;
    dialog->layout()->activate();
    const int needed = dialog->heightForWidth(dialog->width());
    if (needed > dialog->height())
        dialog->resize(dialog->width(), needed);
}

bool askToReload(
    QWidget *parent, const QString &title, const Error &error, const QString &consequence)
{
    QMessageBox box(QMessageBox::Warning, title, error.message(), QMessageBox::Cancel, parent);
    box.setObjectName(QStringLiteral("conflictMessage"));
    if (!consequence.isEmpty())
        box.setInformativeText(consequence);
    QPushButton *reload = box.addButton(
        QCoreApplication::translate("rd::Feedback", "&Reload"), QMessageBox::AcceptRole);
    reload->setObjectName(QStringLiteral("reloadButton"));
    box.setDefaultButton(reload);
    box.exec();
    return box.clickedButton() == reload;
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
