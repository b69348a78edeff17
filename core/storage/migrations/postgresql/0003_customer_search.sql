-- ResellerDesk schema, migration 3 (PostgreSQL): customer search that stays
-- fast at a million customers (issue 7).
--
-- pg_trgm GIN indexes on lower() of each searched column. CustomerSearch
-- queries lower(c.<column>) LIKE lower(?) with exactly these expressions, so
-- the planner combines the four indexes (BitmapOr) for '%term%' (3 or more
-- characters) and for the 'te%' prefix of 1-2 character terms. lower()
-- folds Unicode case under the database's ctype; accents still count.
-- One index per column rather than one over a concatenation: a concatenated
-- text would let a term match across two columns, which LIKE never did.
-- The indexes are maintained by PostgreSQL itself: no triggers.
--
-- pg_trgm ships with postgresql-contrib. It is a trusted extension
-- (PostgreSQL 13+): the owner of the database, or any role with CREATE on
-- it, can create it; on a shared server where the app's role lacks that
-- privilege, an administrator runs this statement once beforehand.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX customers_company_trgm_idx ON customers USING gin (lower(company_name) gin_trgm_ops);
CREATE INDEX customers_domain_trgm_idx ON customers USING gin (lower(domain) gin_trgm_ops);
CREATE INDEX customers_contact_name_trgm_idx ON customers
    USING gin (lower(contact_name) gin_trgm_ops);
CREATE INDEX customers_contact_email_trgm_idx ON customers
    USING gin (lower(contact_email) gin_trgm_ops);
