-- Test-only migration 9001 that fails half-way: the first statement must be
-- rolled back with the rest.
CREATE TABLE half_done (id integer PRIMARY KEY);
CREATE TABEL this_is_a_syntax_error (id integer);
