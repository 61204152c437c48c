// A fresh database for a group of tests that must not see rows left by the tests before them.
// Each test file opens its database through a symbolic link (tests/setup/worker.ts); a fresh
// database is a new copy of the run's migrated, reference-seeded base database with the link moved
// onto it. The old file is left alone: a connection SQLite has not finished closing may still hold it.
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { basename, dirname, resolve } from "node:path";
import { beforeAll, inject } from "vitest";
import { closeDatabase } from "#app/utils/db.server.ts";
import { REMOTE_NAMESPACE, remoteDatabase, remoteTestRun } from "#tests/support/remote-database.ts";

/** Points this test file's DATABASE_URL at a new copy of the base database; the next db() opens it. */
export function freshDatabase(): void {
  closeDatabase();
  // [scale] Over the libSQL remote protocol the URL stays; the stand-in serves a new copy behind it.
  if (remoteTestRun()) return remoteDatabase().replace(REMOTE_NAMESPACE, inject("baseDatabase"));
  const file = process.env.DATABASE_URL!.replace(/^file:/, "");
  const link = dirname(file);
  const copy = `${link}-${randomUUID()}`;
  mkdirSync(copy);
  copyFileSync(inject("baseDatabase"), resolve(copy, basename(file)));
  rmSync(link, { force: true });
  symlinkSync(copy, link);
}

/** Call at the top of a describe: its tests start on a fresh database, whatever ran before them. */
export function useFreshDatabase(): void {
  beforeAll(freshDatabase);
}
