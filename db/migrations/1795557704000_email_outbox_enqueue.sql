-- Up Migration
-- Every history entry that closes a report (fixed, not_fixable, duplicate, rejected) or is a
-- public update queues one email, in the same transaction, when the report has a contact email
-- and its resident has not unsubscribed. A trigger rather than a call in the application: no
-- code path (the workflow, a crew's stop update, Open311, a future import) can record such an
-- entry without queueing the email, and none can queue it without the entry committing.
CREATE FUNCTION email_outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER report_events_enqueue_email AFTER INSERT ON report_events
  FOR EACH ROW EXECUTE FUNCTION email_outbox_enqueue();

-- Down Migration
DROP TRIGGER report_events_enqueue_email ON report_events;
DROP FUNCTION email_outbox_enqueue();
