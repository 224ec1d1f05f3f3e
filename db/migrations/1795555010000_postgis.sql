-- Up Migration
-- Every location in Vigie is a PostGIS geography; the embedded PGlite build ships PostGIS too.
CREATE EXTENSION IF NOT EXISTS postgis;

-- Down Migration
DROP EXTENSION IF EXISTS postgis;
