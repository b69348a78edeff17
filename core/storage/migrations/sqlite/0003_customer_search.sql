-- ResellerDesk schema, migration 3 (SQLite): customer search that stays fast
-- at a million customers (issue 7).
--
-- An FTS5 index with the trigram tokenizer over the four searched columns.
-- A quoted trigram query ("term") matches exactly the rows whose column
-- contains the term (a phrase of consecutive trigrams is a substring), so
-- terms of 3 or more characters keep the meaning of LIKE '%term%' without a
-- full scan. The tokenizer folds case (ASCII and other letters alike; SQLite
-- 3.40 has no remove_diacritics for trigram, so accents still count).
-- Terms of 1-2 characters have no trigram; CustomerSearch matches them as a
-- prefix through the COLLATE NOCASE indexes of migration 1 instead.
--
-- External content (content = 'customers', rowid = customers.id): the text
-- is stored once, in customers, and the index holds only the trigrams
-- (a contentless table would save nothing more, and could not be rebuilt or
-- checked). The price is that the index must be told the old values when a
-- row changes: the triggers below pass them with the 'delete' command.
-- If the index ever disagrees with customers,
--     INSERT INTO customer_search (customer_search) VALUES ('rebuild');
-- rebuilds it from customers.
--
-- Archived customers stay indexed: customers are archived, never deleted,
-- and every query already filters archived_at IS NULL, so leaving them in
-- keeps the triggers simple and makes un-archiving free.

CREATE VIRTUAL TABLE customer_search USING fts5 (
    company_name, domain, contact_name, contact_email,
    content = 'customers', content_rowid = 'id', tokenize = 'trigram'
);

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers
BEGIN
    INSERT INTO customer_search (rowid, company_name, domain, contact_name, contact_email)
    VALUES (NEW.id, NEW.company_name, NEW.domain, NEW.contact_name, NEW.contact_email);
END;

CREATE TRIGGER customers_search_delete AFTER DELETE ON customers
BEGIN
    INSERT INTO customer_search (customer_search, rowid, company_name, domain, contact_name,
        contact_email)
    VALUES ('delete', OLD.id, OLD.company_name, OLD.domain, OLD.contact_name, OLD.contact_email);
END;

-- Only when a searched column changes: converting, pausing or archiving a
-- customer leaves the index alone.
CREATE TRIGGER customers_search_update AFTER UPDATE OF id, company_name, domain, contact_name,
    contact_email ON customers
WHEN OLD.id IS NOT NEW.id
    OR OLD.company_name IS NOT NEW.company_name
    OR OLD.domain IS NOT NEW.domain
    OR OLD.contact_name IS NOT NEW.contact_name
    OR OLD.contact_email IS NOT NEW.contact_email
BEGIN
    INSERT INTO customer_search (customer_search, rowid, company_name, domain, contact_name,
        contact_email)
    VALUES ('delete', OLD.id, OLD.company_name, OLD.domain, OLD.contact_name, OLD.contact_email);
    INSERT INTO customer_search (rowid, company_name, domain, contact_name, contact_email)
    VALUES (NEW.id, NEW.company_name, NEW.domain, NEW.contact_name, NEW.contact_email);
END;

-- The customers that exist before this migration.
INSERT INTO customer_search (customer_search) VALUES ('rebuild');
