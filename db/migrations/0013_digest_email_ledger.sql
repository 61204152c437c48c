ALTER TABLE `email_deliveries` ADD `permanent` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Existing rows get their key below; every new row is written with one (app/jobs/digest-plan.server.ts).
ALTER TABLE `digest_deliveries` ADD `email_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `digest_deliveries` SET `email_key` = 'digest:' || `week` || ':user:' || `user_id`;--> statement-breakpoint
-- One ledger of sent email: what the digest recorded about its emails moves into `email_deliveries`
-- (the next migration drops the digest's copy). A digest "failed" was a failure that would happen
-- again, hence `permanent`; "pending" needs nothing (a missing or unsent ledger row means the same).
INSERT INTO `email_deliveries` (`idempotency_key`, `template`, `user_id`, `status`, `provider_id`, `error`, `attempts`, `permanent`, `created_at`, `sent_at`)
SELECT `email_key`, 'digest', `user_id`, `status`, `provider_message_id`, `last_error`, `attempts`, `status` = 'failed', `created_at`, `sent_at`
FROM `digest_deliveries` WHERE `status` IN ('sent', 'failed')
ON CONFLICT (`idempotency_key`) DO UPDATE SET
  `status` = excluded.`status`,
  `provider_id` = coalesce(`email_deliveries`.`provider_id`, excluded.`provider_id`),
  `error` = CASE WHEN excluded.`status` = 'sent' THEN NULL ELSE coalesce(`email_deliveries`.`error`, excluded.`error`) END,
  `permanent` = excluded.`permanent`,
  `sent_at` = coalesce(`email_deliveries`.`sent_at`, excluded.`sent_at`)
WHERE `email_deliveries`.`status` <> 'sent';
