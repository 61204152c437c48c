-- [trust] The audit log is evidence: the database itself refuses to change or remove an entry, and
-- refuses an entry whose hash does not continue the chain (SHA3-256 of the previous row's hash, or
-- "" for the first row, followed by the row's canonical JSON; see app/models/moderation/audit.server.ts).
-- Created after 0019 rebuilt and re-chained the table, so the copy was not refused.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_chained` BEFORE INSERT ON `audit_log`
WHEN NEW.hash IS NOT lower(hex(sha3(
  COALESCE((SELECT hash FROM `audit_log` ORDER BY id DESC LIMIT 1), '')
  || json_array(NEW.actor_user_id, NEW.action, NEW.object_type, NEW.object_id, NEW.detail, NEW.created_at))))
BEGIN
  SELECT RAISE(ABORT, 'audit_log: the entry does not continue the hash chain');
END;
