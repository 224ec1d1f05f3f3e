-- Up Migration
-- Who did what, where and when: sign-ins, role changes, status changes, moderation, exports,
-- denied accesses. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE for every role
-- (it works on the embedded database too). No foreign keys: rows must outlive what they name.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  -- An instant (timestamptz is stored in UTC); shown in UTC by the API.
  at timestamptz NOT NULL DEFAULT now(),
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'reporter', 'anonymous', 'cli', 'system')),
  actor_user_id uuid,
  commune_id integer,
  action text NOT NULL CHECK (action ~ '^[a-z_]{1,40}$'),
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  object_type text CHECK (object_type ~ '^[a-z_]{1,40}$'),
  object_id text CHECK (char_length(object_id) <= 200),
  request_id text CHECK (char_length(request_id) <= 64),
  ip text CHECK (char_length(ip) <= 64),
  data jsonb NOT NULL DEFAULT '{}'::jsonb
);
-- Commune admins read their commune's log, newest first.
CREATE INDEX audit_log_commune_idx ON audit_log (commune_id, at DESC);
-- One account's activity (its sign-ins, what it changed), newest first.
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
