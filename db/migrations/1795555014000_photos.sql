-- Up Migration
-- Photos of a report. Files are content-addressed (sha256 of the re-encoded JPEG) under
-- UPLOADS_DIR and written before this row, so a row never points at a missing file.
CREATE TABLE photos (
  report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position smallint NOT NULL CHECK (position BETWEEN 1 AND 4),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  width integer NOT NULL CHECK (width > 0),
  height integer NOT NULL CHECK (height > 0),
  bytes integer NOT NULL CHECK (bytes > 0),
  PRIMARY KEY (report_id, position)
);
-- The orphan sweep asks which file hashes are still referenced.
CREATE INDEX photos_sha256_idx ON photos (sha256);

-- Down Migration
DROP TABLE photos;
