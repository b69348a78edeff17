#include "storage/UserRepository.h"

#include <algorithm>

#include <QSqlQuery>
#include <QSqlRecord>

#include "storage/CustomerSearch.h"
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

// --- The paged listing ---

// The rule-10 rank of m.role and "usable first" of m.active: exactly the
// expressions of migration 7's indexes, so ORDER BY and the key ranges use
// them.
const QString RankExpression = QStringLiteral(
    "(CASE m.role WHEN 'administrator' THEN 7 WHEN 'support' THEN 6 "
    "WHEN 'reseller_admin' THEN 5 WHEN 'reseller_manager' THEN 4 WHEN 'reseller_user' THEN 3 "
    "WHEN 'client_admin' THEN 2 ELSE 1 END)");
const QString StatusExpression = QStringLiteral("(CASE WHEN m.active THEN 0 ELSE 1 END)");

// The sorts along a users index, (value, user id); the others run along a
// memberships index, (value, membership id).
bool sortsByUser(UserSort sort)
{
    return sort == UserSort::Email || sort == UserSort::Name || sort == UserSort::LastSignIn;
}

// The sort value as the index has it (migration 1: users_email_key,
// users_display_name_idx; migration 7: the rest). Never NULL.
QString sortExpression(UserSort sort, Dialect dialect)
{
    switch (sort) {
    case UserSort::Email:
        return QStringLiteral("u.email_key");
    case UserSort::Name:
        return dialect == Dialect::SQLite ? QStringLiteral("u.display_name COLLATE NOCASE")
                                          : QStringLiteral("lower(u.display_name)");
    case UserSort::LastSignIn:
        return QStringLiteral("coalesce(u.last_login_at, 0)");
    case UserSort::Role:
        return RankExpression;
    case UserSort::Status:
        break;
    }
    return StatusExpression;
}

QString groupExpression(UserSort sort)
{
    return sortsByUser(sort) ? QStringLiteral("u.id") : QStringLiteral("m.id");
}

const QString NameJoins = QStringLiteral(" LEFT JOIN resellers r ON r.id = m.reseller_id "
                                         "LEFT JOIN customers c ON c.id = m.customer_id");

