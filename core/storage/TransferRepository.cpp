#include "storage/TransferRepository.h"

#include <algorithm>
#include <optional>

#include <QSet>
#include <QSqlQuery>
#include <QStringList>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

// Bound values per IN (...) list, and rows per multi-row INSERT on
// PostgreSQL: far below SQLite's (32766) and PostgreSQL's (65535) limits on
// parameters per statement (an assignment row binds 5 values, an audit row
// 14: at most 7,000 per statement).
constexpr qsizetype ChunkSize = 500;
// Placeholders per multi-row INSERT on SQLite. QSQLITE turns each "?" into
// a named placeholder (QSqlResult's positionalToNamedBinding) and binding
// then looks the names up one by one in SQLite's list of them: the cost per
// statement grows with the square of its placeholders (measured at 1M
// customers: two 7,000-placeholder audit INSERTs cost more than half of a
// 1,000-customer clone). Short statements cost nothing there: no round trip.
constexpr qsizetype SqlitePlaceholders = 256;
// Columns of the rows the bulk INSERTs write.
constexpr int AssignmentColumns = 5;
constexpr int AuditColumns = 14;

// The distinct positive ids, in their first order.
QList<qint64> distinctIds(const QList<qint64> &ids)
{
    QList<qint64> out;
    QSet<qint64> seen;
    for (const qint64 id : ids) {
        if (id > 0 && !seen.contains(id)) {
            seen.insert(id);
            out.append(id);
        }
    }
    return out;
}

QString placeholders(qsizetype count)
{
    QStringList marks;
    marks.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        marks << QStringLiteral("?");
    return QLatin1Char('(') + marks.join(QStringLiteral(", ")) + QLatin1Char(')');
}

// "(?, ?), (?, ?), ..." : rows of columns placeholders each, for a
// multi-row VALUES list.
QString rowPlaceholders(qsizetype rows, int columns)
{
    const QString row = placeholders(columns);
    QStringList all;
    all.reserve(rows);
    for (qsizetype i = 0; i < rows; ++i)
        all << row;
    return all.join(QStringLiteral(", "));
}

// Rows per multi-row INSERT of rows of `columns` values.
qsizetype rowsPerInsert(Dialect dialect, int columns)
{
    if (dialect == Dialect::SQLite)
        return std::max<qsizetype>(1, SqlitePlaceholders / columns);
    return ChunkSize;
}

// Runs "prefix VALUES (...), ... suffix" for rows 0..count-1, perStatement
// rows at a time; the full-size statement is prepared once and executed
// again for each full chunk. bind(query, row, first) binds the values of
// one row from placeholder index `first`; read(query) takes each row the
// statement returns (RETURNING).
template<typename Bind, typename Read>
Status insertRows(const Database &db, const QString &prefix, int columns, const QString &suffix,
    qsizetype count, qsizetype perStatement, const QString &what, const Bind &bind,
    const Read &read)
{
    std::optional<QSqlQuery> full;
    for (qsizetype from = 0; from < count; from += perStatement) {
        const qsizetype rows = std::min(perStatement, count - from);
        std::optional<QSqlQuery> rest;
        std::optional<QSqlQuery> &slot = rows == perStatement ? full : rest;
        if (!slot) {
            Result<QSqlQuery> prepared
                = db.prepare(prefix + rowPlaceholders(rows, columns) + suffix);
            if (!prepared)
                return fail(prepared.error());
            slot.emplace(std::move(*prepared));
        }
        QSqlQuery &q = *slot;
        for (qsizetype r = 0; r < rows; ++r)
            bind(q, from + r, static_cast<int>(r * columns));
        if (Status done = db.exec(q, what); !done)
            return done;
        while (q.next())
            read(q);
    }
    return {};
}

QString assignmentKindKey(AssignmentKind kind)
{
    return kind == AssignmentKind::Owner ? QStringLiteral("owner") : QStringLiteral("additional");
}

