#pragma once

#include <QString>
#include <QVariantList>

#include "storage/ConnectionProfile.h"

namespace rd {

// What a typed search term finds among customers, as SQL over the customers
// table aliased "c", backed by the search index of migration 3:
// - 3 or more characters: company, domain, contact name or contact email
//   contains the term, ignoring case (SQLite: the FTS5 trigram table
//   customer_search; PostgreSQL: pg_trgm GIN indexes on lower(column));
// - 1-2 characters (too short for a trigram): one of the four starts with
//   the term, ignoring case (SQLite: the COLLATE NOCASE indexes, and a range
//   on the lower-case domain; PostgreSQL: the same trigram indexes).
// The term is always a bound value; LIKE wildcards and FTS5 syntax in it are
// taken literally.
class CustomerSearch final
{
public:
    // Terms at least this long (in characters) use the trigram index.
    static constexpr int MinIndexedLength = 3;

    // " AND (…)" to append to a WHERE clause, its values appended to values
    // in order; empty for a blank term. The term is trimmed here.
    static QString whereClause(const QString &term, Dialect dialect, QVariantList &values);

    // The term as an FTS5 string: in double quotes, inner quotes doubled, so
    // OR, NEAR, *, ^, : and parentheses are text, not query syntax.
    static QString ftsPhrase(const QString &term);
    // LIKE patterns with the term's \, % and _ escaped (ESCAPE '\').
    static QString containsPattern(const QString &term);
    static QString prefixPattern(const QString &term);
    // Whether the trimmed term is long enough for the trigram index.
    static bool usesIndex(const QString &term);
};

} // namespace rd
