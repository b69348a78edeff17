#include "storage/CustomerRepository.h"

#include <algorithm>

#include <QSqlQuery>

#include "storage/CustomerSearch.h"
#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd {

namespace {

QString billingKey(BillingStatus status)
{
    return status == BillingStatus::Paid ? QStringLiteral("paid") : QStringLiteral("trial");
}

QString kindKey(AssignmentKind kind)
{
    return kind == AssignmentKind::Owner ? QStringLiteral("owner") : QStringLiteral("additional");
}

QVariant trialBudgetValue(const CustomerRow &c)
{
    return c.billingStatus == BillingStatus::Trial || c.trialBudget > 0 ? QVariant(c.trialBudget)
                                                                        : SqlValues::nullInt();
}

// The columns insert and update share, bound in this order by bindEditable().
const QString EditableColumns = QStringLiteral(
    "company_name, domain, contact_name, contact_email, contact_phone, plan_id, price_list_id, "
    "owner_reseller_id, primary_user_id, billing_status, trial_ends_at, trial_budget, active, "
    "no_email");

void bindEditable(QSqlQuery &q, const CustomerRow &c)
{
    q.addBindValue(c.companyName);
    q.addBindValue(SqlValues::optionalText(c.domain));
    q.addBindValue(c.contactName);
    q.addBindValue(c.contactEmail);
    q.addBindValue(SqlValues::optionalText(c.contactPhone));
    q.addBindValue(c.planId);
    q.addBindValue(c.priceListId);
    q.addBindValue(SqlValues::id(c.ownerResellerId));
    q.addBindValue(SqlValues::id(c.primaryUserId));
    q.addBindValue(billingKey(c.billingStatus));
    q.addBindValue(SqlValues::time(c.trialEndsAt));
    q.addBindValue(trialBudgetValue(c));
    q.addBindValue(c.active);
    q.addBindValue(c.noEmail);
}

QString sortExpression(CustomerSort sort, Dialect dialect)
{
    const bool sqlite = dialect == Dialect::SQLite;
    auto text = [sqlite](const char *column) -> QString {
        const QString c = QString::fromLatin1(column);
        if (sqlite)
            return c + QStringLiteral(" COLLATE NOCASE");
        return QStringLiteral("lower(") + c + QLatin1Char(')');
    };
    switch (sort) {
    case CustomerSort::Company:
        return text("c.company_name");
    case CustomerSort::Domain:
        return QStringLiteral("c.domain");
    case CustomerSort::Contact:
        return text("c.contact_name");
    case CustomerSort::Email:
        return text("c.contact_email");
    case CustomerSort::Reseller:
        return text("r.name");
    case CustomerSort::Plan:
        return text("p.name");
    case CustomerSort::TrialEnds:
        return QStringLiteral("c.trial_ends_at");
    case CustomerSort::Created:
        break;
    }
    return QStringLiteral("c.created_at");
}

// Sort values that can be NULL: no domain, a direct account (no reseller),
// a paid customer without a trial end.
bool nullableSort(CustomerSort sort)
{
    return sort == CustomerSort::Domain || sort == CustomerSort::Reseller
        || sort == CustomerSort::TrialEnds;
}

// The ORDER BY terms: (sort value, id), both in one direction, so the
// (col, id) indexes serve them. NULL sort values come first ascending and
// last descending on both dialects: SQLite's own order, which PostgreSQL is
// told explicitly (its default is the opposite).
QString orderTerms(CustomerSort sort, bool ascending, Dialect dialect)
{
    QString nulls;
    if (dialect == Dialect::PostgreSQL && nullableSort(sort))
        nulls = ascending ? QStringLiteral(" NULLS FIRST") : QStringLiteral(" NULLS LAST");
    return sortExpression(sort, dialect)
        + (ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC")) + nulls
        + (ascending ? QStringLiteral(", c.id ASC") : QStringLiteral(", c.id DESC"));
}

// The rows strictly after `key` when they run in the order orderTerms(sort,
// ascending) gives, compared with the same expression as ORDER BY (so the
// same collation and the same index). The first term is a plain range on
// the sort expression, which the index can seek to.
QString keyPredicate(CustomerSort sort, bool ascending, const CustomerKey &key, Dialect dialect,
    QVariantList &values)
{
    const QString e = sortExpression(sort, dialect);
    if (key.sortValue.isNull()) {
        values << key.id;
        // Ascending, the NULLs come first: the NULLs with a larger id, then
        // every value. Descending they come last: only NULLs with a smaller id.
        if (ascending) {
            return QStringLiteral(" AND ((") + e + QStringLiteral(" IS NULL AND c.id > ?) OR ") + e
                + QStringLiteral(" IS NOT NULL)");
        }
        return QStringLiteral(" AND ") + e + QStringLiteral(" IS NULL AND c.id < ?");
    }
    values << key.sortValue << key.sortValue << key.id;
    if (ascending) {
        return QStringLiteral(" AND ") + e + QStringLiteral(" >= ? AND (") + e
            + QStringLiteral(" > ? OR c.id > ?)");
    }
    return QStringLiteral(" AND ((") + e + QStringLiteral(" <= ? AND (") + e
        + QStringLiteral(" < ? OR c.id < ?))")
        + (nullableSort(sort) ? QStringLiteral(" OR ") + e + QStringLiteral(" IS NULL") : QString())
        + QLatin1Char(')');
}

// orderTerms() for the sort value and id of a subquery s (columns k, id),
// with the same collation, so a window over it counts in the same order.
QString subqueryOrderTerms(CustomerSort sort, bool ascending, Dialect dialect)
{
    const bool nocase = dialect == Dialect::SQLite && sort != CustomerSort::Domain
        && sort != CustomerSort::TrialEnds && sort != CustomerSort::Created;
    QString nulls;
    if (dialect == Dialect::PostgreSQL && nullableSort(sort))
        nulls = ascending ? QStringLiteral(" NULLS FIRST") : QStringLiteral(" NULLS LAST");
    return (nocase ? QStringLiteral("s.k COLLATE NOCASE") : QStringLiteral("s.k"))
        + (ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC")) + nulls
        + (ascending ? QStringLiteral(", s.id ASC") : QStringLiteral(", s.id DESC"));
}

// The tables a sort expression needs besides customers c.
QString sortJoins(CustomerSort sort)
{
    switch (sort) {
    case CustomerSort::Reseller:
        return QStringLiteral(" LEFT JOIN resellers r ON r.id = c.owner_reseller_id");
    case CustomerSort::Plan:
        return QStringLiteral(" JOIN plans p ON p.id = c.plan_id");
    default:
        return {};
    }
}

// SELECT … FROM … of a list row, its sort key last; readListRows() reads it.
// `from` in place of customersFrom(): " FROM … c".
QString listSelect(CustomerSort sort, Dialect dialect, CustomerSearch::Method method,
    const QString &from = QString())
{
    const QString others = dialect == Dialect::SQLite
        ? QStringLiteral("(SELECT group_concat(name, ', ') FROM (SELECT r2.name AS name FROM "
                         "customer_assignments a2 JOIN resellers r2 ON r2.id = a2.reseller_id "
                         "WHERE a2.customer_id = c.id AND a2.kind = 'additional' AND "
                         "a2.ended_at IS NULL ORDER BY r2.name))")
        : QStringLiteral("(SELECT string_agg(r2.name, ', ' ORDER BY r2.name) FROM "
                         "customer_assignments a2 JOIN resellers r2 ON r2.id = a2.reseller_id "
                         "WHERE a2.customer_id = c.id AND a2.kind = 'additional' AND "
                         "a2.ended_at IS NULL)");
    return QStringLiteral("SELECT c.id, c.company_name, c.domain, c.contact_name, c.contact_email, "
                          "c.owner_reseller_id, r.name, ")
        + others
        + QStringLiteral(
            ", c.plan_id, p.name, pl.name, p.monthly_budget, c.billing_status, c.active, "
            "c.trial_ends_at, c.trial_budget, c.created_at, c.version, ")
        + sortExpression(sort, dialect)
        + (from.isEmpty() ? CustomerSearch::customersFrom(dialect, method) : from)
        + QStringLiteral(" JOIN plans p ON p.id = c.plan_id "
                         "JOIN price_lists pl ON pl.id = c.price_list_id "
                         "LEFT JOIN resellers r ON r.id = c.owner_reseller_id");
}

Result<QList<CustomerListRow>> readListRows(
    const Database &db, const QString &sql, const QVariantList &values)
{
    Result<QSqlQuery> q = db.prepare(sql);
    if (!q)
        return fail(q.error());
    for (const QVariant &value : values)
        q->addBindValue(value);
    if (Status done = db.exec(*q, CustomerRepository::tr("reading customers")); !done)
        return fail(done.error());
    QList<CustomerListRow> rows;
    while (q->next()) {
        CustomerListRow r;
        r.id = q->value(0).toLongLong();
        r.companyName = q->value(1).toString();
        r.domain = q->value(2).toString();
        r.contactName = q->value(3).toString();
        r.contactEmail = q->value(4).toString();
        r.ownerResellerId = SqlValues::toId(q->value(5));
        r.ownerResellerName = q->value(6).toString();
        r.otherResellerNames = q->value(7).toString();
        r.planId = q->value(8).toLongLong();
        r.planName = q->value(9).toString();
        r.priceListName = q->value(10).toString();
        r.monthlyBudget = q->value(11).toInt();
        r.billingStatus = q->value(12).toString() == QLatin1String("paid") ? BillingStatus::Paid
                                                                           : BillingStatus::Trial;
        r.active = q->value(13).toBool();
        r.trialEndsAt = SqlValues::toTime(q->value(14));
        r.trialBudget = q->value(15).toInt();
        r.createdAt = SqlValues::toTime(q->value(16));
        r.version = q->value(17).toInt();
        r.sortKey = q->value(18);
        rows.append(r);
    }
    return rows;
}

// The FROM/WHERE part shared by page() and count(), with its bound values.
// What the choice of a search method needs to know of the list.
CustomerSearch::Walk walkOf(const CustomerQuery &query)
{
    CustomerSearch::Walk walk;
    walk.companyOrderUnfiltered = query.sort == CustomerSort::Company
        && query.scope == CustomerQuery::Scope::All && !query.resellerFilter
        && query.status == CustomerStatusFilter::Any && query.planFilter <= 0;
    walk.ascending = query.ascending;
    return walk;
}

// PostgreSQL: the walk from `key` in the given direction (SQLite probes
// from the start of the list in the list's direction, as before).
CustomerSearch::Walk walkFrom(const CustomerQuery &query, Dialect dialect, bool ascending,
    const std::optional<CustomerKey> &key)
{
    CustomerSearch::Walk walk = walkOf(query);
    if (dialect == Dialect::SQLite)
        return walk;
    walk.ascending = ascending;
    if (key && !key->sortValue.isNull()) {
        walk.fromKey = key->sortValue;
        walk.fromId = key->id;
    }
    return walk;
}

// PostgreSQL, a search of the whole list in company order: the matches
// come from customer_search (migration 9), the narrow table of live
// customers, and only a page of them from customers.
bool searchesTable(const CustomerQuery &query, Dialect dialect)
{
    return dialect == Dialect::PostgreSQL && walkOf(query).companyOrderUnfiltered
        && CustomerSearch::usesSearchTable(query.search);
}

// SQLite, the same list searched through the FTS5 index (Method::Index):
// the matches are sorted in customers_live_id_company_idx (migration 10),
// id and company name of the live customers, and only a page of them is
// read from customers (whose wide rows cost a page read per match).
bool searchesSortIndex(const CustomerQuery &query, Dialect dialect, CustomerSearch::Method method)
{
    return dialect == Dialect::SQLite && method == CustomerSearch::Method::Index
        && walkOf(query).companyOrderUnfiltered && CustomerSearch::usesIndex(query.search);
}

// Either of the two: the page's ids come from searchTableIds().
bool searchesNarrow(const CustomerQuery &query, Dialect dialect, CustomerSearch::Method method)
{
    return searchesTable(query, dialect) || searchesSortIndex(query, dialect, method);
}

// The rows of customer_search strictly after `key` in company order
// (ascending or not), as keyPredicate() for CustomerSort::Company: its
// company_key is lower(company_name), never NULL.
QString searchKeyPredicate(bool ascending, const CustomerKey &key, QVariantList &values)
{
    values << key.sortValue << key.sortValue << key.id;
    return ascending
        ? QStringLiteral(" AND s.company_key >= ? AND (s.company_key > ? OR s.id > ?)")
        : QStringLiteral(" AND s.company_key <= ? AND (s.company_key < ? OR s.id < ?)");
}

// For searchesNarrow(): "SELECT id, k …" of the matches from `key` on (all
// of them without one) in company order, id and company key, to be followed
// by " LIMIT ?". SQLite: the FTS5 matches sorted in the (id, company)
// index, see searchesSortIndex(). PostgreSQL, from customer_search: Scan
// walks customer_search_company_idx and tests each row; Index collects the
// matches from the trigram index (a MATERIALIZED CTE, so the planner cannot
// turn it back into the walk) and sorts them.
QString searchTableIds(const CustomerQuery &query, Dialect dialect, bool ascending,
    const std::optional<CustomerKey> &key, CustomerSearch::Method method, QVariantList &values)
{
    const QString direction = ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    if (searchesSortIndex(query, dialect, method)) {
        // The FTS5 matches, each looked up in the (id, company) index (they
        // come in id order, so its pages are read in order, once each).
        QString sql = QStringLiteral(
            "SELECT x.id, x.company_name AS k FROM customers x INDEXED BY "
            "customers_live_id_company_idx WHERE x.archived_at IS NULL AND x.id IN "
            "(SELECT rowid FROM customer_search WHERE customer_search MATCH ?)");
        values << CustomerSearch::ftsPhrase(query.search.trimmed());
        if (key) {
            const QString e = QStringLiteral("x.company_name COLLATE NOCASE");
            values << key->sortValue << key->sortValue << key->id;
            sql += ascending ? QStringLiteral(" AND ") + e + QStringLiteral(" >= ? AND (") + e
                    + QStringLiteral(" > ? OR x.id > ?)")
                             : QStringLiteral(" AND ") + e + QStringLiteral(" <= ? AND (") + e
                    + QStringLiteral(" < ? OR x.id < ?)");
        }
        return sql + QStringLiteral(" ORDER BY x.company_name COLLATE NOCASE") + direction
            + QStringLiteral(", x.id") + direction;
    }
    if (method == CustomerSearch::Method::Scan) {
        // OFFSET 0 keeps the match out of the walk's own WHERE clause.
        QString sql = QStringLiteral(
            "SELECT w.id, w.k FROM (SELECT s.id, s.company_key AS k, s.text FROM customer_search s "
            "WHERE TRUE");
        if (key)
            sql += searchKeyPredicate(ascending, *key, values);
        sql += QStringLiteral(" ORDER BY s.company_key") + direction + QStringLiteral(", s.id")
            + direction + QStringLiteral(" OFFSET 0) w WHERE ");
        sql += CustomerSearch::searchTableMatch(query.search, QStringLiteral("w"), values);
        return sql;
    }
    QString sql = QStringLiteral("WITH f AS MATERIALIZED (SELECT s.id, s.company_key AS k "
                                 "FROM customer_search s WHERE ");
    sql += CustomerSearch::searchTableMatch(query.search, QStringLiteral("s"), values);
    if (key)
        sql += searchKeyPredicate(ascending, *key, values);
    sql += QStringLiteral(") SELECT f.id, f.k FROM f ORDER BY f.k") + direction
        + QStringLiteral(", f.id") + direction;
    return sql;
}

// For searchesNarrow(): " FROM (…) m JOIN customers c" of the first `rows`
// matches from `key` on; `rows` is appended to values.
QString searchTableFrom(const CustomerQuery &query, Dialect dialect, bool ascending,
    const std::optional<CustomerKey> &key, CustomerSearch::Method method, qint64 rows,
    QVariantList &values)
{
    QString sql = QStringLiteral(" FROM (")
        + searchTableIds(query, dialect, ascending, key, method, values)
        + QStringLiteral(" LIMIT ?) m JOIN customers c ON c.id = m.id");
    values << qMax<qint64>(0, rows);
    return sql;
}

// The query without its search term (searchesNarrow() moved it to FROM).
CustomerQuery withoutSearch(CustomerQuery query)
{
    query.search.clear();
    return query;
}

QString whereClause(const CustomerQuery &query, Dialect dialect, QVariantList &values,
    CustomerSearch::Method method = CustomerSearch::Method::Index);

// SQLite, a common ASCII term in the whole list in company order
// (CustomerSearch::Method::Scan without its probe): the page of `limit`
// matches from `key` on, found by walking at most WalkBudget rows of the
// covering company index (migration 6) and testing each. Nothing when those
// rows do not hold the page (the matches thin out there, or the list ends):
// the caller then asks the FTS5 index.
Result<std::optional<QList<CustomerListRow>>> walkedPage(const Database &db,
    const CustomerQuery &query, bool ascending, const std::optional<CustomerKey> &key, int limit)
{
    if (limit <= 0)
        return std::optional<QList<CustomerListRow>>(QList<CustomerListRow>());
    const QString direction = ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    const QString like = QStringLiteral(" LIKE ? ESCAPE '\\'");
    QVariantList values;
    // The walk: ids and the four searched columns, straight from the index.
    QString ids
        = QStringLiteral("SELECT w.id FROM (SELECT c.id, c.company_name AS a, c.domain AS b, "
                         "c.contact_name AS n, c.contact_email AS e FROM customers c INDEXED BY "
                         "customers_company_search_idx WHERE c.archived_at IS NULL");
    if (key)
        ids += keyPredicate(CustomerSort::Company, ascending, *key, Dialect::SQLite, values);
    ids += QStringLiteral(" ORDER BY c.company_name COLLATE NOCASE") + direction
        + QStringLiteral(", c.id") + direction + QStringLiteral(" LIMIT ?) w WHERE w.a") + like
        + QStringLiteral(" OR w.b") + like + QStringLiteral(" OR w.n") + like
        + QStringLiteral(" OR w.e") + like + QStringLiteral(" LIMIT ?");
    const QString pattern = CustomerSearch::containsPattern(query.search.trimmed());
    values << CustomerSearch::WalkBudget << pattern << pattern << pattern << pattern << limit;
    QString sql = listSelect(query.sort, Dialect::SQLite, CustomerSearch::Method::Index,
        QStringLiteral(" FROM (") + ids + QStringLiteral(") m JOIN customers c ON c.id = m.id"));
    sql += whereClause(
        withoutSearch(query), Dialect::SQLite, values, CustomerSearch::Method::Index);
    sql += QStringLiteral(" ORDER BY ") + orderTerms(query.sort, ascending, Dialect::SQLite)
        + QStringLiteral(" LIMIT ?");
    values << limit;
    Result<QList<CustomerListRow>> rows = readListRows(db, sql, values);
    if (!rows)
        return fail(rows.error());
    if (rows->size() < limit)
        return std::optional<QList<CustomerListRow>>();
    return std::optional<QList<CustomerListRow>>(std::move(*rows));
}

QString whereClause(const CustomerQuery &query, Dialect dialect, QVariantList &values,
    CustomerSearch::Method method)
{
    QString where = QStringLiteral(" WHERE c.archived_at IS NULL");
    switch (query.scope) {
    case CustomerQuery::Scope::All:
        break;
    case CustomerQuery::Scope::Reseller:
        // The customers with an open assignment to the reseller (a reseller
        // that sees every customer became Scope::All in resolveScope()).
        // As IN, the database can start from the reseller's assignments
        // instead of testing every customer in the sort order.
        where += QStringLiteral(" AND c.id IN (SELECT sa.customer_id FROM customer_assignments sa"
                                " WHERE sa.reseller_id = ? AND sa.ended_at IS NULL)");
        values << query.scopeId;
        break;
    case CustomerQuery::Scope::Customer:
        where += QStringLiteral(" AND c.id = ?");
        values << query.scopeId;
        break;
    }
    if (query.resellerFilter) {
        if (*query.resellerFilter == 0) {
            where += QStringLiteral(" AND c.owner_reseller_id IS NULL");
        } else {
            where += QStringLiteral(
                " AND EXISTS (SELECT 1 FROM customer_assignments fa WHERE fa.customer_id = c.id"
                " AND fa.reseller_id = ? AND fa.ended_at IS NULL)");
            values << *query.resellerFilter;
        }
    }
    switch (query.status) {
    case CustomerStatusFilter::Any:
        break;
    case CustomerStatusFilter::Trial:
        where += QStringLiteral(
            " AND c.billing_status = 'trial' AND c.active = ? AND c.trial_ends_at > ?");
        values << true << SqlValues::time(query.now);
        break;
    case CustomerStatusFilter::TrialExpired:
        where += QStringLiteral(
            " AND c.billing_status = 'trial' AND c.active = ? AND c.trial_ends_at <= ?");
        values << true << SqlValues::time(query.now);
        break;
    case CustomerStatusFilter::Active:
        where += QStringLiteral(" AND c.billing_status = 'paid' AND c.active = ?");
        values << true;
        break;
    case CustomerStatusFilter::Inactive:
        where += QStringLiteral(" AND c.active = ?");
        values << false;
        break;
    }
    if (query.planFilter > 0) {
        where += QStringLiteral(" AND c.plan_id = ?");
        values << query.planFilter;
    }
    // Indexed: FTS5 trigram (SQLite) or pg_trgm (PostgreSQL); see CustomerSearch.
    where += CustomerSearch::whereClause(query.search, dialect, values, method);
    return where;
}

} // namespace

CustomerRepository::CustomerRepository(Database &db)
    : m_db(db)
{ }

Result<qint64> CustomerRepository::insert(const CustomerRow &c)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("INSERT INTO customers (") + EditableColumns
        + QStringLiteral(", created_at, created_by) VALUES (?, ?, ?, "
                         "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id"));
    if (!q)
        return fail(q.error());
    bindEditable(*q, c);
    q->addBindValue(SqlValues::time(c.createdAt));
    q->addBindValue(SqlValues::id(c.createdBy));
    if (Status done = m_db.exec(*q, tr("saving the customer")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<CustomerRow> CustomerRepository::find(qint64 id) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id, company_name, domain, contact_name, contact_email, contact_phone, plan_id, "
        "price_list_id, owner_reseller_id, primary_user_id, billing_status, trial_ends_at, "
        "trial_budget, converted_at, converted_by, active, no_email, created_at, created_by, "
        "updated_at, version FROM customers WHERE id = ? AND archived_at IS NULL"));
    if (!q)
        return fail(q.error());
    q->addBindValue(id);
    if (Status done = m_db.exec(*q, tr("reading a customer")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The customer no longer exists."));
    CustomerRow c;
    c.id = q->value(0).toLongLong();
    c.companyName = q->value(1).toString();
    c.domain = q->value(2).toString();
    c.contactName = q->value(3).toString();
    c.contactEmail = q->value(4).toString();
    c.contactPhone = q->value(5).toString();
    c.planId = q->value(6).toLongLong();
    c.priceListId = q->value(7).toLongLong();
    c.ownerResellerId = SqlValues::toId(q->value(8));
    c.primaryUserId = SqlValues::toId(q->value(9));
    c.billingStatus = q->value(10).toString() == QLatin1String("paid") ? BillingStatus::Paid
                                                                       : BillingStatus::Trial;
    c.trialEndsAt = SqlValues::toTime(q->value(11));
    c.trialBudget = q->value(12).toInt();
    c.convertedAt = SqlValues::toTime(q->value(13));
    c.convertedBy = SqlValues::toId(q->value(14));
    c.active = q->value(15).toBool();
    c.noEmail = q->value(16).toBool();
    c.createdAt = SqlValues::toTime(q->value(17));
    c.createdBy = SqlValues::toId(q->value(18));
    c.updatedAt = SqlValues::toTime(q->value(19));
    c.version = q->value(20).toInt();
    return c;
}

Result<int> CustomerRepository::update(const CustomerRow &c)
{
    QString assignments;
    for (const QString &column : EditableColumns.split(QStringLiteral(", ")))
        assignments += column + QStringLiteral(" = ?, ");
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("UPDATE customers SET ") + assignments
        + QStringLiteral(
            "converted_at = ?, converted_by = ?, updated_at = ?, version = version + 1 "
            "WHERE id = ? AND version = ? AND archived_at IS NULL RETURNING version"));
    if (!q)
        return fail(q.error());
    bindEditable(*q, c);
    q->addBindValue(SqlValues::time(c.convertedAt));
    q->addBindValue(SqlValues::id(c.convertedBy));
    q->addBindValue(SqlValues::time(c.updatedAt));
    q->addBindValue(c.id);
    q->addBindValue(c.version);
    if (Status done = m_db.exec(*q, tr("saving the customer")); !done)
        return fail(done.error());
    if (q->next())
        return q->value(0).toInt();
    // Nothing updated: gone, or changed since it was read.
    if (Result<CustomerRow> current = find(c.id); !current)
        return fail(current.error());
    return fail(ErrorCode::Conflict,
        tr("%1 was changed by someone else. Reload it and make your change again.")
            .arg(c.companyName));
}

Result<int> CustomerRepository::archive(qint64 id, int expectedVersion, const QDateTime &at)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "UPDATE customers SET archived_at = ?, updated_at = ?, version = version + 1 "
        "WHERE id = ? AND version = ? AND archived_at IS NULL RETURNING version"));
    if (!q)
        return fail(q.error());
    q->addBindValue(SqlValues::time(at));
    q->addBindValue(SqlValues::time(at));
    q->addBindValue(id);
    q->addBindValue(expectedVersion);
    if (Status done = m_db.exec(*q, tr("archiving the customer")); !done)
        return fail(done.error());
    if (q->next())
        return q->value(0).toInt();
    if (Result<CustomerRow> current = find(id); !current)
        return fail(current.error());
    return fail(ErrorCode::Conflict,
        tr("The customer was changed by someone else. Reload it and try again."));
}

