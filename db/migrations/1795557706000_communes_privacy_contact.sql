-- Up Migration
-- How residents reach the town hall (or its data protection officer) to exercise their rights:
-- printed in the commune's privacy notice. NULL: the notice names the town hall only.
ALTER TABLE communes ADD COLUMN privacy_contact text CHECK (char_length(privacy_contact) <= 500);

-- Down Migration
ALTER TABLE communes DROP COLUMN privacy_contact;
