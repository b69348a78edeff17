#include "storage/CustomerSearch.h"

#include <algorithm>

#include <QSqlQuery>

#include "storage/Database.h"

namespace rd {

namespace {

QString escapeLike(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return escaped;
}

// Characters, not UTF-16 units: the trigram tokenizer counts code points.
qsizetype characterCount(const QString &text)
{
    return text.toUcs4().size();
}

// SQLite. A prefix of the columns with a COLLATE NOCASE index (migration 1)
// uses LIKE 'te%', which SQLite turns into a range on that index (ASCII
// letters fold, as in LIKE). The domain is stored normalised to lower case
// with a plain index, so its prefix is an explicit range on the lower-cased
// term. Every branch is indexed, so the OR is answered by the four indexes
// instead of a full scan. The indexes are partial, on live customers
// (migration 4), and SQLite takes a partial index for one branch of an OR
// only when that branch itself says archived_at IS NULL, hence the repeat.
QString sqlitePrefix(const QString &term, QVariantList &values)
{
    const QString like = QStringLiteral(" LIKE ? ESCAPE '\\'");
    const QString pattern = CustomerSearch::prefixPattern(term);
    // Above every character a domain can continue with.
    static const QString highest = QString::fromUcs4(U"\U0010FFFF", 1);
    const QString lower = term.toLower();
    const QString upper = lower + highest;
    values << pattern << lower << upper << pattern << pattern;
    const QString live = QStringLiteral("c.archived_at IS NULL AND ");
    return QStringLiteral(" AND ((") + live + QStringLiteral("c.company_name") + like
        + QStringLiteral(") OR (") + live + QStringLiteral("c.domain >= ? AND c.domain < ?) OR (")
        + live + QStringLiteral("c.contact_name") + like + QStringLiteral(") OR (") + live
        + QStringLiteral("c.contact_email") + like + QStringLiteral("))");
}

// PostgreSQL. The expressions are exactly those of the pg_trgm indexes of
// migration 3 (lower(column)), for '%term%' and for 'te%' alike.
QString postgresLike(const QString &pattern, QVariantList &values)
{
    const QString like = QStringLiteral(") LIKE lower(?) ESCAPE '\\'");
    values << pattern << pattern << pattern << pattern;
    return QStringLiteral(" AND (lower(c.company_name") + like
        + QStringLiteral(" OR lower(c.domain") + like + QStringLiteral(" OR lower(c.contact_name")
        + like + QStringLiteral(" OR lower(c.contact_email") + like + QLatin1Char(')');
}

// SQLite's LIKE folds the case of ASCII letters only; the trigram index
// folds every letter. For an ASCII term the two agree.
bool isAscii(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
}

// PostgreSQL: whether the first walk.budget rows of customer_search in
// company order hold WalkPage matches.
Result<CustomerSearch::Method> postgresMethod(
    const Database &db, const QString &term, const CustomerSearch::Walk &walk)
{
    const QString direction = walk.ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    QVariantList values;
    QString from;
    if (!walk.fromKey.isNull()) {
        values << walk.fromKey << walk.fromKey << walk.fromId;
        from = walk.ascending
            ? QStringLiteral(" WHERE s.company_key >= ? AND (s.company_key > ? OR s.id > ?)")
            : QStringLiteral(" WHERE s.company_key <= ? AND (s.company_key < ? OR s.id < ?)");
    }
    values << std::max(1, walk.budget);
    const QString sql
        = QStringLiteral(
              "SELECT count(*) FROM (SELECT 1 FROM (SELECT s.text FROM customer_search s")
        + from + QStringLiteral(" ORDER BY s.company_key") + direction + QStringLiteral(", s.id")
        + direction + QStringLiteral(" LIMIT ?) w WHERE ")
        + CustomerSearch::searchTableMatch(term, QStringLiteral("w"), values)
        + QStringLiteral(" LIMIT ?) x");
    values << CustomerSearch::WalkPage;
    Result<QSqlQuery> probe = db.prepare(sql);
    if (!probe)
        return fail(probe.error());
    for (const QVariant &value : std::as_const(values))
        probe->addBindValue(value);
    if (Status done = db.exec(*probe, CustomerSearch::tr("searching customers")); !done)
        return fail(done.error());
    probe->next();
    return probe->value(0).toInt() >= CustomerSearch::WalkPage ? CustomerSearch::Method::Scan
                                                               : CustomerSearch::Method::Index;
}

// customer_search's separator of the four columns (migration 9).
constexpr char16_t SearchSeparator = 0x1f;

} // namespace

Result<CustomerSearch::Method> CustomerSearch::methodFor(
    const Database &db, const QString &term, const Walk &walk)
{
    const QString trimmed = term.trimmed();
    if (db.dialect() == Dialect::PostgreSQL) {
        if (!walk.companyOrderUnfiltered || !usesSearchTable(trimmed))
            return Method::Index;
        return postgresMethod(db, trimmed, walk);
    }
    if (db.dialect() != Dialect::SQLite || !walk.companyOrderUnfiltered || !usesIndex(trimmed)
        || !isAscii(trimmed))
        return Method::Index;
    Result<QSqlQuery> q = db.prepare(QStringLiteral(
        "SELECT count(*) FROM (SELECT rowid FROM customer_search WHERE customer_search MATCH ? "
        "LIMIT ?)"));
    if (!q)
        return fail(q.error());
    q->addBindValue(ftsPhrase(trimmed));
    q->addBindValue(CommonMatches);
    if (Status done = db.exec(*q, tr("searching customers")); !done)
        return fail(done.error());
    q->next();
    if (q->value(0).toInt() < CommonMatches)
        return Method::Index;
    q->finish();
    if (!walk.probe)
        return Method::Scan;

    // Common: are the matches met early in the walk?
    const QString direction = walk.ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    const QString like = QStringLiteral(" LIKE ? ESCAPE '\\'");
    Result<QSqlQuery> probe = db.prepare(
        QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM (SELECT c.company_name AS a, "
                       "c.domain AS b, c.contact_name AS n, c.contact_email AS e")
        + customersFrom(db.dialect(), Method::Scan)
        + QStringLiteral(" WHERE c.archived_at IS NULL ORDER BY c.company_name COLLATE NOCASE")
        + direction + QStringLiteral(", c.id") + direction + QStringLiteral(" LIMIT ?) w WHERE w.a")
        + like + QStringLiteral(" OR w.b") + like + QStringLiteral(" OR w.n") + like
        + QStringLiteral(" OR w.e") + like + QStringLiteral(" LIMIT ?)"));
    if (!probe)
        return fail(probe.error());
    const QString pattern = containsPattern(trimmed);
    probe->addBindValue(std::max(1, walk.budget));
    for (int i = 0; i < 4; ++i)
        probe->addBindValue(pattern);
    probe->addBindValue(WalkPage);
    if (Status done = db.exec(*probe, tr("searching customers")); !done)
        return fail(done.error());
    probe->next();
    return probe->value(0).toInt() >= WalkPage ? Method::Scan : Method::Index;
}

QString CustomerSearch::customersFrom(Dialect dialect, Method method)
{
    if (dialect == Dialect::SQLite && method == Method::Scan)
        return QStringLiteral(" FROM customers c INDEXED BY customers_company_search_idx");
    return QStringLiteral(" FROM customers c");
}

Result<std::optional<qint64>> CustomerSearch::countAll(const Database &db, const QString &term)
{
    const QString trimmed = term.trimmed();
    if (db.dialect() == Dialect::PostgreSQL) {
        if (!usesSearchTable(trimmed))
            return std::optional<qint64>();
        QVariantList values;
        Result<QSqlQuery> q
            = db.prepare(QStringLiteral("SELECT count(*) FROM customer_search s WHERE ")
                + searchTableMatch(trimmed, QStringLiteral("s"), values));
        if (!q)
            return fail(q.error());
        for (const QVariant &value : std::as_const(values))
            q->addBindValue(value);
        if (Status done = db.exec(*q, tr("counting customers")); !done)
            return fail(done.error());
        q->next();
        return std::optional<qint64>(q->value(0).toLongLong());
    }
    if (db.dialect() != Dialect::SQLite || !usesIndex(trimmed))
        return std::optional<qint64>();
    Result<QSqlQuery> q = db.prepare(
        QStringLiteral("SELECT (SELECT count(*) FROM customer_search WHERE customer_search MATCH ?)"
                       " - (SELECT count(*) FROM customers c INDEXED BY customers_archived_idx"
                       " WHERE c.archived_at IS NOT NULL AND c.id IN"
                       " (SELECT rowid FROM customer_search WHERE customer_search MATCH ?))"));
    if (!q)
        return fail(q.error());
    q->addBindValue(ftsPhrase(trimmed));
    q->addBindValue(ftsPhrase(trimmed));
    if (Status done = db.exec(*q, tr("counting customers")); !done)
        return fail(done.error());
    q->next();
    return std::optional<qint64>(q->value(0).toLongLong());
}

QString CustomerSearch::whereClause(
    const QString &term, Dialect dialect, QVariantList &values, Method method)
{
    const QString trimmed = term.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (dialect == Dialect::PostgreSQL)
        return postgresLike(
            usesIndex(trimmed) ? containsPattern(trimmed) : prefixPattern(trimmed), values);
    if (!usesIndex(trimmed))
        return sqlitePrefix(trimmed, values);
    if (method == Method::Scan && isAscii(trimmed)) {
        const QString like = QStringLiteral(" LIKE ? ESCAPE '\\'");
        const QString pattern = containsPattern(trimmed);
        values << pattern << pattern << pattern << pattern;
        return QStringLiteral(" AND (c.company_name") + like + QStringLiteral(" OR c.domain") + like
            + QStringLiteral(" OR c.contact_name") + like + QStringLiteral(" OR c.contact_email")
            + like + QLatin1Char(')');
    }
    values << ftsPhrase(trimmed);
    return QStringLiteral(" AND c.id IN (SELECT rowid FROM customer_search "
                          "WHERE customer_search MATCH ?)");
}

QString CustomerSearch::ftsPhrase(const QString &term)
{
    QString quoted = term;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString CustomerSearch::containsPattern(const QString &term)
{
    return QLatin1Char('%') + escapeLike(term) + QLatin1Char('%');
}

QString CustomerSearch::prefixPattern(const QString &term)
{
    return escapeLike(term) + QLatin1Char('%');
}

bool CustomerSearch::usesSearchTable(const QString &term)
{
    const QString trimmed = term.trimmed();
    return !trimmed.isEmpty() && !trimmed.contains(QChar(SearchSeparator));
}

QString CustomerSearch::searchTableMatch(
    const QString &term, const QString &alias, QVariantList &values)
{
    const QString trimmed = term.trimmed();
    const QString like = alias + QStringLiteral(".text LIKE lower(?) ESCAPE '\\'");
    if (usesIndex(trimmed)) {
        values << containsPattern(trimmed);
        return like;
    }
    // The start of the text (the company) or of a column after it.
    values << prefixPattern(trimmed)
           << QString(QLatin1Char('%') + QChar(SearchSeparator) + prefixPattern(trimmed));
    return QLatin1Char('(') + like + QStringLiteral(" OR ") + like + QLatin1Char(')');
}

bool CustomerSearch::usesIndex(const QString &term)
{
    return characterCount(term.trimmed()) >= MinIndexedLength;
}

} // namespace rd
