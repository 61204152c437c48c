ALTER TABLE `package_metadata` ADD `downloads_last_month` integer;--> statement-breakpoint
ALTER TABLE `package_metadata` ADD `downloads_synced_at` integer;