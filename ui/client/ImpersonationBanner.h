#pragma once

#include <QDateTime>
#include <QFrame>
#include <QString>

class QLabel;
class QPushButton;
class QTimer;

namespace rd {

class Clock;

// The Login As banner (rule 9) at the top of an impersonated client view:
// who is viewed, who is really acting, that everything is recorded and how
// long the session has left, counting down every second. It cannot be
// closed or hidden by the user; End session asks the owner to end the
// session, and expired() tells it once that the time is up.
class ImpersonationBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImpersonationBanner)

public:
    ImpersonationBanner(const QString &companyName, const QString &clientUserName,
        const QString &actorDescription, const QDateTime &expiresAtUtc, const Clock &clock,
        QWidget *parent = nullptr);
    ~ImpersonationBanner() override;

    // The banner's sentence as shown.
    QString text() const;
    // Whole seconds left, rounded up; 0 once expired.
    int secondsLeft() const;

    // Reads the clock again and updates the text (the timer calls it every
    // second); emits expired() the first time no time is left.
    void tick();

Q_SIGNALS:
    void endRequested();
    void expired();

private:
    QString m_companyName;
    QString m_clientUserName;
    QString m_actorDescription;
    QDateTime m_expiresAt;
    const Clock &m_clock;
    QLabel *m_text = nullptr;
    QPushButton *m_end = nullptr;
    QTimer *m_timer = nullptr;
    bool m_expired = false;
};

} // namespace rd