Result<QList<qint64>> CustomerRepository::idsWithDomain(
    const QString &domain, qint64 exceptId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id FROM customers WHERE domain = ? AND id <> ? AND archived_at IS NULL "
        "ORDER BY id LIMIT 20"));
    if (!q)
        return fail(q.error());
    q->addBindValue(domain);
    q->addBindValue(exceptId);
    if (Status done = m_db.exec(*q, tr("checking the domain")); !done)
        return fail(done.error());
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    return ids;
}

Result<QList<CustomerListRow>> CustomerRepository::page(const CustomerQuery &requested) const
{
    Result<CustomerQuery> resolved = resolveScope(requested);
    if (!resolved)
        return fail(resolved.error());
    const CustomerQuery &query = *resolved;
    Result<CustomerSearch::Method> method
        = CustomerSearch::methodFor(m_db, query.search, walkOf(query));
    if (!method)
        return fail(method.error());
    QVariantList values;
    QString sql;
    if (searchesNarrow(query, m_db.dialect(), *method)) {
        sql = listSelect(query.sort, m_db.dialect(), *method,
            searchTableFrom(query, m_db.dialect(), query.ascending, std::nullopt, *method,
                qint64(qMax(0, query.limit)) + qMax(0, query.offset), values));
        sql += whereClause(withoutSearch(query), m_db.dialect(), values);
    } else {
        sql = listSelect(query.sort, m_db.dialect(), *method)
            + whereClause(query, m_db.dialect(), values, *method);
    }
    sql += QStringLiteral(" ORDER BY ") + orderTerms(query.sort, query.ascending, m_db.dialect())
        + QStringLiteral(" LIMIT ? OFFSET ?");
    values << qMax(0, query.limit) << qMax(0, query.offset);
    return readListRows(m_db, sql, values);
}

