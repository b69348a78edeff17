#include "common/ThemedIcon.h"

#include <QFile>
#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QPixmapCache>
#include <QSvgRenderer>

#include "common/Appearance.h"

namespace rd {

namespace {

// The colours the SVG files are drawn with (their light-palette look).
const auto NeutralColour = QByteArrayLiteral("#3c4450");
const auto AccentColour = QByteArrayLiteral("#1f6fc5");
// The accent on a dark palette: the same blue, light enough to read.
const auto DarkAccentColour = QByteArrayLiteral("#6cb0f0");

class ThemedIconEngine final : public QIconEngine
{
public:
    explicit ThemedIconEngine(const QString &name)
        : m_name(name)
    {
        QFile file(QStringLiteral(":/icons/") + name + QStringLiteral(".svg"));
        if (file.open(QIODevice::ReadOnly))
            m_svg = file.readAll();
    }

    QIconEngine *clone() const override { return new ThemedIconEngine(*this); }
    QString key() const override { return QStringLiteral("rd::ThemedIconEngine"); }
    QString iconName() override { return m_name; }
    bool isNull() override { return m_svg.isEmpty(); }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override { return size; }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        QSvgRenderer renderer(coloured(mode));
        if (mode == QIcon::Disabled)
            painter->setOpacity(painter->opacity() * 0.4);
        renderer.render(painter, QRectF(rect));
        if (mode == QIcon::Disabled)
            painter->setOpacity(painter->opacity() / 0.4);
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        const QByteArray svg = coloured(mode);
        const QString cacheKey = QStringLiteral("rd-icon:%1:%2x%3:%4:%5")
                                     .arg(m_name)
                                     .arg(size.width())
                                     .arg(size.height())
                                     .arg(int(mode))
                                     .arg(QString::number(qHash(svg)));
        QPixmap pixmap;
        if (QPixmapCache::find(cacheKey, &pixmap))
            return pixmap;
        pixmap = QPixmap(size);
        pixmap.fill(Qt::transparent);
        if (!size.isEmpty()) {
            QPainter painter(&pixmap);
            painter.setRenderHint(QPainter::Antialiasing);
            paint(&painter, QRect(QPoint(0, 0), size), mode, state);
        }
        QPixmapCache::insert(cacheKey, pixmap);
        return pixmap;
    }

private:
    ThemedIconEngine(const ThemedIconEngine &) = default;

    QByteArray coloured(QIcon::Mode mode) const
    {
        const QPalette palette = QGuiApplication::palette();
        QByteArray svg = m_svg;
        if (mode == QIcon::Selected) {
            const QByteArray on = palette.color(QPalette::HighlightedText).name().toLatin1();
            svg.replace(NeutralColour, on).replace(AccentColour, on);
        } else if (isDark(palette)) {
            svg.replace(NeutralColour, palette.color(QPalette::WindowText).name().toLatin1())
                .replace(AccentColour, DarkAccentColour);
        }
        return svg;
    }

    QString m_name;
    QByteArray m_svg;
};

} // namespace

QIcon themedIcon(const QString &name)
{
    return QIcon(new ThemedIconEngine(name));
}

} // namespace rd
