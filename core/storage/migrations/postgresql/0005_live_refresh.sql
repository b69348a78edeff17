-- ResellerDesk schema, migration 5 (PostgreSQL): live refresh between
-- desktops (issue 7).
--
-- Every table a view shows tells listening desktops that it changed:
-- pg_notify('resellerdesk_changes', '<table>'). ChangeNotifier LISTENs on
-- each desktop's connection and refreshes the views concerned.
--
-- The triggers are statement-level, so an import of 1,000 rows sends one
-- notification per table and statement, not 1,000; PostgreSQL also folds
-- equal notifications of one transaction into one, and delivers them only
-- when (and if) the transaction commits.
--
-- INSERT notifies unconditionally (an INSERT that adds no row is rare).
-- UPDATE and DELETE look at their transition table first and stay silent
-- when no row was touched: the mail dispatchers' lease query and optimistic
-- updates that lose (rule 14) run UPDATEs that change nothing, often, and
-- must not refresh every desktop each time. Transition tables need one
-- trigger per event, hence three triggers per table.
--
-- audit_events accepts only INSERT (migration 1 refuses the rest), so it
-- has only the INSERT trigger.

CREATE FUNCTION resellerdesk_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('resellerdesk_changes', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE FUNCTION resellerdesk_notify_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        PERFORM pg_notify('resellerdesk_changes', TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_events_notify_insert AFTER INSERT ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();

CREATE TRIGGER customers_notify_insert AFTER INSERT ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER customers_notify_update AFTER UPDATE ON customers
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER customers_notify_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER customer_assignments_notify_insert AFTER INSERT ON customer_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER customer_assignments_notify_update AFTER UPDATE ON customer_assignments
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER customer_assignments_notify_delete AFTER DELETE ON customer_assignments
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER resellers_notify_insert AFTER INSERT ON resellers
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER resellers_notify_update AFTER UPDATE ON resellers
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER resellers_notify_delete AFTER DELETE ON resellers
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER reseller_plans_notify_insert AFTER INSERT ON reseller_plans
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER reseller_plans_notify_update AFTER UPDATE ON reseller_plans
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER reseller_plans_notify_delete AFTER DELETE ON reseller_plans
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER users_notify_insert AFTER INSERT ON users
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER users_notify_update AFTER UPDATE ON users
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER users_notify_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER memberships_notify_insert AFTER INSERT ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER memberships_notify_update AFTER UPDATE ON memberships
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER memberships_notify_delete AFTER DELETE ON memberships
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER outbox_notify_insert AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER outbox_notify_update AFTER UPDATE ON outbox
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER outbox_notify_delete AFTER DELETE ON outbox
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER impersonation_sessions_notify_insert AFTER INSERT ON impersonation_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER impersonation_sessions_notify_update AFTER UPDATE ON impersonation_sessions
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER impersonation_sessions_notify_delete AFTER DELETE ON impersonation_sessions
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER settings_notify_insert AFTER INSERT ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER settings_notify_update AFTER UPDATE ON settings
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER settings_notify_delete AFTER DELETE ON settings
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER plans_notify_insert AFTER INSERT ON plans
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER plans_notify_update AFTER UPDATE ON plans
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER plans_notify_delete AFTER DELETE ON plans
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER price_lists_notify_insert AFTER INSERT ON price_lists
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER price_lists_notify_update AFTER UPDATE ON price_lists
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER price_lists_notify_delete AFTER DELETE ON price_lists
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER price_list_items_notify_insert AFTER INSERT ON price_list_items
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER price_list_items_notify_update AFTER UPDATE ON price_list_items
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER price_list_items_notify_delete AFTER DELETE ON price_list_items
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER orders_notify_insert AFTER INSERT ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER orders_notify_update AFTER UPDATE ON orders
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER orders_notify_delete AFTER DELETE ON orders
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER identification_usage_notify_insert AFTER INSERT ON identification_usage
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_change();
CREATE TRIGGER identification_usage_notify_update AFTER UPDATE ON identification_usage
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
CREATE TRIGGER identification_usage_notify_delete AFTER DELETE ON identification_usage
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resellerdesk_notify_rows_changed();
