// Gives every test file its own copy of the migrated, reference-seeded base database.
import { copyFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll } from "vitest";

const base = resolve("tests/.tmp/base.db");
const file = resolve("tests/.tmp", `test-${randomUUID()}.db`);
copyFileSync(base, file);
process.env.NODE_ENV = "test";
process.env.DATABASE_URL = `file:${file}`;
process.env.LOG_LEVEL ??= "silent";

afterAll(async () => {
  const { closeDatabase } = await import("#app/utils/db.server.ts");
  closeDatabase();
});
