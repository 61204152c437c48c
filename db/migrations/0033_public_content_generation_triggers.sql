-- [performance] Every write that changes which calls are listed, or in what order, bumps the
-- public-content generation (app/utils/page-cache.server.ts) in its own transaction, whoever writes
-- it: a form, a job, a script or a test. Memos of listings (app/utils/public-memo.server.ts) and the
-- anonymous page cache are tagged with it, so such a change is seen at once. A call's last day
-- passing changes no row: memos keep the day in their keys.
CREATE TRIGGER `public_content_call_inserted` AFTER INSERT ON `calls` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_call_updated` AFTER UPDATE ON `calls` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_call_deleted` AFTER DELETE ON `calls` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_call_skill_inserted` AFTER INSERT ON `call_skills` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_call_skill_updated` AFTER UPDATE ON `call_skills` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_call_skill_deleted` AFTER DELETE ON `call_skills` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_hide_inserted` AFTER INSERT ON `moderation_hides` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_hide_updated` AFTER UPDATE ON `moderation_hides` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_hide_deleted` AFTER DELETE ON `moderation_hides` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_suspension_inserted` AFTER INSERT ON `account_suspensions` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_suspension_deleted` AFTER DELETE ON `account_suspensions` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_package_renamed` AFTER UPDATE OF name, normalized_name ON `packages` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_package_deleted` AFTER DELETE ON `packages` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
