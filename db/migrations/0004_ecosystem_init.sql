CREATE TABLE `compat_drives` (
	`version` text PRIMARY KEY NOT NULL,
	`thread_url` text,
	`updated_by_user_id` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`version`) REFERENCES `django_releases`(`version`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `compat_reports` (
	`package_id` integer NOT NULL,
	`version` text NOT NULL,
	`status` text NOT NULL,
	`reported_by_user_id` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`package_id`, `version`),
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version`) REFERENCES `django_releases`(`version`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reported_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `compat_reports_version` ON `compat_reports` (`version`);--> statement-breakpoint
CREATE TABLE `maintenance_checkins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`quarter` text NOT NULL,
	`sent_at` integer NOT NULL,
	`answer` text,
	`answered_at` integer,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `maintenance_checkins_once` ON `maintenance_checkins` (`package_id`,`user_id`,`quarter`);--> statement-breakpoint
CREATE INDEX `maintenance_checkins_package` ON `maintenance_checkins` (`package_id`,`answered_at`);--> statement-breakpoint
CREATE TABLE `package_metadata` (
	`package_id` integer PRIMARY KEY NOT NULL,
	`latest_version` text,
	`latest_release_on` text,
	`release_dates` text DEFAULT '[]' NOT NULL,
	`requires_python` text,
	`license` text,
	`project_urls` text DEFAULT '{}' NOT NULL,
	`pypi_etag` text,
	`pypi_synced_at` integer,
	`pypi_missing` integer DEFAULT false NOT NULL,
	`github_stars` integer,
	`github_open_issues` integer,
	`github_pushed_at` integer,
	`github_archived` integer,
	`github_default_branch` text,
	`github_license` text,
	`github_etag` text,
	`github_synced_at` integer,
	`last_error` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `release_date_corrections` (
	`version` text NOT NULL,
	`milestone` text NOT NULL,
	`date` text,
	`confirmed` integer NOT NULL,
	`updated_by_user_id` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`version`, `milestone`),
	FOREIGN KEY (`version`) REFERENCES `django_releases`(`version`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trigger` text NOT NULL,
	`total` integer NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `sync_runs_started` ON `sync_runs` (`started_at`);