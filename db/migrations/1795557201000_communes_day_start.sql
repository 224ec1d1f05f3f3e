-- Up Migration
-- When the crews' working day starts (minutes after midnight, local time): rounds are timed
-- from leaving the depot, and screens and round sheets show arrivals as clock times from here.
ALTER TABLE communes
  ADD COLUMN day_start_minute smallint NOT NULL DEFAULT 480 CHECK (day_start_minute BETWEEN 0 AND 1439);

-- Down Migration
ALTER TABLE communes DROP COLUMN day_start_minute;
