-- Up Migration
-- The statistics (server/src/stats) aggregate every report of a commune by status, category,
-- priority, receipt and closure time. With these columns in the (commune_id, status) index,
-- PostgreSQL answers them from the index alone (an index-only scan of about 6 MB at 100,000
-- reports instead of the 40 MB table): measured on PostgreSQL 15 at 100,000 reports, the
-- reports-over-time query took about half the time. Same keys as before, so every query the
-- plain index served (staff lists, the planner's open reports) is served as well.
DROP INDEX reports_commune_status_idx;
CREATE INDEX reports_commune_status_idx ON reports (commune_id, status)
  INCLUDE (category_id, priority, received_at, closed_at);

-- Down Migration
DROP INDEX reports_commune_status_idx;
CREATE INDEX reports_commune_status_idx ON reports (commune_id, status);
