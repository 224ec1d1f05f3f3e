-- Up Migration
-- Where the crew loads the material of a work type before its round (e.g. the asphalt plant).
CREATE TABLE supply_points (
  commune_id integer NOT NULL REFERENCES communes (id) ON DELETE CASCADE,
  work_type text NOT NULL CHECK (work_type ~ '^[a-z0-9_]{1,40}$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  location geography(Point, 4326) NOT NULL,
  service_minutes integer NOT NULL DEFAULT 20 CHECK (service_minutes BETWEEN 0 AND 240),
  PRIMARY KEY (commune_id, work_type)
);

-- Down Migration
DROP TABLE supply_points;
