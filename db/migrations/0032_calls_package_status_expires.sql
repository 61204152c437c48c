DROP INDEX `calls_package`;--> statement-breakpoint
CREATE INDEX `calls_package_status_expires` ON `calls` (`package_id`,`status`,`expires_on`);