const QString CustomerColumns = QStringLiteral(
    "SELECT c.id, c.company_name, c.contact_name, c.plan_id, c.price_list_id, "
    "c.owner_reseller_id, c.primary_user_id, c.active, c.no_email, c.migrated_at, r.id, "
    "c.version, p.name, pl.name, o.name, u.email, u.archived_at "
    "FROM customers c LEFT JOIN resellers r ON r.origin_customer_id = c.id "
    "LEFT JOIN plans p ON p.id = c.plan_id LEFT JOIN price_lists pl ON pl.id = c.price_list_id "
    "LEFT JOIN resellers o ON o.id = c.owner_reseller_id "
    "LEFT JOIN users u ON u.id = c.primary_user_id "
    "WHERE c.archived_at IS NULL AND c.id ");

// What Clone checks and records of a customer: no primary user, portal or
// owner name (the two joins of CustomerColumns that read a random page per
// customer of the users and resellers tables).
const QString CloneColumns = QStringLiteral(
    "SELECT c.id, c.company_name, c.plan_id, c.price_list_id, c.owner_reseller_id, c.active, "
    "c.version, p.name, pl.name "
    "FROM customers c LEFT JOIN plans p ON p.id = c.plan_id "
    "LEFT JOIN price_lists pl ON pl.id = c.price_list_id "
    "WHERE c.archived_at IS NULL AND c.id IN ");

TransferCustomer readCustomer(const QSqlQuery &q)
{
    TransferCustomer c;
    c.id = q.value(0).toLongLong();
    c.companyName = q.value(1).toString();
    c.contactName = q.value(2).toString();
    c.planId = q.value(3).toLongLong();
    c.priceListId = q.value(4).toLongLong();
    c.ownerResellerId = SqlValues::toId(q.value(5));
    c.primaryUserId = SqlValues::toId(q.value(6));
    c.active = q.value(7).toBool();
    c.noEmail = q.value(8).toBool();
    c.migratedAt = SqlValues::toTime(q.value(9));
    c.portalId = SqlValues::toId(q.value(10));
    c.version = q.value(11).toInt();
    c.planName = q.value(12).toString();
    c.priceListName = q.value(13).toString();
    c.ownerResellerName = q.value(14).toString();
    c.primaryUserEmail = q.value(15).toString();
    c.primaryUserArchived = !q.value(16).isNull();
    return c;
}

} // namespace

TransferRepository::TransferRepository(Database &db)
    : m_db(db)
{ }

Status TransferRepository::lockCustomers(const QList<qint64> &ids)
{
    if (m_db.dialect() != Dialect::PostgreSQL)
        return {};
    QList<qint64> wanted = distinctIds(ids);
    std::sort(wanted.begin(), wanted.end()); // one order for everyone: no deadlock
    for (qsizetype from = 0; from < wanted.size(); from += ChunkSize) {
        const QList<qint64> chunk = wanted.mid(from, ChunkSize);
        Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT id FROM customers WHERE id IN ")
            + placeholders(chunk.size()) + QStringLiteral(" ORDER BY id FOR UPDATE"));
        if (!q)
            return fail(q.error());
        for (const qint64 id : chunk)
            q->addBindValue(id);
        if (Status done = m_db.exec(*q, tr("locking customers")); !done)
            return done;
    }
    return {};
}

Result<QHash<qint64, TransferCustomer>> TransferRepository::customers(
    const QList<qint64> &ids) const
{
    const QList<qint64> wanted = distinctIds(ids);
    QHash<qint64, TransferCustomer> found;
    for (qsizetype from = 0; from < wanted.size(); from += ChunkSize) {
        const QList<qint64> chunk = wanted.mid(from, ChunkSize);
        Result<QSqlQuery> q
            = m_db.prepare(CustomerColumns + QStringLiteral("IN ") + placeholders(chunk.size()));
        if (!q)
            return fail(q.error());
        for (const qint64 id : chunk)
            q->addBindValue(id);
        if (Status done = m_db.exec(*q, tr("reading customers")); !done)
            return fail(done.error());
        while (q->next()) {
            const TransferCustomer c = readCustomer(*q);
            found.insert(c.id, c);
        }
    }
    return found;
}

