-- ResellerDesk schema, migration 8 (SQLite): nothing to do.
--
-- PostgreSQL's counters move from row to statement triggers: there, many
-- updates of one counter row in one transaction pile up row versions that
-- each next update walks. SQLite updates the row in place, so its row
-- triggers stay. The migration exists so both dialects share one schema
-- version.
SELECT 1;