// FROM … WHERE … of the listing, its values appended. The join order is
// spelled out (CROSS JOIN keeps SQLite's planner to it; PostgreSQL plans
// it as any join): at the installation's scope, unfiltered, a user column
// is read along the users index and each user's memberships by user_id; a
// membership column along the memberships index. A scope (one portal or
// account: a handful of rows) or a filter (the matches of four index
// ranges) starts from the memberships it selects and sorts those.
//
// Without the context names (`names` false) the rows are only walked,
// counted or sorted: no lookup of a portal or company per row.
QString listFrom(const UserListQuery &query, Dialect dialect, QVariantList &values, bool names)
{
    const QString term = query.filter.trimmed();
    const bool usersFirst
        = query.scope.kind == UserListScope::Kind::All && term.isEmpty() && sortsByUser(query.sort);
    QString sql = usersFirst ? QStringLiteral(" FROM users u CROSS JOIN memberships m")
                             : QStringLiteral(" FROM memberships m CROSS JOIN users u");
    if (names)
        sql += NameJoins;
    sql += QStringLiteral(" WHERE m.user_id = u.id AND m.archived_at IS NULL "
                          "AND u.archived_at IS NULL");
    switch (query.scope.kind) {
    case UserListScope::Kind::All:
        break;
    case UserListScope::Kind::Reseller:
        sql += QStringLiteral(" AND m.reseller_id = ?");
        values << query.scope.id;
        break;
    case UserListScope::Kind::Customer:
        sql += QStringLiteral(" AND m.customer_id = ?");
        values << query.scope.id;
        break;
    }
    if (term.isEmpty())
        return sql;

    // Each branch selects ids through one index, and the memberships by
    // their user_id, customer_id or reseller_id index: SQLite answers the
    // OR with one index per branch (MULTI-INDEX OR), PostgreSQL with a
    // BitmapOr; nothing reads every membership.
    const QString like = QStringLiteral(" LIKE ? ESCAPE '\\'");
    if (dialect == Dialect::SQLite) {
        // The email key is case-folded by the app: a binary range on the
        // folded term. Names: LIKE 'te%' on the NOCASE indexes (ASCII
        // letters fold). The company index holds live customers only
        // (migration 4), so archived ones are looked up through their own.
        static const QString highest = QString::fromUcs4(U"\U0010FFFF", 1);
        const QString key = term.toCaseFolded();
        const QString pattern = CustomerSearch::prefixPattern(term);
        const QString upper = key + highest;
        values << key << upper << pattern << pattern << pattern << pattern;
        return sql
            + QStringLiteral(" AND (m.user_id IN (SELECT id FROM users WHERE email_key >= ? AND "
                             "email_key < ?) OR m.user_id IN (SELECT id FROM users WHERE "
                             "display_name")
            + like
            + QStringLiteral(") OR m.customer_id IN (SELECT id FROM customers WHERE archived_at "
                             "IS NULL AND company_name")
            + like
            + QStringLiteral(" UNION ALL SELECT id FROM customers WHERE archived_at IS NOT NULL "
                             "AND company_name")
            + like + QStringLiteral(") OR m.reseller_id IN (SELECT id FROM resellers WHERE name")
            + like + QStringLiteral("))");
    }
    // PostgreSQL: the text_pattern_ops indexes of migration 7 (email key,
    // lower(name)) and the pg_trgm index on lower(company_name) of
    // migration 3 answer LIKE 'te%'; the term is lower-cased here. Each
    // branch is `= ANY (ARRAY(SELECT …))`: an InitPlan run once, whose ids
    // the memberships indexes take in a BitmapOr. With `IN (SELECT …)` the
    // planner tests hashed subplans against a scan of every membership
    // (2 s at a million, whatever the term).
    const QString key = CustomerSearch::prefixPattern(term.toCaseFolded());
    const QString pattern = CustomerSearch::prefixPattern(term.toLower());
    values << key << pattern << pattern << pattern;
    return sql + QStringLiteral(" AND (m.user_id = ANY (ARRAY(SELECT id FROM users WHERE email_key")
        + like
        + QStringLiteral(")) OR m.user_id = ANY (ARRAY(SELECT id FROM users WHERE "
                         "lower(display_name)")
        + like
        + QStringLiteral(")) OR m.customer_id = ANY (ARRAY(SELECT id FROM customers WHERE "
                         "lower(company_name)")
        + like
        + QStringLiteral(")) OR m.reseller_id = ANY (ARRAY(SELECT id FROM resellers WHERE "
                         "lower(name)")
        + like + QStringLiteral(")))");
}

// The rows strictly after `key` in the order orderTerms(sort, ascending)
// gives; the first term is a plain range on the sort expression, which the
// index seeks to.
QString keyPredicate(
    UserSort sort, bool ascending, const UserListKey &key, Dialect dialect, QVariantList &values)
{
    const QString e = sortExpression(sort, dialect);
    const QString g = groupExpression(sort);
    const QString op = ascending ? QStringLiteral(" > ?") : QStringLiteral(" < ?");
    values << key.sortValue << key.sortValue << key.groupId << key.groupId << key.membershipId;
    return QStringLiteral(" AND ") + e
        + (ascending ? QStringLiteral(" >= ?") : QStringLiteral(" <= ?")) + QStringLiteral(" AND (")
        + e + op + QStringLiteral(" OR ") + g + op + QStringLiteral(" OR (") + g
        + QStringLiteral(" = ? AND m.id") + op + QStringLiteral("))");
}

QString orderTerms(UserSort sort, bool ascending, Dialect dialect)
{
    const QString dir = ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    return QStringLiteral(" ORDER BY ") + sortExpression(sort, dialect) + dir + QStringLiteral(", ")
        + groupExpression(sort) + dir + QStringLiteral(", m.id") + dir;
}

QString listSelect(UserSort sort, Dialect dialect)
{
    return QStringLiteral(
               "SELECT u.id, u.email, u.display_name, m.id, m.role, "
               "coalesce(r.name, c.company_name, ''), m.active, "
               "CASE WHEN u.locked_until IS NOT NULL AND u.locked_until > ? THEN 1 ELSE 0 END, "
               "u.last_login_at, m.version, ")
        + sortExpression(sort, dialect) + QStringLiteral(", ") + groupExpression(sort);
}

