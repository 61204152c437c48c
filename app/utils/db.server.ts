// The one place that opens the database: a local SQLite file by default, a libSQL server otherwise.
import type { Client, Config, InArgs, InStatement, ResultSet } from "@libsql/client";
import { createClient as createFileClient } from "@libsql/client/sqlite3";
import { is, Placeholder, type SQL } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
// The same drizzle() as "drizzle-orm/libsql" (it is given a client), without importing the full
// @libsql/client entry: see createServerClient.
import { drizzle } from "drizzle-orm/libsql/sqlite3";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { migrate } from "drizzle-orm/libsql/migrator";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import * as schema from "#db/schema.ts";
import { env } from "#app/utils/env.server.ts";
import { DatabaseUnreachableError, isDatabaseBusy } from "#app/utils/database-busy.server.ts";
import { currentDatabaseUse, type DatabaseUse } from "#app/utils/request-context.server.ts";

export type Database = LibSQLDatabase<typeof schema>;

const BUSY_TIMEOUT_MS = 5_000;
const MIGRATIONS_FOLDER = resolve(process.env.MIGRATIONS_FOLDER ?? "db/migrations");

let client: Client | undefined;
/** The client drizzle is given: every statement of a request goes through its batching. */
let batchingClient: Client | undefined;
let database: Database | undefined;

function connect(url: string, authToken: string | undefined, timeoutMs: number): Client {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).split("?")[0] ?? "";
    if (path) mkdirSync(dirname(resolve(path)), { recursive: true });
    const open = () => createFileClient({ url, authToken, timeout: BUSY_TIMEOUT_MS });
    return countingRoundTrips(renewedAfterLockErrors(open, (c) => applyPragmas(c, url)));
  }
  // A libSQL server: @libsql/client ignores `timeout` for http(s):// and libsql:// URLs, so every
  // request it sends gets a deadline of its own. A server that is down, refusing or frozen then fails
  // within the deadline, and that failure counts as "database unavailable" (database-busy.server.ts).
  return countingRoundTrips(createServerClient({ url, authToken, fetch: fetchWithDeadline(timeoutMs) }));
}

/**
 * The client for a libSQL server, from @libsql/client's full entry, loaded on first use (required,
 * as db() is synchronous): a server on a local file (the default) then never loads the remote
 * protocols (Hrana over HTTP and WebSockets, the ws package: about 60 modules), which were read at
 * every start.
 */
function createServerClient(config: Config): Client {
  const { createClient } = createRequire(import.meta.url)("@libsql/client") as typeof import("@libsql/client");
  return createClient(config);
}

/** Client calls that are each one request to a libSQL server (a batch is one, whatever it holds). */
const ROUND_TRIPS = new Set<PropertyKey>(["execute", "batch", "executeMultiple", "migrate"]);
/** The same on an interactive transaction: every statement, the commit and the rollback. */
const TRANSACTION_ROUND_TRIPS = new Set<PropertyKey>(["execute", "batch", "executeMultiple", "commit", "rollback"]);

/**
 * Adds every round trip to the database, and the time it took, to the request being handled
 * (request-context.server.ts): entry.server.tsx sends the sum as `Server-Timing`. The same
 * count for a local file and a libSQL server, so a page's round trips are known before it meets the
 * network. Outside a request (jobs, scripts) nothing is counted.
 */
function countingRoundTrips<T extends object>(target: T, counted: Set<PropertyKey> = ROUND_TRIPS): T {
  return new Proxy(target, {
    get(object, prop) {
      const value = Reflect.get(object, prop) as unknown;
      if (typeof value !== "function") return value;
      const call = value as (...a: unknown[]) => unknown;
      if (prop === "transaction") {
        // Opening the transaction sends BEGIN; what it returns counts each of its own calls.
        return async (...args: unknown[]) => {
          const transaction = await timed(() => call.apply(object, args) as Promise<object>);
          return countingRoundTrips(transaction, TRANSACTION_ROUND_TRIPS);
        };
      }
      if (counted.has(prop)) return (...args: unknown[]) => timed(() => call.apply(object, args) as Promise<unknown>);
      return call.bind(object);
    },
  });
}

type Read = { statement: InStatement; resolve: (result: ResultSet) => void; reject: (error: unknown) => void };
const pendingReads = new WeakMap<DatabaseUse, Read[]>();

/**
 * Reads a request asks for in the same turn of the event loop (the root's and the route's loaders
 * side by side, a loader's Promise.all) go to the database together, as one batch: one round trip
 * and one consistent snapshot, where each would otherwise be a round trip of its own (a network
 * round trip to a libSQL server). What a page costs is then the depth of its chain of reads that
 * wait on each other, not their number. The batch leaves once every promise that can move without
 * the database has moved (process.nextTick, as DataLoader does), or before a write of the same
 * request, so that statements still reach the database in the order they were asked. Anything outside
 * a request (jobs, scripts) goes straight through.
 */
function coalescingReads(client: Client): Client {
  const flush = (use: DatabaseUse | undefined) => {
    const reads = use && pendingReads.get(use);
    if (!reads) return;
    pendingReads.delete(use);
    void sendReads(client, reads);
  };
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      if (prop !== "execute") {
        return (...args: unknown[]) => {
          flush(currentDatabaseUse());
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (statement: InStatement, args?: InArgs): Promise<ResultSet> => {
        const one: InStatement = typeof statement === "string" && args ? { sql: statement, args } : statement;
        const use = currentDatabaseUse();
        if (!use || !isRead(one)) {
          flush(use);
          return target.execute(one);
        }
        let reads = pendingReads.get(use);
        if (!reads) {
          const batch: Read[] = (reads = []);
          pendingReads.set(use, batch);
          process.nextTick(() => {
            if (pendingReads.get(use) === batch) flush(use);
          });
        }
        const queue = reads;
        return new Promise((resolve, reject) => queue.push({ statement: one, resolve, reject }));
      };
    },
  });
}

