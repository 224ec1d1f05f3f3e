-- Up Migration
-- API keys of Open311 GeoReport v2 clients (a départemental portal, a third-party app), one
-- commune each: a key may post service requests into its commune only. Only a sha256 of the key
-- is kept (keys are long random secrets, printed once by `open311:key`); `prefix` is the key's
-- first characters, so an administrator can tell keys apart when revoking one.
CREATE TABLE open311_keys (
  id serial PRIMARY KEY,
  commune_id integer NOT NULL REFERENCES communes (id) ON DELETE CASCADE,
  key_hash bytea NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
  prefix text NOT NULL CHECK (prefix ~ '^[A-Za-z0-9_-]{4,16}$'),
  -- who the key was issued to, e.g. "Portail du département"
  label text CHECK (char_length(label) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
-- `open311:keys --commune S` lists a commune's keys (the UNIQUE index on key_hash serves lookups).
CREATE INDEX open311_keys_commune_idx ON open311_keys (commune_id);

-- Down Migration
DROP TABLE open311_keys;
