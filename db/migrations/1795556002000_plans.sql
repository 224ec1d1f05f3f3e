-- Up Migration
-- One crew-day round of one work type. Draft while the supervisor adjusts it, published to the
-- crew, closed at the end of the day (unfinished stops go back to the open pool).
CREATE TABLE plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  commune_id integer NOT NULL REFERENCES communes (id),
  plan_date date NOT NULL,
  work_type text NOT NULL,
  crew_id integer REFERENCES crews (id) ON DELETE SET NULL,
  crew_name text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
  depot geography(Point, 4326) NOT NULL,
  -- {name, lat, lon, arrivalMinute, serviceMinutes, travelMinutes, distanceMetres} or null
  supply jsonb,
  working_minutes integer NOT NULL,
  travel_minutes double precision NOT NULL,
  service_minutes double precision NOT NULL,
  total_minutes double precision NOT NULL,
  distance_m double precision NOT NULL,
  return_travel_minutes double precision NOT NULL,
  return_distance_m double precision NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The plans board and the crew's "today" list: a commune's plans of a day, by status.
CREATE INDEX plans_commune_date_idx ON plans (commune_id, plan_date, status);

-- Down Migration
DROP TABLE plans;
