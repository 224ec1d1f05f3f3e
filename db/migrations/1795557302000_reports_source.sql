-- Up Migration
-- Where a report came from: the resident app ('app') or an Open311 GeoReport v2 client
-- ('open311'). Existing reports all came from the app.
ALTER TABLE reports ADD COLUMN source text NOT NULL DEFAULT 'app' CHECK (source IN ('app', 'open311'));

-- Down Migration
ALTER TABLE reports DROP COLUMN source;
