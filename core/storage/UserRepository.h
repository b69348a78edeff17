#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"
#include "domain/Role.h"

namespace rd {

class Database;

struct UserRow
{
    qint64 id = 0;
    QString email;    // as typed
    QString emailKey; // EmailAddress::key(): the unique comparison form
    QString displayName;
    QString passwordHash;
    bool mustChangePassword = true;
    int failedLogins = 0;
    QDateTime lockedUntil;
    QString setupCodeHash;
    QDateTime setupCodeExpiresAt;
    QDateTime createdAt;
    qint64 createdBy = 0;
    QDateTime archivedAt;
    int version = 1;
};

struct MembershipRow
{
    qint64 id = 0;
    qint64 userId = 0;
    Role role = Role::ClientUser;
    qint64 resellerId = 0; // reseller roles
    qint64 customerId = 0; // client roles
    bool active = true;
    QDateTime createdAt;
    qint64 createdBy = 0;
    int version = 1;
};

// Users and their memberships. The unique index on email_key decides
// duplicates, also between two desktops writing at the same moment: the
// loser gets ErrorCode::Duplicate.
class UserRepository final
{
    Q_DECLARE_TR_FUNCTIONS(UserRepository)

public:
    explicit UserRepository(Database &db);

    Result<qint64> insert(const UserRow &user);
    Result<UserRow> find(qint64 id) const;
    Result<std::optional<UserRow>> findByEmailKey(const QString &emailKey) const;

    Result<qint64> insertMembership(const MembershipRow &membership);
    Result<QList<MembershipRow>> memberships(qint64 userId) const;

private:
    Database &m_db;
};

} // namespace rd
