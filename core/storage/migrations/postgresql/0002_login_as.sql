-- ResellerDesk schema, migration 2 (PostgreSQL): Login As (rule 9).
-- An impersonation session is evidence, like the audit trail: once written,
-- the only change the database accepts is setting its end, once (ended_at
-- and end_reason together, not before it started, version + 1). Nothing
-- deletes or truncates it.

CREATE FUNCTION impersonation_sessions_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'impersonation_sessions: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.ended_at IS NOT NULL
        OR NEW.ended_at IS NULL
        OR NEW.end_reason IS NULL
        OR NEW.ended_at < OLD.started_at
        OR NEW.version IS DISTINCT FROM OLD.version + 1
        OR (NEW.id, NEW.impersonator_user_id, NEW.impersonator_membership_id,
            NEW.client_user_id, NEW.client_membership_id, NEW.customer_id, NEW.reseller_id,
            NEW.reason, NEW.started_at, NEW.expires_at)
           IS DISTINCT FROM
           (OLD.id, OLD.impersonator_user_id, OLD.impersonator_membership_id,
            OLD.client_user_id, OLD.client_membership_id, OLD.customer_id, OLD.reseller_id,
            OLD.reason, OLD.started_at, OLD.expires_at)
    THEN
        RAISE EXCEPTION 'impersonation_sessions: only the end can be set, once'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER impersonation_sessions_end_once BEFORE UPDATE OR DELETE ON impersonation_sessions
    FOR EACH ROW EXECUTE FUNCTION impersonation_sessions_guard();

CREATE TRIGGER impersonation_sessions_no_truncate BEFORE TRUNCATE ON impersonation_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION impersonation_sessions_guard();

-- Finding a user's open session (no nesting, ending at sign-out).
CREATE INDEX impersonation_sessions_open_idx ON impersonation_sessions (impersonator_user_id)
    WHERE ended_at IS NULL;
