-- Up Migration
-- Server-side staff sessions. Only the sha256 of the session id is stored: a copy of this
-- table does not let anyone sign in. Idle expiry is last_seen_at + the configured idle time;
-- expires_at is the absolute end, fixed at sign-in.
CREATE TABLE sessions (
  id_hash bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- "Remember me": the cookie outlives the browser session (up to expires_at).
  remember boolean NOT NULL DEFAULT false,
  -- Signed in with the second factor (needed for admin rights where the commune requires it).
  mfa boolean NOT NULL DEFAULT false,
  ip text,
  user_agent text CHECK (char_length(user_agent) <= 400)
);
-- Disabling a user or changing a password ends all of its sessions at once.
CREATE INDEX sessions_user_idx ON sessions (user_id);
-- The periodic sweep deletes sessions past their absolute expiry.
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Down Migration
DROP TABLE sessions;
