#include "storage/UserRepository.h"

#include <QSqlQuery>
#include <QSqlRecord>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

const QString UserColumns = QStringLiteral(
    "id, email, email_key, display_name, password_hash, must_change_password, failed_logins, "
    "locked_until, setup_code_hash, setup_code_expires_at, created_at, created_by, archived_at, "
    "version, password_changed_at, last_failed_at, last_login_at");

const QString MembershipColumns = QStringLiteral(
    "m.id, m.user_id, m.role, m.reseller_id, m.customer_id, m.active, m.created_at, "
    "m.created_by, m.version");

UserRow readUser(const QSqlQuery &q)
{
    UserRow u;
    u.id = q.value(0).toLongLong();
    u.email = q.value(1).toString();
    u.emailKey = q.value(2).toString();
    u.displayName = q.value(3).toString();
    u.passwordHash = q.value(4).toString();
    u.mustChangePassword = q.value(5).toBool();
    u.failedLogins = q.value(6).toInt();
    u.lockedUntil = SqlValues::toTime(q.value(7));
    u.setupCodeHash = q.value(8).toString();
    u.setupCodeExpiresAt = SqlValues::toTime(q.value(9));
    u.createdAt = SqlValues::toTime(q.value(10));
    u.createdBy = SqlValues::toId(q.value(11));
    u.archivedAt = SqlValues::toTime(q.value(12));
    u.version = q.value(13).toInt();
    u.passwordChangedAt = SqlValues::toTime(q.value(14));
    u.lastFailedAt = SqlValues::toTime(q.value(15));
    u.lastLoginAt = SqlValues::toTime(q.value(16));
    return u;
}

// Reads MembershipColumns, starting at column 0.
Result<MembershipRow> readMembership(const QSqlQuery &q)
{
    MembershipRow m;
    m.id = q.value(0).toLongLong();
    m.userId = q.value(1).toLongLong();
    const std::optional<Role> role = roleFromKey(q.value(2).toString());
    if (!role) {
        return fail(ErrorCode::DatabaseError,
            UserRepository::tr("A membership has an unknown role “%1”.")
                .arg(q.value(2).toString()));
    }
    m.role = *role;
    m.resellerId = SqlValues::toId(q.value(3));
    m.customerId = SqlValues::toId(q.value(4));
    m.active = q.value(5).toBool();
    m.createdAt = SqlValues::toTime(q.value(6));
    m.createdBy = SqlValues::toId(q.value(7));
    m.version = q.value(8).toInt();
    return m;
}

} // namespace

UserRepository::UserRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> UserRepository::insert(const UserRow &user)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO users (email, email_key, display_name, password_hash, password_changed_at, "
        "must_change_password, setup_code_hash, setup_code_expires_at, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(user.email);
    q->addBindValue(user.emailKey);
    q->addBindValue(user.displayName);
    q->addBindValue(SqlValues::optionalText(user.passwordHash));
    q->addBindValue(SqlValues::time(user.passwordChangedAt));
    q->addBindValue(user.mustChangePassword);
    q->addBindValue(SqlValues::optionalText(user.setupCodeHash));
    q->addBindValue(SqlValues::time(user.setupCodeExpiresAt));
    q->addBindValue(SqlValues::time(user.createdAt));
    q->addBindValue(SqlValues::id(user.createdBy));
    if (Status done = m_db.exec(*q, tr("saving the user")); !done) {
        if (done.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate,
                tr("A user with the email address %1 already exists.").arg(user.email),
                QStringLiteral("email"), done.error().detail());
        }
        return fail(done.error());
    }
    q->next();
    return q->value(0).toLongLong();
}

Result<UserRow> UserRepository::find(qint64 id) const
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("SELECT ") + UserColumns + QStringLiteral(" FROM users WHERE id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("reading a user")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The user no longer exists."));
    return readUser(*q);
}

