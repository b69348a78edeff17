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
    "version");

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
    return u;
}

} // namespace

UserRepository::UserRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> UserRepository::insert(const UserRow &user)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO users (email, email_key, display_name, password_hash, must_change_password, "
        "setup_code_hash, setup_code_expires_at, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(user.email);
    q->addBindValue(user.emailKey);
    q->addBindValue(user.displayName);
    q->addBindValue(SqlValues::optionalText(user.passwordHash));
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
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id, user_id, role, reseller_id, customer_id, active, created_at, created_by, "
        "version FROM memberships WHERE user_id = ? AND archived_at IS NULL ORDER BY id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(userId);
    if (Status done = m_db.exec(*q, tr("reading memberships")); !done)
        return fail(done.error());
    QList<MembershipRow> rows;
    while (q->next()) {
        MembershipRow m;
        m.id = q->value(0).toLongLong();
        m.userId = q->value(1).toLongLong();
        const std::optional<Role> role = roleFromKey(q->value(2).toString());
        if (!role) {
            return fail(ErrorCode::DatabaseError,
                tr("A membership has an unknown role “%1”.").arg(q->value(2).toString()));
        }
        m.role = *role;
        m.resellerId = SqlValues::toId(q->value(3));
        m.customerId = SqlValues::toId(q->value(4));
        m.active = q->value(5).toBool();
        m.createdAt = SqlValues::toTime(q->value(6));
        m.createdBy = SqlValues::toId(q->value(7));
        m.version = q->value(8).toInt();
        rows.append(m);
    }
    return rows;
}

} // namespace rd
