-- Up Migration
-- Staff accounts: road crews, town hall staff, operators. Residents have no account (their
-- device keeps a reporter token). Accounts are disabled, never deleted, so the audit log and
-- report histories keep pointing at someone.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stored lower-cased: one account per address, whatever the case typed at sign-in.
  email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND email = lower(email)),
  -- argon2id PHC string (salt and parameters included); never the password.
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  -- Deployment-wide operator: every commune, every permission.
  superadmin boolean NOT NULL DEFAULT false,
  disabled_at timestamptz,
  -- TOTP second factor (RFC 6238, base32). The pending secret waits for a first valid code.
  totp_secret text,
  totp_pending_secret text,
  totp_enabled_at timestamptz,
  -- Last accepted 30-second step: a code is never accepted twice.
  totp_last_step bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Sign-in finds the account by its email; the unique index also makes "one account per address" hold.
CREATE UNIQUE INDEX users_email_idx ON users (email);

-- Down Migration
DROP TABLE users;
