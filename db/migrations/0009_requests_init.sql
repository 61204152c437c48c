CREATE TABLE `expert_pool_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`user_id` integer NOT NULL,
	`status` text NOT NULL,
	`evidence` text NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`last_assigned_at` integer,
	`applied_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by_user_id` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `expert_pool_members_kind_user` ON `expert_pool_members` (`kind`,`user_id`);--> statement-breakpoint
CREATE INDEX `expert_pool_members_user` ON `expert_pool_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `request_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`assigned_at` integer NOT NULL,
	`ended_at` integer,
	`end_reason` text,
	FOREIGN KEY (`request_id`) REFERENCES `special_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `request_assignments_request` ON `request_assignments` (`request_id`);--> statement-breakpoint
CREATE INDEX `request_assignments_user` ON `request_assignments` (`user_id`);--> statement-breakpoint
CREATE TABLE `request_deadline_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`days` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `request_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`type` text NOT NULL,
	`actor_user_id` integer,
	`subject_user_id` integer,
	`from_state` text,
	`to_state` text,
	`body` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `special_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`subject_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `request_events_request` ON `request_events` (`request_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `special_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`details` text NOT NULL,
	`severity` text,
	`confidential` integer NOT NULL,
	`state` text DEFAULT 'new' NOT NULL,
	`filed_by_user_id` integer,
	`assignee_user_id` integer,
	`ack_due_at` integer,
	`acknowledged_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`filed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `special_requests_package` ON `special_requests` (`package_id`);--> statement-breakpoint
CREATE INDEX `special_requests_assignee` ON `special_requests` (`assignee_user_id`,`state`);--> statement-breakpoint
CREATE INDEX `special_requests_ack_due` ON `special_requests` (`ack_due_at`);--> statement-breakpoint
CREATE INDEX `special_requests_public` ON `special_requests` (`confidential`,`state`);