Result<CustomerQuery> CustomerRepository::resolveScope(CustomerQuery query) const
{
    if (query.scope != CustomerQuery::Scope::Reseller)
        return query;
    Result<QSqlQuery> q = m_db.prepare(
        QStringLiteral("SELECT 1 FROM resellers WHERE id = ? AND customer_scope = 'all'"));
    if (!q)
        return fail(q.error());
    q->addBindValue(query.scopeId);
    if (Status done = m_db.exec(*q, tr("reading the customers in scope")); !done)
        return fail(done.error());
    if (q->next()) {
        query.scope = CustomerQuery::Scope::All;
        query.scopeId = 0;
    }
    return query;
}

Result<std::optional<qint64>> CustomerRepository::keptCount(const CustomerQuery &query) const
{
    if (!query.search.trimmed().isEmpty() || query.status != CustomerStatusFilter::Any
        || query.planFilter > 0 || query.scope == CustomerQuery::Scope::Customer)
        return std::optional<qint64>();

    // The query is resolved (resolveScope): a reseller that sees every
    // customer is Scope::All.
    const bool everyCustomer = query.scope == CustomerQuery::Scope::All;

    qint64 counter = 0;    // customer_counts.key: 0 every live customer, -1 direct ones
    qint64 assignedTo = 0; // or: the live customers with an open assignment to this reseller
    if (everyCustomer) {
        if (!query.resellerFilter)
            counter = 0;
        else if (*query.resellerFilter == 0)
            counter = -1;
        else
            assignedTo = *query.resellerFilter;
    } else if (!query.resellerFilter || *query.resellerFilter == query.scopeId) {
        assignedTo = query.scopeId;
    } else {
        return std::optional<qint64>();
    }

    Result<QSqlQuery> q = assignedTo > 0
        ? m_db.prepare(QStringLiteral(
            "SELECT count(*) FROM customer_assignments a JOIN customers c ON c.id = a.customer_id "
            "WHERE a.reseller_id = ? AND a.ended_at IS NULL AND c.archived_at IS NULL"))
        : m_db.prepare(QStringLiteral("SELECT n FROM customer_counts WHERE key = ?"));
    if (!q)
        return fail(q.error());
    q->addBindValue(assignedTo > 0 ? assignedTo : counter);
    if (Status done = m_db.exec(*q, tr("counting customers")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<qint64>();
    return std::optional<qint64>(q->value(0).toLongLong());
}

Result<qint64> CustomerRepository::count(const CustomerQuery &requested) const
{
    Result<CustomerQuery> resolved = resolveScope(requested);
    if (!resolved)
        return fail(resolved.error());
    const CustomerQuery &query = *resolved;
    // Kept by migration 4's triggers, or from one reseller's assignments:
    // no pass over every customer for the unfiltered views.
    Result<std::optional<qint64>> kept = keptCount(query);
    if (!kept)
        return fail(kept.error());
    if (kept->has_value())
        return **kept;
    if (query.scope == CustomerQuery::Scope::All && !query.resellerFilter
        && query.status == CustomerStatusFilter::Any && query.planFilter == 0) {
        Result<std::optional<qint64>> matches = CustomerSearch::countAll(m_db, query.search);
        if (!matches)
            return fail(matches.error());
        if (matches->has_value())
            return **matches;
    }

    QVariantList values;
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT count(*) FROM customers c")
        + whereClause(query, m_db.dialect(), values));
    if (!q)
        return fail(q.error());
    for (const QVariant &value : values)
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("counting customers")); !done)
        return fail(done.error());
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<CustomerListRow>> CustomerRepository::pageAfter(
    const CustomerQuery &requested, const std::optional<CustomerKey> &after, int limit) const
{
    Result<CustomerQuery> resolved = resolveScope(requested);
    if (!resolved)
        return fail(resolved.error());
    const CustomerQuery &query = *resolved;
    CustomerSearch::Walk walk = walkFrom(query, m_db.dialect(), query.ascending, after);
    walk.probe = false;
    Result<CustomerSearch::Method> method = CustomerSearch::methodFor(m_db, query.search, walk);
    if (!method)
        return fail(method.error());
    if (m_db.dialect() == Dialect::SQLite && *method == CustomerSearch::Method::Scan) {
        Result<std::optional<QList<CustomerListRow>>> walked
            = walkedPage(m_db, query, query.ascending, after, limit);
        if (!walked)
            return fail(walked.error());
        if (*walked)
            return std::move(**walked);
        *method = CustomerSearch::Method::Index;
    }
    QVariantList values;
    QString sql;
    if (searchesNarrow(query, m_db.dialect(), *method)) {
        sql = listSelect(query.sort, m_db.dialect(), *method,
            searchTableFrom(query, m_db.dialect(), query.ascending, after, *method, limit, values));
        sql += whereClause(withoutSearch(query), m_db.dialect(), values);
    } else {
        sql = listSelect(query.sort, m_db.dialect(), *method)
            + whereClause(query, m_db.dialect(), values, *method);
        if (after)
            sql += keyPredicate(query.sort, query.ascending, *after, m_db.dialect(), values);
    }
    sql += QStringLiteral(" ORDER BY ") + orderTerms(query.sort, query.ascending, m_db.dialect())
        + QStringLiteral(" LIMIT ?");
    values << qMax(0, limit);
    return readListRows(m_db, sql, values);
}

