#include "common/ConflictBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include "common/Feedback.h"

namespace rd {

ConflictBanner::ConflictBanner(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("conflictBox"));
    setFrameShape(QFrame::StyledPanel);
    m_message = createReasonLabel(QStringLiteral("conflictMessage"), this);
    m_reload = new QPushButton(tr("&Reload"), this);
    m_reload->setObjectName(QStringLiteral("reloadButton"));
    m_reload->setAutoDefault(false);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_message, 1);
    layout->addWidget(m_reload, 0, Qt::AlignTop);
    connect(m_reload, &QPushButton::clicked, this, &ConflictBanner::reloadRequested);
    hide();
}

ConflictBanner::~ConflictBanner() = default;

void ConflictBanner::showConflict(const QString &message, const QString &consequence)
{
    m_message->setText(message + QLatin1Char('\n') + consequence);
    show();
}

} // namespace rd
