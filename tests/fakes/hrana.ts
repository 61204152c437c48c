// A local stand-in for a libSQL server (sqld, Turso): the libSQL remote protocol, Hrana over HTTP,
// served by the real libSQL engine (npm `libsql`) on database files. What @libsql/client speaks to a
// `http://` / `https://` / `libsql://` URL:
//   GET  /v2, /v3                → 200 (version probes; /v3-protobuf → 404, so clients fall back to v2 JSON)
//   POST /v2/pipeline, /v3/pipeline {baton, requests: [...]} → {baton, base_url, results: [...]}
// Requests: execute, batch (step conditions ok / error / not / and / or / is_autocommit), sequence,
// describe, store_sql, close_sql, get_autocommit, close. A stream is one SQLite connection; its baton
// is single-use (every answer carries a new one), and a stream idle for longer than `streamExpiryMs`
// (sqld: 10 s) is closed with its transaction rolled back: an unknown, reused or expired baton gets
// HTTP 400 {"message", "code": "STREAM_EXPIRED"} as sqld answers. Values as Hrana encodes them:
// integers as decimal strings, floats as numbers, text, blobs in base64, null.
//
// Namespaces: a URL path prefix (`http://127.0.0.1:PORT/<namespace>/`) selects the database file
// `<directory>/<namespace>.db`; the bare root serves `<directory>/default.db`. The test setup gives
// each test file a namespace of its own (tests/support/database.ts).
//
// Knobs for fault tests: freeze() (connections accepted, never answered), refuse() (the listener is
// closed: ECONNREFUSED), slow(ms), and a response size limit (sqld's default is 10 MB) past which a
// pipeline answers HTTP 500 "Response is too large", as sqld's `--max-response-size` does.
//
// By hand (two app instances on one server: DATABASE_URL=http://127.0.0.1:8080 for both; the bare
// root is the namespace `default`, its file data/hrana/default.db):
//   tsx tests/fakes/hrana.ts --port 8080 --dir data/hrana
//
// Differences from sqld, on purpose: JSON only (no protobuf, no /v3 cursor endpoint: the client does
// not use them once /v3-protobuf answers 404); no authentication (the token is ignored); one process,
// so a stream waits while another stream holds an open transaction instead of SQLite's busy handler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "libsql";

type Engine = InstanceType<typeof Database>;
type Value =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };
type Stmt = {
  sql?: string;
  sql_id?: number;
  args?: Value[];
  named_args?: { name: string; value: Value }[];
  want_rows?: boolean;
};
type Cond =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: Cond }
  | { type: "and" | "or"; conds: Cond[] }
  | { type: "is_autocommit" };
type Batch = { steps: { condition?: Cond | null; stmt: Stmt }[] };
type StreamRequest =
  | { type: "close" }
  | { type: "execute"; stmt: Stmt }
  | { type: "batch"; batch: Batch }
  | { type: "sequence"; sql?: string; sql_id?: number }
  | { type: "describe"; sql?: string; sql_id?: number }
  | { type: "store_sql"; sql_id: number; sql: string }
  | { type: "close_sql"; sql_id: number }
  | { type: "get_autocommit" };
