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
        // few of them. PostgreSQL, a list in company order with no other
        // filter: the matches from customer_search (migration 9), sorted
        // there by its company key; only the page's rows are read from
        // customers.
        Index,
        // SQLite, a term found in many rows, a list in company order with no
        // other filter: walk the covering index customers_company_search_idx
        // (migration 6) and test each row (LIKE on the four columns) until
        // the page is full. Collecting 20,000-80,000 matches to sort them
        // costs 60-300 ms at 1M customers; the walk meets a page of them
        // within a few thousand index entries. Only for ASCII terms, where
        // LIKE folds case exactly as the trigram index does.
        // PostgreSQL, the same list: walk customer_search in company order
        // (customer_search_company_idx) and test each row's one text.
        Scan,
    };

    // A term with at least this many matches in the index is "common".
    static constexpr int CommonMatches = 2000;
    // The walk probe: a common term is walked only when the first
    // WalkBudget rows of the list (about 10 ms of index) hold WalkPage of
    // its matches. A common term whose matches sit further down (all the
    // "Omni…" companies, in the middle of the alphabet) would make the walk
    // read half the table first.
    static constexpr int WalkBudget = 20000;
    static constexpr int WalkPage = 200;

    // What the method depends on besides the term.
    struct Walk
    {
        // The list runs in company order and nothing but the search filters
        // it (every live customer is in it), so walking the covering index
        // meets the matches at the term's own density.
        bool companyOrderUnfiltered = false;
        bool ascending = true;
        int budget = WalkBudget;
        // PostgreSQL: where the walk starts, the company key (lower-cased
        // name) and id of the row before it; null: at the start of the
        // list in this direction. A term dense at one end of the list and
        // sparse after it is walked only where it is dense.
        QVariant fromKey;
        qint64 fromId = 0;
        // SQLite: probe the walk before choosing it. Off, a common ASCII
        // term gets Scan at once and the caller walks at most `budget` rows
        // for its page, falling back to Index when they do not hold it
        // (CustomerRepository::pageAfter/pageBefore): one walk, not two.
        bool probe = true;
    };

    // The method for a page of this term: Scan for a common ASCII term of 3
    // or more characters on SQLite (a probe of the index that stops at
    // CommonMatches matches, about a millisecond) when the walk is possible
    // and the walk probe finds a page of matches within its budget, else
    // Index. PostgreSQL: when usesSearchTable() and the walk is possible,
    // the walk probe alone (over customer_search, a few milliseconds)
    // decides; its planner would otherwise walk the sort index for a term it
    // thinks common wherever its matches sit (6 s for "omni" at 1M).
    static Result<Method> methodFor(const Database &db, const QString &term, const Walk &walk);
    // " FROM customers c", naming the covering index for a walk (SQLite's
    // planner prefers the narrower customers_company_idx, which makes the
    // walk read every row from the table).
    static QString customersFrom(Dialect dialect, Method method);
    // " AND (…)" to append to a WHERE clause, its values appended to values
    // in order; empty for a blank term. The term is trimmed here. Both
    // methods select the same rows.
    static QString whereClause(
        const QString &term, Dialect dialect, QVariantList &values, Method method = Method::Index);

    // How many live customers match when nothing else filters the list, in
    // place of reading every match's customers row. SQLite, a term of 3 or
    // more characters: the index's count less its archived matches (a
    // partial index of the few archived customers). PostgreSQL, when
    // usesSearchTable(): the matching rows of customer_search (live
    // customers only). Nothing for other terms.
    static Result<std::optional<qint64>> countAll(const Database &db, const QString &term);

    // PostgreSQL: whether the term is searched in customer_search (migration
    // 9) when a list allows it: not blank and free of its column separator
    // U+001F (such a term could match across two columns there, so it is
    // searched the old way, in the four columns).
    static bool usesSearchTable(const QString &term);
    // PostgreSQL: the condition on customer_search's text (the table aliased
    // `alias`) that selects exactly the rows whereClause() selects, its
    // values appended to values; the term trimmed here. Only for
    // usesSearchTable() terms.
    static QString searchTableMatch(
        const QString &term, const QString &alias, QVariantList &values);

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
