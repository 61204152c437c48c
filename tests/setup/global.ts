// Builds one migrated base database per test run; each test file copies it (tests/setup/worker.ts).
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";

export const TMP = resolve("tests/.tmp");
export const BASE_DB = resolve(TMP, "base.db");

export default async function setup() {
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  process.env.DATABASE_URL = `file:${BASE_DB}`;
  process.env.NODE_ENV = "test";
  const { prepareDatabase, closeDatabase } = await import("../../app/utils/db.server.ts");
  const { seedReference } = await import("../../db/seed.ts");
  const { db } = await import("../../app/utils/db.server.ts");
  await prepareDatabase();
  await seedReference(db());
  // Fold the WAL into the file: test files copy base.db alone.
  await db().run("PRAGMA wal_checkpoint(TRUNCATE)");
  closeDatabase();
}
