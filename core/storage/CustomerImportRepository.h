#pragma once

#include <functional>
#include <map>

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSet>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include "domain/Error.h"

namespace rd {

class Database;
struct AssignmentRow;
struct AuditEventRow;
struct CustomerRow;
struct MembershipRow;
struct OutboxRow;
struct UserRow;

// The writes of a bulk customer import, set-based: each call writes a
// whole chunk of rows with multi-row INSERTs (up to RowsPerStatement rows
// a statement), each statement prepared once per row count and reused. The SQL matches the
// single-row inserts of CustomerRepository, UserRepository, OutboxRepository and AuditRepository.
//
// Why not a statement per row: on SQLite every statement that may abort
// part-way (foreign keys, RETURNING) opens a statement savepoint, and the
// FTS5 search index of the customers table writes its pending rows out at
// every savepoint — a segment per customer when the inserts interleave.
// A chunk of customers inserted by one statement is written out once.
// On PostgreSQL it is also one round trip per chunk instead of per row.
//
// Ids come back through RETURNING together with a key of the row (the
// order of RETURNING rows is not guaranteed), so the caller maps them:
// users by email key, the others by customer id. The caller owns the
// transaction. One instance per connection and thread.
class CustomerImportRepository final
{
    Q_DECLARE_TR_FUNCTIONS(CustomerImportRepository)

public:
    // Rows of one INSERT at most (at most 1,600 bound values, far below
    // the engines' limits). Measured at 1M customers (SQLite, 10,000 rows):
    // 100 and 250 rows a statement cost the same; 500 is slower again (the
    // driver's cost per bound value grows with their number).
    static constexpr int RowsPerStatement = 100;

    explicit CustomerImportRepository(Database &db);
    Q_DISABLE_COPY_MOVE(CustomerImportRepository)

    // Which of these email keys already belong to a user (archived users
    // included: the unique index counts them too).
    Result<QSet<QString>> existingEmailKeys(const QStringList &keys) const;

    // Inserts the users whose email key is free and returns their ids by
    // email key; a key taken meanwhile (another desktop added the same
    // login) is simply absent: the unique index decides, without aborting
    // the caller's transaction.
    Result<QHash<QString, qint64>> insertUsers(const QList<UserRow> &users);
    // The new customers' ids by their primary user's id (a new user each).
    Result<QHash<qint64, qint64>> insertCustomers(const QList<CustomerRow> &customers);
    // The new memberships' ids by customer id (one per customer).
    Result<QHash<qint64, qint64>> insertMemberships(const QList<MembershipRow> &memberships);
    // The new assignments' ids by customer id (one per customer).
    Result<QHash<qint64, qint64>> insertAssignments(const QList<AssignmentRow> &assignments);
    Status insertOutbox(const QList<OutboxRow> &rows);
    Status appendAudit(const QList<AuditEventRow> &events);

private:
    // Binds the values of one row, starting at the given index.
    template<typename Row> using Binder = std::function<void(QSqlQuery &, int first, const Row &)>;

    // INSERT of rows.size() rows, chunked; `prefix` is
    // "INSERT INTO t (a, b, …) VALUES", `suffix` what follows the values
    // (ON CONFLICT, RETURNING). With a reader, each returned row is handed
    // to it.
    template<typename Row>
    Status insertRows(std::map<int, QSqlQuery> &statements, const QString &prefix, int columns,
        const QString &suffix, const QList<Row> &rows, const Binder<Row> &bind, const QString &what,
        const std::function<void(const QSqlQuery &)> &reader = {});

    Database &m_db;
    // Prepared statements by row count, one cache per table.
    std::map<int, QSqlQuery> m_users;
    std::map<int, QSqlQuery> m_customers;
    std::map<int, QSqlQuery> m_memberships;
    std::map<int, QSqlQuery> m_assignments;
    std::map<int, QSqlQuery> m_outbox;
    std::map<int, QSqlQuery> m_audit;
};

} // namespace rd
