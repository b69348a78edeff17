#include "storage/CustomerSearch.h"

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
// instead of a full scan.
QString sqlitePrefix(const QString &term, QVariantList &values)
{
    const QString like = QStringLiteral(" LIKE ? ESCAPE '\\'");
    const QString pattern = CustomerSearch::prefixPattern(term);
    // Above every character a domain can continue with.
    static const QString highest = QString::fromUcs4(U"\U0010FFFF", 1);
    const QString lower = term.toLower();
    const QString upper = lower + highest;
    values << pattern << lower << upper << pattern << pattern;
    return QStringLiteral(" AND (c.company_name") + like
        + QStringLiteral(" OR (c.domain >= ? AND c.domain < ?) OR c.contact_name") + like
        + QStringLiteral(" OR c.contact_email") + like + QLatin1Char(')');
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

} // namespace

QString CustomerSearch::whereClause(const QString &term, Dialect dialect, QVariantList &values)
{
    const QString trimmed = term.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (dialect == Dialect::PostgreSQL)
        return postgresLike(
            usesIndex(trimmed) ? containsPattern(trimmed) : prefixPattern(trimmed), values);
    if (!usesIndex(trimmed))
        return sqlitePrefix(trimmed, values);
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

bool CustomerSearch::usesIndex(const QString &term)
{
    return characterCount(term.trimmed()) >= MinIndexedLength;
}

} // namespace rd
