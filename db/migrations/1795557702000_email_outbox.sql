-- Up Migration
-- Notification emails waiting to be sent, and sent ones, kept in PostgreSQL so that a crash or
-- an SMTP outage loses nothing: workers of any server instance claim due rows with
-- FOR UPDATE SKIP LOCKED and a lease (locked_until), and mark a row sent only after the SMTP
-- server accepted the message. One row per history entry (event_id is the idempotency key:
-- never two emails for one event). No address is stored here: it is read from the report when
-- the email is sent, so erasing the report's contact data stops every pending email at once.
CREATE TABLE email_outbox (
  id bigserial PRIMARY KEY,
  event_id bigint NOT NULL UNIQUE REFERENCES report_events (id),
  report_id uuid NOT NULL REFERENCES reports (id),
  commune_id integer NOT NULL REFERENCES communes (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- The lease of the worker sending it now; a worker that died loses it when it ends.
  locked_until timestamptz,
  claim_id uuid,
  sent_at timestamptz,
  -- The last SMTP error, addresses removed.
  last_error text CHECK (char_length(last_error) <= 500),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
-- Workers look for due queued rows, oldest due first.
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at, id) WHERE status = 'queued';
-- Erasure, unsubscribing and retention remove a report's rows.
CREATE INDEX email_outbox_report_idx ON email_outbox (report_id);

-- Down Migration
DROP TABLE email_outbox;
