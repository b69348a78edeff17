#pragma once

#include <optional>

#include <QCoreApplication>
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

// The writes of a bulk customer import. Each statement is prepared once
// and reused for every row (that is where a bulk import's speed comes
// from); the SQL matches the single-row inserts of CustomerRepository,
// UserRepository, OutboxRepository and AuditRepository. The caller owns the
// transaction. One instance per connection and thread.
class CustomerImportRepository final
{
    Q_DECLARE_TR_FUNCTIONS(CustomerImportRepository)

public:
    explicit CustomerImportRepository(Database &db);
    Q_DISABLE_COPY_MOVE(CustomerImportRepository)

    // Which of these email keys already belong to a user (archived users
    // included: the unique index counts them too).
    Result<QSet<QString>> existingEmailKeys(const QStringList &keys) const;

    // The user's id, or nothing when the email key is taken (another
    // desktop added the same login meanwhile): the unique index decides,
    // without aborting the caller's transaction.
    Result<std::optional<qint64>> insertUser(const UserRow &user);
    Result<qint64> insertCustomer(const CustomerRow &customer);
    Result<qint64> insertMembership(const MembershipRow &membership);
    Result<qint64> insertAssignment(const AssignmentRow &assignment);
    Result<qint64> insertOutbox(const OutboxRow &row);
    Status appendAudit(const AuditEventRow &event);

private:
    // The statement in slot, prepared on first use.
    Result<QSqlQuery *> statement(std::optional<QSqlQuery> &slot, const QString &sql);
    Result<qint64> execReturningId(QSqlQuery &query, const QString &what);

    Database &m_db;
    std::optional<QSqlQuery> m_user;
    std::optional<QSqlQuery> m_customer;
    std::optional<QSqlQuery> m_membership;
    std::optional<QSqlQuery> m_assignment;
    std::optional<QSqlQuery> m_outbox;
    std::optional<QSqlQuery> m_audit;
};

} // namespace rd
