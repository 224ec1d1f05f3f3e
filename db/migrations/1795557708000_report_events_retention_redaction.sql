-- Up Migration
-- report_events stays append-only, with one narrow exception for the retention job: inside a
-- transaction that set `vigie.retention_redaction` to 'on' (SET LOCAL, see retention.repo.ts),
-- an UPDATE may only remove keys from `data` (notes, texts, old locations) and mark it
-- {"redacted": true}; every other column must stay as it was. Any other UPDATE, any DELETE or
-- TRUNCATE still fails, with or without the setting. Each run is written to the audit log with
-- its counts.
CREATE OR REPLACE FUNCTION report_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('vigie.retention_redaction', true) = 'on'
     AND (to_jsonb(NEW) - 'data') = (to_jsonb(OLD) - 'data')
     AND NEW.data -> 'redacted' = 'true'::jsonb
     AND OLD.data @> (NEW.data - 'redacted') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'report_events is append-only';
END;
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION report_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report_events is append-only';
END;
$$;
