-- Up Migration
-- Road crews of a commune: who can do which work types, how long their day is, how fast they drive.
CREATE TABLE crews (
  id serial PRIMARY KEY,
  commune_id integer NOT NULL REFERENCES communes (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  -- empty: a general crew, able to do any work type
  work_types text[] NOT NULL DEFAULT '{}',
  working_minutes integer NOT NULL DEFAULT 450 CHECK (working_minutes BETWEEN 30 AND 900),
  speed_kmh double precision NOT NULL DEFAULT 40 CHECK (speed_kmh > 0 AND speed_kmh <= 130),
  active boolean NOT NULL DEFAULT true,
  UNIQUE (commune_id, name)
);

-- Down Migration
DROP TABLE crews;
