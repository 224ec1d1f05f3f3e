-- Up Migration
-- Text as searched: lower case, French accents and ligatures folded, anything that is not a
-- letter or digit turned into one space. "Rue de l'Église" and "rue de l eglise" both become
-- "rue de l eglise". IMMUTABLE so that indexes can be built on it; the unaccent extension is
-- not usable here (its function is only STABLE).
CREATE FUNCTION vigie_normalise(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT trim(regexp_replace(
    translate(replace(replace(lower(t), 'œ', 'oe'), 'æ', 'ae'),
              'àâäáãåçéèêëíìîïñóòôöõúùûüýÿ', 'aaaaaaceeeeiiiinooooouuuuyy'),
    '[^a-z0-9]+', ' ', 'g'))
$$;

-- Down Migration
DROP FUNCTION vigie_normalise(text);