Result<QList<CustomerListRow>> CustomerRepository::pageBefore(
    const CustomerQuery &requested, const std::optional<CustomerKey> &before, int limit) const
{
    Result<CustomerQuery> resolved = resolveScope(requested);
    if (!resolved)
        return fail(resolved.error());
    const CustomerQuery &query = *resolved;
    // The reverse order from `before` (or from the end), turned around.
    CustomerSearch::Walk walk = walkFrom(query, m_db.dialect(), !query.ascending, before);
    walk.probe = false;
    Result<CustomerSearch::Method> method = CustomerSearch::methodFor(m_db, query.search, walk);
    if (!method)
        return fail(method.error());
    if (m_db.dialect() == Dialect::SQLite && *method == CustomerSearch::Method::Scan) {
        Result<std::optional<QList<CustomerListRow>>> walked
            = walkedPage(m_db, query, !query.ascending, before, limit);
        if (!walked)
            return fail(walked.error());
        if (*walked) {
            std::reverse((*walked)->begin(), (*walked)->end());
            return std::move(**walked);
        }
        *method = CustomerSearch::Method::Index;
    }
    QVariantList values;
    QString sql;
    if (searchesNarrow(query, m_db.dialect(), *method)) {
        sql = listSelect(query.sort, m_db.dialect(), *method,
            searchTableFrom(
                query, m_db.dialect(), !query.ascending, before, *method, limit, values));
        sql += whereClause(withoutSearch(query), m_db.dialect(), values);
    } else {
        sql = listSelect(query.sort, m_db.dialect(), *method)
            + whereClause(query, m_db.dialect(), values, *method);
        if (before)
            sql += keyPredicate(query.sort, !query.ascending, *before, m_db.dialect(), values);
    }
    sql += QStringLiteral(" ORDER BY ") + orderTerms(query.sort, !query.ascending, m_db.dialect())
        + QStringLiteral(" LIMIT ?");
    values << qMax(0, limit);
    Result<QList<CustomerListRow>> rows = readListRows(m_db, sql, values);
    if (rows)
        std::reverse(rows->begin(), rows->end());
    return rows;
}

