-- Up Migration
-- One-click unsubscribe links (RFC 8058). Each email carries a fresh random token; only its
-- sha256 is kept, so a copy of the database lets nobody unsubscribe anyone. Removed with the
-- report's contact data (erasure, retention).
CREATE TABLE email_unsubscribe_tokens (
  token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  report_id uuid NOT NULL REFERENCES reports (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Erasure and retention delete a report's tokens.
CREATE INDEX email_unsubscribe_tokens_report_idx ON email_unsubscribe_tokens (report_id);

-- Down Migration
DROP TABLE email_unsubscribe_tokens;
