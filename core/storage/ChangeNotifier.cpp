#include "storage/ChangeNotifier.h"

#include <algorithm>

#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

#include "storage/Database.h"

namespace rd {

namespace {

// The tables migration 5 (PostgreSQL) notifies about.
const QHash<QString, ChangeAreas> &tableAreas()
{
    static const QHash<QString, ChangeAreas> areas {
        {QStringLiteral("customers"), ChangeArea::Customers},
        {QStringLiteral("customer_assignments"), ChangeArea::Customers},
        {QStringLiteral("resellers"), ChangeArea::Resellers},
        {QStringLiteral("reseller_plans"), ChangeArea::Resellers},
        {QStringLiteral("users"), ChangeArea::Users},
        {QStringLiteral("memberships"), ChangeArea::Users},
        {QStringLiteral("outbox"), ChangeArea::Outbox},
        {QStringLiteral("audit_events"), ChangeArea::Audit},
        {QStringLiteral("impersonation_sessions"), ChangeArea::Audit},
        {QStringLiteral("settings"), ChangeArea::Settings},
        {QStringLiteral("plans"), ChangeArea::Catalogue},
        {QStringLiteral("price_lists"), ChangeArea::Catalogue},
        {QStringLiteral("price_list_items"), ChangeArea::Catalogue},
        {QStringLiteral("orders"), ChangeArea::Orders},
        {QStringLiteral("identification_usage"), ChangeArea::Orders},
    };
    return areas;
}

} // namespace

ChangeNotifier::ChangeNotifier(Database &db, QObject *parent)
    : ChangeFeed(parent)
    , m_db(db)
    , m_debounceTimer(new QTimer(this))
    , m_pollTimer(new QTimer(this))
    , m_healthTimer(new QTimer(this))
{
    m_debounceTimer->setSingleShot(true);
    connect(m_debounceTimer, &QTimer::timeout, this, &ChangeNotifier::flush);
    m_pollTimer->setInterval(std::chrono::milliseconds(500));
    connect(m_pollTimer, &QTimer::timeout, this, &ChangeNotifier::poll);
    // Only looks at the driver's state: no query, no network traffic.
    m_healthTimer->setInterval(std::chrono::seconds(2));
    connect(m_healthTimer, &QTimer::timeout, this, [this] {
        QSqlDriver *driver = m_db.connection().driver();
        if (!driver || !driver->isOpen())
            lost(driver ? driver->lastError().text() : QString());
    });
}

ChangeNotifier::~ChangeNotifier()
{
    stop();
}

QString ChangeNotifier::channel()
{
    return QStringLiteral("resellerdesk_changes");
}

ChangeAreas ChangeNotifier::areasOfTable(const QString &table)
{
    return tableAreas().value(table, allChangeAreas());
}

void ChangeNotifier::setDebounceInterval(std::chrono::milliseconds interval)
{
    m_debounce = interval;
}

void ChangeNotifier::setMaxDelay(std::chrono::milliseconds delay)
{
    m_maxDelay = delay;
}

void ChangeNotifier::setPollInterval(std::chrono::milliseconds interval)
{
    m_pollTimer->setInterval(interval);
}

Status ChangeNotifier::start()
{
    if (m_mode != Mode::Off)
        return {};
    m_pending = {};

    if (m_db.dialect() == Dialect::SQLite) {
        m_pollFailed = false;
        if (!readDataVersion(m_dataVersion)) {
            return fail(ErrorCode::DatabaseError,
                tr("Changes made on other desktops cannot be followed: the database's "
                   "change counter cannot be read. Use View ▸ Refresh to see them."));
        }
        m_pollTimer->start();
        m_mode = Mode::Poll;
        return {};
    }

    QSqlDriver *driver = m_db.connection().driver();
    if (!driver || !driver->hasFeature(QSqlDriver::EventNotifications)) {
        return fail(ErrorCode::DatabaseError,
            tr("Changes made on other desktops cannot be followed: the database driver "
               "does not deliver notifications. Use View ▸ Refresh to see them."));
    }
    if (!driver->subscribeToNotification(channel())) {
        return fail(ErrorCode::DatabaseError,
            tr("Changes made on other desktops cannot be followed: the server refused to "
               "send notifications. Use View ▸ Refresh to see them."),
            {}, driver->lastError().text());
    }
    connect(driver, &QSqlDriver::notification, this, &ChangeNotifier::notificationReceived);
    // A lost connection shows in the driver's state once it has read the
    // end of the stream (Qt then stops watching the dead socket itself).
    m_healthTimer->start();
    m_mode = Mode::Notify;
    return {};
}

void ChangeNotifier::stop()
{
    if (m_mode == Mode::Notify) {
        QSqlDriver *driver = m_db.connection().driver();
        if (driver) {
            disconnect(driver, nullptr, this, nullptr);
            if (driver->isOpen() && driver->subscribedToNotifications().contains(channel()))
                driver->unsubscribeFromNotification(channel());
        }
    }
    m_pollTimer->stop();
    m_healthTimer->stop();
    m_debounceTimer->stop();
    m_pending = {};
    m_mode = Mode::Off;
}

void ChangeNotifier::notificationReceived(
    const QString &name, QSqlDriver::NotificationSource source, const QVariant &payload)
{
    if (name != channel())
        return;
    if (source == QSqlDriver::SelfSource && !m_reportOwn)
        return;
    note(areasOfTable(payload.toString()));
}

void ChangeNotifier::poll()
{
    // Inside a write of this connection the counter says nothing new, and
    // the write's own refresh follows anyway.
    if (m_db.inTransaction())
        return;
    qint64 version = 0;
    if (!readDataVersion(version)) {
        if (!m_pollFailed) {
            m_pollFailed = true;
            qWarning("ChangeNotifier: PRAGMA data_version failed: %s",
                qPrintable(m_db.connection().lastError().text()));
        }
        return;
    }
    m_pollFailed = false;
    if (version != m_dataVersion) {
        m_dataVersion = version;
        note(allChangeAreas());
    }
}

bool ChangeNotifier::readDataVersion(qint64 &version)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("PRAGMA data_version")) || !query.next())
        return false;
    version = query.value(0).toLongLong();
    // Let go of the statement at once: a statement left open would hold a
    // read snapshot, and the counter would never move.
    query.finish();
    return true;
}

void ChangeNotifier::note(ChangeAreas areas)
{
    if (m_pending == ChangeAreas())
        m_firstPending.start();
    m_pending |= areas;
    const auto waited = std::chrono::milliseconds(m_firstPending.elapsed());
    const auto left = std::max(std::chrono::milliseconds(0), m_maxDelay - waited);
    m_debounceTimer->start(std::min(m_debounce, left));
}

void ChangeNotifier::flush()
{
    const ChangeAreas areas = m_pending;
    m_pending = {};
    if (areas != ChangeAreas())
        Q_EMIT changed(areas);
}

void ChangeNotifier::lost(const QString &detail)
{
    if (m_mode != Mode::Notify)
        return;
    qWarning("ChangeNotifier: the PostgreSQL connection was lost: %s", qPrintable(detail));
    m_debounceTimer->stop();
    m_healthTimer->stop();
    m_pending = {};
    m_mode = Mode::Off;
    Q_EMIT stopped(tr("The connection to the database server was lost: changes made on "
                      "other desktops are no longer shown. Sign in again to reconnect."));
}

} // namespace rd
