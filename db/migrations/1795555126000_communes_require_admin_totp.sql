-- Up Migration
-- A commune can require a second factor (TOTP) for its admins: without it, an admin's session
-- keeps their other roles but not the admin rights there.
ALTER TABLE communes ADD COLUMN require_admin_totp boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE communes DROP COLUMN require_admin_totp;
