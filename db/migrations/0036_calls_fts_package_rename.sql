-- Custom SQL migration file, put your code below! ---- A call is found by its package's name (calls_fts.package_name, migration calls_fts). Its
-- triggers on calls kept that column in step only when the call itself changed, so a renamed
-- package's calls were still found by the old name. This trigger follows every writer that renames
-- a package, in the writer's own transaction.
CREATE TRIGGER `calls_fts_package_renamed` AFTER UPDATE OF name, normalized_name ON `packages` BEGIN
  DELETE FROM calls_fts WHERE rowid IN (SELECT id FROM calls WHERE package_id = new.id);
  INSERT INTO calls_fts(rowid, title, description, package_name)
  SELECT id, title, description, new.name || ' ' || new.normalized_name FROM calls WHERE package_id = new.id;
END;
