-- Test-only migration 9001: proves the upgrade path runs pending migrations only.
CREATE TABLE customer_notes (
    customer_id bigint NOT NULL REFERENCES customers (id),
    note        text NOT NULL
);
CREATE INDEX customer_notes_customer_idx ON customer_notes (customer_id);