// The rows of a page: the inner query (SELECT m.id …) walks, filters and
// sorts the memberships without reading a name; only the page's own rows
// are then read whole, in the same order.
QString pageSelect(UserSort sort, bool ascending, Dialect dialect, const QString &inner)
{
    return listSelect(sort, dialect) + QStringLiteral(" FROM memberships m CROSS JOIN users u")
        + NameJoins + QStringLiteral(" WHERE m.user_id = u.id AND m.id IN (") + inner
        + QLatin1Char(')') + orderTerms(sort, ascending, dialect);
}

// Reads the rows of listSelect() (or of listMemberships(), without the two
// key columns).
Result<QList<UserListRow>> readListRows(QSqlQuery &q, bool withKey)
{
    QList<UserListRow> rows;
    while (q.next()) {
        UserListRow row;
        row.userId = q.value(0).toLongLong();
        row.email = q.value(1).toString();
        row.displayName = q.value(2).toString();
        row.membershipId = q.value(3).toLongLong();
        const std::optional<Role> role = roleFromKey(q.value(4).toString());
        if (!role) {
            return fail(ErrorCode::DatabaseError,
                UserRepository::tr("A membership has an unknown role “%1”.")
                    .arg(q.value(4).toString()));
        }
        row.role = *role;
        row.contextName = q.value(5).toString();
        row.active = q.value(6).toBool();
        row.locked = q.value(7).toBool();
        row.lastLoginAt = SqlValues::toTime(q.value(8));
        row.membershipVersion = q.value(9).toInt();
        if (withKey) {
            row.sortValue = q.value(10);
            row.sortGroup = q.value(11).toLongLong();
        }
        rows.append(row);
    }
    return rows;
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
    return readListRows(*q, false);
}

Result<qint64> UserRepository::countListed(const UserListQuery &query) const
{
    if (query.scope.kind == UserListScope::Kind::All && query.filter.trimmed().isEmpty()) {
        // Kept by migration 7's triggers: no pass over a million rows.
        Result<QSqlQuery> q
            = m_db.prepare(QStringLiteral("SELECT n FROM membership_counts WHERE key = 0"));
        if (!q)
            return fail(q.error());
        if (Status done = m_db.exec(*q, tr("counting the users")); !done)
            return fail(done.error());
        if (q->next())
            return q->value(0).toLongLong();
    }
    QVariantList values;
    // One statement: listFrom() appends the values of its placeholders.
    QString sql = QStringLiteral("SELECT count(*)");
    sql += listFrom(query, m_db.dialect(), values, false);
    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("counting the users")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<UserListRow>> UserRepository::listPage(const UserListQuery &query,
    const std::optional<UserListKey> &key, bool forward, int limit, const QDateTime &now) const
{
    // Backwards: the reverse order from `key` (or from the end), turned
    // around.
    const bool ascending = forward ? query.ascending : !query.ascending;
    QVariantList values {SqlValues::time(now)};
    QString inner = QStringLiteral("SELECT m.id");
    inner += listFrom(query, m_db.dialect(), values, false);
    if (key)
        inner += keyPredicate(query.sort, ascending, *key, m_db.dialect(), values);
    inner += orderTerms(query.sort, ascending, m_db.dialect()) + QStringLiteral(" LIMIT ?");
    values << qMax(0, limit);
    const QString sql = pageSelect(query.sort, ascending, m_db.dialect(), inner);
    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    q->setForwardOnly(true);
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("reading the users")); !done)
        return fail(done.error());
    Result<QList<UserListRow>> rows = readListRows(*q, true);
    if (rows && !forward)
        std::reverse(rows->begin(), rows->end());
    return rows;
}

Result<QList<UserListRow>> UserRepository::listAtRow(
    const UserListQuery &query, qint64 offset, int limit, const QDateTime &now) const
{
    QVariantList values {SqlValues::time(now)};
    QString inner = QStringLiteral("SELECT m.id");
    inner += listFrom(query, m_db.dialect(), values, false);
    inner += orderTerms(query.sort, query.ascending, m_db.dialect())
        + QStringLiteral(" LIMIT ? OFFSET ?");
    values << qMax(0, limit) << qMax(qint64 {0}, offset);
    const QString sql = pageSelect(query.sort, query.ascending, m_db.dialect(), inner);
    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    q->setForwardOnly(true);
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("reading the users")); !done)
        return fail(done.error());
    return readListRows(*q, true);
}