Result<std::optional<UserRow>> UserRepository::findByEmailKey(const QString &emailKey) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + UserColumns
        + QStringLiteral(" FROM users WHERE email_key = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(emailKey);
    if (Status done = m_db.exec(*q, tr("looking up a user")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<UserRow>();
    return std::optional<UserRow>(readUser(*q));
}

Result<qint64> UserRepository::insertMembership(const MembershipRow &m)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO memberships (user_id, role, reseller_id, customer_id, active, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(m.userId);
    q->addBindValue(roleKey(m.role));
    q->addBindValue(SqlValues::id(m.resellerId));
    q->addBindValue(SqlValues::id(m.customerId));
    q->addBindValue(m.active);
    q->addBindValue(SqlValues::time(m.createdAt));
    q->addBindValue(SqlValues::id(m.createdBy));
    if (Status done = m_db.exec(*q, tr("saving the membership")); !done) {
        if (done.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate,
                tr("The user already has a membership in this context."), {},
                done.error().detail());
        }
        return fail(done.error());
    }
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<MembershipRow>> UserRepository::memberships(qint64 userId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + MembershipColumns
        + QStringLiteral(" FROM memberships m WHERE m.user_id = ? AND m.archived_at IS NULL "
                         "ORDER BY m.id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(userId);
    if (Status done = m_db.exec(*q, tr("reading memberships")); !done)
        return fail(done.error());
    QList<MembershipRow> rows;
    while (q->next()) {
        Result<MembershipRow> m = readMembership(*q);
        if (!m)
            return fail(m.error());
        rows.append(*m);
    }
    return rows;
}

Result<MembershipRow> UserRepository::findMembership(qint64 membershipId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + MembershipColumns
        + QStringLiteral(" FROM memberships m WHERE m.id = ? AND m.archived_at IS NULL"));
    if (!q)
        return fail(q.error());
    q->addBindValue(membershipId);
    if (Status done = m_db.exec(*q, tr("reading a membership")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The membership no longer exists."));
    return readMembership(*q);
}

Result<std::optional<MembershipRow>> UserRepository::membershipInContext(
    qint64 userId, qint64 resellerId, qint64 customerId) const
{
    // The same expressions as the unique index memberships_context_key.
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + MembershipColumns
        + QStringLiteral(" FROM memberships m WHERE m.user_id = ? "
                         "AND coalesce(m.reseller_id, 0) = ? AND coalesce(m.customer_id, 0) = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(userId);
    q->addBindValue(qMax(resellerId, qint64 {0}));
    q->addBindValue(qMax(customerId, qint64 {0}));
    if (Status done = m_db.exec(*q, tr("reading memberships")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<MembershipRow>();
    Result<MembershipRow> m = readMembership(*q);
    if (!m)
        return fail(m.error());
    return std::optional<MembershipRow>(*m);
}

Result<QList<UserListRow>> UserRepository::listMemberships(
    const UserListScope &scope, const QDateTime &now) const
{
    QString sql = QStringLiteral(
        "SELECT u.id, u.email, u.display_name, m.id, m.role, "
        "coalesce(r.name, c.company_name, ''), m.active, "
        "CASE WHEN u.locked_until IS NOT NULL AND u.locked_until > ? THEN 1 ELSE 0 END, "
        "u.last_login_at, m.version "
        "FROM memberships m JOIN users u ON u.id = m.user_id "
        "LEFT JOIN resellers r ON r.id = m.reseller_id "
        "LEFT JOIN customers c ON c.id = m.customer_id "
        "WHERE m.archived_at IS NULL AND u.archived_at IS NULL");
    switch (scope.kind) {
    case UserListScope::Kind::All:
        break;
    case UserListScope::Kind::Reseller:
        sql += QStringLiteral(" AND m.reseller_id = ?");
        break;
    case UserListScope::Kind::Customer:
        sql += QStringLiteral(" AND m.customer_id = ?");
        break;
    }
    sql += QStringLiteral(" ORDER BY u.email_key, m.id");
    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(now));
    if (scope.kind != UserListScope::Kind::All)
        q->addBindValue(scope.id);
    if (Status done = m_db.exec(*q, tr("reading the users")); !done)
        return fail(done.error());
    QList<UserListRow> rows;
    while (q->next()) {
        UserListRow row;
        row.userId = q->value(0).toLongLong();
        row.email = q->value(1).toString();
        row.displayName = q->value(2).toString();
        row.membershipId = q->value(3).toLongLong();
        const std::optional<Role> role = roleFromKey(q->value(4).toString());
        if (!role) {
            return fail(ErrorCode::DatabaseError,
                tr("A membership has an unknown role “%1”.").arg(q->value(4).toString()));
        }
        row.role = *role;
        row.contextName = q->value(5).toString();
        row.active = q->value(6).toBool();
        row.locked = q->value(7).toBool();
        row.lastLoginAt = SqlValues::toTime(q->value(8));
        row.membershipVersion = q->value(9).toInt();
        rows.append(row);
    }
    return rows;
}

Result<int> UserRepository::setMembershipActive(
    qint64 membershipId, int expectedVersion, bool active)
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("UPDATE memberships SET active = ?, version = version + 1 "
                       "WHERE id = ? AND version = ? AND archived_at IS NULL RETURNING version"));
    if (!q)
        return fail(q.error());
    q->addBindValue(active);
    q->addBindValue(membershipId);
    q->addBindValue(expectedVersion);
    if (Status done = m_db.exec(*q, tr("saving the membership")); !done)
        return fail(done.error());
    if (q->next())
        return q->value(0).toInt();
    // Nothing updated: gone, or changed since it was read.
    if (Result<MembershipRow> current = findMembership(membershipId); !current)
        return fail(current.error());
    return fail(ErrorCode::Conflict,
        tr("The membership was changed by someone else in the meantime. Reload it and make "
           "your change again."),
        {},
        QStringLiteral("membership_id=%1 expected_version=%2")
            .arg(membershipId)
            .arg(expectedVersion));
}

Result<int> UserRepository::setMembershipRole(qint64 membershipId, int expectedVersion, Role role)
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("UPDATE memberships SET role = ?, version = version + 1 "
                       "WHERE id = ? AND version = ? AND archived_at IS NULL RETURNING version"));
    if (!q)
        return fail(q.error());
    q->addBindValue(roleKey(role));
    q->addBindValue(membershipId);
    q->addBindValue(expectedVersion);
    if (Status done = m_db.exec(*q, tr("saving the membership")); !done)
        return fail(done.error());
    if (q->next())
        return q->value(0).toInt();
    if (Result<MembershipRow> current = findMembership(membershipId); !current)
        return fail(current.error());
    return fail(ErrorCode::Conflict,
        tr("The membership was changed by someone else in the meantime. Reload it and make "
           "your change again."),
        {},
        QStringLiteral("membership_id=%1 expected_version=%2")
            .arg(membershipId)
            .arg(expectedVersion));
}

Result<qint64> UserRepository::countUsers() const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT count(*) FROM users"));
    if (!q)
        return fail(q.error());
    if (Status done = m_db.exec(*q, tr("counting users")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Status UserRepository::lockUsersForInsert()
{
    if (m_db.dialect() != Dialect::PostgreSQL)
        return {};
    return m_db.execDirect(
        QStringLiteral("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"), tr("locking the users"));
}

Result<int> UserRepository::recordFailedSignIn(qint64 userId, const QDateTime &failedAt)
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ? "
                       "WHERE id = ? RETURNING failed_logins"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(failedAt));
    q->addBindValue(userId);
    if (Status done = m_db.exec(*q, tr("recording a failed sign-in")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The user no longer exists."));
    return q->value(0).toInt();
}

Status UserRepository::setLockedUntil(qint64 userId, const QDateTime &lockedUntil)
{
    Result<QSqlQuery> q
        = m_db.prepare(QStringLiteral("UPDATE users SET locked_until = ? WHERE id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(lockedUntil));
    q->addBindValue(userId);
    return m_db.exec(*q, tr("locking the account"));
}

Status UserRepository::recordSuccessfulSignIn(
    qint64 userId, const QDateTime &signedInAt, const QString &newPasswordHash)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ?, "
        "password_hash = coalesce(?, password_hash) WHERE id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(signedInAt));
    q->addBindValue(SqlValues::optionalText(newPasswordHash));
    q->addBindValue(userId);
    return m_db.exec(*q, tr("recording the sign-in"));
}

Status UserRepository::resetFailedSignIns(qint64 userId)
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(userId);
    return m_db.exec(*q, tr("resetting the failed sign-ins"));
}

Result<int> UserRepository::setPassword(
    qint64 userId, int expectedVersion, const QString &passwordHash, const QDateTime &changedAt)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = ?, "
        "setup_code_hash = NULL, setup_code_expires_at = NULL, failed_logins = 0, "
        "locked_until = NULL, version = version + 1 "
        "WHERE id = ? AND version = ? RETURNING version"));
    if (!q)
        return fail(q.error());
    q->addBindValue(passwordHash);
    q->addBindValue(SqlValues::time(changedAt));
    q->addBindValue(false);
    q->addBindValue(userId);
    q->addBindValue(expectedVersion);
    if (Status done = m_db.exec(*q, tr("saving the password")); !done)
        return fail(done.error());
    if (q->next())
        return q->value(0).toInt();
    // Nothing updated: gone, or changed since it was read.
    if (Result<UserRow> current = find(userId); !current)
        return fail(current.error());
    return fail(ErrorCode::Conflict,
        tr("The user was changed by someone else in the meantime. Please try again."), {},
        QStringLiteral("user_id=%1 expected_version=%2").arg(userId).arg(expectedVersion));
}

Result<QList<UsableMembershipRow>> UserRepository::usableMemberships(qint64 userId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + MembershipColumns
        + QStringLiteral(", coalesce(r.name, c.company_name, '') FROM memberships m "
                         "LEFT JOIN resellers r ON r.id = m.reseller_id "
                         "LEFT JOIN customers c ON c.id = m.customer_id "
                         "WHERE m.user_id = ? AND m.active = ? AND m.archived_at IS NULL "
                         "AND (m.reseller_id IS NULL OR (r.active = ? AND r.archived_at IS NULL)) "
                         "AND (m.customer_id IS NULL OR (c.active = ? AND c.archived_at IS NULL)) "
                         "ORDER BY m.id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(userId);
    q->addBindValue(true);
    q->addBindValue(true);
    q->addBindValue(true);
    if (Status done = m_db.exec(*q, tr("reading memberships")); !done)
        return fail(done.error());
    QList<UsableMembershipRow> rows;
    while (q->next()) {
        Result<MembershipRow> m = readMembership(*q);
        if (!m)
            return fail(m.error());
        rows.append(UsableMembershipRow {*m, q->value(9).toString()});
    }
    return rows;
}

Status UserRepository::setSetupCode(
    qint64 userId, const QString &codeHash, const QDateTime &expiresAt)
{
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("UPDATE users SET setup_code_hash = ?, setup_code_expires_at = ?, "
                       "must_change_password = ? WHERE id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(codeHash);
    q->addBindValue(SqlValues::time(expiresAt));
    q->addBindValue(true);
    q->addBindValue(userId);
    if (Status done = m_db.exec(*q, tr("saving the setup code")); !done)
        return done;
    if (q->numRowsAffected() != 1)
        return fail(ErrorCode::NotFound, tr("The user no longer exists."));
    return {};
}

Result<int> UserRepository::resetPassword(
    qint64 userId, const QString &codeHash, const QDateTime &expiresAt)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "UPDATE users SET password_hash = NULL, setup_code_hash = ?, setup_code_expires_at = ?, "
        "must_change_password = ?, failed_logins = 0, locked_until = NULL, "
        "version = version + 1 WHERE id = ? AND archived_at IS NULL RETURNING version"));
    if (!q)
        return fail(q.error());
    q->addBindValue(codeHash);
    q->addBindValue(SqlValues::time(expiresAt));
    q->addBindValue(true);
    q->addBindValue(userId);
    if (Status done = m_db.exec(*q, tr("resetting the password")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The user no longer exists."));
    return q->value(0).toInt();
}

} // namespace rd
