CREATE TABLE `notification_emails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`thread_id` integer,
	`notification_ids` text NOT NULL,
	`created_at` integer NOT NULL,
	`done_at` integer,
	`outcome` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_emails_key` ON `notification_emails` (`key`);--> statement-breakpoint
CREATE INDEX `notification_emails_pending` ON `notification_emails` (`done_at`);--> statement-breakpoint
CREATE INDEX `notification_emails_user` ON `notification_emails` (`user_id`,`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `user_emails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`address` text NOT NULL,
	`verified_at` integer,
	`for_notifications` integer DEFAULT false NOT NULL,
	`verification_sent_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_emails_user_address` ON `user_emails` (`user_id`,lower("address"));--> statement-breakpoint
CREATE INDEX `user_emails_user` ON `user_emails` (`user_id`);