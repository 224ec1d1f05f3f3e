-- Up Migration
-- The language the resident used when they left their email (fr or en): notification emails
-- are written in it, French when unknown. Kept only alongside a contact email, and removed with it.
ALTER TABLE reports ADD COLUMN contact_locale text CHECK (contact_locale IN ('fr', 'en'));

-- Down Migration
ALTER TABLE reports DROP COLUMN contact_locale;
