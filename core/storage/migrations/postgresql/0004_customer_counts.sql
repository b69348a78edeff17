-- ResellerDesk schema, migration 4 (PostgreSQL): counts and positions that
-- stay cheap at a million customers (issue 7).
--
-- 1. customer_counts keeps the two counts the customer table asks for on
--    every refresh when nothing filters it: every live (not archived)
--    customer (key 0) and the live direct accounts (key -1). COUNT(*) over a
--    million rows costs 35-50 ms here and grows with the table; one row
--    costs nothing. The trigger keeps the counts in the transaction of the
--    change. Writers take the counter rows in one order (0, then -1), so
--    two desktops adding customers wait for each other's commit for a
--    moment but never deadlock. Counts per reseller are not kept: they come
--    from the reseller's open assignments (indexed), and a row per reseller
--    would make two opposite transfers lock each other's counters.
-- 2. The sort indexes of the customer table become partial, on live
--    customers only: every list query says archived_at IS NULL, so the
--    index alone answers a row's position and skips an OFFSET.

CREATE TABLE customer_counts (
    key BIGINT PRIMARY KEY CHECK (key IN (0, -1)),
    n   BIGINT NOT NULL CHECK (n >= 0)
);

INSERT INTO customer_counts (key, n)
    SELECT 0, count(*) FROM customers WHERE archived_at IS NULL;
INSERT INTO customer_counts (key, n)
    SELECT -1, count(*) FROM customers WHERE archived_at IS NULL AND owner_reseller_id IS NULL;

CREATE FUNCTION customers_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    live_delta   BIGINT := 0;
    direct_delta BIGINT := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.archived_at IS NULL THEN
            live_delta := live_delta + 1;
            IF NEW.owner_reseller_id IS NULL THEN
                direct_delta := direct_delta + 1;
            END IF;
        END IF;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        IF OLD.archived_at IS NULL THEN
            live_delta := live_delta - 1;
            IF OLD.owner_reseller_id IS NULL THEN
                direct_delta := direct_delta - 1;
            END IF;
        END IF;
    END IF;
    IF live_delta <> 0 THEN
        UPDATE customer_counts SET n = n + live_delta WHERE key = 0;
    END IF;
    IF direct_delta <> 0 THEN
        UPDATE customer_counts SET n = n + direct_delta WHERE key = -1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER customers_count_insert AFTER INSERT ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_count_change();
CREATE TRIGGER customers_count_delete AFTER DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_count_change();
CREATE TRIGGER customers_count_update AFTER UPDATE OF archived_at, owner_reseller_id ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_count_change();
-- A TRUNCATE would leave the counts wrong; nothing in the application
-- truncates customers, and the audit trail refers to them.

DROP INDEX customers_company_idx;
DROP INDEX customers_domain_idx;
DROP INDEX customers_contact_name_idx;
DROP INDEX customers_contact_email_idx;
DROP INDEX customers_trial_ends_idx;
DROP INDEX customers_created_at_idx;
CREATE INDEX customers_company_idx ON customers (lower(company_name), id) WHERE archived_at IS NULL;
CREATE INDEX customers_domain_idx ON customers (domain, id) WHERE archived_at IS NULL;
CREATE INDEX customers_contact_name_idx ON customers (lower(contact_name), id)
    WHERE archived_at IS NULL;
CREATE INDEX customers_contact_email_idx ON customers (lower(contact_email), id)
    WHERE archived_at IS NULL;
CREATE INDEX customers_trial_ends_idx ON customers (trial_ends_at, id) WHERE archived_at IS NULL;
CREATE INDEX customers_created_at_idx ON customers (created_at, id) WHERE archived_at IS NULL;
