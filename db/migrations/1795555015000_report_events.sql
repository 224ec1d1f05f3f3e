-- Up Migration
-- Append-only history of every change to a report: who, what, when, from/to.
CREATE TABLE report_events (
  id bigserial PRIMARY KEY,
  report_id uuid NOT NULL REFERENCES reports (id),
  commune_id integer NOT NULL REFERENCES communes (id),
  at timestamptz NOT NULL DEFAULT now(),
  actor_kind text NOT NULL CHECK (actor_kind IN ('reporter', 'staff', 'system')),
  actor_id text,
  action text NOT NULL CHECK (action ~ '^[a-z_]{1,40}$'),
  from_status text,
  to_status text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- false for internal notes and staff-only changes
  public boolean NOT NULL DEFAULT true
);
-- A report's timeline, in order.
CREATE INDEX report_events_report_idx ON report_events (report_id, id);

CREATE FUNCTION report_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report_events is append-only';
END;
$$;
CREATE TRIGGER report_events_no_update BEFORE UPDATE OR DELETE ON report_events
  FOR EACH ROW EXECUTE FUNCTION report_events_append_only();
CREATE TRIGGER report_events_no_truncate BEFORE TRUNCATE ON report_events
  FOR EACH STATEMENT EXECUTE FUNCTION report_events_append_only();

-- Down Migration
DROP TABLE report_events;
DROP FUNCTION report_events_append_only();
