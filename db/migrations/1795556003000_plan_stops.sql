-- Up Migration
-- The ordered stops of a plan, and what the crew did there.
CREATE TABLE plan_stops (
  plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  report_id uuid NOT NULL REFERENCES reports (id),
  position smallint NOT NULL CHECK (position >= 1),
  arrival_minute double precision NOT NULL,
  service_minutes double precision NOT NULL,
  travel_minutes double precision NOT NULL,
  distance_m double precision NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'not_fixable', 'skipped')),
  note text CHECK (char_length(note) <= 2000),
  -- when the crew did it (from the phone, which may sync hours later)
  done_at timestamptz,
  after_photo_sha256 text CHECK (after_photo_sha256 ~ '^[0-9a-f]{64}$'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, report_id)
);
-- "Is this report already in a plan?" when previewing and saving.
CREATE INDEX plan_stops_report_idx ON plan_stops (report_id);

-- Down Migration
DROP TABLE plan_stops;