Result<QList<UserListKey>> UserRepository::listAnchors(
    const UserListQuery &query, const std::optional<UserListKey> &key, int rows, int every) const
{
    // The inner query walks `rows` keys from `key` like listPage(); the
    // window numbers them and only every `every`-th key leaves the database.
    QVariantList values;
    QString inner = QStringLiteral("SELECT ") + sortExpression(query.sort, m_db.dialect())
        + QStringLiteral(" AS k, ") + groupExpression(query.sort)
        + QStringLiteral(" AS g, m.id AS id");
    inner += listFrom(query, m_db.dialect(), values, false);
    if (key)
        inner += keyPredicate(query.sort, query.ascending, *key, m_db.dialect(), values);
    inner += orderTerms(query.sort, query.ascending, m_db.dialect()) + QStringLiteral(" LIMIT ?");
    values << qMax(0, rows) << qMax(1, every);
    // The window compares the keys as the sort does (NOCASE names on SQLite).
    const QString dir = query.ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    const QString k = m_db.dialect() == Dialect::SQLite && query.sort == UserSort::Name
        ? QStringLiteral("s.k COLLATE NOCASE")
        : QStringLiteral("s.k");
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("SELECT w.k, w.g, w.id FROM (SELECT s.k, s.g, s.id, row_number() OVER "
                       "(ORDER BY ")
        + k + dir + QStringLiteral(", s.g") + dir + QStringLiteral(", s.id") + dir
        + QStringLiteral(") AS rn FROM (") + inner
        + QStringLiteral(") s) w WHERE w.rn % ? = 0 ORDER BY w.rn"));
    if (!q)
        return fail(q.error());
    q->setForwardOnly(true);
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("reading the users")); !done)
        return fail(done.error());
    QList<UserListKey> keys;
    while (q->next())
        keys.append(UserListKey {q->value(0), q->value(1).toLongLong(), q->value(2).toLongLong()});
    return keys;
}

Result<std::optional<UserListRow>> UserRepository::findListed(
    const UserListScope &scope, qint64 membershipId, const QDateTime &now) const
{
    UserListQuery query;
    query.scope = scope;
    QVariantList values {SqlValues::time(now)};
    QString sql = listSelect(query.sort, m_db.dialect());
    sql += listFrom(query, m_db.dialect(), values, true);
    sql += QStringLiteral(" AND m.id = ?");
    values << membershipId;
    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("reading a user")); !done)
        return fail(done.error());
    Result<QList<UserListRow>> rows = readListRows(*q, true);
    if (!rows)
        return fail(rows.error());
    if (rows->isEmpty())
        return std::optional<UserListRow>();
    return std::optional<UserListRow>(rows->constFirst());
}

Result<std::optional<qint64>> UserRepository::listPosition(
    const UserListQuery &query, qint64 membershipId) const
{
    // The membership's key, if the query lists it at all.
    QVariantList values;
    QString sql = QStringLiteral("SELECT ") + sortExpression(query.sort, m_db.dialect())
        + QStringLiteral(", ") + groupExpression(query.sort);
    sql += listFrom(query, m_db.dialect(), values, false);
    sql += QStringLiteral(" AND m.id = ?");
    values << membershipId;
    Result<QSqlQuery> q = m_db.prepare(sql);
    if (!q)
        return fail(q.error());
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("finding a user in the list")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<qint64>();
    const UserListKey key {q->value(0), q->value(1).toLongLong(), membershipId};

    // The rows before it: those after it in the reverse order.
    values.clear();
    QString count = QStringLiteral("SELECT count(*)");
    count += listFrom(query, m_db.dialect(), values, false);
    count += keyPredicate(query.sort, !query.ascending, key, m_db.dialect(), values);
    Result<QSqlQuery> c = m_db.prepare(count);
    if (!c)
        return fail(c.error());
    for (const QVariant &value : std::as_const(values))
        c->addBindValue(value);
    if (Status done = m_db.exec(*c, tr("finding a user in the list")); !done)
        return fail(done.error());
    c->next();
    return std::optional<qint64>(c->value(0).toLongLong());
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
