// The one place that opens the database: a local SQLite file by default, a libSQL server otherwise.
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as schema from "#db/schema.ts";
import { env } from "#app/utils/env.server.ts";
import { DatabaseUnreachableError, isDatabaseBusy } from "#app/utils/database-busy.server.ts";

export type Database = LibSQLDatabase<typeof schema>;

const BUSY_TIMEOUT_MS = 5_000;
const MIGRATIONS_FOLDER = resolve(process.env.MIGRATIONS_FOLDER ?? "db/migrations");

let client: Client | undefined;
let database: Database | undefined;

function connect(url: string, authToken: string | undefined, timeoutMs: number): Client {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).split("?")[0] ?? "";
    if (path) mkdirSync(dirname(resolve(path)), { recursive: true });
    const open = () => createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS });
    return renewedAfterLockErrors(open, (c) => applyPragmas(c, url));
  }
  // A libSQL server: @libsql/client ignores `timeout` for http(s):// and libsql:// URLs, so every
  // request it sends gets a deadline of its own. A server that is down, refusing or frozen then fails
  // within the deadline, and that failure counts as "database unavailable" (database-busy.server.ts).
  return createClient({ url, authToken, fetch: fetchWithDeadline(timeoutMs) });
}

/**
 * fetch with a deadline (AbortSignal.timeout) on every request to the libSQL server, covering the
 * answer's body too. Any failure (refused, reset, unreachable, past the deadline) is thrown as a
 * DatabaseUnreachableError, which database-busy.server.ts answers with 503: a network failure of a
 * call to GitHub or PyPI stays what it was.
 */
export function fetchWithDeadline(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const given = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const signal = given ? AbortSignal.any([given, deadline]) : deadline;
    try {
      const response = await fetch(input, { ...init, signal });
      // Pipeline answers are read whole by the client anyway; reading here keeps them under the deadline.
      const body = await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      throw new DatabaseUnreachableError(timeoutMs, error);
    }
  };
}

/**
 * libsql leaves a statement that failed with SQLITE_BUSY unfinalized until garbage collection, and
 * until then every COMMIT on that connection fails ("SQL statements in progress"): one lock timeout
 * would break all later batch writes. So after a lock or read-only error the connection is replaced.
 */
function renewedAfterLockErrors(open: () => Client, prepare: (c: Client) => Promise<void>): Client {
  let current = open();
  let ready: Promise<void> = Promise.resolve();
  const renew = () => {
    const old = current;
    current = open();
    ready = prepare(current).catch(() => {});
    old.close();
  };
  const guarded = new Set<PropertyKey>(["execute", "batch", "executeMultiple"]);
  return new Proxy({} as Client, {
    get(_target, prop) {
      if (guarded.has(prop)) {
        return async (...args: unknown[]) => {
          await ready;
          const c = current;
          try {
            return await (c[prop as "execute"] as (...a: unknown[]) => Promise<unknown>).apply(c, args);
          } catch (error) {
            if (c === current && isDatabaseBusy(error)) renew();
            throw error;
          }
        };
      }
      const value = Reflect.get(current, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(current) : value;
    },
  });
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
    const { databaseUrl, databaseAuthToken, databaseTimeoutMs } = env();
    client = connect(databaseUrl, databaseAuthToken, databaseTimeoutMs);
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

/**
 * Folds the write-ahead log into the database file, so the file alone can be copied (tests,
 * benchmarks, backups). A libSQL server keeps its own files: there it does nothing.
 */
export async function checkpointDatabase(): Promise<void> {
  if (!env().databaseUrl.startsWith("file:")) return;
  await db().run("PRAGMA wal_checkpoint(TRUNCATE)");
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
