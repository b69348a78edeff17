#pragma once

#include <optional>

#include <QAbstractTableModel>
#include <QString>

#include "common/KeysetPageCache.h"
#include "services/UserService.h"

namespace rd {

class Session;

// The memberships a session may manage (UserService::membershipsAfter & co.),
// one row per membership, however many: an administrator's scope is the
// whole installation, a million client admins and more. Sorted and
// filtered by the database; rowCount() is the exact total (a kept counter
// unfiltered); rows are read a page at a time when first shown and at most
// a bounded number of pages is kept (KeysetPageCache).
//
// The pages are read on the GUI thread, in data(): each read is one range
// on an index (keyset from a neighbouring page, or from either end), a few
// ms at a million rows. Only a jump far into the middle (the scroll bar
// dragged there) reads by OFFSET, which walks the rows before it.
class UserTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UserTableModel)

public:
    enum Column { Email, Name, Role, Context, Status, LastSignIn, ColumnCount };

    UserTableModel(const Session &session, const UserService &users, QObject *parent = nullptr);

    // Rows per page, the cache bound and how near the end a page is read
    // from the end, from the next setQuery()/reload().
    void setPaging(int pageRows, int cachedPages,
        int endRows = KeysetPageCache<UserListRow, UserListKey>::MaxEndRows);
    int pageRows() const noexcept { return m_cache.pageRows(); }
    int cachedPageCount() const { return m_cache.cachedPageCount(); }
    int cachedPagesLimit() const noexcept { return m_cache.maxPages(); }
    const KeysetPageCache<UserListRow, UserListKey>::Stats &readStats() const noexcept
    {
        return m_cache.stats();
    }

    // Shows the rows of the query: counts them, drops every page read. On
    // error the model is empty and the error returned.
    rd::Status setQuery(const UserPageQuery &query);
    // The same query again (after a change): a new count, pages read anew.
    rd::Status reload() { return setQuery(m_query); }
    const UserPageQuery &query() const noexcept { return m_query; }
    qint64 total() const noexcept { return m_cache.total(); }
    // The message of the last failed read, empty otherwise.
    const QString &loadError() const noexcept { return m_cache.lastError(); }

    // The membership on a row, its page read when it is not cached;
    // nullptr outside the rows or when the read failed.
    const UserListRow *userAt(int row) const;
    // The membership on a row when its page is cached, without reading.
    const UserListRow *cachedUserAt(int row) const;
    // Reads the pages holding rows first..last (bounded by the cache).
    rd::Status loadRows(int first, int last);
    // The row of a membership among the rows read, or nothing.
    std::optional<int> loadedRowOf(qint64 membershipId) const;
    // The row of a membership in the current order (from the rows read,
    // else counted by the database), -1 when it is not listed.
    int rowOfMembership(qint64 membershipId) const;

    // The database order for a column; nothing for Context (within one
    // portal or account every row has the same context; across the
    // installation no index orders memberships by their context's name).
    static std::optional<UserSort> sortFor(int column);
    static QString statusText(const UserListRow &user);
    static QString contextText(const UserListRow &user);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Sorts by the database (a new query); a column without a database
    // order is ignored.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    QVariant display(const UserListRow &user, int column) const;
    KeysetPageCache<UserListRow, UserListKey>::Source source() const;

    const Session &m_session;
    const UserService &m_users;
    UserPageQuery m_query;
    mutable KeysetPageCache<UserListRow, UserListKey> m_cache;
};

} // namespace rd
