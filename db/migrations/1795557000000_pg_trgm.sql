-- Up Migration
-- Trigram indexes make the town hall's text and address searches ("rue de l'Église") fast at
-- hundreds of thousands of reports. pg_trgm is a trusted contrib extension on PostgreSQL >= 13
-- (Debian's postgresql-15 ships it) and is loaded into the embedded PGlite too.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Down Migration
DROP EXTENSION IF EXISTS pg_trgm;