Result<QHash<qint64, TransferCustomer>> TransferRepository::customersToClone(
    const QList<qint64> &ids) const
{
    const QList<qint64> wanted = distinctIds(ids);
    QHash<qint64, TransferCustomer> found;
    found.reserve(wanted.size());
    for (qsizetype from = 0; from < wanted.size(); from += ChunkSize) {
        const QList<qint64> chunk = wanted.mid(from, ChunkSize);
        Result<QSqlQuery> q = m_db.prepare(CloneColumns + placeholders(chunk.size()));
        if (!q)
            return fail(q.error());
        for (const qint64 id : chunk)
            q->addBindValue(id);
        if (Status done = m_db.exec(*q, tr("reading customers")); !done)
            return fail(done.error());
        while (q->next()) {
            TransferCustomer c;
            c.id = q->value(0).toLongLong();
            c.companyName = q->value(1).toString();
            c.planId = q->value(2).toLongLong();
            c.priceListId = q->value(3).toLongLong();
            c.ownerResellerId = SqlValues::toId(q->value(4));
            c.active = q->value(5).toBool();
            c.version = q->value(6).toInt();
            c.planName = q->value(7).toString();
            c.priceListName = q->value(8).toString();
            found.insert(c.id, c);
        }
    }
    return found;
}

