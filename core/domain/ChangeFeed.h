#pragma once

#include <QFlags>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace rd {

// What another desktop changed, coarse enough for a view to decide whether
// it must read again.
enum class ChangeArea : quint16 {
    Customers = 0x01, // customers and their reseller assignments
    Resellers = 0x02, // resellers and the plans they offer
    Users = 0x04,     // users and memberships
    Outbox = 0x08,
    Audit = 0x10, // audit events and Login As sessions
    Settings = 0x20,
    Catalogue = 0x40, // plans, price lists and their prices
    Orders = 0x80,    // orders and identification usage
};
Q_DECLARE_FLAGS(ChangeAreas, ChangeArea)
Q_DECLARE_OPERATORS_FOR_FLAGS(ChangeAreas)

// Every area: what SQLite reports (it only knows that something changed).
constexpr ChangeAreas allChangeAreas()
{
    return ChangeAreas(ChangeArea::Customers) | ChangeArea::Resellers | ChangeArea::Users
        | ChangeArea::Outbox | ChangeArea::Audit | ChangeArea::Settings | ChangeArea::Catalogue
        | ChangeArea::Orders;
}

// What the windows listen to for live refresh: changes committed by another
// connection. The storage layer's ChangeNotifier is the implementation (it
// listens to the database); a window needs only these two signals.
class ChangeFeed : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChangeFeed)

public:
    ~ChangeFeed() override;

Q_SIGNALS:
    // Another connection committed changes in these areas.
    void changed(rd::ChangeAreas areas);
    // Notifications ended (the connection was lost); the message is
    // translated. Emitted once.
    void stopped(const QString &message);

protected:
    explicit ChangeFeed(QObject *parent = nullptr);
};

} // namespace rd

Q_DECLARE_METATYPE(rd::ChangeAreas)
