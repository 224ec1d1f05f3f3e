-- Up Migration
-- Who works in which crew: a crew member's "today" list shows their crew's rounds first.
-- Admins manage it; a user may belong to several crews (a relief driver), of their communes only.
CREATE TABLE crew_members (
  crew_id integer NOT NULL REFERENCES crews (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  -- NULL when added by the command-line tool or a seed.
  added_by uuid REFERENCES users (id),
  PRIMARY KEY (crew_id, user_id)
);
-- "Which crews is this user in?" on every crew list request (the primary key serves lookups by crew).
CREATE INDEX crew_members_user_idx ON crew_members (user_id);

-- Down Migration
DROP TABLE crew_members;
