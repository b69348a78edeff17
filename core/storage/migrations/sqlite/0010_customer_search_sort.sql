-- ResellerDesk schema, migration 10 (SQLite): the sort keys of a search's
-- matches without reading their rows (issue 7).
--
-- A term found in thousands of customers whose matches are not met early in
-- the walk of the company index ("omni" at 1M: 25,000 matches, most of them
-- in the middle of the alphabet) is answered from the FTS5 index
-- (CustomerSearch::Method::Index): its matching ids, then the first page of
-- them in company order. Sorting them needs each match's company name, and
-- reading it from customers touches one wide table page per match (about
-- 25,000 random page reads). This index holds (id, company name) of the
-- live customers in id order, about 35 bytes a customer: the sort reads
-- its few thousand pages instead, and in id order, the order the FTS5
-- index hands out its matches. New customers append at its end.
CREATE INDEX customers_live_id_company_idx
    ON customers (id, company_name COLLATE NOCASE)
    WHERE archived_at IS NULL;
