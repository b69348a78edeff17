-- ResellerDesk schema, migration 8 (PostgreSQL): the counters of migrations
-- 4 and 7 change once per statement instead of once per row (issue 7).
--
-- A row trigger updates the counter row once for every customer or
-- membership written. Within one transaction each update leaves a new
-- version of that row which cannot be pruned before the commit, and each
-- next update walks the versions before it: a transaction writing n rows
-- costs O(n^2). Measured with psql on this machine: 10,000 rows 1.1 s,
-- 20,000 rows 3.7 s, 40,000 rows 15.5 s of counter upkeep alone; a
-- 5,000-row import batch spent ~0.3 s on it, and generating a million
-- customers in one transaction three hours.
--
-- Statement triggers with transition tables add up the rows a statement
-- wrote and update each counter once: an import batch of 500-row INSERTs
-- touches the counter ten times. The counts are the same; writers still
-- take the counter rows in one order (0, then -1) and only when a count
-- changes. PostgreSQL allows no column list on an UPDATE trigger with
-- transition tables, so the UPDATE trigger runs for every UPDATE statement
-- and compares old and new rows itself (a few rows, in memory).

DROP TRIGGER customers_count_insert ON customers;
DROP TRIGGER customers_count_delete ON customers;
DROP TRIGGER customers_count_update ON customers;
DROP FUNCTION customers_count_change();

CREATE FUNCTION customers_count_statement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    live_delta   BIGINT := 0;
    direct_delta BIGINT := 0;
    live         BIGINT;
    direct       BIGINT;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT count(*) FILTER (WHERE archived_at IS NULL),
               count(*) FILTER (WHERE archived_at IS NULL AND owner_reseller_id IS NULL)
          INTO live, direct FROM new_customers;
        live_delta := live_delta + live;
        direct_delta := direct_delta + direct;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        SELECT count(*) FILTER (WHERE archived_at IS NULL),
               count(*) FILTER (WHERE archived_at IS NULL AND owner_reseller_id IS NULL)
          INTO live, direct FROM old_customers;
        live_delta := live_delta - live;
        direct_delta := direct_delta - direct;
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
    REFERENCING NEW TABLE AS new_customers
    FOR EACH STATEMENT EXECUTE FUNCTION customers_count_statement();
CREATE TRIGGER customers_count_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS old_customers
    FOR EACH STATEMENT EXECUTE FUNCTION customers_count_statement();
CREATE TRIGGER customers_count_update AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS old_customers NEW TABLE AS new_customers
    FOR EACH STATEMENT EXECUTE FUNCTION customers_count_statement();

DROP TRIGGER memberships_count_insert ON memberships;
DROP TRIGGER memberships_count_delete ON memberships;
DROP TRIGGER memberships_count_update ON memberships;
DROP FUNCTION memberships_count_change();

-- A listed membership: neither it nor its user archived.
CREATE FUNCTION memberships_count_statement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta   BIGINT := 0;
    counted BIGINT;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT count(*) INTO counted FROM new_memberships m JOIN users u ON u.id = m.user_id
            WHERE m.archived_at IS NULL AND u.archived_at IS NULL;
        delta := delta + counted;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        SELECT count(*) INTO counted FROM old_memberships m JOIN users u ON u.id = m.user_id
            WHERE m.archived_at IS NULL AND u.archived_at IS NULL;
        delta := delta - counted;
    END IF;
    IF delta <> 0 THEN
        UPDATE membership_counts SET n = n + delta WHERE key = 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER memberships_count_insert AFTER INSERT ON memberships
    REFERENCING NEW TABLE AS new_memberships
    FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_statement();
CREATE TRIGGER memberships_count_delete AFTER DELETE ON memberships
    REFERENCING OLD TABLE AS old_memberships
    FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_statement();
CREATE TRIGGER memberships_count_update AFTER UPDATE ON memberships
    REFERENCING OLD TABLE AS old_memberships NEW TABLE AS new_memberships
    FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_statement();

DROP TRIGGER users_membership_count_update ON users;
DROP FUNCTION users_membership_count_change();

-- Archiving or restoring users adds or removes their live memberships.
CREATE FUNCTION users_membership_count_statement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT;
BEGIN
    SELECT coalesce(sum(CASE WHEN n.archived_at IS NULL THEN 1 ELSE -1 END
               * (SELECT count(*) FROM memberships m
                   WHERE m.user_id = n.id AND m.archived_at IS NULL)), 0)
      INTO delta
      FROM new_users n JOIN old_users o ON o.id = n.id
     WHERE (o.archived_at IS NULL) <> (n.archived_at IS NULL);
    IF delta <> 0 THEN
        UPDATE membership_counts SET n = n + delta WHERE key = 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER users_membership_count_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_users NEW TABLE AS new_users
    FOR EACH STATEMENT EXECUTE FUNCTION users_membership_count_statement();
