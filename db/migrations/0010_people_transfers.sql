CREATE TABLE `transfer_steps` (
	`transfer_id` integer NOT NULL,
	`step` text NOT NULL,
	`done_by_user_id` integer,
	`done_at` integer NOT NULL,
	PRIMARY KEY(`transfer_id`, `step`),
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`done_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `transfers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` integer NOT NULL,
	`successor_user_id` integer,
	`roadie_user_id` integer,
	`status` text DEFAULT 'in_progress' NOT NULL,
	`handoff_notes` text DEFAULT '' NOT NULL,
	`offered_to_user_id` integer,
	`offered_at` integer,
	`offered_all_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`successor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`roadie_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`offered_to_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transfers_call` ON `transfers` (`call_id`);--> statement-breakpoint
CREATE INDEX `transfers_status` ON `transfers` (`status`,`roadie_user_id`);--> statement-breakpoint
CREATE INDEX `transfers_roadie` ON `transfers` (`roadie_user_id`,`status`);