-- [performance] A subject's conversation is now made by the write that begins it (an interest
-- accepted, a handover started, a request filed or reopened, an application submitted:
-- app/models/conversations/threads.server.ts `makeThreadWrite`), so pages only read threads. The
-- subjects open before that got theirs on a member's first visit; those still without one get it
-- here, once. "Open" is membership.server.ts `openSubjectSql` as of this migration.
INSERT INTO threads (subject_type, subject_id, created_at, updated_at)
SELECT 'interest', id, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM call_interests WHERE status = 'accepted'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO threads (subject_type, subject_id, created_at, updated_at)
SELECT 'transfer', id, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM transfers WHERE status <> 'cancelled'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO threads (subject_type, subject_id, created_at, updated_at)
SELECT 'request', id, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM special_requests WHERE state <> 'closed'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO threads (subject_type, subject_id, created_at, updated_at)
SELECT 'application', id, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM applications WHERE status = 'submitted'
ON CONFLICT DO NOTHING;
