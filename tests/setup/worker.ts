// Gives every test file its own copy of the migrated, reference-seeded base database, opened through
// a symbolic link so that a describe can ask for a fresh copy (tests/support/database.ts).
import { relative, resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, expect, inject } from "vitest";
import { closeDatabase } from "#app/utils/db.server.ts";
import { log } from "#app/utils/log.server.ts";
import { freshDatabase } from "#tests/support/database.ts";
import { remoteDatabase, remoteTestRun, startRemoteDatabase } from "#tests/support/remote-database.ts";

process.env.NODE_ENV = "test";
// [scale] every log line of the run goes to one file, read for leaks once the run ends (tests/setup/logs.ts).
const logFile = inject("logFile");
if (logFile) {
  process.env.LOG_FILE = logFile;
  process.env.LOG_LEVEL = "debug";
  log.debug("test file started", { file: relative(process.cwd(), expect.getState().testPath ?? "") });
} else {
  process.env.LOG_LEVEL ??= "silent"; // a config without tests/setup/logs.ts: no logs on the console
}
process.env.DATABASE_URL = `file:${resolve(inject("runDirectory"), `test-${randomUUID()}`, "test.db")}`;
// [scale] npm run test:remote: the database is a libSQL server (tests/support/remote-database.ts).
if (remoteTestRun()) await startRemoteDatabase();
freshDatabase();

afterAll(async () => {
  closeDatabase();
  if (remoteTestRun()) await remoteDatabase().close();
});