Result<std::optional<qint64>> CustomerRepository::position(
    const CustomerQuery &requested, qint64 customerId) const
{
    Result<CustomerQuery> resolved = resolveScope(requested);
    if (!resolved)
        return fail(resolved.error());
    const CustomerQuery &query = *resolved;
    // The customer's key, if the query includes it at all.
    QVariantList values;
    const QString joins = sortJoins(query.sort);
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT ")
        + sortExpression(query.sort, m_db.dialect()) + QStringLiteral(" FROM customers c") + joins
        + whereClause(query, m_db.dialect(), values) + QStringLiteral(" AND c.id = ?"));
    if (!q)
        return fail(q.error());
    values << customerId;
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("finding a customer in the list")); !done)
        return fail(done.error());
    if (!q->next())
        return std::optional<qint64>();
    const CustomerKey key {q->value(0), customerId};

    // The rows before it: those after it in the reverse order.
    Result<CustomerSearch::Method> method
        = CustomerSearch::methodFor(m_db, query.search, walkOf(query));
    if (!method)
        return fail(method.error());
    values.clear();
    // One statement each: both append to `values`, in the order of their
    // placeholders (the operands of + are not sequenced).
    QString sql;
    if (searchesTable(query, m_db.dialect())) {
        sql = QStringLiteral("SELECT count(*) FROM customer_search s WHERE ");
        sql += CustomerSearch::searchTableMatch(query.search, QStringLiteral("s"), values);
        sql += searchKeyPredicate(!query.ascending, key, values);
    } else {
        sql = QStringLiteral("SELECT count(*)")
            + CustomerSearch::customersFrom(m_db.dialect(), *method) + joins
            + whereClause(query, m_db.dialect(), values, *method);
        sql += keyPredicate(query.sort, !query.ascending, key, m_db.dialect(), values);
    }
    Result<QSqlQuery> c = m_db.prepare(sql);
    if (!c)
        return fail(c.error());
    for (const QVariant &value : std::as_const(values))
        c->addBindValue(value);
    if (Status done = m_db.exec(*c, tr("finding a customer in the list")); !done)
        return fail(done.error());
    c->next();
    return std::optional<qint64>(c->value(0).toLongLong());
}

