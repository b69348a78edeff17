#include "outbox/MailStatusIndicator.h"

#include <QLocale>
#include <QStyle>
#include <QTimer>

#include "mail/MailWorker.h"
#include "services/Session.h"

namespace rd {

MailStatusIndicator::MailStatusIndicator(
    const Session &session, OutboxService &outbox, MailWorker *worker, QWidget *parent)
    : QToolButton(parent)
    , m_session(session)
    , m_outbox(outbox)
    , m_worker(worker)
{
    setObjectName(QStringLiteral("mailStatusIndicator"));
    setAccessibleName(tr("Mail status"));
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setFocusPolicy(Qt::TabFocus);
    setCursor(Qt::PointingHandCursor);

    m_timer = new QTimer(this);
    m_timer->setInterval(DefaultRefreshMs);
    connect(m_timer, &QTimer::timeout, this, &MailStatusIndicator::refresh);
    m_timer->start();

    if (m_worker) {
        connect(m_worker, &MailWorker::ran, this, [this] {
            m_workerProblem.clear();
            refresh();
        });
        connect(m_worker, &MailWorker::problem, this, [this](const QString &message) {
            m_workerProblem = message;
            refresh();
        });
    }
    connect(this, &QToolButton::clicked, this,
        [this] { Q_EMIT openRequested(m_summary.problems() > 0); });
    refresh();
}

MailStatusIndicator::~MailStatusIndicator() = default;

void MailStatusIndicator::refresh()
{
    Result<OutboxSummary> summary = m_outbox.summary(m_session);
    if (summary) {
        m_summary = *summary;
        m_error.clear();
    } else {
        m_error = summary.error().message();
    }

    if (!m_error.isEmpty()) {
        setText(tr("Mail: status unavailable"));
    } else if (m_summary.problems() > 0) {
        setText(tr("Mail: %n failing", nullptr, m_summary.problems()));
    } else if (m_summary.pending > 0) {
        setText(tr("Mail: %n pending", nullptr, m_summary.pending));
    } else {
        setText(tr("Mail: all sent"));
    }
    const bool problems = m_error.isEmpty() && m_summary.problems() > 0;
    setHighlighted(problems);
    // The icon says "look here" for a delivery problem of this desktop too.
    if (problems || !m_workerProblem.isEmpty() || !m_error.isEmpty())
        setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
    else
        setIcon({});
    setToolTip(toolTipText());
}

void MailStatusIndicator::setHighlighted(bool highlighted)
{
    if (m_highlighted == highlighted)
        return;
    m_highlighted = highlighted;
    setProperty("highlighted", highlighted);
    // Words, an icon and a strong colour: failing mail must be noticed.
    setStyleSheet(highlighted ? QStringLiteral("QToolButton { color: white; background: #b00020; "
                                               "font-weight: bold; border-radius: 3px; "
                                               "padding: 1px 6px; }")
                              : QString());
}

QString MailStatusIndicator::toolTipText() const
{
    QStringList lines;
    if (!m_error.isEmpty()) {
        lines.append(tr("The outbox cannot be read: %1").arg(m_error));
    } else {
        lines.append(tr("%n emails waiting to be sent", nullptr, m_summary.pending));
        if (m_summary.oldestPending.isValid()) {
            lines.append(tr("The oldest was queued on %1.")
                             .arg(QLocale().toString(
                                 m_summary.oldestPending.toLocalTime(), QLocale::ShortFormat)));
        }
        if (m_summary.failed > 0)
            lines.append(tr("%n emails failed", nullptr, m_summary.failed));
        if (m_summary.unknown > 0) {
            lines.append(tr("%n emails of unknown outcome (not resent automatically)", nullptr,
                m_summary.unknown));
        }
        if (!m_summary.lastError.isEmpty())
            lines.append(tr("Last error: %1").arg(m_summary.lastError));
    }
    if (m_worker) {
        lines.append(tr("This desktop delivers mail."));
        if (!m_workerProblem.isEmpty())
            lines.append(tr("Delivery problem: %1").arg(m_workerProblem));
    } else {
        lines.append(tr("This desktop does not deliver mail; another desktop or the dispatcher "
                        "(resellerdesk dispatch) delivers it."));
    }
    lines.append(tr("Click to open the outbox."));
    return lines.join(QLatin1Char('\n'));
}

} // namespace rd
