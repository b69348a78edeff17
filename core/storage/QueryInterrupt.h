#pragma once

#include <functional>

namespace rd {

class Database;

// Stops the statement running on a connection from another thread, for a
// reader whose work became stale: SQLite through sqlite3_interrupt(),
// PostgreSQL through libpq's PQcancel() (sent from a pool thread: it opens
// a connection to the server, which the caller must not wait for). The
// interrupted statement fails with an error its caller drops.
class QueryInterrupt final
{
public:
    // A callable that interrupts what runs on db's connection now (nothing
    // when idle). Safe to call from any thread while db is open; empty when
    // the driver offers no way.
    static std::function<void()> of(const Database &db);
};

} // namespace rd
