-- ResellerDesk schema, migration 1 (SQLite).
-- Conventions: times are INTEGER milliseconds since the Unix epoch (UTC);
-- money is INTEGER minor units with a 3-letter currency; rates are basis
-- points (1 bp = 0.01 %); booleans are 0/1; every editable row has a
-- version that each update increments (rule 14). Nothing is hard-deleted by a
-- normal action: rows are archived (archived_at).

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  INTEGER NOT NULL,
    app_version TEXT NOT NULL
);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
    value      TEXT NOT NULL CHECK (length(value) <= 4000),
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX settings_updated_by_idx ON settings (updated_by);

CREATE TABLE plans (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 50),
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    monthly_budget INTEGER NOT NULL CHECK (monthly_budget >= 0),
    archived_at    INTEGER,
    created_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX plans_name_idx ON plans (name COLLATE NOCASE, id);

CREATE TABLE price_lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    currency    TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    archived_at INTEGER,
    created_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX price_lists_name_key ON price_lists (name COLLATE NOCASE);
-- At most one default ("channel") price list.
CREATE UNIQUE INDEX price_lists_one_default ON price_lists (is_default) WHERE is_default = 1;

CREATE TABLE price_list_items (
    price_list_id INTEGER NOT NULL REFERENCES price_lists (id),
    plan_id       INTEGER NOT NULL REFERENCES plans (id),
    monthly_price INTEGER NOT NULL CHECK (monthly_price >= 0),
    version       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (price_list_id, plan_id)
);
CREATE INDEX price_list_items_plan_idx ON price_list_items (plan_id);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    -- Computed by the app (trimmed, case-folded local part, punycode domain):
    -- SQLite's lower() folds ASCII only, so the key is not left to SQL.
    email_key            TEXT NOT NULL CHECK (length(email_key) BETWEEN 3 AND 254),
    display_name         TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    password_hash        TEXT,
    password_changed_at  INTEGER,
    must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
    failed_logins        INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    last_failed_at       INTEGER,
    locked_until         INTEGER,
    setup_code_hash      TEXT,
    setup_code_expires_at INTEGER,
    last_login_at        INTEGER,
    archived_at          INTEGER,
    created_at           INTEGER NOT NULL,
    created_by           INTEGER REFERENCES users (id),
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email_key ON users (email_key);
CREATE INDEX users_email_idx ON users (email COLLATE NOCASE, id);
CREATE INDEX users_display_name_idx ON users (display_name COLLATE NOCASE, id);
CREATE INDEX users_created_by_idx ON users (created_by);

