-- Up Migration
-- A commune is the unit of tenancy: every report, plan and user belongs to one.
CREATE TABLE communes (
  id serial PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  -- INSEE code: 5 characters, Corsica uses 2A/2B.
  insee_code text NOT NULL UNIQUE CHECK (insee_code ~ '^[0-9][0-9AB][0-9]{3}$'),
  boundary geography(MultiPolygon, 4326) NOT NULL,
  depot geography(Point, 4326) NOT NULL,
  timezone text NOT NULL DEFAULT 'Europe/Paris',
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Routing a report to its commune is ST_Contains(boundary::geometry, point): index that expression.
CREATE INDEX communes_boundary_geom_idx ON communes USING gist ((boundary::geometry));

-- Down Migration
DROP TABLE communes;
