-- ResellerDesk schema, migration 9 (SQLite): nothing to do.
--
-- PostgreSQL gets a narrow search table (customer_search) kept by triggers,
-- so a common term is counted and sorted without reading the wide customers
-- rows. SQLite's FTS5 index of migration 3 already counts from the index
-- alone. The migration exists so both dialects share one schema version.
SELECT 1;
