CREATE TABLE `transfer_confirmations` (
	`transfer_id` integer NOT NULL,
	`party` text NOT NULL,
	`user_id` integer,
	`step_down` integer DEFAULT false NOT NULL,
	`confirmed_at` integer NOT NULL,
	PRIMARY KEY(`transfer_id`, `party`),
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `transfer_step_checks` (
	`transfer_id` integer NOT NULL,
	`step` text NOT NULL,
	`checked_by_user_id` integer,
	`note` text NOT NULL,
	`checked_at` integer NOT NULL,
	PRIMARY KEY(`transfer_id`, `step`),
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`checked_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
ALTER TABLE `transfers` ADD `successor_permission` text;--> statement-breakpoint
ALTER TABLE `transfers` ADD `permission_checked_at` integer;