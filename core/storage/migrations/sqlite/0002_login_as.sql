-- ResellerDesk schema, migration 2 (SQLite): Login As (rule 9).
-- An impersonation session is evidence, like the audit trail: once written,
-- the only change the database accepts is setting its end, once (ended_at
-- and end_reason together, not before it started, version + 1). Nothing
-- deletes it.

CREATE TRIGGER impersonation_sessions_end_once BEFORE UPDATE ON impersonation_sessions
WHEN OLD.ended_at IS NOT NULL
    OR NEW.ended_at IS NULL
    OR NEW.end_reason IS NULL
    OR NEW.ended_at < OLD.started_at
    OR NEW.version IS NOT OLD.version + 1
    OR NEW.id IS NOT OLD.id
    OR NEW.impersonator_user_id IS NOT OLD.impersonator_user_id
    OR NEW.impersonator_membership_id IS NOT OLD.impersonator_membership_id
    OR NEW.client_user_id IS NOT OLD.client_user_id
    OR NEW.client_membership_id IS NOT OLD.client_membership_id
    OR NEW.customer_id IS NOT OLD.customer_id
    OR NEW.reseller_id IS NOT OLD.reseller_id
    OR NEW.reason IS NOT OLD.reason
    OR NEW.started_at IS NOT OLD.started_at
    OR NEW.expires_at IS NOT OLD.expires_at
BEGIN
    SELECT RAISE(ABORT, 'impersonation_sessions: only the end can be set, once');
END;

CREATE TRIGGER impersonation_sessions_no_delete BEFORE DELETE ON impersonation_sessions
BEGIN
    SELECT RAISE(ABORT, 'impersonation_sessions: DELETE refused');
END;

-- Finding a user's open session (no nesting, ending at sign-out).
CREATE INDEX impersonation_sessions_open_idx ON impersonation_sessions (impersonator_user_id)
    WHERE ended_at IS NULL;
