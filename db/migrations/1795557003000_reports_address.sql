-- Up Migration
-- The label of the nearest address when the report was made (or moved): what crews read in
-- their stop list and what the town hall searches ("rue de l'Église"). NULL far from any address.
ALTER TABLE reports ADD COLUMN address text CHECK (char_length(address) <= 250);
-- Searching reports by address, anywhere in the label.
CREATE INDEX reports_address_trgm_idx ON reports USING gin (vigie_normalise(address) gin_trgm_ops);
-- Free-text search of the town hall's list: address and description together.
CREATE INDEX reports_text_trgm_idx ON reports
  USING gin (vigie_normalise(coalesce(address, '') || ' ' || coalesce(description, '')) gin_trgm_ops);

-- Down Migration
ALTER TABLE reports DROP COLUMN address;
