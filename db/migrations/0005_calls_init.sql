CREATE TABLE `announcement_webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`url` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_by_user_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `call_announcements` (
	`webhook_id` integer NOT NULL,
	`call_id` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`sent_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`webhook_id`, `call_id`),
	FOREIGN KEY (`webhook_id`) REFERENCES `announcement_webhooks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `call_announcements_due` ON `call_announcements` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `call_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` integer NOT NULL,
	`actor_user_id` integer,
	`kind` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`note` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `call_events_call` ON `call_events` (`call_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `call_interests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`message` text NOT NULL,
	`share_email` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`decision_message` text,
	`decided_by_user_id` integer,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `call_interests_call_user` ON `call_interests` (`call_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `call_interests_user` ON `call_interests` (`user_id`);--> statement-breakpoint
CREATE TABLE `call_skills` (
	`call_id` integer NOT NULL,
	`skill_id` text NOT NULL,
	`level` text NOT NULL,
	PRIMARY KEY(`call_id`, `skill_id`),
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`skill_id`) REFERENCES `skills`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `call_skills_skill` ON `call_skills` (`skill_id`);--> statement-breakpoint
CREATE TABLE `calls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`hours_per_week` integer NOT NULL,
	`django_versions` text DEFAULT '[]' NOT NULL,
	`urgency` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`expires_on` text NOT NULL,
	`posted_by_user_id` integer,
	`filled_by_user_id` integer,
	`outcome_note` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`filled_at` integer,
	`closed_at` integer,
	`time_to_fill_ms` integer,
	`expiry_reminder_sent_at` integer,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`posted_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`filled_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `calls_status_created` ON `calls` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `calls_status_expires` ON `calls` (`status`,`expires_on`);--> statement-breakpoint
CREATE INDEX `calls_package` ON `calls` (`package_id`);--> statement-breakpoint
CREATE INDEX `calls_kind` ON `calls` (`kind`);