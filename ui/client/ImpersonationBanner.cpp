#include "client/ImpersonationBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTimer>

#include "services/Clock.h"

namespace rd {

namespace {

// Dark amber with white bold text: a contrast ratio above 7:1, and the
// warning icon and the "Login As" word carry the meaning without colour.
const auto BannerStyle = QStringLiteral(
    "#impersonationBanner { background-color: #8a4500; border-bottom: 2px solid #5c2e00; }"
    "#impersonationBanner QLabel { color: #ffffff; font-weight: bold; }"
    "#endSessionButton { color: #5c2e00; background-color: #ffffff; font-weight: bold;"
    " border: 1px solid #ffffff; border-radius: 3px; padding: 4px 12px; }"
    "#endSessionButton:focus { border: 2px solid #ffd280; }");

} // namespace

ImpersonationBanner::ImpersonationBanner(const QString &companyName, const QString &clientUserName,
    const QString &actorDescription, const QDateTime &expiresAtUtc, const Clock &clock,
    QWidget *parent)
    : QFrame(parent)
    , m_companyName(companyName)
    , m_clientUserName(clientUserName)
    , m_actorDescription(actorDescription)
    , m_expiresAt(expiresAtUtc)
    , m_clock(clock)
{
    setObjectName(QStringLiteral("impersonationBanner"));
    setAccessibleName(tr("Login As session"));
    setFrameShape(QFrame::NoFrame);
    setAttribute(Qt::WA_StyledBackground);
    setStyleSheet(BannerStyle);
    setContextMenuPolicy(Qt::PreventContextMenu);

    auto *icon = new QLabel(this);
    icon->setObjectName(QStringLiteral("impersonationIcon"));
    icon->setPixmap(style()
                        ->standardIcon(QStyle::SP_MessageBoxWarning)
                        .pixmap(QSize(24, 24), devicePixelRatioF()));
    icon->setAccessibleName(tr("Warning"));
    auto *word = new QLabel(tr("LOGIN AS"), this);
    word->setObjectName(QStringLiteral("impersonationWord"));
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("impersonationText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_end = new QPushButton(tr("&End session"), this);
    m_end->setObjectName(QStringLiteral("endSessionButton"));
    m_end->setAccessibleName(tr("End the Login As session"));
    m_end->setCursor(Qt::PointingHandCursor);
    connect(m_end, &QPushButton::clicked, this, &ImpersonationBanner::endRequested);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(10);
    layout->addWidget(icon);
    layout->addWidget(word);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_end);

    m_timer = new QTimer(this);
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &ImpersonationBanner::tick);
    m_timer->start();
    tick();
}

ImpersonationBanner::~ImpersonationBanner() = default;

QString ImpersonationBanner::text() const
{
    return m_text->text();
}

int ImpersonationBanner::secondsLeft() const
{
    const qint64 ms = m_clock.now().msecsTo(m_expiresAt);
    return ms <= 0 ? 0 : static_cast<int>((ms + 999) / 1000);
}

void ImpersonationBanner::tick()
{
    const int left = secondsLeft();
    const QString remaining = QStringLiteral("%1:%2")
                                  .arg(left / 60, 2, 10, QLatin1Char('0'))
                                  .arg(left % 60, 2, 10, QLatin1Char('0'));
    m_text->setText(tr("Viewing %1 as %2 — you are %3; every action is recorded; ends in %4")
                        .arg(m_companyName, m_clientUserName, m_actorDescription, remaining));
    setAccessibleDescription(m_text->text());
    if (left == 0 && !m_expired) {
        m_expired = true;
        m_timer->stop();
        Q_EMIT expired();
    }
}

} // namespace rd
