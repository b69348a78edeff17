-- ResellerDesk schema, migration 6 (PostgreSQL): nothing to do.
--
-- SQLite gets a covering index for the walk of common search terms
-- (CustomerSearch::Method::Scan); PostgreSQL does not walk: its planner
-- chooses between the pg_trgm indexes and the sort index by cost. The
-- migration exists so both dialects share one schema version.
SELECT 1;
