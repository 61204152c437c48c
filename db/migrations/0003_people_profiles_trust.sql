CREATE TABLE `account_suspensions` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`suspended_by_user_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`suspended_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`role` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`term_ends_at` integer NOT NULL,
	`terms` integer DEFAULT 1 NOT NULL,
	`ended_at` integer,
	`proposal_id` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `memberships_role_status` ON `memberships` (`role`,`status`,`term_ends_at`);--> statement-breakpoint
CREATE INDEX `memberships_user` ON `memberships` (`user_id`,`role`);--> statement-breakpoint
CREATE TABLE `moderation_hides` (
	`object_type` text NOT NULL,
	`object_id` text NOT NULL,
	`reason` text NOT NULL,
	`hidden_by_user_id` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`object_type`, `object_id`),
	FOREIGN KEY (`hidden_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `nominations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_name` text NOT NULL,
	`normalized_name` text NOT NULL,
	`reason` text NOT NULL,
	`evidence` text DEFAULT '[]' NOT NULL,
	`details` text DEFAULT '' NOT NULL,
	`nominator_user_id` integer,
	`status` text DEFAULT 'open' NOT NULL,
	`close_reason` text,
	`call_id` integer,
	`triaged_by_user_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`nominator_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`triaged_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `nominations_status` ON `nominations` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `nominations_package` ON `nominations` (`normalized_name`);--> statement-breakpoint
CREATE TABLE `trust_proposals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`subject_user_id` integer NOT NULL,
	`proposed_by_user_id` integer,
	`motivation` text NOT NULL,
	`evidence` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`subject_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`proposed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `trust_proposals_status` ON `trust_proposals` (`status`,`kind`);--> statement-breakpoint
CREATE INDEX `trust_proposals_subject` ON `trust_proposals` (`subject_user_id`);--> statement-breakpoint
CREATE TABLE `trust_votes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`voter_user_id` integer,
	`choice` text NOT NULL,
	`comment` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`proposal_id`) REFERENCES `trust_proposals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`voter_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trust_votes_voter` ON `trust_votes` (`proposal_id`,`voter_user_id`);--> statement-breakpoint
CREATE TABLE `volunteer_profiles` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`roles_wanted` text DEFAULT '[]' NOT NULL,
	`django_versions` text DEFAULT '[]' NOT NULL,
	`categories` text DEFAULT '[]' NOT NULL,
	`open_to_takeover` integer DEFAULT false NOT NULL,
	`visibility` text DEFAULT 'public' NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
