-- Up Migration
-- Abuse limits (sign-in attempts, report uploads) counted in fixed windows. In the database, not
-- in memory: every API instance behind a load balancer sees the same counts. The key is a
-- sha256 of what is counted (an IP address, an email, a reporter token), never the value.
CREATE TABLE rate_limits (
  bucket text NOT NULL CHECK (bucket ~ '^[a-z_]{1,40}$'),
  key_hash bytea NOT NULL CHECK (octet_length(key_hash) = 32),
  window_start timestamptz NOT NULL,
  hits integer NOT NULL CHECK (hits > 0),
  PRIMARY KEY (bucket, key_hash, window_start)
);
-- The periodic sweep deletes windows that have ended.
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);

-- Down Migration
DROP TABLE rate_limits;
