#include "storage/QueryInterrupt.h"

#include <memory>

#include <QSqlDriver>
#include <QThreadPool>
#include <QVariant>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "storage/Database.h"

namespace rd {

std::function<void()> QueryInterrupt::of(const Database &db)
{
    const QVariant handle = db.connection().driver()->handle();
    if (!handle.isValid() || !handle.constData())
        return {};
    if (qstrcmp(handle.typeName(), "sqlite3*") == 0) {
        sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
        if (!connection)
            return {};
        // Documented as safe from any thread; a no-op when nothing runs.
        return [connection] { sqlite3_interrupt(connection); };
    }
    if (qstrcmp(handle.typeName(), "PGconn*") == 0) {
        PGconn *connection = *static_cast<PGconn *const *>(handle.constData());
        if (!connection)
            return {};
        // The cancel object outlives the connection it was made from.
        const std::shared_ptr<PGcancel> cancel(PQgetCancel(connection), PQfreeCancel);
        if (!cancel)
            return {};
        return [cancel] {
            QThreadPool::globalInstance()->start([cancel] {
                char message[256] = {};
                PQcancel(cancel.get(), message, static_cast<int>(sizeof message));
            });
        };
    }
    return {};
}

} // namespace rd
