-- ResellerDesk schema, migration 4 (SQLite): counts and positions that stay
-- cheap at a million customers (issue 7).
--
-- 1. customer_counts keeps the two counts the customer table asks for on
--    every refresh when nothing filters it: every live (not archived)
--    customer (key 0) and the live direct accounts, without an owning
--    reseller (key -1). COUNT(*) over a million rows costs 0.15-0.2 s on
--    SQLite; reading one row costs nothing. The triggers below keep the
--    counts in the same transaction as the change, so a rolled-back write
--    leaves them right. Counts per reseller are not kept here: they come from
--    the open assignments of that reseller (an index of its own), which is
--    as large as the reseller, and a row per reseller would make two
--    transfers in opposite directions lock each other's counters.
-- 2. A partial index of the few archived customers, so the number of live
--    customers matching a search is the search index's count less its
--    archived matches (CustomerSearch::countAll), without reading the row
--    of every match.
-- 3. The sort indexes of the customer table become partial, on live
--    customers only. Every list query says archived_at IS NULL, so the
--    index alone answers "how many rows come before this one" and skips
--    an OFFSET without reading a table row per entry (measured at 1M: a row's
--    position 0.8 s -> 0.03 s of CPU, OFFSET 500,000 1 s -> 0.02 s).

CREATE TABLE customer_counts (
    key INTEGER PRIMARY KEY CHECK (key IN (0, -1)),
    n   INTEGER NOT NULL CHECK (n >= 0)
);

INSERT INTO customer_counts (key, n)
    SELECT 0, count(*) FROM customers WHERE archived_at IS NULL;
INSERT INTO customer_counts (key, n)
    SELECT -1, count(*) FROM customers WHERE archived_at IS NULL AND owner_reseller_id IS NULL;

CREATE TRIGGER customers_count_insert AFTER INSERT ON customers
WHEN NEW.archived_at IS NULL
BEGIN
    UPDATE customer_counts SET n = n + 1 WHERE key = 0;
    UPDATE customer_counts SET n = n + 1 WHERE key = -1 AND NEW.owner_reseller_id IS NULL;
END;

CREATE TRIGGER customers_count_delete AFTER DELETE ON customers
WHEN OLD.archived_at IS NULL
BEGIN
    UPDATE customer_counts SET n = n - 1 WHERE key = 0;
    UPDATE customer_counts SET n = n - 1 WHERE key = -1 AND OLD.owner_reseller_id IS NULL;
END;

CREATE TRIGGER customers_count_update AFTER UPDATE OF archived_at, owner_reseller_id ON customers
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL)
    OR (OLD.owner_reseller_id IS NULL) <> (NEW.owner_reseller_id IS NULL)
BEGIN
    UPDATE customer_counts
        SET n = n + (NEW.archived_at IS NULL) - (OLD.archived_at IS NULL)
        WHERE key = 0;
    UPDATE customer_counts
        SET n = n + (NEW.archived_at IS NULL AND NEW.owner_reseller_id IS NULL)
                  - (OLD.archived_at IS NULL AND OLD.owner_reseller_id IS NULL)
        WHERE key = -1;
END;

DROP INDEX customers_company_idx;
DROP INDEX customers_domain_idx;
DROP INDEX customers_contact_name_idx;
DROP INDEX customers_contact_email_idx;
DROP INDEX customers_trial_ends_idx;
DROP INDEX customers_created_at_idx;
CREATE INDEX customers_company_idx ON customers (company_name COLLATE NOCASE, id)
    WHERE archived_at IS NULL;
CREATE INDEX customers_domain_idx ON customers (domain, id) WHERE archived_at IS NULL;
CREATE INDEX customers_contact_name_idx ON customers (contact_name COLLATE NOCASE, id)
    WHERE archived_at IS NULL;
CREATE INDEX customers_contact_email_idx ON customers (contact_email COLLATE NOCASE, id)
    WHERE archived_at IS NULL;
CREATE INDEX customers_trial_ends_idx ON customers (trial_ends_at, id) WHERE archived_at IS NULL;
CREATE INDEX customers_created_at_idx ON customers (created_at, id) WHERE archived_at IS NULL;
CREATE INDEX customers_archived_idx ON customers (id) WHERE archived_at IS NOT NULL;
