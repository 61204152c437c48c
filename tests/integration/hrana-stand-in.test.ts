// [scale] The libSQL stand-in (tests/fakes/hrana.ts) speaks the libSQL remote protocol as sqld does:
// @libsql/client works against it unchanged, and the protocol's own rules (batons, stored SQL, batch
// conditions, stream expiry, version probes, the response size limit) hold when spoken by hand.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inject } from "vitest";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { createClient, type Client } from "@libsql/client";
import { startHranaStandIn, type HranaStandIn } from "#tests/fakes/hrana.ts";

let server: HranaStandIn;
let client: Client;

beforeAll(async () => {
  server = await startHranaStandIn({
    directory: resolve(inject("runDirectory"), `hrana-${randomUUID()}`),
    streamExpiryMs: 300,
  });
  client = createClient({ url: server.urlFor("protocol") });
  await client.execute(
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE, score REAL, data BLOB)",
  );
});

afterAll(async () => {
  client.close();
  await server.close();
});

type Pipeline = { baton?: string | null; requests: unknown[] };
async function pipeline(body: Pipeline, version = "v2", namespace = "protocol") {
  const response = await fetch(`${server.url}/${namespace}/${version}/pipeline`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      baton: string | null;
      results: {
        type: string;
        response?: { type: string; result?: unknown };
        error?: { message: string; code: string };
      }[];
    },
  };
}

const text = (value: string) => ({ type: "text", value });

describe("statements through @libsql/client", () => {
  test("values come back as they were stored: integers, floats, text, blobs and null", async () => {
    const inserted = await client.execute({
      sql: "INSERT INTO notes (title, score, data) VALUES (?, ?, ?)",
      args: ["first", 2.5, new Uint8Array([0, 1, 254, 255])],
    });
    expect(inserted.rowsAffected).toBe(1);
    expect(inserted.lastInsertRowid).toBe(1n);
    await client.execute({
      sql: "INSERT INTO notes (id, title) VALUES (:id, :title)",
      args: { id: 9007199254740993n, title: "big" },
    });

    const rows = (await client.execute("SELECT title, score, data FROM notes ORDER BY title")).rows;
    expect(rows.map((r) => r.title)).toEqual(["big", "first"]);
    expect(rows[1]!.score).toBe(2.5);
    expect([...new Uint8Array(rows[1]!.data as ArrayBuffer)]).toEqual([0, 1, 254, 255]);
    expect(rows[0]!.score).toBeNull();
    // Past 2^53 the default client refuses the number; in bigint mode it arrives exactly.
    await expect(client.execute("SELECT id FROM notes WHERE title = 'big'")).rejects.toThrow(/too large/);
    const bigint = createClient({ url: server.urlFor("protocol"), intMode: "bigint" });
    expect((await bigint.execute("SELECT id FROM notes WHERE title = 'big'")).rows[0]!.id).toBe(9007199254740993n);
    bigint.close();
  });

  test("a failing statement gives the SQLite error, and an update reports the rows it changed", async () => {
    await expect(client.execute({ sql: "INSERT INTO notes (title) VALUES (?)", args: ["first"] })).rejects.toThrow(
      /UNIQUE constraint failed: notes.title/,
    );
    const updated = await client.execute("UPDATE notes SET score = 1 WHERE score IS NULL");
    expect(updated.rowsAffected).toBe(1);
  });

  test("a write batch is all or nothing", async () => {
    await expect(
      client.batch(
        [
          { sql: "INSERT INTO notes (title) VALUES (?)", args: ["batch-a"] },
          { sql: "INSERT INTO notes (title) VALUES (?)", args: ["first"] },
        ],
        "write",
      ),
    ).rejects.toThrow(/UNIQUE/);
    expect((await client.execute("SELECT count(*) AS n FROM notes WHERE title = 'batch-a'")).rows[0]!.n).toBe(0);
    const results = await client.batch(
      ["INSERT INTO notes (title) VALUES ('batch-b')", "SELECT count(*) AS n FROM notes"],
      "write",
    );
    expect(results[1]!.rows[0]!.n).toBe(3);
  });

  test("an interactive transaction is carried over batons, unseen by others until it commits", async () => {
    const before = server.requests.length;
    const tx = await client.transaction("write");
    await tx.execute("INSERT INTO notes (title) VALUES ('in-transaction')");
    expect((await tx.execute("SELECT count(*) AS n FROM notes WHERE title = 'in-transaction'")).rows[0]!.n).toBe(1);
    const other = createClient({ url: server.urlFor("protocol") });
    const seen = other.execute("SELECT count(*) AS n FROM notes WHERE title = 'in-transaction'");
    await tx.commit();
    // The other stream waited for the open transaction, so it reads the committed row.
    expect((await seen).rows[0]!.n).toBe(1);
    other.close();
    const carried = server.requests.slice(before).filter((r) => r.baton !== null);
    expect(carried.length).toBeGreaterThanOrEqual(2);

    const rolledBack = await client.transaction("write");
    await rolledBack.execute("INSERT INTO notes (title) VALUES ('rolled-back')");
    await rolledBack.rollback();
    expect((await client.execute("SELECT count(*) AS n FROM notes WHERE title = 'rolled-back'")).rows[0]!.n).toBe(0);
  });
});

