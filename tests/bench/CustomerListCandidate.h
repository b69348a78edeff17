#pragma once

#include <optional>

#include <QString>

#include "BenchOptions.h"
#include "domain/Error.h"
#include "storage/ConnectionProfile.h"

class QAbstractItemModel;

namespace rd {
class Database;
class Session;
} // namespace rd

namespace rd::bench {

// What a candidate gets from the run: one open database (used only from the
// benchmark thread), the administrator session (sees every customer) and
// the size of the generated table.
struct BenchContext
{
    Database &db;
    Backend backend;
    const Session &admin;
    qint64 customerCount = 0;
    int screenRows = 50;
    // A smoke run: do as little as still exercises each operation.
    bool smoke = false;
    // PostgreSQL: a copy of the database the import benchmark writes into
    // (made before the run connected; dropped after it), when that
    // benchmark runs.
    std::optional<ConnectionProfile> importCopy;
};

// The scenarios; a candidate may prepare for one before it is timed.
enum class Scenario { FirstScreen, ScrollToEnd, JumpToMiddle, SortByCompany, Search, PeakMemory };

// One way of showing the customer table: the current service, the naive
// QSqlTableModel, a windowed model... Every operation returns once the rows
// of the screen it leads to can be read from model() — an asynchronous
// model spins the event loop until they have arrived — and returns the
// model row where that screen starts. The harness then reads the screen
// (rowCount() and data() of every column of its rows), so each candidate
// pays the same for what a view would read. A candidate that cannot do
// something returns ErrorCode::Unavailable; the benchmark reports it as
// skipped.
class CustomerListCandidate
{
public:
    virtual ~CustomerListCandidate() = default;

    // What a view would show; valid after open().
    virtual QAbstractItemModel &model() = 0;

    // From nothing: the list in its default order (timed in FirstScreen).
    virtual Result<int> open() = 0;
    // Untimed, after open() and before the timed operation of a scenario
    // (e.g. the naive model fetches every row before its proxy sorts).
    virtual Status prepare(Scenario scenario)
    {
        static_cast<void>(scenario);
        return {};
    }
    // The last screen (Ctrl+End).
    virtual Result<int> scrollToEnd() = 0;
    // The screen starting at `row` of the whole list (a scroll bar drag).
    virtual Result<int> jumpTo(qint64 row) = 0;
    // The first screen ordered by company name.
    virtual Result<int> sortByCompany() = 0;
    // The first `matches` customers whose company, domain, contact name or
    // email contains `term`, in the list's order.
    virtual Result<int> search(const QString &term, int matches) = 0;
    // Scrolls through the whole list, screen by screen or as close to it
    // as the candidate can (PeakMemory reads the peak RSS afterwards).
    virtual Status scrollThroughAll() = 0;
};

// Adds one customer with every check a user's add goes through.
class CustomerAdderCandidate
{
public:
    virtual ~CustomerAdderCandidate() = default;
    // `serial` is unique within the run.
    virtual Status add(int serial) = 0;
    // After the benchmark: hides or removes what add() created so the cached
    // database stays as generated (the audit trail cannot be deleted).
    virtual Status cleanUp() = 0;
};

} // namespace rd::bench
