-- Up Migration
-- Roles are per commune: a user can be crew in one commune and supervisor in another.
CREATE TABLE user_roles (
  user_id uuid NOT NULL REFERENCES users (id),
  commune_id integer NOT NULL REFERENCES communes (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('crew', 'supervisor', 'admin')),
  granted_at timestamptz NOT NULL DEFAULT now(),
  -- NULL when granted by the command-line tool or the demo seed.
  granted_by uuid REFERENCES users (id),
  PRIMARY KEY (user_id, commune_id, role)
);
-- Admins list the users of their commune (the primary key serves lookups by user).
CREATE INDEX user_roles_commune_idx ON user_roles (commune_id);

-- Down Migration
DROP TABLE user_roles;
