-- Up Migration
-- Moderation (issue 6): the town hall can hide a report from the public, publish an edited text
-- while the resident's original stays in `description`, hide a photo, or serve a redacted
-- rendition (faces, number plates blurred) instead of the original. Photos are shown to the
-- public only where the commune allows it and only once a moderator has looked at them.
ALTER TABLE reports
  ADD COLUMN hidden boolean NOT NULL DEFAULT false,
  ADD COLUMN public_description text CHECK (char_length(public_description) <= 2000);
ALTER TABLE photos
  ADD COLUMN hidden boolean NOT NULL DEFAULT false,
  ADD COLUMN redacted_sha256 text CHECK (redacted_sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN moderated_at timestamptz;
ALTER TABLE communes ADD COLUMN photos_public boolean NOT NULL DEFAULT false;
-- The orphan sweep asks which file hashes are still referenced, redacted renditions included.
CREATE INDEX photos_redacted_sha256_idx ON photos (redacted_sha256) WHERE redacted_sha256 IS NOT NULL;

-- Down Migration
DROP INDEX photos_redacted_sha256_idx;
ALTER TABLE communes DROP COLUMN photos_public;
ALTER TABLE photos DROP COLUMN moderated_at, DROP COLUMN redacted_sha256, DROP COLUMN hidden;
ALTER TABLE reports DROP COLUMN public_description, DROP COLUMN hidden;
