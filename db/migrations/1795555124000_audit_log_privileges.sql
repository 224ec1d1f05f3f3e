-- Up Migration
-- On a real server the application may connect as its own role, separate from the owner that
-- runs migrations. Name it once with `ALTER DATABASE vigie SET vigie.app_role = 'vigie_app'`
-- (before migrating): that role then also loses the privilege to UPDATE, DELETE or TRUNCATE
-- audit rows, in addition to the trigger. Without the setting (embedded database, one role)
-- only PUBLIC's privileges are revoked and the trigger is the guard.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
DO $$
DECLARE
  app_role text := nullif(current_setting('vigie.app_role', true), '');
BEGIN
  IF app_role IS NOT NULL AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app_role) THEN
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %I', app_role);
    EXECUTE format('GRANT SELECT, INSERT ON audit_log TO %I', app_role);
    EXECUTE format('GRANT USAGE ON SEQUENCE audit_log_id_seq TO %I', app_role);
  END IF;
END;
$$;

-- Down Migration
-- Privileges are left as they are: granting UPDATE or DELETE on the audit log back is never wanted.
SELECT 1;
