-- Up Migration
-- Scheduled jobs that must run on one server instance at a time (the daily retention run): an
-- instance holds the row's lease while it works and records when the job last finished. A row
-- rather than an advisory lock: the embedded database shares one session between its
-- connections, where advisory locks would not exclude anything.
CREATE TABLE job_leases (
  name text PRIMARY KEY CHECK (name ~ '^[a-z_]{1,40}$'),
  holder uuid,
  locked_until timestamptz,
  last_finished_at timestamptz
);

-- Down Migration
DROP TABLE job_leases;
