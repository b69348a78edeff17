-- ResellerDesk schema, migration 9 (PostgreSQL): a narrow search table for
-- the customer search (issue 7).
--
-- With the four pg_trgm indexes of migration 3 a term found in 25,000-80,000
-- customers (at 1M) costs 0.5-1.1 s to count and again to sort: the bitmap
-- of the four indexes leads to every matching row of the wide customers
-- table, and each is checked again with four lower() calls. Here each live
-- customer has one narrow row: its company in the list's order
-- (lower(company_name), the key of customers_company_idx) and one text, the
-- four searched columns lower-cased and joined by U+001F, under a single
-- trigram index. The check is one LIKE on text already lower-cased, on a
-- table a tenth the size; a page in company order is sorted here and only
-- its rows are read from customers.
--
-- The separator keeps the meaning of the four LIKEs: a term without U+001F
-- (CustomerSearch takes any other term the old way) can only match inside
-- one column, and "starts with" is "at the start of text or after a
-- separator". lower() of the joined text is the join of the lower()'d
-- columns, as the old indexes saw them.
--
-- Only live customers have a row, so counting the matches needs no look at
-- customers. Statement triggers with transition tables keep it in the
-- transaction of the change (one INSERT … SELECT per statement, as the
-- counters of migration 8): inserting, changing a searched column,
-- archiving, restoring and deleting. The indexes of migration 3 stay for the
-- searches that other filters narrow first (a reseller's customers).

CREATE TABLE customer_search (
    id          BIGINT PRIMARY KEY,
    company_key TEXT NOT NULL,
    text        TEXT NOT NULL
);

CREATE FUNCTION customer_search_text(company TEXT, domain TEXT, contact TEXT, email TEXT)
    RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(coalesce(company, '')) || chr(31) || lower(coalesce(domain, '')) || chr(31)
        || lower(coalesce(contact, '')) || chr(31) || lower(coalesce(email, ''))
$$;

CREATE FUNCTION customers_search_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO customer_search (id, company_key, text)
            SELECT n.id, lower(n.company_name),
                   customer_search_text(n.company_name, n.domain, n.contact_name, n.contact_email)
              FROM new_customers n WHERE n.archived_at IS NULL;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM customer_search s USING old_customers o WHERE s.id = o.id;
    ELSE
        -- Archived, deleted by a change of id, or changed: the old row goes.
        DELETE FROM customer_search s USING old_customers o
         WHERE s.id = o.id
           AND NOT EXISTS (SELECT 1 FROM new_customers n
                            WHERE n.id = o.id AND n.archived_at IS NULL
                              AND n.company_name IS NOT DISTINCT FROM o.company_name
                              AND n.domain IS NOT DISTINCT FROM o.domain
                              AND n.contact_name IS NOT DISTINCT FROM o.contact_name
                              AND n.contact_email IS NOT DISTINCT FROM o.contact_email);
        -- Live and new here, restored, or changed: the new row comes.
        INSERT INTO customer_search (id, company_key, text)
            SELECT n.id, lower(n.company_name),
                   customer_search_text(n.company_name, n.domain, n.contact_name, n.contact_email)
              FROM new_customers n
             WHERE n.archived_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM customer_search s WHERE s.id = n.id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_customers
    FOR EACH STATEMENT EXECUTE FUNCTION customers_search_statement();
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS old_customers
    FOR EACH STATEMENT EXECUTE FUNCTION customers_search_statement();
CREATE TRIGGER customers_search_update AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS old_customers NEW TABLE AS new_customers
    FOR EACH STATEMENT EXECUTE FUNCTION customers_search_statement();

-- The live customers that exist before this migration, in company order:
-- a walk of the list then reads consecutive pages, and the matches of a term
-- that names companies (all the "Omni…") share a few hundred pages instead
-- of one page each. The indexes after the rows (one sort instead of a
-- million insertions).
INSERT INTO customer_search (id, company_key, text)
    SELECT id, lower(company_name),
           customer_search_text(company_name, domain, contact_name, contact_email)
      FROM customers WHERE archived_at IS NULL
     ORDER BY lower(company_name), id;

CREATE INDEX customer_search_text_idx ON customer_search USING gin (text gin_trgm_ops);
CREATE INDEX customer_search_company_idx ON customer_search (company_key, id);

ANALYZE customer_search;
