-- Custom SQL migration file, put your code below! ---- Full-text search over calls (title, description, package name), ranked with bm25.
-- Standalone FTS5 table keyed by rowid = calls.id, kept in step by triggers.
CREATE VIRTUAL TABLE `calls_fts` USING fts5(title, description, package_name, tokenize = 'porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `calls_fts_insert` AFTER INSERT ON `calls` BEGIN
  INSERT INTO calls_fts(rowid, title, description, package_name)
  VALUES (new.id, new.title, new.description, (SELECT name || ' ' || normalized_name FROM packages WHERE id = new.package_id));
END;
--> statement-breakpoint
CREATE TRIGGER `calls_fts_update` AFTER UPDATE OF title, description, package_id ON `calls` BEGIN
  DELETE FROM calls_fts WHERE rowid = old.id;
  INSERT INTO calls_fts(rowid, title, description, package_name)
  VALUES (new.id, new.title, new.description, (SELECT name || ' ' || normalized_name FROM packages WHERE id = new.package_id));
END;
--> statement-breakpoint
CREATE TRIGGER `calls_fts_delete` AFTER DELETE ON `calls` BEGIN
  DELETE FROM calls_fts WHERE rowid = old.id;
END;
