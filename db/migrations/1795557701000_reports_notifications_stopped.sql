-- Up Migration
-- When the resident unsubscribed from this report's emails (one-click link): no email is queued
-- for the report afterwards. The contact email itself stays until erased or expired (the town
-- hall may still need to reach the resident about the report).
ALTER TABLE reports ADD COLUMN notifications_stopped_at timestamptz;

-- Down Migration
ALTER TABLE reports DROP COLUMN notifications_stopped_at;
