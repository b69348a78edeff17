#pragma once

#include <chrono>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFlags>
#include <QObject>
#include <QSqlDriver>
#include <QString>

#include "domain/ChangeFeed.h"
#include "domain/Error.h"

class QTimer;

namespace rd {

class Database;

// Tells the GUI thread when another connection — another desktop, or a
// worker connection of this one (import, export, mail) — has committed a
// change to the database, so open views can read again.
//
// PostgreSQL: statement-level triggers (migration 5) call
// pg_notify('resellerdesk_changes', <table>); this object LISTENs on the
// Database's own connection (QSqlDriver::subscribeToNotification), so the
// payload names the table. Notifications from this very connection (its
// own writes, which the views already show) are ignored.
// SQLite: there is no notification; `PRAGMA data_version` changes when
// another connection commits, and it is polled (cheap: no file I/O when
// nothing changed). Any change reports every area.
//
// Notifications are debounced: `changed` comes once, `debounceInterval`
// after the last of a burst, and never later than `maxDelay` after the
// first, so a long stream of writes (an import) still refreshes the views
// about once a second instead of never.
//
// The object lives in the thread of the Database (the GUI thread) and needs
// its event loop. A lost PostgreSQL connection ends the notifications
// (reported once through `stopped`); reconnecting is not attempted.
class ChangeNotifier final : public ChangeFeed
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChangeNotifier)

public:
    enum class Mode { Off, Notify, Poll };

    // Does not start listening yet: call start().
    explicit ChangeNotifier(Database &db, QObject *parent = nullptr);
    ~ChangeNotifier() override;

    // Subscribes (PostgreSQL) or starts polling (SQLite). An error leaves
    // the notifier off; the program works on without live refresh.
    Status start();
    void stop();

    Mode mode() const noexcept { return m_mode; }
    bool isActive() const noexcept { return m_mode != Mode::Off; }

    void setDebounceInterval(std::chrono::milliseconds interval);
    void setMaxDelay(std::chrono::milliseconds delay);
    void setPollInterval(std::chrono::milliseconds interval);
    // Also report this connection's own writes (PostgreSQL); off by default.
    void setReportOwnChanges(bool report) noexcept { m_reportOwn = report; }

    // The LISTEN channel the migration's triggers notify.
    static QString channel();
    // The area of a table named in a notification; every area for a table
    // this build does not know (a newer schema's).
    static ChangeAreas areasOfTable(const QString &table);

private:
    void notificationReceived(
        const QString &name, QSqlDriver::NotificationSource source, const QVariant &payload);
    void poll();
    void note(ChangeAreas areas);
    void flush();
    bool readDataVersion(qint64 &version);
    void lost(const QString &detail);

    Database &m_db;
    Mode m_mode = Mode::Off;
    bool m_reportOwn = false;
    bool m_pollFailed = false;
    qint64 m_dataVersion = -1;
    ChangeAreas m_pending;
    QElapsedTimer m_firstPending;
    std::chrono::milliseconds m_debounce {250};
    std::chrono::milliseconds m_maxDelay {1000};
    QTimer *m_debounceTimer = nullptr;
    QTimer *m_pollTimer = nullptr;
    QTimer *m_healthTimer = nullptr;
};

} // namespace rd
