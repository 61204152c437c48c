-- [people] A "new-maintainer" call whose interest is accepted gets a transfer checklist, whatever
-- code accepted it. The interest's decision time is the transfer's start (keeps tests' clocks).
CREATE TRIGGER `transfers_on_interest_accepted` AFTER UPDATE OF status ON `call_interests`
WHEN new.status = 'accepted' AND old.status <> 'accepted'
  AND (SELECT kind FROM calls WHERE id = new.call_id) = 'new-maintainer'
BEGIN
  INSERT OR IGNORE INTO transfers (call_id, successor_user_id, status, handoff_notes, created_at, updated_at)
  VALUES (new.call_id, new.user_id, 'in_progress', '', COALESCE(new.decided_at, new.updated_at), COALESCE(new.decided_at, new.updated_at));
END;
--> statement-breakpoint
CREATE TRIGGER `transfers_on_interest_inserted_accepted` AFTER INSERT ON `call_interests`
WHEN new.status = 'accepted' AND (SELECT kind FROM calls WHERE id = new.call_id) = 'new-maintainer'
BEGIN
  INSERT OR IGNORE INTO transfers (call_id, successor_user_id, status, handoff_notes, created_at, updated_at)
  VALUES (new.call_id, new.user_id, 'in_progress', '', COALESCE(new.decided_at, new.updated_at), COALESCE(new.decided_at, new.updated_at));
END;
