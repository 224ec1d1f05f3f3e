-- Up Migration
-- Small key/value facts about the installation, e.g. that the demo commune was seeded once
-- (so deleting it later does not bring it back at the next start).
CREATE TABLE app_meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE app_meta;