Result<std::optional<TransferCustomer>> TransferRepository::customer(qint64 id) const
{
    Result<QSqlQuery> q = m_db.prepare(CustomerColumns + QStringLiteral("= ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("reading a customer")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<TransferCustomer>();
    return std::optional<TransferCustomer>(readCustomer(*q));
}

Result<QHash<qint64, QList<AssignmentRow>>> TransferRepository::openAssignments(
    const QList<qint64> &customerIds) const
{
    const QList<qint64> wanted = distinctIds(customerIds);
    QHash<qint64, QList<AssignmentRow>> open;
    for (qsizetype from = 0; from < wanted.size(); from += ChunkSize) {
        const QList<qint64> chunk = wanted.mid(from, ChunkSize);
        Result<QSqlQuery> q = m_db.prepare(
            QStringLiteral("SELECT id, customer_id, reseller_id, kind, assigned_at, assigned_by, "
                           "version FROM customer_assignments WHERE ended_at IS NULL AND "
                           "customer_id IN ")
            + placeholders(chunk.size())
            + QStringLiteral(" ORDER BY customer_id, assigned_at, id"));
        if (!q)
            return fail(q.error());
        for (const qint64 id : chunk)
            q->addBindValue(id);
        if (Status done = m_db.exec(*q, tr("reading assignments")); !done)
            return fail(done.error());
        while (q->next()) {
            AssignmentRow a;
            a.id = q->value(0).toLongLong();
            a.customerId = q->value(1).toLongLong();
            a.resellerId = q->value(2).toLongLong();
            a.kind = q->value(3).toString() == QLatin1String("owner") ? AssignmentKind::Owner
                                                                      : AssignmentKind::Additional;
            a.assignedAt = SqlValues::toTime(q->value(4));
            a.assignedBy = SqlValues::toId(q->value(5));
            a.version = q->value(6).toInt();
            open[a.customerId].append(a);
        }
    }
    return open;
}

Result<std::optional<TransferReseller>> TransferRepository::reseller(qint64 id) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id, name, active, archived_at, pricing, price_list_id FROM resellers "
        "WHERE id = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("reading a reseller")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<TransferReseller>();
    TransferReseller r;
    r.id = q->value(0).toLongLong();
    r.name = q->value(1).toString();
    r.active = q->value(2).toBool();
    r.archived = !q->value(3).isNull();
    r.pricing = q->value(4).toString() == QLatin1String("selected") ? PricingMode::Selected
                                                                    : PricingMode::Channel;
    r.priceListId = SqlValues::toId(q->value(5));
    return std::optional<TransferReseller>(r);
}

Result<QHash<qint64, QString>> TransferRepository::resellerNames(const QList<qint64> &ids) const
{
    const QList<qint64> wanted = distinctIds(ids);
    QHash<qint64, QString> names;
    for (qsizetype from = 0; from < wanted.size(); from += ChunkSize) {
        const QList<qint64> chunk = wanted.mid(from, ChunkSize);
        Result<QSqlQuery> q
            = m_db.prepare(QStringLiteral("SELECT id, name FROM resellers WHERE id IN ")
                + placeholders(chunk.size()));
        if (!q)
            return fail(q.error());
        for (const qint64 id : chunk)
            q->addBindValue(id);
        if (Status done = m_db.exec(*q, tr("reading resellers")); !done)
            return fail(done.error());
        while (q->next())
            names.insert(q->value(0).toLongLong(), q->value(1).toString());
    }
    return names;
}

Result<int> TransferRepository::endAssignments(
    const QList<qint64> &assignmentIds, const QDateTime &at, qint64 by)
{
    const QList<qint64> wanted = distinctIds(assignmentIds);
    int ended = 0;
    for (qsizetype from = 0; from < wanted.size(); from += ChunkSize) {
        const QList<qint64> chunk = wanted.mid(from, ChunkSize);
        // An assignment never ends before it started, whatever this
        // desktop's clock says (the table checks ended_at >= assigned_at).
        Result<QSqlQuery> q = m_db.prepare(
            QStringLiteral("UPDATE customer_assignments SET ended_at = CASE WHEN assigned_at > ? "
                           "THEN assigned_at ELSE ? END, ended_by = ?, version = version + 1 "
                           "WHERE ended_at IS NULL AND id IN ")
            + placeholders(chunk.size()) + QStringLiteral(" RETURNING id"));
        if (!q)
            return fail(q.error());
        q->addBindValue(SqlValues::time(at));
        q->addBindValue(SqlValues::time(at));
        q->addBindValue(SqlValues::id(by));
        for (const qint64 id : chunk)
            q->addBindValue(id);
        if (Status done = m_db.exec(*q, tr("ending assignments")); !done)
            return fail(done.error());
        while (q->next())
            ++ended;
    }
    return ended;
}

Result<int> TransferRepository::setOwnership(qint64 customerId, int expectedVersion,
    qint64 ownerResellerId, qint64 planId, qint64 priceListId, const QDateTime &updatedAt,
    const QDateTime &migratedAt)
{
    const bool migrating = migratedAt.isValid();
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral(
            "UPDATE customers SET owner_reseller_id = ?, plan_id = ?, price_list_id = ?, "
            "updated_at = ?, ")
        + (migrating ? QStringLiteral("migrated_at = ?, ") : QString())
        + QStringLiteral("version = version + 1 WHERE id = ? AND version = ? AND archived_at IS "
                         "NULL RETURNING version"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::id(ownerResellerId));
    q->addBindValue(planId);
    q->addBindValue(priceListId);
    q->addBindValue(SqlValues::time(updatedAt));
    if (migrating)
        q->addBindValue(SqlValues::time(migratedAt));
    q->addBindValue(customerId);
    q->addBindValue(expectedVersion);
    if (Status done = m_db.exec(*q, tr("saving the customer's owner")); !done)
        return fail(done.error());
    if (q->next())
        return q->value(0).toInt();
    // Nothing updated: gone, or changed since it was read.
    Result<std::optional<TransferCustomer>> current = customer(customerId);
    if (!current)
        return fail(current.error());
    if (!current->has_value())
        return fail(ErrorCode::NotFound, tr("The customer no longer exists."));
    return fail(ErrorCode::Conflict,
        tr("%1 was changed by someone else. Reload it and make your change again.")
            .arg((*current)->companyName),
        {},
        QStringLiteral("customer_id=%1 expected_version=%2 current_version=%3")
            .arg(customerId)
            .arg(expectedVersion)
            .arg((*current)->version));
}

Result<QHash<qint64, qint64>> TransferRepository::addAssignments(const QList<qint64> &customerIds,
    qint64 resellerId, AssignmentKind kind, const QDateTime &at, qint64 by)
{
    const QList<qint64> wanted = distinctIds(customerIds);
    QHash<qint64, qint64> added;
    added.reserve(wanted.size());
    const QString kindValue = assignmentKindKey(kind);
    const QVariant atValue = SqlValues::time(at);
    const QVariant byValue = SqlValues::id(by);
    Status done = insertRows(
        m_db,
        QStringLiteral("INSERT INTO customer_assignments (customer_id, reseller_id, kind, "
                       "assigned_at, assigned_by) VALUES "),
        AssignmentColumns, QStringLiteral(" RETURNING id, customer_id"), wanted.size(),
        rowsPerInsert(m_db.dialect(), AssignmentColumns), tr("saving the assignments"),
        [&](QSqlQuery &q, qsizetype row, int first) {
            q.bindValue(first, wanted.at(row));
            q.bindValue(first + 1, resellerId);
            q.bindValue(first + 2, kindValue);
            q.bindValue(first + 3, atValue);
            q.bindValue(first + 4, byValue);
        },
        [&](const QSqlQuery &q) {
            added.insert(q.value(1).toLongLong(), q.value(0).toLongLong());
        });
    if (!done) {
        if (done.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate,
                tr("A customer is already assigned to this reseller, or already has an "
                   "owner. Reload and try again."),
                {}, done.error().detail());
        }
        return fail(done.error());
    }
    return added;
}

