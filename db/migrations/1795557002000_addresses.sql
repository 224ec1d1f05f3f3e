-- Up Migration
-- Addresses of each commune, kept locally (imported from the Base Adresse Nationale, or the
-- demo's own): Vigie names a report's place and geocodes typed addresses without calling any
-- external service, so it works air-gapped.
CREATE TABLE addresses (
  id bigserial PRIMARY KEY,
  commune_id integer NOT NULL REFERENCES communes (id) ON DELETE CASCADE,
  -- "12", "12 bis"; NULL for a place without numbers (a lieu-dit)
  housenumber text CHECK (char_length(housenumber) BETWEEN 1 AND 20),
  -- street or lieu-dit name, e.g. "Rue de l'Église", "Kerbois"
  street text NOT NULL CHECK (char_length(street) BETWEEN 1 AND 200),
  postcode text CHECK (postcode ~ '^[0-9]{5}$'),
  -- what people read: "12 Rue de l'Église"
  label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 250),
  location geography(Point, 4326) NOT NULL,
  -- the import's own id (BAN "id"), so a re-import updates instead of duplicating
  source_id text CHECK (char_length(source_id) <= 100),
  UNIQUE (commune_id, source_id)
);
-- Naming a report's place: the nearest address within a few hundred metres (ST_DWithin + distance).
CREATE INDEX addresses_location_idx ON addresses USING gist (location);
-- Address search and autocomplete on the normalised label, anywhere in it.
CREATE INDEX addresses_search_trgm_idx ON addresses USING gin (vigie_normalise(label) gin_trgm_ops);
-- Per-commune listing and re-import.
CREATE INDEX addresses_commune_idx ON addresses (commune_id);

-- Down Migration
DROP TABLE addresses;