Result<QList<CustomerKey>> CustomerRepository::anchorKeys(const CustomerQuery &requested,
    const std::optional<CustomerKey> &after, int rows, int every) const
{
    Result<CustomerQuery> resolved = resolveScope(requested);
    if (!resolved)
        return fail(resolved.error());
    const CustomerQuery &query = *resolved;
    Result<CustomerSearch::Method> method = CustomerSearch::methodFor(
        m_db, query.search, walkFrom(query, m_db.dialect(), query.ascending, after));
    if (!method)
        return fail(method.error());
    // The inner query walks `rows` keys from `after` along the (col, id)
    // index like pageAfter(); the window numbers them and only every
    // `every`-th key leaves the database.
    QVariantList values;
    QString inner;
    if (searchesNarrow(query, m_db.dialect(), *method)) {
        inner = searchTableIds(query, m_db.dialect(), query.ascending, after, *method, values)
            + QStringLiteral(" LIMIT ?");
    } else {
        inner = QStringLiteral("SELECT ") + sortExpression(query.sort, m_db.dialect())
            + QStringLiteral(" AS k, c.id AS id")
            + CustomerSearch::customersFrom(m_db.dialect(), *method) + sortJoins(query.sort)
            + whereClause(query, m_db.dialect(), values, *method);
        if (after)
            inner += keyPredicate(query.sort, query.ascending, *after, m_db.dialect(), values);
        inner += QStringLiteral(" ORDER BY ")
            + orderTerms(query.sort, query.ascending, m_db.dialect()) + QStringLiteral(" LIMIT ?");
    }
    values << qMax(0, rows) << qMax(1, every);
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral("SELECT w.k, w.id FROM (SELECT s.k, s.id, "
                                                      "row_number() OVER (ORDER BY ")
        + subqueryOrderTerms(query.sort, query.ascending, m_db.dialect())
        + QStringLiteral(") AS rn FROM (") + inner
        + QStringLiteral(") s) w WHERE w.rn % ? = 0 ORDER BY w.rn"));
    if (!q)
        return fail(q.error());
    q->setForwardOnly(true);
    for (const QVariant &value : std::as_const(values))
        q->addBindValue(value);
    if (Status done = m_db.exec(*q, tr("reading the customer list's jump points")); !done)
        return fail(done.error());
    QList<CustomerKey> keys;
    while (q->next())
        keys.append(CustomerKey {q->value(0), q->value(1).toLongLong()});
    return keys;
}

