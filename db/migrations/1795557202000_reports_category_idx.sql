-- Up Migration
-- "Is this category used by a report?" when an admin renames a code or deletes a category (codes
-- become immutable once used), and the foreign key check when a category is deleted.
CREATE INDEX reports_category_idx ON reports (category_id);

-- Down Migration
DROP INDEX reports_category_idx;
