CREATE TABLE `moderation_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reporter_user_id` integer NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text NOT NULL,
	`reason` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`note` text,
	`decided_by_user_id` integer,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`reporter_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `moderation_reports_once` ON `moderation_reports` (`reporter_user_id`,`object_type`,`object_id`);--> statement-breakpoint
CREATE INDEX `moderation_reports_status` ON `moderation_reports` (`status`,`created_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_user_id` integer,
	`action` text NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
-- [trust] The rows are copied with their place in the hash chain: each hash is SHA3-256 of the
-- previous hash and the row's canonical JSON, exactly as app/models/moderation/audit.server.ts
-- computes it for new rows.
INSERT INTO `__new_audit_log`("id", "actor_user_id", "action", "object_type", "object_id", "detail", "created_at", "hash")
WITH RECURSIVE chain(id, hash) AS (
  SELECT id, lower(hex(sha3(json_array(actor_user_id, action, object_type, object_id, detail, created_at))))
  FROM `audit_log` WHERE id = (SELECT min(id) FROM `audit_log`)
  UNION ALL
  SELECT a.id, lower(hex(sha3(chain.hash || json_array(a.actor_user_id, a.action, a.object_type, a.object_id, a.detail, a.created_at))))
  FROM chain JOIN `audit_log` a ON a.id = (SELECT min(id) FROM `audit_log` WHERE id > chain.id)
)
SELECT a."id", a."actor_user_id", a."action", a."object_type", a."object_id", a."detail", a."created_at", chain.hash
FROM `audit_log` a JOIN chain ON chain.id = a.id;--> statement-breakpoint
DROP TABLE `audit_log`;--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `audit_log_created` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_object` ON `audit_log` (`object_type`,`object_id`);--> statement-breakpoint
CREATE TABLE `audit_repeats` (
	`audit_id` integer PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	FOREIGN KEY (`audit_id`) REFERENCES `audit_log`(`id`) ON UPDATE no action ON DELETE no action
);
