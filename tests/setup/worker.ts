// Gives every test file its own copy of the migrated, reference-seeded base database.
import { copyFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, inject } from "vitest";

const file = resolve(inject("runDirectory"), `test-${randomUUID()}.db`);
copyFileSync(inject("baseDatabase"), file);
process.env.NODE_ENV = "test";
process.env.DATABASE_URL = `file:${file}`;
process.env.LOG_LEVEL ??= "silent";

afterAll(async () => {
  const { closeDatabase } = await import("#app/utils/db.server.ts");
  closeDatabase();
});
