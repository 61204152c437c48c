CREATE TABLE `digest_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`week` text NOT NULL,
	`user_id` integer NOT NULL,
	`status` text NOT NULL,
	`items` text NOT NULL,
	`provider_message_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_deliveries_week_user` ON `digest_deliveries` (`week`,`user_id`);--> statement-breakpoint
CREATE INDEX `digest_deliveries_user` ON `digest_deliveries` (`user_id`,`week`);--> statement-breakpoint
CREATE TABLE `digest_preferences` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`frequency` text DEFAULT 'weekly' NOT NULL,
	`paused_until` text,
	`sections` text DEFAULT '["calls","people","programs","transfers"]' NOT NULL,
	`day_of_week` integer DEFAULT 1 NOT NULL,
	`unsubscribed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `digest_runs` (
	`week` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`last_run_on` text,
	`summary` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `email_suppressions` (
	`address` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `match_dismissals` (
	`user_id` integer NOT NULL,
	`item_kind` text NOT NULL,
	`item_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `item_kind`, `item_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `outbox_emails` ADD `headers` text DEFAULT '{}' NOT NULL;