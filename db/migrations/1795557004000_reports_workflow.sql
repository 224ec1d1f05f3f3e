-- Up Migration
-- The report workflow (issue 6): a duplicate points at the report that is kept, a rejection
-- (or a "not fixable") says why, and closed_at records when the report left the open statuses,
-- which time-to-fix statistics and retention periods are counted from.
ALTER TABLE reports
  ADD COLUMN duplicate_of uuid REFERENCES reports (id),
  ADD COLUMN status_reason text CHECK (char_length(status_reason) <= 1000),
  ADD COLUMN closed_at timestamptz;
-- Reports closed before this column existed: closed when they entered their status.
UPDATE reports r
   SET closed_at = coalesce(
         (SELECT max(e.at) FROM report_events e WHERE e.report_id = r.id AND e.to_status = r.status),
         r.updated_at)
 WHERE r.status IN ('fixed', 'not_fixable', 'duplicate', 'rejected');
-- Only a duplicate points at a kept report (and never at itself). A duplicate marked before
-- this migration has no link; the workflow requires one for every new duplicate.
ALTER TABLE reports
  ADD CONSTRAINT reports_duplicate_of_check
    CHECK ((duplicate_of IS NULL OR status = 'duplicate') AND duplicate_of IS DISTINCT FROM id),
  ADD CONSTRAINT reports_closed_at_check
    CHECK ((status IN ('fixed', 'not_fixable', 'duplicate', 'rejected')) = (closed_at IS NOT NULL));
-- A report's duplicates, listed on its page and moved along when it is merged.
CREATE INDEX reports_duplicate_of_idx ON reports (duplicate_of) WHERE duplicate_of IS NOT NULL;
-- Time-to-fix statistics and the retention job read closed reports of a commune by closure date.
CREATE INDEX reports_commune_closed_idx ON reports (commune_id, closed_at) WHERE closed_at IS NOT NULL;

-- Down Migration
ALTER TABLE reports
  DROP CONSTRAINT reports_closed_at_check,
  DROP CONSTRAINT reports_duplicate_of_check,
  DROP COLUMN closed_at,
  DROP COLUMN status_reason,
  DROP COLUMN duplicate_of;
