CREATE TABLE `guide_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guide_id` integer NOT NULL,
	`number` integer NOT NULL,
	`body` text NOT NULL,
	`author_user_id` integer,
	`published_by_user_id` integer,
	`note` text NOT NULL,
	`suggestion_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`guide_id`) REFERENCES `guides`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`published_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `guide_revisions_number` ON `guide_revisions` (`guide_id`,`number`);--> statement-breakpoint
CREATE INDEX `guide_revisions_created` ON `guide_revisions` (`created_at`);--> statement-breakpoint
CREATE TABLE `guide_suggestion_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`suggestion_id` integer NOT NULL,
	`author_user_id` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`suggestion_id`) REFERENCES `guide_suggestions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `guide_suggestion_comments_suggestion` ON `guide_suggestion_comments` (`suggestion_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `guide_suggestions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guide_id` integer NOT NULL,
	`author_user_id` integer NOT NULL,
	`base_revision` integer NOT NULL,
	`body` text NOT NULL,
	`note` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`decided_by_user_id` integer,
	`decided_at` integer,
	`decline_reason` text,
	`published_revision` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`guide_id`) REFERENCES `guides`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `guide_suggestions_status` ON `guide_suggestions` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `guide_suggestions_author` ON `guide_suggestions` (`author_user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `guides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`owner_user_id` integer,
	`current_revision` integer DEFAULT 0 NOT NULL,
	`last_reviewed_at` integer NOT NULL,
	`last_reviewed_by_user_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`last_reviewed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `guides_slug` ON `guides` (`slug`);