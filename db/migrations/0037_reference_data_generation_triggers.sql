-- [performance] Writes to the reference data pages pick from (skills, Django releases and their
-- corrections) bump the public-content generation (app/utils/page-cache.server.ts), as 0033 does
-- for the listing's tables, whoever writes: the reference seed at start-up (its upserts change only
-- rows that differ), an admin's correction, a script. The /calls filter's choices are remembered per
-- generation (callFilterChoices), and cached anonymous pages that show releases follow too.
CREATE TRIGGER `public_content_skill_inserted` AFTER INSERT ON `skills` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_skill_updated` AFTER UPDATE ON `skills` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_skill_deleted` AFTER DELETE ON `skills` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_django_release_inserted` AFTER INSERT ON `django_releases` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_django_release_updated` AFTER UPDATE ON `django_releases` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_django_release_deleted` AFTER DELETE ON `django_releases` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_release_correction_inserted` AFTER INSERT ON `release_date_corrections` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_release_correction_updated` AFTER UPDATE ON `release_date_corrections` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_content_release_correction_deleted` AFTER DELETE ON `release_date_corrections` BEGIN
  INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
END;
