#include "storage/AuditRepository.h"

#include <algorithm>

#include <QSqlQuery>
#include <QVariantList>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

const QString EventColumns = QStringLiteral(
    "e.id, e.occurred_at, e.batch_id, e.actor_user_id, e.actor_membership_id, "
    "e.impersonator_user_id, e.impersonation_session_id, e.action, e.entity_type, e.entity_id, "
    "e.reseller_id, e.customer_id, e.before_json, e.after_json, e.reason");

// Reads EventColumns, starting at column 0.
AuditEventRow readEvent(const QSqlQuery &q)
{
    AuditEventRow e;
    e.id = q.value(0).toLongLong();
    e.occurredAt = SqlValues::toTime(q.value(1));
    e.batchId = q.value(2).toString();
    e.actorUserId = SqlValues::toId(q.value(3));
    e.actorMembershipId = SqlValues::toId(q.value(4));
    e.impersonatorUserId = SqlValues::toId(q.value(5));
    e.impersonationSessionId = SqlValues::toId(q.value(6));
    e.action = q.value(7).toString();
    e.entityType = q.value(8).toString();
    e.entityId = SqlValues::toId(q.value(9));
    e.resellerId = SqlValues::toId(q.value(10));
    e.customerId = SqlValues::toId(q.value(11));
    e.beforeJson = q.value(12).toString();
    e.afterJson = q.value(13).toString();
    e.reason = q.value(14).toString();
    return e;
}

// The names a list row shows after EventColumns (columns 15..18), and the
// joins they need.
const QString ListNames = QStringLiteral(
    ", coalesce(a.display_name, a.email), coalesce(i.display_name, i.email), c.company_name, "
    "r.name");
const QString ListJoins = QStringLiteral(" FROM audit_events e "
                                         "LEFT JOIN users a ON a.id = e.actor_user_id "
                                         "LEFT JOIN users i ON i.id = e.impersonator_user_id "
                                         "LEFT JOIN customers c ON c.id = e.customer_id "
                                         "LEFT JOIN resellers r ON r.id = e.reseller_id");

AuditListRow readListRow(const QSqlQuery &q)
{
    AuditListRow row;
    row.event = readEvent(q);
    row.actorName = q.value(15).toString();
    row.impersonatorName = q.value(16).toString();
    row.customerName = q.value(17).toString();
    row.resellerName = q.value(18).toString();
    return row;
}

// LIKE pattern for "contains", with the text's wildcards escaped.
QString containsPattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

// The scope part of a WHERE clause; resellerColumn and customerColumn are
// the row's scope columns (fixed names chosen by the code, never input).
QString scopeClause(const AuditScope &scope, const QString &resellerColumn,
    const QString &customerColumn, QVariantList &values)
{
    if (scope.kind == AuditScope::Kind::All)
        return {};
    values << scope.resellerId << scope.resellerId << scope.resellerId;
    return QStringLiteral(
        " AND (%1 = ? OR (%2 IS NOT NULL AND EXISTS (SELECT 1 FROM customers sc"
        " WHERE sc.id = %2 AND sc.archived_at IS NULL AND ("
        " EXISTS (SELECT 1 FROM resellers rs WHERE rs.id = ? AND rs.customer_scope = 'all')"
        " OR EXISTS (SELECT 1 FROM customer_assignments sa WHERE sa.customer_id = %2"
        " AND sa.reseller_id = ? AND sa.ended_at IS NULL)))))")
        .arg(resellerColumn, customerColumn);
}

// "The user in column has a display name or email containing text."
QString userMatch(
    const QString &column, const QString &text, const QString &like, QVariantList &values)
{
    const QString pattern = containsPattern(text);
    values << pattern << pattern;
    return QStringLiteral(" AND %1 IN (SELECT mu.id FROM users mu WHERE mu.display_name%2"
                          " OR mu.email%2)")
        .arg(column, like);
}

// "The customer in column has a company name containing text."
QString customerMatch(
    const QString &column, const QString &text, const QString &like, QVariantList &values)
{
    values << containsPattern(text);
    return QStringLiteral(" AND %1 IN (SELECT mc.id FROM customers mc WHERE mc.company_name%2)")
        .arg(column, like);
}

QString likeOperator(const Database &db)
{
    // ILIKE on PostgreSQL; SQLite's LIKE ignores case (of ASCII letters).
    return db.dialect() == Dialect::PostgreSQL ? QStringLiteral(" ILIKE ? ESCAPE '\\'")
                                               : QStringLiteral(" LIKE ? ESCAPE '\\'");
}

