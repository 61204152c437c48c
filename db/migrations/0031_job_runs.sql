CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`attempt` integer NOT NULL,
	`trigger` text NOT NULL,
	`instance` text NOT NULL,
	`lease_holder` text NOT NULL,
	`requested_by` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`outcome` text DEFAULT 'running' NOT NULL,
	`error` text,
	`counts` text,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `job_runs_name_started` ON `job_runs` (`name`,`started_at`);--> statement-breakpoint
CREATE INDEX `job_runs_outcome` ON `job_runs` (`outcome`);--> statement-breakpoint
CREATE TABLE `job_state` (
	`name` text PRIMARY KEY NOT NULL,
	`last_slot_at` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	`retry_at` integer,
	`requested_at` integer,
	`requested_by` integer,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