Result<qint64> CustomerRepository::insertAssignment(const AssignmentRow &a)
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "INSERT INTO customer_assignments (customer_id, reseller_id, kind, assigned_at, "
        "assigned_by, ended_at, ended_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(a.customerId);
    q->addBindValue(a.resellerId);
    q->addBindValue(kindKey(a.kind));
    q->addBindValue(SqlValues::time(a.assignedAt));
    q->addBindValue(SqlValues::id(a.assignedBy));
    q->addBindValue(SqlValues::time(a.endedAt));
    q->addBindValue(SqlValues::id(a.endedBy));
    if (Status done = m_db.exec(*q, tr("saving the assignment")); !done) {
        if (done.error().code() == ErrorCode::Duplicate) {
            return fail(ErrorCode::Duplicate,
                tr("The customer is already assigned to this reseller, or already has an "
                   "owner."),
                {}, done.error().detail());
        }
        return fail(done.error());
    }
    q->next();
    return q->value(0).toLongLong();
}

Result<QList<AssignmentRow>> CustomerRepository::assignments(qint64 customerId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT id, customer_id, reseller_id, kind, assigned_at, assigned_by, ended_at, ended_by, "
        "version FROM customer_assignments WHERE customer_id = ? ORDER BY assigned_at, id"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    if (Status done = m_db.exec(*q, tr("reading assignments")); !done)
        return fail(done.error());
    QList<AssignmentRow> rows;
    while (q->next()) {
        AssignmentRow a;
        a.id = q->value(0).toLongLong();
        a.customerId = q->value(1).toLongLong();
        a.resellerId = q->value(2).toLongLong();
        a.kind = q->value(3).toString() == QLatin1String("owner") ? AssignmentKind::Owner
                                                                  : AssignmentKind::Additional;
        a.assignedAt = SqlValues::toTime(q->value(4));
        a.assignedBy = SqlValues::toId(q->value(5));
        a.endedAt = SqlValues::toTime(q->value(6));
        a.endedBy = SqlValues::toId(q->value(7));
        a.version = q->value(8).toInt();
        rows.append(a);
    }
    return rows;
}

