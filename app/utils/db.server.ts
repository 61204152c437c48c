// The one place that opens the database: a local SQLite file by default, a libSQL server otherwise.
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as schema from "#db/schema.ts";
import { env } from "#app/utils/env.server.ts";

export type Database = LibSQLDatabase<typeof schema>;

const BUSY_TIMEOUT_MS = 5_000;
const MIGRATIONS_FOLDER = resolve(process.env.MIGRATIONS_FOLDER ?? "db/migrations");

let client: Client | undefined;
let database: Database | undefined;

function connect(url: string, authToken?: string): Client {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).split("?")[0] ?? "";
    if (path) mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  return createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS });
}

async function applyPragmas(c: Client, url: string) {
  if (!url.startsWith("file:")) return;
  // journal_mode is stored in the file; the others belong to the connection.
  await c.execute("PRAGMA journal_mode = WAL");
  await c.execute("PRAGMA synchronous = NORMAL");
  await c.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  await c.execute("PRAGMA foreign_keys = ON");
}

/** The drizzle database of this process, opened on first use. */
export function db(): Database {
  if (!database) {
    const { databaseUrl, databaseAuthToken } = env();
    client = connect(databaseUrl, databaseAuthToken);
    database = drizzle(client, { schema });
  }
  return database;
}

/** Applies committed migrations and the per-connection settings. Call once at start-up. */
export async function prepareDatabase(): Promise<void> {
  const { databaseUrl } = env();
  const d = db();
  await applyPragmas(client!, databaseUrl);
  await migrate(d, { migrationsFolder: MIGRATIONS_FOLDER });
  // The migrator may have used its own connection; make sure ours has the settings.
  await applyPragmas(client!, databaseUrl);
}

/** True when the database answers a trivial query. */
export async function databaseIsUp(): Promise<boolean> {
  try {
    await db().run("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

export function closeDatabase(): void {
  client?.close();
  client = undefined;
  database = undefined;
}

export { schema };
