ALTER TABLE `programs` ADD `anonymised_review` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `nominations` ADD `proposed_call` text;--> statement-breakpoint
ALTER TABLE `nominations` ADD `proposed_by_user_id` integer REFERENCES users(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `nominations` ADD `proposed_at` integer;--> statement-breakpoint
ALTER TABLE `nominations` ADD `answered_by_user_id` integer REFERENCES users(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `nominations` ADD `answered_at` integer;--> statement-breakpoint
ALTER TABLE `nominations` ADD `decline_reason` text;--> statement-breakpoint
ALTER TABLE `nominations` ADD `published_as` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `community_nomination` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Calls published from nominations before [trust] went out in a maintainer's name.
UPDATE `nominations` SET `published_as` = 'maintainer' WHERE `status` = 'published';