Result<QList<AssignmentHistoryRow>> CustomerRepository::assignmentHistory(qint64 customerId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT a.reseller_id, r.name, a.kind, a.assigned_at, ub.display_name, a.ended_at, "
        "ue.display_name FROM customer_assignments a "
        "JOIN resellers r ON r.id = a.reseller_id "
        "LEFT JOIN users ub ON ub.id = a.assigned_by "
        "LEFT JOIN users ue ON ue.id = a.ended_by "
        "WHERE a.customer_id = ? ORDER BY a.assigned_at DESC, a.id DESC"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    if (Status done = m_db.exec(*q, tr("reading the assignment history")); !done)
        return fail(done.error());
    QList<AssignmentHistoryRow> rows;
    while (q->next()) {
        AssignmentHistoryRow a;
        a.resellerId = q->value(0).toLongLong();
        a.resellerName = q->value(1).toString();
        a.kind = q->value(2).toString() == QLatin1String("owner") ? AssignmentKind::Owner
                                                                  : AssignmentKind::Additional;
        a.assignedAt = SqlValues::toTime(q->value(3));
        a.assignedByName = q->value(4).toString();
        a.endedAt = SqlValues::toTime(q->value(5));
        a.endedByName = q->value(6).toString();
        rows.append(a);
    }
    return rows;
}

Result<CustomerLabels> CustomerRepository::labels(qint64 customerId) const
{
    Result<QSqlQuery> q = m_db.prepare(QStringLiteral(
        "SELECT r.name, p.name, p.monthly_budget, pl.name, pl.currency, i.monthly_price "
        "FROM customers c JOIN plans p ON p.id = c.plan_id "
        "JOIN price_lists pl ON pl.id = c.price_list_id "
        "LEFT JOIN resellers r ON r.id = c.owner_reseller_id "
        "LEFT JOIN price_list_items i ON i.price_list_id = c.price_list_id "
        "AND i.plan_id = c.plan_id "
        "WHERE c.id = ? AND c.archived_at IS NULL"));
    if (!q)
        return fail(q.error());
    q->addBindValue(customerId);
    if (Status done = m_db.exec(*q, tr("reading a customer")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, tr("The customer no longer exists."));
    CustomerLabels labels;
    labels.ownerResellerName = q->value(0).toString();
    labels.planName = q->value(1).toString();
    labels.planMonthlyBudget = q->value(2).toInt();
    labels.priceListName = q->value(3).toString();
    labels.priceListCurrency = q->value(4).toString();
    if (!q->value(5).isNull())
        labels.monthlyPriceMinor = q->value(5).toLongLong();
    return labels;
}

} // namespace rd