CREATE TABLE resellers (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    parent_id          INTEGER REFERENCES resellers (id),
    commission_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (commission_rate_bp BETWEEN 0 AND 10000),
    -- What the parent earns on orders placed by this (sub-)portal.
    override_rate_bp   INTEGER NOT NULL DEFAULT 0 CHECK (override_rate_bp BETWEEN 0 AND 10000),
    customer_scope     TEXT NOT NULL DEFAULT 'assigned' CHECK (customer_scope IN ('assigned', 'all')),
    pricing            TEXT NOT NULL DEFAULT 'channel' CHECK (pricing IN ('channel', 'selected')),
    price_list_id      INTEGER REFERENCES price_lists (id),
    -- Set for a portal created by Migrate: the customer it was created from.
    origin_customer_id INTEGER UNIQUE REFERENCES customers (id),
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    archived_at        INTEGER,
    created_at         INTEGER NOT NULL,
    created_by         INTEGER REFERENCES users (id),
    updated_at         INTEGER,
    version            INTEGER NOT NULL DEFAULT 1,
    CHECK (pricing = 'channel' OR price_list_id IS NOT NULL),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX resellers_name_key ON resellers (name COLLATE NOCASE);
CREATE INDEX resellers_name_idx ON resellers (name COLLATE NOCASE, id);
CREATE INDEX resellers_parent_idx ON resellers (parent_id, id);
CREATE INDEX resellers_price_list_idx ON resellers (price_list_id);
CREATE INDEX resellers_created_by_idx ON resellers (created_by);
CREATE INDEX resellers_active_idx ON resellers (active, id);
CREATE INDEX resellers_commission_idx ON resellers (commission_rate_bp, id);
CREATE INDEX resellers_created_at_idx ON resellers (created_at, id);

CREATE TABLE reseller_plans (
    reseller_id INTEGER NOT NULL REFERENCES resellers (id),
    plan_id     INTEGER NOT NULL REFERENCES plans (id),
    PRIMARY KEY (reseller_id, plan_id)
);
CREATE INDEX reseller_plans_plan_idx ON reseller_plans (plan_id);

CREATE TABLE customers (
    id                INTEGER PRIMARY KEY,
    company_name      TEXT NOT NULL CHECK (length(company_name) BETWEEN 1 AND 200),
    -- Normalised website domain (punycode, lower case, no www.).
    domain            TEXT CHECK (domain IS NULL OR length(domain) BETWEEN 1 AND 253),
    contact_name      TEXT NOT NULL CHECK (length(contact_name) BETWEEN 1 AND 200),
    contact_email     TEXT NOT NULL CHECK (length(contact_email) BETWEEN 3 AND 254),
    contact_phone     TEXT CHECK (contact_phone IS NULL OR length(contact_phone) <= 16),
    plan_id           INTEGER NOT NULL REFERENCES plans (id),
    price_list_id     INTEGER NOT NULL REFERENCES price_lists (id),
    -- Scope column: the owning reseller, NULL for a direct account. Kept equal
    -- to the open 'owner' assignment by the services.
    owner_reseller_id INTEGER REFERENCES resellers (id),
    primary_user_id   INTEGER REFERENCES users (id),
    billing_status    TEXT NOT NULL DEFAULT 'trial' CHECK (billing_status IN ('trial', 'paid')),
    trial_ends_at     INTEGER,
    trial_budget      INTEGER CHECK (trial_budget IS NULL OR trial_budget >= 0),
    converted_at      INTEGER,
    converted_by      INTEGER REFERENCES users (id),
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    no_email          INTEGER NOT NULL DEFAULT 0 CHECK (no_email IN (0, 1)),
    migrated_at       INTEGER,
    archived_at       INTEGER,
    created_at        INTEGER NOT NULL,
    created_by        INTEGER REFERENCES users (id),
    updated_at        INTEGER,
    version           INTEGER NOT NULL DEFAULT 1,
    CHECK (billing_status = 'paid' OR (trial_ends_at IS NOT NULL AND trial_budget IS NOT NULL))
);
CREATE INDEX customers_company_idx ON customers (company_name COLLATE NOCASE, id);
CREATE INDEX customers_domain_idx ON customers (domain, id);
CREATE INDEX customers_contact_name_idx ON customers (contact_name COLLATE NOCASE, id);
CREATE INDEX customers_contact_email_idx ON customers (contact_email COLLATE NOCASE, id);
CREATE INDEX customers_plan_idx ON customers (plan_id, id);
CREATE INDEX customers_price_list_idx ON customers (price_list_id, id);
CREATE INDEX customers_owner_idx ON customers (owner_reseller_id, id);
CREATE INDEX customers_primary_user_idx ON customers (primary_user_id);
CREATE INDEX customers_status_idx ON customers (active, billing_status, id);
CREATE INDEX customers_trial_ends_idx ON customers (trial_ends_at, id);
CREATE INDEX customers_created_at_idx ON customers (created_at, id);
CREATE INDEX customers_created_by_idx ON customers (created_by);
CREATE INDEX customers_converted_by_idx ON customers (converted_by);

CREATE TABLE customer_assignments (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    reseller_id INTEGER NOT NULL REFERENCES resellers (id),
    kind        TEXT NOT NULL CHECK (kind IN ('owner', 'additional')),
    assigned_at INTEGER NOT NULL,
    assigned_by INTEGER REFERENCES users (id),
    ended_at    INTEGER,
    ended_by    INTEGER REFERENCES users (id),
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK (ended_at IS NULL OR ended_at >= assigned_at)
);
-- One open assignment per customer and reseller, one open owner per customer.
CREATE UNIQUE INDEX customer_assignments_open_key
    ON customer_assignments (customer_id, reseller_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX customer_assignments_one_owner
    ON customer_assignments (customer_id) WHERE kind = 'owner' AND ended_at IS NULL;
CREATE INDEX customer_assignments_customer_idx ON customer_assignments (customer_id, assigned_at);
CREATE INDEX customer_assignments_reseller_idx ON customer_assignments (reseller_id, customer_id)
    WHERE ended_at IS NULL;
CREATE INDEX customer_assignments_reseller_all_idx ON customer_assignments (reseller_id);
CREATE INDEX customer_assignments_assigned_by_idx ON customer_assignments (assigned_by);
CREATE INDEX customer_assignments_ended_by_idx ON customer_assignments (ended_by);

CREATE TABLE memberships (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    role        TEXT NOT NULL CHECK (role IN ('administrator', 'support', 'reseller_admin',
                    'reseller_manager', 'reseller_user', 'client_admin', 'client_user')),
    reseller_id INTEGER REFERENCES resellers (id),
    customer_id INTEGER REFERENCES customers (id),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    archived_at INTEGER,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users (id),
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK (CASE
        WHEN role IN ('administrator', 'support') THEN reseller_id IS NULL AND customer_id IS NULL
        WHEN role IN ('reseller_admin', 'reseller_manager', 'reseller_user')
            THEN reseller_id IS NOT NULL AND customer_id IS NULL
        ELSE customer_id IS NOT NULL AND reseller_id IS NULL
    END)
);
-- One membership per user and context (vendor, one reseller, one customer).
CREATE UNIQUE INDEX memberships_context_key
    ON memberships (user_id, coalesce(reseller_id, 0), coalesce(customer_id, 0));
CREATE INDEX memberships_user_idx ON memberships (user_id);
CREATE INDEX memberships_reseller_idx ON memberships (reseller_id);
CREATE INDEX memberships_customer_idx ON memberships (customer_id);
CREATE INDEX memberships_created_by_idx ON memberships (created_by);

CREATE TABLE impersonation_sessions (
    id                     INTEGER PRIMARY KEY,
    impersonator_user_id   INTEGER NOT NULL REFERENCES users (id),
    impersonator_membership_id INTEGER NOT NULL REFERENCES memberships (id),
    client_user_id         INTEGER NOT NULL REFERENCES users (id),
    client_membership_id   INTEGER NOT NULL REFERENCES memberships (id),
    customer_id            INTEGER NOT NULL REFERENCES customers (id),
    reseller_id            INTEGER REFERENCES resellers (id),
    reason                 TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    started_at             INTEGER NOT NULL,
    expires_at             INTEGER NOT NULL,
    ended_at               INTEGER,
    end_reason             TEXT CHECK (end_reason IS NULL OR end_reason IN
                               ('closed', 'signed_out', 'expired', 'app_exit')),
    version                INTEGER NOT NULL DEFAULT 1,
    CHECK (expires_at > started_at)
);
CREATE INDEX impersonation_sessions_impersonator_idx ON impersonation_sessions (impersonator_user_id, started_at);
CREATE INDEX impersonation_sessions_imp_membership_idx ON impersonation_sessions (impersonator_membership_id);
CREATE INDEX impersonation_sessions_client_idx ON impersonation_sessions (client_user_id);
CREATE INDEX impersonation_sessions_client_membership_idx ON impersonation_sessions (client_membership_id);
CREATE INDEX impersonation_sessions_customer_idx ON impersonation_sessions (customer_id, started_at);
CREATE INDEX impersonation_sessions_reseller_idx ON impersonation_sessions (reseller_id);
CREATE INDEX impersonation_sessions_started_idx ON impersonation_sessions (started_at, id);

CREATE TABLE audit_events (
    id                       INTEGER PRIMARY KEY,
    occurred_at              INTEGER NOT NULL,
    -- Shared by the events of one bulk action (import, clone).
    batch_id                 TEXT,
    actor_user_id            INTEGER REFERENCES users (id),
    actor_membership_id      INTEGER REFERENCES memberships (id),
    impersonator_user_id     INTEGER REFERENCES users (id),
    impersonation_session_id INTEGER REFERENCES impersonation_sessions (id),
    action                   TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    entity_type              TEXT NOT NULL CHECK (length(entity_type) BETWEEN 1 AND 50),
    entity_id                INTEGER,
    -- Scope columns, so a reseller's audit view needs no join.
    reseller_id              INTEGER REFERENCES resellers (id),
    customer_id              INTEGER REFERENCES customers (id),
    before_json              TEXT,
    after_json               TEXT,
    reason                   TEXT CHECK (reason IS NULL OR length(reason) <= 1000)
);
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at, id);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, occurred_at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, occurred_at);
CREATE INDEX audit_events_actor_membership_idx ON audit_events (actor_membership_id);
CREATE INDEX audit_events_impersonator_idx ON audit_events (impersonator_user_id, occurred_at);
CREATE INDEX audit_events_session_idx ON audit_events (impersonation_session_id);
CREATE INDEX audit_events_reseller_idx ON audit_events (reseller_id, occurred_at);
CREATE INDEX audit_events_customer_idx ON audit_events (customer_id, occurred_at);
CREATE INDEX audit_events_batch_idx ON audit_events (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at);