type HranaError = { message: string; code: string };
type StmtResult = {
  cols: { name: string; decltype: string | null }[];
  rows: Value[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  rows_read: number;
  rows_written: number;
  query_duration_ms: number;
};

class StmtFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

type Stream = {
  id: string;
  namespace: string;
  engine: Engine;
  sqls: Map<number, string>;
  baton: string;
  expiresAt: number;
  timer: NodeJS.Timeout;
};

export type HranaOptions = {
  /** Folder of the database files, one per namespace. */
  directory: string;
  /** Idle time after which a stream is closed (sqld: 10 s). */
  streamExpiryMs?: number;
  /** Largest pipeline answer in bytes (sqld's default 10 MB); larger ones answer 500. */
  maxResponseBytes?: number;
  /** Port on 127.0.0.1; default any free one. */
  port?: number;
};

export type HranaStandIn = {
  url: string;
  /** The URL of one namespace (its database is `<directory>/<namespace>.db`). */
  urlFor(namespace: string): string;
  fileFor(namespace: string): string;
  /** Connections are accepted and requests read, but nothing is answered until unfreeze(). */
  freeze(): void;
  unfreeze(): void;
  /** Closes the listener (new connections: ECONNREFUSED) and drops open ones; restore() listens again. */
  refuse(): Promise<void>;
  restore(): Promise<void>;
  /** Closes the namespace's streams and makes its database a copy of `file` (a fresh test database). */
  replace(namespace: string, file: string): void;
  /** Every answer waits this long first (0: none). */
  slow(ms: number): void;
  setMaxResponseBytes(bytes: number): void;
  /** Pipeline requests seen, by path (for tests that check how the client talks). */
  requests: { path: string; baton: string | null; types: string[] }[];
  openStreams(): number;
  close(): Promise<void>;
};

const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export async function startHranaStandIn(options: HranaOptions): Promise<HranaStandIn> {
  mkdirSync(options.directory, { recursive: true });
  const expiryMs = options.streamExpiryMs ?? 10_000;
  let maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  let frozen = false;
  let delayMs = 0;
  const held: (() => void)[] = [];
  const streams = new Map<string, Stream>(); // by baton
  const requests: HranaStandIn["requests"] = [];
  const sockets = new Set<Socket>();
  const fileFor = (namespace: string) => resolve(options.directory, `${namespace || "default"}.db`);

  function openEngine(namespace: string): Engine {
    const engine = new Database(fileFor(namespace));
    engine.exec("PRAGMA journal_mode = WAL");
    engine.exec("PRAGMA busy_timeout = 0");
    engine.exec("PRAGMA foreign_keys = ON");
    return engine;
  }

  function closeStream(stream: Stream) {
    clearTimeout(stream.timer);
    streams.delete(stream.baton);
    try {
      if (stream.engine.inTransaction) stream.engine.exec("ROLLBACK");
    } catch {
      // the connection is closed below anyway
    }
    stream.engine.close();
  }

  function touch(stream: Stream) {
    clearTimeout(stream.timer);
    stream.expiresAt = Date.now() + expiryMs;
    stream.timer = setTimeout(() => closeStream(stream), expiryMs);
    stream.timer.unref();
  }

  /** Another stream of the namespace holds an open transaction: this one waits (up to 5 s) for it. */
  async function waitForOtherTransactions(stream: Stream) {
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      const busy = [...streams.values()].some(
        (s) => s !== stream && s.namespace === stream.namespace && s.engine.inTransaction,
      );
      if (!busy) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** One bind argument for the engine: an array of positional values, or an object of named ones. */
  function bind(args: Value[] = [], named: { name: string; value: Value }[] = []): unknown {
    if (!named.length) return args.map(decodeValue);
    const object: Record<string, unknown> = {};
    args.forEach((value, i) => (object[i + 1] = decodeValue(value)));
    for (const { name, value } of named) object[name.replace(/^[:@$]/, "")] = decodeValue(value);
    return object;
  }

  function sqlOf(stream: Stream, stmt: { sql?: string; sql_id?: number }): string {
    if (stmt.sql !== undefined && stmt.sql_id !== undefined) {
      throw new StmtFailure("Statement has both sql and sql_id", "PROTOCOL");
    }
    if (stmt.sql !== undefined) return stmt.sql;
    const stored = stmt.sql_id === undefined ? undefined : stream.sqls.get(stmt.sql_id);
    if (stored === undefined) throw new StmtFailure(`SQL text ${stmt.sql_id} not found`, "SQL_NOT_FOUND");
    return stored;
  }

  function execute(stream: Stream, stmt: Stmt): StmtResult {
    const started = performance.now();
    const engine = stream.engine;
    const sql = sqlOf(stream, stmt);
    try {
      const prepared = engine.prepare(sql);
      const before = Number(scalar(engine, "SELECT total_changes()"));
      let cols: StmtResult["cols"] = [];
      let rows: Value[][] = [];
      if (prepared.reader) {
        cols = prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null }));
        prepared.raw(true).safeIntegers(true);
        const all = prepared.all(bind(stmt.args, stmt.named_args)) as unknown[][];
        rows = stmt.want_rows === false ? [] : all.map((row) => row.map(encodeValue));
      } else {
        prepared.run(bind(stmt.args, stmt.named_args));
      }
      const after = Number(scalar(engine, "SELECT total_changes()"));
      const rowid = scalar(engine, "SELECT last_insert_rowid()");
      const changed = after - before;
      return {
        cols,
        rows,
        affected_row_count: changed,
        last_insert_rowid: rowid === 0n ? null : String(rowid),
        rows_read: rows.length,
        rows_written: changed,
        query_duration_ms: performance.now() - started,
      };
    } catch (error) {
      if (error instanceof StmtFailure) throw error;
      const { message, code } = error as { message?: string; code?: string };
      throw new StmtFailure(`SQLite error: ${message ?? String(error)}`, code ?? "SQLITE_ERROR");
    }
  }

  function holds(
    cond: Cond | null | undefined,
    stream: Stream,
    results: (StmtResult | null)[],
    errors: (HranaError | null)[],
  ): boolean {
    if (!cond) return true;
    switch (cond.type) {
      case "ok":
        return results[cond.step] != null;
      case "error":
        return errors[cond.step] != null;
      case "not":
        return !holds(cond.cond, stream, results, errors);
      case "and":
        return cond.conds.every((c) => holds(c, stream, results, errors));
      case "or":
        return cond.conds.some((c) => holds(c, stream, results, errors));
      case "is_autocommit":
        return !stream.engine.inTransaction;
    }
  }

  function runBatch(stream: Stream, batch: Batch) {
    const results: (StmtResult | null)[] = [];
    const errors: (HranaError | null)[] = [];
    for (const step of batch.steps) {
      if (!holds(step.condition, stream, results, errors)) {
        results.push(null);
        errors.push(null);
        continue;
      }
      try {
        results.push(execute(stream, step.stmt));
        errors.push(null);
      } catch (error) {
        const failure = error as StmtFailure;
        results.push(null);
        errors.push({ message: failure.message, code: failure.code });
      }
    }
    return { step_results: results, step_errors: errors };
  }

  function handleRequest(stream: Stream, request: StreamRequest): unknown {
    switch (request.type) {
      case "execute":
        return { type: "execute", result: execute(stream, request.stmt) };
      case "batch":
        return { type: "batch", result: runBatch(stream, request.batch) };
      case "sequence": {
        try {
          stream.engine.exec(sqlOf(stream, request));
        } catch (error) {
          if (error instanceof StmtFailure) throw error;
          const { message, code } = error as { message?: string; code?: string };
          throw new StmtFailure(`SQLite error: ${message}`, code ?? "SQLITE_ERROR");
        }
        return { type: "sequence" };
      }
      case "describe": {
        const sql = sqlOf(stream, request);
        let prepared;
        try {
          prepared = stream.engine.prepare(sql);
        } catch (error) {
          const { message, code } = error as { message?: string; code?: string };
          throw new StmtFailure(`SQLite error: ${message}`, code ?? "SQLITE_ERROR");
        }
        const params = [...sql.matchAll(/[?][0-9]*|[:@$][A-Za-z_][A-Za-z0-9_]*/g)].map((m) => ({
          name: m[0] === "?" ? null : m[0],
        }));
        const cols = prepared.reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null })) : [];
        const isExplain = /^\s*explain\b/i.test(sql);
        const isReadonly = prepared.reader && !/\b(insert|update|delete|replace)\b/i.test(sql);
        return { type: "describe", result: { params, cols, is_explain: isExplain, is_readonly: isReadonly } };
      }
      case "store_sql":
        if (stream.sqls.has(request.sql_id)) {
          throw new StmtFailure(`SQL text ${request.sql_id} is already stored`, "SQL_EXISTS");
        }
        if (stream.sqls.size >= 150) throw new StmtFailure("Too many stored SQL texts", "SQL_STORE_FULL");
        stream.sqls.set(request.sql_id, request.sql);
        return { type: "store_sql" };
      case "close_sql":
        stream.sqls.delete(request.sql_id);
        return { type: "close_sql" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: !stream.engine.inTransaction };
      case "close":
        return { type: "close" };
      default:
        throw new StmtFailure(`Unknown request type ${(request as { type: string }).type}`, "PROTOCOL");
    }
  }

  async function pipeline(namespace: string, body: { baton?: string | null; requests?: StreamRequest[] }) {
    let stream: Stream;
    if (body.baton) {
      const found = streams.get(body.baton);
      if (!found || found.namespace !== namespace || found.expiresAt < Date.now()) {
        return { status: 400, body: { message: "The stream has expired due to inactivity", code: "STREAM_EXPIRED" } };
      }
      stream = found;
      streams.delete(body.baton); // batons are single-use
    } else {
      const id = randomBytes(8).toString("hex");
      stream = {
        id,
        namespace,
        engine: openEngine(namespace),
        sqls: new Map(),
        baton: "",
        expiresAt: 0,
        timer: setTimeout(() => {}, 0),
      };
    }
    if (!stream.engine.inTransaction) await waitForOtherTransactions(stream);
    const results: unknown[] = [];
    let closed = false;
    for (const request of body.requests ?? []) {
      if (closed) {
        results.push({ type: "error", error: { message: "The stream was closed", code: "STREAM_CLOSED" } });
        continue;
      }
      try {
        results.push({ type: "ok", response: handleRequest(stream, request) });
        if (request.type === "close") closed = true;
      } catch (error) {
        const failure = error as StmtFailure;
        results.push({ type: "error", error: { message: failure.message, code: failure.code ?? "UNKNOWN" } });
      }
    }
    let baton: string | null = null;
    if (closed) {
      closeStream(stream);
    } else {
      baton = `${stream.id}.${randomBytes(12).toString("base64url")}`;
      stream.baton = baton;
      streams.set(baton, stream);
      touch(stream);
    }
    return { status: 200, body: { baton, base_url: null, results } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (frozen) {
      await new Promise<void>((r) => held.push(r));
    }
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const url = new URL(req.url ?? "/", "http://stand-in.invalid");
    const match = /^(?:\/([A-Za-z0-9_-]+))?\/(v2|v3|v3-protobuf)(\/pipeline)?\/?$/.exec(url.pathname);
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
      res.end(text);
    };
    if (!match || match[2] === "v3-protobuf") return send(404, { message: "Not found" });
    const namespace = match[1] ?? "default";
    if (!match[3]) {
      if (req.method !== "GET") return send(405, { message: "Method not allowed" });
      res.writeHead(200, { "Content-Type": "text/plain" });
      return res.end("");
    }
    if (req.method !== "POST") return send(405, { message: "Method not allowed" });
    let body: { baton?: string | null; requests?: StreamRequest[] };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
    } catch {
      return send(400, { message: "Invalid JSON body", code: "PROTOCOL" });
    }
    const answer = await pipeline(namespace, body);
    requests.push({
      path: url.pathname,
      baton: body.baton ?? null,
      types: (body.requests ?? []).map((r) => r.type),
    });
    const text = JSON.stringify(answer.body);
    if (Buffer.byteLength(text) > maxResponseBytes) {
      return send(500, {
        message: `Response is too large (over ${maxResponseBytes} bytes)`,
        code: "RESPONSE_TOO_LARGE",
      });
    }
    send(answer.status, answer.body);
  }

  let server: Server = createServer();
  let port = options.port ?? 0;
  const listen = async () => {
    if (server.listening) return;
    server = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  };
  const stop = () =>
    new Promise<void>((r) => {
      if (!server.listening) return r();
      server.close(() => r());
      for (const socket of sockets) socket.destroy();
    });
  await listen();
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    urlFor: (namespace) => `${base}/${namespace}/`,
    fileFor,
    freeze: () => {
      frozen = true;
    },
    unfreeze: () => {
      frozen = false;
      for (const release of held.splice(0)) release();
    },
    replace: (namespace, file) => {
      for (const stream of [...streams.values()]) if (stream.namespace === namespace) closeStream(stream);
      const target = fileFor(namespace);
      for (const suffix of ["", "-wal", "-shm"]) rmSync(target + suffix, { force: true });
      copyFileSync(file, target);
    },
    refuse: stop,
    restore: listen,
    slow: (ms) => {
      delayMs = ms;
    },
    setMaxResponseBytes: (bytes) => {
      maxResponseBytes = bytes;
    },
    requests,
    openStreams: () => streams.size,
    close: async () => {
      frozen = false;
      for (const release of held.splice(0)) release();
      for (const stream of [...streams.values()]) closeStream(stream);
      await stop();
    },
  };
}

