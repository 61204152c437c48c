ALTER TABLE `expert_pool_members` ADD `via_trust_role` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Seats taken without an admin (a roadie or working-group member joining a non-security pool) were
-- written with no decider and decided_at = applied_at: mark them so they end with the role.
UPDATE `expert_pool_members` SET `via_trust_role` = 1
  WHERE `status` = 'active' AND `decided_by_user_id` IS NULL AND `decided_at` = `applied_at` AND `kind` <> 'security';
