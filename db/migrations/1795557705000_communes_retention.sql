-- Up Migration
-- How long personal data of closed reports is kept, per commune (GDPR storage limitation),
-- counted from reports.closed_at: the contact email (and the emails sent to it) for
-- contact_retention_months; the precise location, free texts and photos for
-- location_retention_years. Bounds as in server/src/contract/privacy.ts (RETENTION_LIMITS);
-- the location is never kept for less time than the contact email.
ALTER TABLE communes
  ADD COLUMN contact_retention_months integer NOT NULL DEFAULT 12
    CHECK (contact_retention_months BETWEEN 1 AND 36),
  ADD COLUMN location_retention_years integer NOT NULL DEFAULT 5
    CHECK (location_retention_years BETWEEN 1 AND 20),
  ADD CONSTRAINT communes_retention_order_check
    CHECK (location_retention_years * 12 >= contact_retention_months);

-- Down Migration
ALTER TABLE communes
  DROP CONSTRAINT communes_retention_order_check,
  DROP COLUMN location_retention_years,
  DROP COLUMN contact_retention_months;
