DROP INDEX `calls_status_created`;--> statement-breakpoint
CREATE INDEX `calls_status_created_listed` ON `calls` (`status`,`created_at`,`expires_on`,`posted_by_user_id`);