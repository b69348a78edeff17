#include "storage/WriteTransaction.h"

#include <QSqlQuery>

#include "storage/Database.h"

namespace rd {

WriteTransaction::WriteTransaction(Database *db)
    : m_db(db)
{ }

WriteTransaction::WriteTransaction(WriteTransaction &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
{ }

WriteTransaction::~WriteTransaction()
{
    rollback();
}

Result<WriteTransaction> WriteTransaction::begin(Database &db)
{
    if (db.m_inTransaction) {
        return fail(
            ErrorCode::DatabaseError, tr("A change is already in progress on this connection."));
    }
    const QString begin = db.dialect() == Dialect::SQLite ? QStringLiteral("BEGIN IMMEDIATE")
                                                          : QStringLiteral("BEGIN");
    if (Status started = db.execDirect(begin, tr("starting a change")); !started)
        return fail(started.error());
    db.m_inTransaction = true;
    return WriteTransaction(&db);
}

Status WriteTransaction::commit()
{
    if (!m_db) {
        return fail(ErrorCode::DatabaseError, tr("The change was already finished."));
    }
    Database *db = std::exchange(m_db, nullptr);
    Status committed = db->execDirect(QStringLiteral("COMMIT"), tr("saving the change"));
    if (!committed) {
        db->execDirect(QStringLiteral("ROLLBACK"), tr("undoing the change"));
    }
    db->m_inTransaction = false;
    return committed;
}

void WriteTransaction::rollback()
{
    if (!m_db)
        return;
    Database *db = std::exchange(m_db, nullptr);
    static_cast<void>(db->execDirect(QStringLiteral("ROLLBACK"), tr("undoing the change")));
    db->m_inTransaction = false;
}

} // namespace rd