Result<QHash<qint64, int>> TransferRepository::setOwners(const QList<qint64> &customerIds,
    qint64 ownerResellerId, qint64 priceListId, const QDateTime &updatedAt)
{
    const QList<qint64> wanted = distinctIds(customerIds);
    const bool repricing = priceListId > 0;
    QHash<qint64, int> versions;
    versions.reserve(wanted.size());
    for (qsizetype from = 0; from < wanted.size(); from += ChunkSize) {
        const QList<qint64> chunk = wanted.mid(from, ChunkSize);
        Result<QSqlQuery> q
            = m_db.prepare(QStringLiteral("UPDATE customers SET owner_reseller_id = ?, ")
                + (repricing ? QStringLiteral("price_list_id = ?, ") : QString())
                + QStringLiteral("updated_at = ?, version = version + 1 WHERE archived_at IS NULL "
                                 "AND id IN ")
                + placeholders(chunk.size()) + QStringLiteral(" RETURNING id, version"));
        if (!q)
            return fail(q.error());
        q->addBindValue(SqlValues::id(ownerResellerId));
        if (repricing)
            q->addBindValue(priceListId);
        q->addBindValue(SqlValues::time(updatedAt));
        for (const qint64 id : chunk)
            q->addBindValue(id);
        if (Status done = m_db.exec(*q, tr("saving the customers' owner")); !done)
            return fail(done.error());
        while (q->next())
            versions.insert(q->value(0).toLongLong(), q->value(1).toInt());
    }
    return versions;
}

Status TransferRepository::appendAuditEvents(const QList<AuditEventRow> &events)
{
    return insertRows(
        m_db,
        QStringLiteral("INSERT INTO audit_events (occurred_at, batch_id, actor_user_id, "
                       "actor_membership_id, impersonator_user_id, impersonation_session_id, "
                       "action, entity_type, entity_id, reseller_id, customer_id, before_json, "
                       "after_json, reason) VALUES "),
        AuditColumns, QString(), events.size(), rowsPerInsert(m_db.dialect(), AuditColumns),
        tr("writing the audit trail"),
        [&](QSqlQuery &q, qsizetype row, int first) {
            const AuditEventRow &e = events.at(row);
            q.bindValue(first, SqlValues::time(e.occurredAt));
            q.bindValue(first + 1, SqlValues::optionalText(e.batchId));
            q.bindValue(first + 2, SqlValues::id(e.actorUserId));
            q.bindValue(first + 3, SqlValues::id(e.actorMembershipId));
            q.bindValue(first + 4, SqlValues::id(e.impersonatorUserId));
            q.bindValue(first + 5, SqlValues::id(e.impersonationSessionId));
            q.bindValue(first + 6, e.action);
            q.bindValue(first + 7, e.entityType);
            q.bindValue(first + 8, SqlValues::id(e.entityId));
            q.bindValue(first + 9, SqlValues::id(e.resellerId));
            q.bindValue(first + 10, SqlValues::id(e.customerId));
            q.bindValue(first + 11, SqlValues::optionalText(e.beforeJson));
            q.bindValue(first + 12, SqlValues::optionalText(e.afterJson));
            q.bindValue(first + 13, SqlValues::optionalText(e.reason));
        },
        [](const QSqlQuery &) {});
}

} // namespace rd
