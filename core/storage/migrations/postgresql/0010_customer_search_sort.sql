-- ResellerDesk schema, migration 10 (PostgreSQL): nothing to do.
--
-- SQLite gets an index of (id, company name) so a search's matches are
-- sorted without reading their customers rows. PostgreSQL sorts them in
-- customer_search (migration 9), which holds the company key already. The
-- migration exists so both dialects share one schema version.
SELECT 1;