QString filterClause(const Database &db, const AuditFilter &filter, QVariantList &values)
{
    QString sql;
    const QString like = likeOperator(db);
    if (const QString text = filter.actor.trimmed(); !text.isEmpty())
        sql += userMatch(QStringLiteral("e.actor_user_id"), text, like, values);
    if (const QString text = filter.impersonator.trimmed(); !text.isEmpty())
        sql += userMatch(QStringLiteral("e.impersonator_user_id"), text, like, values);
    if (filter.onlyLoginAs)
        sql += QStringLiteral(" AND e.impersonator_user_id IS NOT NULL");
    if (const QString text = filter.customer.trimmed(); !text.isEmpty())
        sql += customerMatch(QStringLiteral("e.customer_id"), text, like, values);
    if (filter.customerId > 0) {
        sql += QStringLiteral(" AND e.customer_id = ?");
        values << filter.customerId;
    }
    if (filter.resellerId > 0) {
        sql += QStringLiteral(" AND e.reseller_id = ?");
        values << filter.resellerId;
    }
    if (!filter.action.isEmpty()) {
        sql += QStringLiteral(" AND e.action = ?");
        values << filter.action;
    }
    if (filter.from.isValid()) {
        sql += QStringLiteral(" AND e.occurred_at >= ?");
        values << SqlValues::time(filter.from);
    }
    if (filter.to.isValid()) {
        sql += QStringLiteral(" AND e.occurred_at < ?");
        values << SqlValues::time(filter.to);
    }
    return sql;
}

// The WHERE clause of the audit log view: the scope, then the filter.
QString eventWhere(
    const Database &db, const AuditScope &scope, const AuditFilter &filter, QVariantList &values)
{
    // One clause after the other: the bound values follow the SQL's order
    // (the operands of one + are evaluated in no fixed order).
    QString sql = QStringLiteral(" WHERE 1 = 1");
    sql += scopeClause(
        scope, QStringLiteral("e.reseller_id"), QStringLiteral("e.customer_id"), values);
    sql += filterClause(db, filter, values);
    return sql;
}

// The WHERE clause of the Login As sessions listing.
QString sessionWhere(const Database &db, const AuditScope &scope,
    const ImpersonationLogFilter &filter, QVariantList &values)
{
    QString sql = QStringLiteral(" WHERE 1 = 1");
    sql += scopeClause(
        scope, QStringLiteral("s.reseller_id"), QStringLiteral("s.customer_id"), values);
    const QString like = likeOperator(db);
    if (const QString text = filter.impersonator.trimmed(); !text.isEmpty())
        sql += userMatch(QStringLiteral("s.impersonator_user_id"), text, like, values);
    if (const QString text = filter.customer.trimmed(); !text.isEmpty())
        sql += customerMatch(QStringLiteral("s.customer_id"), text, like, values);
    if (filter.customerId > 0) {
        sql += QStringLiteral(" AND s.customer_id = ?");
        values << filter.customerId;
    }
    if (filter.from.isValid()) {
        sql += QStringLiteral(" AND s.started_at >= ?");
        values << SqlValues::time(filter.from);
    }
    if (filter.to.isValid()) {
        sql += QStringLiteral(" AND s.started_at < ?");
        values << SqlValues::time(filter.to);
    }
    return sql;
}

// Keyset on (time, id), newest first: the rows older than the cursor, or
// newer. Nothing for a null cursor. Written as a row-value comparison so
// that both databases walk the (time, id) index from the cursor.
QString keysetClause(const QString &timeColumn, const QString &idColumn, const AuditCursor &key,
    bool older, QVariantList &values)
{
    if (key.isNull())
        return {};
    values << SqlValues::time(key.at) << key.id;
    return QStringLiteral(" AND (%1, %2) %3 (?, ?)")
        .arg(timeColumn, idColumn, older ? QStringLiteral("<") : QStringLiteral(">"));
}

Result<QSqlQuery> run(
    const Database &db, const QString &sql, const QVariantList &values, const QString &what)
{
    Result<QSqlQuery> q = db.prepare(sql);
    if (!q)
        return fail(q.error());
    for (const QVariant &value : values)
        q->addBindValue(value);
    if (Status done = db.exec(*q, what); !done)
        return fail(done.error());
    return q;
}

