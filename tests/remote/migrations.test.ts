// [scale] The first deployment on a libSQL server starts from an empty database: the committed
// migrations and the reference seed apply over the remote protocol as they do on a file, and a
// second start changes nothing.
import { expect, test } from "vitest";
import { resolve } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { remoteDatabase } from "#tests/support/remote-database.ts";
import { fetchWithDeadline, schema } from "#app/utils/db.server.ts";
import { seedReference } from "#db/seed.ts";

test("an empty server is migrated and seeded over the protocol, and a second start changes nothing", async () => {
  const client = createClient({ url: remoteDatabase().urlFor("empty-at-first"), fetch: fetchWithDeadline(10_000) });
  const database = drizzle(client, { schema });
  const migrations = { migrationsFolder: resolve("db/migrations") };
  await migrate(database, migrations);
  await seedReference(database);
  const tables = async () =>
    (await client.execute("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'")).rows[0]!.n as number;
  const applied = async () => (await client.execute("SELECT count(*) AS n FROM __drizzle_migrations")).rows[0]!.n;
  const [tablesBefore, appliedBefore] = [await tables(), await applied()];
  expect(tablesBefore).toBeGreaterThan(20);
  expect(appliedBefore).toBeGreaterThan(0);

  await migrate(database, migrations);
  await seedReference(database);
  expect(await tables()).toBe(tablesBefore);
  expect(await applied()).toBe(appliedBefore);
  client.close();
});
