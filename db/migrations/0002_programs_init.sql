CREATE TABLE `application_answers` (
	`application_id` integer NOT NULL,
	`question_id` integer NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`application_id`, `question_id`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `program_questions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `application_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`author_user_id` integer,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `application_comments_application` ON `application_comments` (`application_id`);--> statement-breakpoint
CREATE TABLE `application_scores` (
	`application_id` integer NOT NULL,
	`reviewer_user_id` integer NOT NULL,
	`scores` text NOT NULL,
	`total` real NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`application_id`, `reviewer_user_id`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `applications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`role_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`project_ranking` text DEFAULT '[]' NOT NULL,
	`timezone` text,
	`available_from` integer,
	`available_to` integer,
	`decision` text,
	`decided_by_user_id` integer,
	`decision_sent_at` integer,
	`declined_at` integer,
	`submitted_at` integer,
	`withdrawn_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`role_id`) REFERENCES `program_roles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `applications_person_role` ON `applications` (`program_id`,`role_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `applications_program_status` ON `applications` (`program_id`,`status`);--> statement-breakpoint
CREATE INDEX `applications_user` ON `applications` (`user_id`);--> statement-breakpoint
CREATE TABLE `mentoring_projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`program_id` integer,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`skills` text DEFAULT '[]' NOT NULL,
	`size` text NOT NULL,
	`mentor_user_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`mentor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `mentoring_projects_program` ON `mentoring_projects` (`program_id`);--> statement-breakpoint
CREATE INDEX `mentoring_projects_package` ON `mentoring_projects` (`package_id`);--> statement-breakpoint
CREATE TABLE `program_alumni` (
	`program_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`role_name` text NOT NULL,
	`completed_at` integer NOT NULL,
	`recorded_by_user_id` integer,
	PRIMARY KEY(`program_id`, `user_id`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `program_alumni_user` ON `program_alumni` (`user_id`);--> statement-breakpoint
CREATE TABLE `program_decision_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`sent_by_user_id` integer,
	`application_count` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sent_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `program_decision_runs_program` ON `program_decision_runs` (`program_id`);--> statement-breakpoint
CREATE TABLE `program_group_members` (
	`group_id` integer NOT NULL,
	`application_id` integer NOT NULL,
	`is_mentor` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`group_id`, `application_id`),
	FOREIGN KEY (`group_id`) REFERENCES `program_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `program_group_members_application` ON `program_group_members` (`application_id`);--> statement-breakpoint
CREATE TABLE `program_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`name` text NOT NULL,
	`confirmed_at` integer,
	`emailed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `program_groups_program` ON `program_groups` (`program_id`);--> statement-breakpoint
CREATE TABLE `program_organisers` (
	`program_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`program_id`, `user_id`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `program_organisers_user` ON `program_organisers` (`user_id`);--> statement-breakpoint
CREATE TABLE `program_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`help` text DEFAULT '' NOT NULL,
	`required` integer DEFAULT false NOT NULL,
	`max_length` integer,
	`options` text DEFAULT '[]' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`archived_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `program_questions_program` ON `program_questions` (`program_id`,`position`);--> statement-breakpoint
CREATE TABLE `program_roles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`capacity` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `program_roles_name` ON `program_roles` (`program_id`,lower("name"));--> statement-breakpoint
CREATE TABLE `programs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`organisation` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`website` text,
	`season_start` text NOT NULL,
	`season_end` text NOT NULL,
	`opens_on` text NOT NULL,
	`closes_on` text NOT NULL,
	`window_timezone` text DEFAULT 'AoE' NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`rubric` text DEFAULT '[]' NOT NULL,
	`group_rules` text DEFAULT 'null' NOT NULL,
	`created_by_user_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `programs_slug` ON `programs` (`slug`);--> statement-breakpoint
CREATE INDEX `programs_window` ON `programs` (`opens_at`,`closes_at`);