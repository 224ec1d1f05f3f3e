-- Up Migration
-- When the retention job rounded the report's location, cleared its texts and photos and
-- redacted its history: such a report is not processed again (a second run changes nothing).
ALTER TABLE reports ADD COLUMN anonymised_at timestamptz;

-- Down Migration
ALTER TABLE reports DROP COLUMN anonymised_at;
