-- Up Migration
-- Open311's GET requests reads one commune's reports in a date window (90 days by default),
-- newest first, up to 1000: this index answers it without walking other communes' reports.
CREATE INDEX reports_commune_received_idx ON reports (commune_id, received_at DESC, id DESC);

-- Down Migration
DROP INDEX reports_commune_received_idx;
