#pragma once

#include <optional>

#include <QCoreApplication>
#include <QString>
#include <QVariantList>

#include "domain/Error.h"
#include "storage/ConnectionProfile.h"

namespace rd {

class Database;

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
    Q_DECLARE_TR_FUNCTIONS(CustomerSearch)

public:
    // Terms at least this long (in characters) use the trigram index.
    static constexpr int MinIndexedLength = 3;

    // How a page of matches is found.
    enum class Method {
        // The matches first (the index), then sorted: quick while there are
        // few of them.
        Index,
        // SQLite, a term found in many rows: walk the list's sort order and
        // test each row (LIKE on the four columns) until the page is full.
        // Collecting 20,000-80,000 matches to sort them costs 0.1-0.3 s at
        // 1M customers; the walk meets a page of them within a few thousand
        // rows. Only for ASCII terms, where LIKE folds case exactly as the
        // trigram index does.
        Scan,
    };
    // A term with at least this many matches in the index is "common".
    static constexpr int CommonMatches = 2000;

    // The method for a page of this term: Scan for a common ASCII term of 3
    // or more characters on SQLite (one probe of the index that stops at
    // CommonMatches matches, about a millisecond), else Index.
    static Result<Method> methodFor(const Database &db, const QString &term);

    // " AND (…)" to append to a WHERE clause, its values appended to values
    // in order; empty for a blank term. The term is trimmed here. Both
    // methods select the same rows.
    static QString whereClause(
        const QString &term, Dialect dialect, QVariantList &values, Method method = Method::Index);

    // SQLite: how many live customers match a term of 3 or more characters
    // when nothing else filters the list: the index's count less its
    // archived matches (a partial index of the few archived customers), in
    // place of reading every match's row. Nothing for other dialects and
    // terms.
    static Result<std::optional<qint64>> countAll(const Database &db, const QString &term);

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