-- The audit trail is append-only, enforced by the database (rule 12).
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused');
END;

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    created_at       INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('setup', 'invitation', 'password_reset',
                         'portal_invitation', 'trial_reminder', 'login_as_notice')),
    customer_id      INTEGER REFERENCES customers (id),
    reseller_id      INTEGER REFERENCES resellers (id),
    user_id          INTEGER REFERENCES users (id),
    recipient        TEXT NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    subject          TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    body             TEXT NOT NULL,
    -- A secret the message carries (a one-time code): kept only until the
    -- message is delivered or cancelled, then set to NULL (redacted).
    secret           TEXT,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                         ('pending', 'sending', 'sent', 'failed', 'unknown', 'cancelled')),
    not_before       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  INTEGER,
    last_error       TEXT,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    sent_at          INTEGER,
    message_id       TEXT,
    created_by       INTEGER REFERENCES users (id),
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX outbox_due_idx ON outbox (status, not_before, id);
CREATE INDEX outbox_created_idx ON outbox (created_at, id);
CREATE INDEX outbox_customer_idx ON outbox (customer_id, kind);
CREATE INDEX outbox_reseller_idx ON outbox (reseller_id);
CREATE INDEX outbox_user_idx ON outbox (user_id);
CREATE INDEX outbox_created_by_idx ON outbox (created_by);
CREATE INDEX outbox_recipient_idx ON outbox (recipient, id);

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    customer_id        INTEGER NOT NULL REFERENCES customers (id),
    reseller_id        INTEGER REFERENCES resellers (id),
    parent_reseller_id INTEGER REFERENCES resellers (id),
    plan_id            INTEGER NOT NULL REFERENCES plans (id),
    price_list_id      INTEGER NOT NULL REFERENCES price_lists (id),
    quantity           INTEGER NOT NULL CHECK (quantity >= 1),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    unit_price         INTEGER NOT NULL CHECK (unit_price >= 0),
    total              INTEGER NOT NULL CHECK (total >= 0),
    commission_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (commission_rate_bp BETWEEN 0 AND 10000),
    commission         INTEGER NOT NULL DEFAULT 0 CHECK (commission >= 0),
    override_rate_bp   INTEGER NOT NULL DEFAULT 0 CHECK (override_rate_bp BETWEEN 0 AND 10000),
    override_commission INTEGER NOT NULL DEFAULT 0 CHECK (override_commission >= 0),
    status             TEXT NOT NULL DEFAULT 'placed' CHECK (status IN ('placed', 'cancelled')),
    created_at         INTEGER NOT NULL,
    created_by         INTEGER REFERENCES users (id),
    impersonator_user_id INTEGER REFERENCES users (id),
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX orders_customer_idx ON orders (customer_id, created_at);
CREATE INDEX orders_reseller_idx ON orders (reseller_id, created_at);
CREATE INDEX orders_parent_reseller_idx ON orders (parent_reseller_id, created_at);
CREATE INDEX orders_plan_idx ON orders (plan_id);
CREATE INDEX orders_price_list_idx ON orders (price_list_id);
CREATE INDEX orders_created_at_idx ON orders (created_at, id);
CREATE INDEX orders_total_idx ON orders (total, id);
CREATE INDEX orders_created_by_idx ON orders (created_by);
CREATE INDEX orders_impersonator_idx ON orders (impersonator_user_id);

CREATE TABLE identification_usage (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    -- The month, 'YYYY-MM'.
    month       TEXT NOT NULL CHECK (length(month) = 7),
    used        INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0),
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (customer_id, month)
);
CREATE INDEX identification_usage_month_idx ON identification_usage (month, customer_id);
