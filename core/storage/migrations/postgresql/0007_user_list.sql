-- ResellerDesk schema, migration 7 (PostgreSQL): the Users page at a million
-- memberships (issue 7). The page lists memberships joined to their users,
-- sorted and filtered by the database, a page at a time (UserRepository).
--
-- 1. membership_counts keeps the one count the page asks for on every
--    refresh at the installation's scope (an administrator's): the listed
--    memberships, i.e. neither the membership nor its user archived. The
--    memberships of one reseller portal or one client account are few and
--    counted through their own indexes. The triggers change the count in
--    the same transaction as the row, so a rolled-back write leaves it right.
-- 2. Sort indexes. Email and name sort along the users indexes of
--    migration 1; "last sign-in" gets one on the expression the query sorts
--    by (never signed in = 0, first). Role and status sort along the
--    memberships, by the rule-10 rank and by "usable first", on live rows
--    only (every list query says archived_at IS NULL). Each is (value, id),
--    so a page is a range on one index (keyset) whatever the sort.
-- 3. The filter is a prefix of the email key or the lower-cased name:
--    text_pattern_ops indexes answer LIKE 'te%' whatever the database's
--    collation (the indexes of migration 1 follow the collation, which LIKE
--    cannot use unless it is C). Context names use the pg_trgm indexes of
--    migration 3 and the small resellers table.

CREATE TABLE membership_counts (
    key BIGINT PRIMARY KEY CHECK (key = 0),
    n   BIGINT NOT NULL CHECK (n >= 0)
);

INSERT INTO membership_counts (key, n)
    SELECT 0, count(*) FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.archived_at IS NULL AND u.archived_at IS NULL;

CREATE FUNCTION memberships_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.archived_at IS NULL THEN
        delta := delta + (SELECT count(*) FROM users WHERE id = NEW.user_id AND archived_at IS NULL);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.archived_at IS NULL THEN
        delta := delta - (SELECT count(*) FROM users WHERE id = OLD.user_id AND archived_at IS NULL);
    END IF;
    IF delta <> 0 THEN
        UPDATE membership_counts SET n = n + delta WHERE key = 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER memberships_count_insert AFTER INSERT ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_count_change();
CREATE TRIGGER memberships_count_delete AFTER DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_count_change();
CREATE TRIGGER memberships_count_update AFTER UPDATE OF archived_at, user_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_count_change();

CREATE FUNCTION users_membership_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) THEN
        UPDATE membership_counts
            SET n = n + (CASE WHEN NEW.archived_at IS NULL THEN 1 ELSE -1 END)
                * (SELECT count(*) FROM memberships WHERE user_id = NEW.id AND archived_at IS NULL)
            WHERE key = 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER users_membership_count_update AFTER UPDATE OF archived_at ON users
    FOR EACH ROW EXECUTE FUNCTION users_membership_count_change();

CREATE INDEX users_last_login_idx ON users ((coalesce(last_login_at, 0)), id);
CREATE INDEX memberships_role_rank_idx ON memberships ((CASE role
        WHEN 'administrator' THEN 7 WHEN 'support' THEN 6 WHEN 'reseller_admin' THEN 5
        WHEN 'reseller_manager' THEN 4 WHEN 'reseller_user' THEN 3 WHEN 'client_admin' THEN 2
        ELSE 1 END), id)
    WHERE archived_at IS NULL;
CREATE INDEX memberships_status_idx ON memberships ((CASE WHEN active THEN 0 ELSE 1 END), id)
    WHERE archived_at IS NULL;
CREATE INDEX users_email_key_prefix_idx ON users (email_key text_pattern_ops);
CREATE INDEX users_display_name_prefix_idx ON users (lower(display_name) text_pattern_ops);
