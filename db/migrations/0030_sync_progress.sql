ALTER TABLE `sync_runs` ADD `all_packages` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `fresh_since` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `resumed_run_id` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `requests` text;