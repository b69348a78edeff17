#pragma once

#include <QToolButton>

#include "services/OutboxService.h"

class QTimer;

namespace rd {

class MailWorker;
class Session;

// The status bar's word on mail, e.g. "Mail: 3 pending" or, highlighted,
// "Mail: 2 failing", within the session's outbox scope. A flat button that
// reads like a label: clicking it (or Space when focused) asks for the
// Outbox, on its problems when there are any. Counts again every
// refreshInterval, and after each run of this desktop's mail worker when
// there is one; without one the tooltip says that another desktop or the
// dispatcher delivers the mail.
//
// objectName "mailStatusIndicator"; property "highlighted" is true while
// mail is failing.
class MailStatusIndicator final : public QToolButton
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MailStatusIndicator)

public:
    static constexpr int DefaultRefreshMs = 30'000;

    MailStatusIndicator(const Session &session, OutboxService &outbox, MailWorker *worker,
        QWidget *parent = nullptr);
    ~MailStatusIndicator() override;

    void refresh();
    const OutboxSummary &summary() const noexcept { return m_summary; }
    bool isHighlighted() const noexcept { return m_highlighted; }
    QTimer *timer() const noexcept { return m_timer; }

Q_SIGNALS:
    // problems: open the Outbox on its failed and unknown mail.
    void openRequested(bool problems);

private:
    void setHighlighted(bool highlighted);
    QString toolTipText() const;

    const Session &m_session;
    OutboxService &m_outbox;
    MailWorker *m_worker = nullptr;
    QTimer *m_timer = nullptr;
    OutboxSummary m_summary;
    QString m_error;         // the summary could not be read
    QString m_workerProblem; // the worker's last problem, until it runs again
    bool m_highlighted = false;
};

} // namespace rd
