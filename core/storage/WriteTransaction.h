#pragma once

#include <QCoreApplication>

#include "domain/Error.h"

namespace rd {

class Database;

// A write transaction that rolls back unless committed. On SQLite it starts
// with BEGIN IMMEDIATE (Qt's transaction() issues a deferred BEGIN, which
// can fail later with SQLITE_BUSY when the read lock is upgraded); on
// PostgreSQL with BEGIN. One at a time per connection.
class WriteTransaction final
{
    Q_DECLARE_TR_FUNCTIONS(WriteTransaction)

public:
    static Result<WriteTransaction> begin(Database &db);

    WriteTransaction(WriteTransaction &&other) noexcept;
    WriteTransaction &operator=(WriteTransaction &&) = delete;
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;
    ~WriteTransaction();

    Status commit();
    void rollback();

private:
    explicit WriteTransaction(Database *db);

    Database *m_db = nullptr;
};

} // namespace rd