describe("the protocol spoken by hand", () => {
  test("the version probes: v2 and v3 over JSON are served, protobuf is not", async () => {
    expect((await fetch(`${server.url}/v2`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3-protobuf`)).status).toBe(404);
  });

  test("integers travel as decimal strings, floats as numbers, blobs in base64", async () => {
    const { body } = await pipeline({
      requests: [
        {
          type: "execute",
          stmt: {
            sql: "SELECT ? AS i, ? AS f, ? AS t, ? AS b, ? AS n",
            args: [
              { type: "integer", value: "42" },
              { type: "float", value: 0.5 },
              text("x"),
              { type: "blob", base64: "AQI=" },
              { type: "null" },
            ],
            want_rows: true,
          },
        },
        { type: "close" },
      ],
    });
    expect(body.baton).toBeNull();
    const result = body.results[0]!.response!.result as {
      cols: { name: string }[];
      rows: unknown[][];
      affected_row_count: number;
    };
    expect(result.cols.map((c) => c.name)).toEqual(["i", "f", "t", "b", "n"]);
    expect(result.rows[0]).toEqual([
      { type: "integer", value: "42" },
      { type: "float", value: 0.5 },
      { type: "text", value: "x" },
      { type: "blob", base64: "AQI=" },
      { type: "null" },
    ]);
    expect(result.affected_row_count).toBe(0);
  });

  test("batch steps run only when their condition holds (ok, error, not, and, or, is_autocommit)", async () => {
    const stmt = (sql: string) => ({ sql, want_rows: true });
    const { body } = await pipeline({
      requests: [
        {
          type: "batch",
          batch: {
            steps: [
              { stmt: stmt("SELECT 1") },
              { stmt: stmt("SELECT nonsense FROM nowhere") },
              { condition: { type: "ok", step: 0 }, stmt: stmt("SELECT 'ok-0'") },
              { condition: { type: "ok", step: 1 }, stmt: stmt("SELECT 'ok-1'") },
              { condition: { type: "error", step: 1 }, stmt: stmt("SELECT 'error-1'") },
              { condition: { type: "not", cond: { type: "error", step: 0 } }, stmt: stmt("SELECT 'not-error-0'") },
              {
                condition: {
                  type: "and",
                  conds: [
                    { type: "ok", step: 0 },
                    { type: "ok", step: 1 },
                  ],
                },
                stmt: stmt("SELECT 'and'"),
              },
              {
                condition: {
                  type: "or",
                  conds: [
                    { type: "ok", step: 0 },
                    { type: "ok", step: 1 },
                  ],
                },
                stmt: stmt("SELECT 'or'"),
              },
              { condition: { type: "is_autocommit" }, stmt: stmt("SELECT 'autocommit'") },
              { stmt: stmt("BEGIN") },
              { condition: { type: "is_autocommit" }, stmt: stmt("SELECT 'not reached'") },
              { stmt: stmt("ROLLBACK") },
            ],
          },
        },
        { type: "close" },
      ],
    });
    const result = body.results[0]!.response!.result as { step_results: unknown[]; step_errors: unknown[] };
    const ran = result.step_results.map((r) => r !== null);
    expect(ran).toEqual([true, false, true, false, true, true, false, true, true, true, false, true]);
    expect(result.step_errors[1]).toMatchObject({ message: expect.stringMatching(/no such table: nowhere/) });
  });

  test("stored SQL is run by its id until it is closed; get_autocommit follows the transaction", async () => {
    const first = await pipeline({
      requests: [
        { type: "store_sql", sql_id: 1, sql: "SELECT count(*) FROM notes" },
        { type: "execute", stmt: { sql_id: 1, want_rows: true } },
        { type: "sequence", sql: "BEGIN; INSERT INTO notes (title) VALUES ('sequence');" },
        { type: "get_autocommit" },
      ],
    });
    expect(first.body.results.map((r) => r.type)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(first.body.results[3]!.response).toEqual({ type: "get_autocommit", is_autocommit: false });
    const second = await pipeline({
      baton: first.body.baton,
      requests: [
        { type: "execute", stmt: { sql_id: 1, want_rows: true } },
        { type: "sequence", sql: "ROLLBACK" },
        { type: "close_sql", sql_id: 1 },
        { type: "execute", stmt: { sql_id: 1, want_rows: true } },
        { type: "describe", sql: "SELECT title FROM notes WHERE id = ?" },
        { type: "close" },
      ],
    });
    const count = (i: number, body = second.body) =>
      (body.results[i]!.response!.result as { rows: { value: string }[][] }).rows[0]![0]!.value;
    expect(Number(count(0))).toBe(Number(count(1, first.body)) + 1);
    expect(second.body.results[3]).toMatchObject({ type: "error", error: { code: "SQL_NOT_FOUND" } });
    expect(second.body.results[4]!.response!.result).toMatchObject({
      params: [{ name: null }],
      cols: [{ name: "title", decltype: "TEXT" }],
      is_readonly: true,
    });
    expect(second.body.baton).toBeNull();
  });

  test("a baton is good once; a reused, unknown or expired one is refused as sqld refuses it", async () => {
    const opened = await pipeline({ requests: [{ type: "execute", stmt: { sql: "SELECT 1", want_rows: true } }] });
    const next = await pipeline({ baton: opened.body.baton, requests: [{ type: "get_autocommit" }] }, "v3");
    expect(next.status).toBe(200);
    const reused = await pipeline({ baton: opened.body.baton, requests: [{ type: "get_autocommit" }] });
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: "STREAM_EXPIRED" });
    expect((await pipeline({ baton: "made-up", requests: [] })).status).toBe(400);

    // A stream left idle past its expiry is closed, its transaction rolled back.
    const idle = await pipeline({
      baton: next.body.baton,
      requests: [{ type: "sequence", sql: "BEGIN; INSERT INTO notes (title) VALUES ('abandoned')" }],
    });
    await new Promise((r) => setTimeout(r, 450));
    const expired = await pipeline({ baton: idle.body.baton, requests: [{ type: "sequence", sql: "COMMIT" }] });
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ code: "STREAM_EXPIRED" });
    expect((await client.execute("SELECT count(*) AS n FROM notes WHERE title = 'abandoned'")).rows[0]!.n).toBe(0);
  });

  test("each namespace is a database of its own", async () => {
    const other = createClient({ url: server.urlFor("elsewhere") });
    await expect(other.execute("SELECT count(*) FROM notes")).rejects.toThrow(/no such table: notes/);
    other.close();
  });
});

describe("the response size limit", () => {
  test("an answer larger than the limit is refused whole, as sqld's max response size does", async () => {
    await client.execute("CREATE TABLE pages (body TEXT)");
    await client.batch(
      Array.from({ length: 20 }, () => ({ sql: "INSERT INTO pages VALUES (?)", args: ["x".repeat(1000)] })),
      "write",
    );
    server.setMaxResponseBytes(10_000);
    try {
      await expect(client.execute("SELECT body FROM pages")).rejects.toThrow(/too large/);
      expect((await client.execute("SELECT body FROM pages LIMIT 5")).rows).toHaveLength(5);
    } finally {
      server.setMaxResponseBytes(10 * 1024 * 1024);
    }
  });
});