function scalar(engine: Engine, sql: string): bigint {
  const row = engine.prepare(sql).raw(true).safeIntegers(true).get() as unknown[];
  return BigInt(row[0] as bigint);
}

function decodeValue(value: Value): unknown {
  switch (value.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(value.value);
    case "float":
      return value.value;
    case "text":
      return value.value;
    case "blob":
      return Buffer.from(value.base64, "base64");
  }
}

function encodeValue(value: unknown): Value {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: String(value) };
  // With safeIntegers on, SQLite integers arrive as bigint: a number is a REAL.
  if (typeof value === "number") return { type: "float", value };
  if (typeof value === "string") return { type: "text", value };
  if (value instanceof Uint8Array) return { type: "blob", base64: Buffer.from(value).toString("base64") };
  return { type: "text", value: String(value) };
}

// ---- CLI ---------------------------------------------------------------------------------------

const thisFile = fileURLToPath(import.meta.url);
if (
  thisFile.endsWith(`${sep}tests${sep}fakes${sep}hrana.ts`) &&
  process.argv[1] &&
  resolve(process.argv[1]) === thisFile
) {
  const flag = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const server = await startHranaStandIn({
    directory: resolve(flag("--dir") ?? "data/hrana"),
    port: Number(flag("--port") ?? 8080),
  });
  process.stdout.write(`libSQL stand-in listening on ${server.url} (database: ${server.fileFor("default")})\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
