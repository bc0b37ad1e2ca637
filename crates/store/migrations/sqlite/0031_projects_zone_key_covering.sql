-- PostgreSQL merges its two indexes of a zone's projects by id into one
-- unique index with total_investment included. SQLite keeps both: a foreign
-- key there needs a unique index on exactly its columns, and an index
-- carries other columns only as keys.
SELECT 1;
