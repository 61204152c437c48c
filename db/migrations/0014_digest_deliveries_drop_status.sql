ALTER TABLE `digest_deliveries` DROP COLUMN `status`;--> statement-breakpoint
ALTER TABLE `digest_deliveries` DROP COLUMN `provider_message_id`;--> statement-breakpoint
ALTER TABLE `digest_deliveries` DROP COLUMN `attempts`;--> statement-breakpoint
ALTER TABLE `digest_deliveries` DROP COLUMN `last_error`;--> statement-breakpoint
ALTER TABLE `digest_deliveries` DROP COLUMN `sent_at`;