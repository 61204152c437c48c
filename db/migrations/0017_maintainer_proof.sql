ALTER TABLE `package_maintainers` ADD `claimed_at` integer;--> statement-breakpoint
ALTER TABLE `package_maintainers` ADD `proof` text;