// Jump points: `inner` lists (t, id) in the list's order, from after the
// cursor, LIMIT ? (its values first); the window numbers them and only
// every `every`-th key leaves the database.
Result<QList<AuditCursor>> anchorKeys(
    const Database &db, const QString &inner, QVariantList values, int every, const QString &what)
{
    values << qMax(1, every);
    Result<QSqlQuery> q = run(db,
        QStringLiteral("SELECT w.t, w.id FROM (SELECT s.t, s.id, row_number() OVER "
                       "(ORDER BY s.t DESC, s.id DESC) AS rn FROM (")
            + inner + QStringLiteral(") s) w WHERE w.rn % ? = 0 ORDER BY w.rn"),
        values, what);
    if (!q)
        return fail(q.error());
    QList<AuditCursor> keys;
    while (q->next())
        keys.append(AuditCursor {SqlValues::toTime(q->value(0)), q->value(1).toLongLong()});
    return keys;
}

} // namespace

AuditRepository::AuditRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> AuditRepository::append(const AuditEventRow &e)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO audit_events (occurred_at, batch_id, actor_user_id, actor_membership_id, "
        "impersonator_user_id, impersonation_session_id, action, entity_type, entity_id, "
        "reseller_id, customer_id, before_json, after_json, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(e.occurredAt));
    q->addBindValue(SqlValues::optionalText(e.batchId));
    q->addBindValue(SqlValues::id(e.actorUserId));
    q->addBindValue(SqlValues::id(e.actorMembershipId));
    q->addBindValue(SqlValues::id(e.impersonatorUserId));
    q->addBindValue(SqlValues::id(e.impersonationSessionId));
    q->addBindValue(e.action);
    q->addBindValue(e.entityType);
    q->addBindValue(SqlValues::id(e.entityId));
    q->addBindValue(SqlValues::id(e.resellerId));
    q->addBindValue(SqlValues::id(e.customerId));
    q->addBindValue(SqlValues::optionalText(e.beforeJson));
    q->addBindValue(SqlValues::optionalText(e.afterJson));
    q->addBindValue(SqlValues::optionalText(e.reason));
    if (Status done = m_db.exec(*q, tr("writing the audit trail")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<AuditEventRow>> AuditRepository::forEntity(
    const QString &entityType, qint64 entityId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + EventColumns
        + QStringLiteral(" FROM audit_events e WHERE e.entity_type = ? AND e.entity_id = ? "
                         "ORDER BY e.occurred_at, e.id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(entityType);
    q->addBindValue(entityId);
    if (Status done = m_db.exec(*q, tr("reading the audit trail")); !done)
        return fail(done.error());
    QList<AuditEventRow> rows;
    while (q->next())
        rows.append(readEvent(*q));
    return rows;
}

Result<QList<AuditListRow>> AuditRepository::forCustomer(qint64 customerId, int limit) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ") + EventColumns
        + QStringLiteral(", coalesce(a.display_name, a.email), coalesce(i.display_name, i.email) "
                         "FROM audit_events e "
                         "LEFT JOIN users a ON a.id = e.actor_user_id "
                         "LEFT JOIN users i ON i.id = e.impersonator_user_id "
                         "WHERE e.customer_id = ? ORDER BY e.occurred_at DESC, e.id DESC "
                         "LIMIT ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    q->addBindValue(qMax(0, limit));
    if (Status done = m_db.exec(*q, tr("reading the audit trail")); !done)
        return fail(done.error());
    QList<AuditListRow> rows;
    while (q->next()) {
        AuditListRow row;
        row.event = readEvent(*q);
        row.actorName = q->value(15).toString();
        row.impersonatorName = q->value(16).toString();
        rows.append(row);
    }
    return rows;
}

Result<qint64> AuditRepository::count(const AuditScope &scope, const AuditFilter &filter) const
{
    QVariantList values;
    const QString sql = QStringLiteral("SELECT count(*) FROM audit_events e")
        + eventWhere(m_db, scope, filter, values);
    Result<QSqlQuery> q = run(m_db, sql, values, tr("counting the audit log"));
    if (!q)
        return fail(q.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<AuditListRow>> AuditRepository::page(
    const AuditScope &scope, const AuditFilter &filter, const AuditCursor &after, int limit) const
{
    return events(scope, filter, after, true, 0, limit);
}

Result<QList<AuditListRow>> AuditRepository::pageBefore(
    const AuditScope &scope, const AuditFilter &filter, const AuditCursor &before, int limit) const
{
    return events(scope, filter, before, false, 0, limit);
}

Result<QList<AuditListRow>> AuditRepository::pageAtRow(
    const AuditScope &scope, const AuditFilter &filter, qint64 offset, int limit) const
{
    return events(scope, filter, {}, true, qMax(qint64 {0}, offset), limit);
}

Result<QList<AuditListRow>> AuditRepository::events(const AuditScope &scope,
    const AuditFilter &filter, const AuditCursor &key, bool older, qint64 offset, int limit) const
{
    QVariantList values;
    // One clause after the other: the bound values follow the SQL's order.
    QString sql = QStringLiteral("SELECT ") + EventColumns + ListNames + ListJoins
        + eventWhere(m_db, scope, filter, values);
    sql += keysetClause(
        QStringLiteral("e.occurred_at"), QStringLiteral("e.id"), key, older, values);
    // Rows before the key are read nearest first (the index backwards from
    // it) and put back in the list's order below.
    sql += older ? QStringLiteral(" ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?")
                 : QStringLiteral(" ORDER BY e.occurred_at, e.id LIMIT ?");
    values << qMax(0, limit);
    if (offset > 0) {
        sql += QStringLiteral(" OFFSET ?");
        values << offset;
    }
    Result<QSqlQuery> q = run(m_db, sql, values, tr("reading the audit log"));
    if (!q)
        return fail(q.error());
    QList<AuditListRow> rows;
    while (q->next())
        rows.append(readListRow(*q));
    if (!older)
        std::reverse(rows.begin(), rows.end());
    return rows;
}

Result<QList<AuditCursor>> AuditRepository::eventAnchors(const AuditScope &scope,
    const AuditFilter &filter, const AuditCursor &after, int rows, int every) const
{
    // The rows page() would list, their keys only: the same WHERE, the
    // same keyset and order, no joins.
    QVariantList values;
    QString inner = QStringLiteral("SELECT e.occurred_at AS t, e.id AS id FROM audit_events e")
        + eventWhere(m_db, scope, filter, values);
    inner += keysetClause(
        QStringLiteral("e.occurred_at"), QStringLiteral("e.id"), after, true, values);
    inner += QStringLiteral(" ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?");
    values << qMax(0, rows);
    return anchorKeys(m_db, inner, values, every, tr("reading the audit log"));
}

Result<AuditListRow> AuditRepository::find(const AuditScope &scope, qint64 id) const
{
    QVariantList values;
    QString sql = QStringLiteral("SELECT ") + EventColumns + ListNames + ListJoins
        + QStringLiteral(" WHERE e.id = ?");
    values << id;
    sql += scopeClause(
        scope, QStringLiteral("e.reseller_id"), QStringLiteral("e.customer_id"), values);
    Result<QSqlQuery> q = run(m_db, sql, values, tr("reading the audit log"));
    if (!q)
        return fail(q.error());
    if (!q->next())
        return fail(
            ErrorCode::NotFound, tr("The audit event does not exist or is not in your scope."));
    return readListRow(*q);
}

Result<QStringList> AuditRepository::actions(const AuditScope &scope) const
{
    QVariantList values;
    const QString sql = QStringLiteral("SELECT DISTINCT e.action FROM audit_events e WHERE 1 = 1")
        + scopeClause(
            scope, QStringLiteral("e.reseller_id"), QStringLiteral("e.customer_id"), values)
        + QStringLiteral(" ORDER BY e.action");
    Result<QSqlQuery> q = run(m_db, sql, values, tr("reading the audit log"));
    if (!q)
        return fail(q.error());
    QStringList keys;
    while (q->next())
        keys.append(q->value(0).toString());
    return keys;
}

Result<qint64> AuditRepository::countImpersonationSessions(
    const AuditScope &scope, const ImpersonationLogFilter &filter) const
{
    QVariantList values;
    const QString sql = QStringLiteral("SELECT count(*) FROM impersonation_sessions s")
        + sessionWhere(m_db, scope, filter, values);
    Result<QSqlQuery> q = run(m_db, sql, values, tr("counting the Login As sessions"));
    if (!q)
        return fail(q.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<ImpersonationLogRow>> AuditRepository::impersonationSessions(const AuditScope &scope,
    const ImpersonationLogFilter &filter, const AuditCursor &after, int limit) const
{
    return sessions(scope, filter, after, true, 0, limit);
}

Result<QList<ImpersonationLogRow>> AuditRepository::impersonationSessionsBefore(
    const AuditScope &scope, const ImpersonationLogFilter &filter, const AuditCursor &before,
    int limit) const
{
    return sessions(scope, filter, before, false, 0, limit);
}

Result<QList<ImpersonationLogRow>> AuditRepository::impersonationSessionsAtRow(
    const AuditScope &scope, const ImpersonationLogFilter &filter, qint64 offset, int limit) const
{
    return sessions(scope, filter, {}, true, qMax(qint64 {0}, offset), limit);
}

Result<QList<ImpersonationLogRow>> AuditRepository::sessions(const AuditScope &scope,
    const ImpersonationLogFilter &filter, const AuditCursor &key, bool older, qint64 offset,
    int limit) const
{
    QVariantList values;
    QString sql = QStringLiteral(
        "SELECT s.id, s.impersonator_user_id, coalesce(iu.display_name, iu.email), "
        "s.client_user_id, coalesce(cu.display_name, cu.email), s.customer_id, c.company_name, "
        "s.reseller_id, r.name, s.reason, s.started_at, s.expires_at, s.ended_at, s.end_reason "
        "FROM impersonation_sessions s "
        "JOIN users iu ON iu.id = s.impersonator_user_id "
        "JOIN users cu ON cu.id = s.client_user_id "
        "JOIN customers c ON c.id = s.customer_id "
        "LEFT JOIN resellers r ON r.id = s.reseller_id");
    sql += sessionWhere(m_db, scope, filter, values);
    sql += keysetClause(QStringLiteral("s.started_at"), QStringLiteral("s.id"), key, older, values);
    sql += older ? QStringLiteral(" ORDER BY s.started_at DESC, s.id DESC LIMIT ?")
                 : QStringLiteral(" ORDER BY s.started_at, s.id LIMIT ?");
    values << qMax(0, limit);
    if (offset > 0) {
        sql += QStringLiteral(" OFFSET ?");
        values << offset;
    }
    Result<QSqlQuery> q = run(m_db, sql, values, tr("reading the Login As sessions"));
    if (!q)
        return fail(q.error());
    QList<ImpersonationLogRow> rows;
    while (q->next()) {
        ImpersonationLogRow r;
        r.id = q->value(0).toLongLong();
        r.impersonatorUserId = SqlValues::toId(q->value(1));
        r.impersonatorName = q->value(2).toString();
        r.clientUserId = SqlValues::toId(q->value(3));
        r.clientUserName = q->value(4).toString();
        r.customerId = SqlValues::toId(q->value(5));
        r.customerName = q->value(6).toString();
        r.resellerId = SqlValues::toId(q->value(7));
        r.resellerName = q->value(8).toString();
        r.reason = q->value(9).toString();
        r.startedAt = SqlValues::toTime(q->value(10));
        r.expiresAt = SqlValues::toTime(q->value(11));
        r.endedAt = SqlValues::toTime(q->value(12));
        r.endReason = q->value(13).toString();
        rows.append(r);
    }
    if (!older)
        std::reverse(rows.begin(), rows.end());
    return rows;
}

Result<QList<AuditCursor>> AuditRepository::impersonationSessionAnchors(const AuditScope &scope,
    const ImpersonationLogFilter &filter, const AuditCursor &after, int rows, int every) const
{
    // The rows sessions() would list (its inner joins included: a row
    // without them is not listed), their keys only.
    QVariantList values;
    QString inner = QStringLiteral("SELECT s.started_at AS t, s.id AS id "
                                   "FROM impersonation_sessions s "
                                   "JOIN users iu ON iu.id = s.impersonator_user_id "
                                   "JOIN users cu ON cu.id = s.client_user_id "
                                   "JOIN customers c ON c.id = s.customer_id");
    inner += sessionWhere(m_db, scope, filter, values);
    inner += keysetClause(
        QStringLiteral("s.started_at"), QStringLiteral("s.id"), after, true, values);
    inner += QStringLiteral(" ORDER BY s.started_at DESC, s.id DESC LIMIT ?");
    values << qMax(0, rows);
    return anchorKeys(m_db, inner, values, every, tr("reading the Login As sessions"));
}

} // namespace rd
