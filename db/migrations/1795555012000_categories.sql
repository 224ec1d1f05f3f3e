-- Up Migration
-- Categories are per commune: each town hall names its own and maps them to work types.
-- The work type groups categories served by the same material and equipment in one round.
CREATE TABLE categories (
  id serial PRIMARY KEY,
  commune_id integer NOT NULL REFERENCES communes (id) ON DELETE CASCADE,
  code text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,40}$'),
  label_fr text NOT NULL CHECK (char_length(label_fr) BETWEEN 1 AND 100),
  label_en text NOT NULL CHECK (char_length(label_en) BETWEEN 1 AND 100),
  icon text NOT NULL DEFAULT 'other' CHECK (icon ~ '^[a-z0-9_-]{1,40}$'),
  work_type text NOT NULL CHECK (work_type ~ '^[a-z0-9_]{1,40}$'),
  default_service_minutes integer NOT NULL CHECK (default_service_minutes BETWEEN 1 AND 480),
  default_priority text NOT NULL DEFAULT 'normal' CHECK (default_priority IN ('low', 'normal', 'high', 'danger')),
  active boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0,
  UNIQUE (commune_id, code)
);

-- Down Migration
DROP TABLE categories;
