-- Up Migration
-- The residents who reported a duplicate are told too when the report kept in its place is
-- fixed or found not fixable: one email per history entry *and recipient report* (the kept
-- report's reporter, and each duplicate's), one per address (a resident who reported both
-- gets one email). Each row still reads its address from its own report when it is sent, so
-- erasing or unsubscribing on a duplicate stops its email alone.
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_event_id_key;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_event_report_key UNIQUE (event_id, report_id);

CREATE OR REPLACE FUNCTION email_outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.action = 'public_update' AND NEW.public)
     OR (NEW.to_status IN ('fixed', 'not_fixable', 'duplicate', 'rejected')
         AND NEW.from_status IS DISTINCT FROM NEW.to_status) THEN
    INSERT INTO email_outbox (event_id, report_id, commune_id)
    SELECT DISTINCT ON (lower(r.contact_email)) NEW.id, r.id, r.commune_id
      FROM reports r
     WHERE (r.id = NEW.report_id
            OR (NEW.to_status IN ('fixed', 'not_fixable')
                AND r.duplicate_of = NEW.report_id
                AND r.status = 'duplicate'))
       AND r.contact_email IS NOT NULL AND r.notifications_stopped_at IS NULL
     ORDER BY lower(r.contact_email), (r.id = NEW.report_id) DESC, r.received_at, r.id
    ON CONFLICT (event_id, report_id) DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION email_outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.action = 'public_update' AND NEW.public)
     OR (NEW.to_status IN ('fixed', 'not_fixable', 'duplicate', 'rejected')
         AND NEW.from_status IS DISTINCT FROM NEW.to_status) THEN
    INSERT INTO email_outbox (event_id, report_id, commune_id)
    SELECT NEW.id, r.id, r.commune_id
      FROM reports r
     WHERE r.id = NEW.report_id AND r.contact_email IS NOT NULL AND r.notifications_stopped_at IS NULL
    ON CONFLICT (event_id) DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$;
DELETE FROM email_outbox o USING report_events e WHERE e.id = o.event_id AND e.report_id <> o.report_id;
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_event_report_key;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_event_id_key UNIQUE (event_id);