/**
 * A statement that only reads: a SELECT, or a WITH whose text names no write. When in doubt it is a
 * write and goes alone (a write in a read batch would fail the batch as a read-only database).
 */
function isRead(statement: InStatement): boolean {
  const text = typeof statement === "string" ? statement : statement.sql;
  if (/^\s*select\b/i.test(text)) return true;
  return /^\s*with\b/i.test(text) && !/\b(insert|update|delete|replace|upsert)\b/i.test(text);
}

async function sendReads(client: Client, reads: Read[]) {
  const each = () => {
    for (const read of reads) client.execute(read.statement).then(read.resolve, read.reject);
  };
  if (reads.length === 1) return each();
  let results: ResultSet[];
  try {
    results = await client.batch(
      reads.map((read) => read.statement),
      "read",
    );
  } catch (error) {
    // An unavailable database fails them all alike (asking again would wait out the deadline once per
    // read); a failing statement fails only its own reader: each is asked again alone.
    if (isDatabaseBusy(error)) for (const read of reads) read.reject(error);
    else each();
    return;
  }
  reads.forEach((read, i) => read.resolve(results[i]!));
}

async function timed<T>(roundTrip: () => Promise<T>): Promise<T> {
  const use = currentDatabaseUse();
  if (!use) return roundTrip();
  const start = performance.now();
  try {
    return await roundTrip();
  } finally {
    use.roundTrips += 1;
    use.ms += performance.now() - start;
  }
}

/**
 * The request's database round trips as a `Server-Timing` entry, read by people (the browser's
 * network panel) and by `npm run bench:ssr`, which parses exactly this shape:
 * `db;dur=<milliseconds, one decimal>;desc="<n> round trips"` (always "round trips", even for 1).
 */
export function databaseServerTiming(): string | undefined {
  const use = currentDatabaseUse();
  if (!use) return undefined;
  return `db;dur=${use.ms.toFixed(1)};desc="${use.roundTrips} round trips"`;
}

const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * fetch with a deadline (AbortSignal.timeout) on every request to the libSQL server, covering the
 * answer's body too. Any failure (refused, reset, unreachable, past the deadline, or a 502/503/504
 * from a proxy in front of the server) is thrown as a
 * DatabaseUnreachableError, which database-busy.server.ts answers with 503: a network failure of a
 * call to GitHub or PyPI stays what it was.
 */
export function fetchWithDeadline(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const given = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const signal = given ? AbortSignal.any([given, deadline]) : deadline;
    let response: Response;
    let body: ArrayBuffer;
    try {
      response = await fetch(input, { ...init, signal });
      // Pipeline answers are read whole by the client anyway; reading here keeps them under the deadline.
      body = await response.arrayBuffer();
    } catch (error) {
      throw new DatabaseUnreachableError(timeoutMs, error);
    }
    // A proxy in front of the server (Fly's, Turso's edge) answers 502/503/504 while the server is
    // down or restarting: the same "unavailable for a moment" as a refused connection.
    if (UNAVAILABLE_STATUSES.has(response.status)) {
      throw new DatabaseUnreachableError(timeoutMs, new Error(`the database server answered ${response.status}`));
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
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
    batchingClient = coalescingReads(client);
    database = drizzle(batchingClient, { schema });
  }
  return database;
}

/**
 * A hot read built once per database: `build` gets the database and returns a query whose varying
 * values are `sql.placeholder(name)`s, made with `.prepare()`; run it with those values
 * (`.all({ userId })`). drizzle otherwise rebuilds a query's SQL text on every call, walking every
 * piece of it (the inbox's visibility rule alone is a 7 KB statement): 10–13% of a signed-in page's
 * CPU. A prepared query runs through the same client as every other statement, so it is batched with
 * the reads asked beside it and counted as they are. Rebuilt when the database is reopened (tests).
 */
export function prepared<T>(build: (d: Database) => T): () => T {
  let built: { database: Database; query: T } | undefined;
  return () => {
    const d = db();
    if (built?.database !== d) built = { database: d, query: build(d) };
    return built.query;
  };
}

/**
 * The same for a statement written as SQL (`sql\`…\``, which drizzle cannot prepare): its text is
 * built once, the placeholders filled on each call, and it runs through the same batching client.
 * Gives the rows as the driver returns them (columns by name).
 */
export function preparedSql<Row>(build: () => SQL): (values: Record<string, unknown>) => Promise<Row[]> {
  let built: { sql: string; params: unknown[]; names: (string | undefined)[] } | undefined;
  return async (values) => {
    db(); // opens the database (and its batching client) on first use, as any query does
    if (!built) {
      const { sql, params } = new SQLiteAsyncDialect().sqlToQuery(build());
      // Where each placeholder sits, found once (drizzle's fillPlaceholders checks every value's class).
      built = { sql, params, names: params.map((p) => (is(p, Placeholder) ? p.name : undefined)) };
    }
    const { params, names } = built;
    const args = params.map((p, i) => {
      const name = names[i];
      if (name === undefined) return p;
      if (!(name in values)) throw new Error(`No value for placeholder "${name}"`);
      return values[name];
    }) as InArgs;
    const { rows } = await batchingClient!.execute({ sql: built.sql, args });
    return rows as unknown as Row[];
  };
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
  batchingClient = undefined;
  database = undefined;
}

export { schema };
