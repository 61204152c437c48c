// Builds one migrated, reference-seeded base database per test run, in a folder of that run's own
// (so runs side by side do not disturb each other); each test file copies it (tests/setup/worker.ts).
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseDatabase: string;
    runDirectory: string;
  }
}

export default async function setup(project: TestProject) {
  const runDirectory = resolve("tests/.tmp", `run-${process.pid}`);
  const baseDatabase = resolve(runDirectory, "base.db");
  mkdirSync(runDirectory, { recursive: true });
  process.env.DATABASE_URL = `file:${baseDatabase}`;
  process.env.NODE_ENV = "test";
  const { prepareDatabase, closeDatabase, checkpointDatabase, db } = await import("../../app/utils/db.server.ts");
  const { seedReference } = await import("../../db/seed.ts");
  await prepareDatabase();
  await seedReference(db());
  // Fold the WAL into the file: test files copy base.db alone.
  await checkpointDatabase();
  closeDatabase();
  project.provide("baseDatabase", baseDatabase);
  project.provide("runDirectory", runDirectory);
  return () => rmSync(runDirectory, { recursive: true, force: true });
}
