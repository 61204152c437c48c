// patches/@libsql+client: the local SQLite client keeps each connection's prepared statements and
// runs them again instead of preparing the same SQL on every call. What it must never change: what a
// query answers (each call with its own arguments), what a failed statement leaves behind (nothing that
// blocks a later commit), and the columns a query names after the schema changed. It also keeps each
// statement's row shape (columns, and which names a row carries), trusted while the schema version is
// the one the shape was read under, whichever connection changed it: its rows must stay the objects
// the unpatched client makes, with the same own keys in the same order and the same attributes (the
// expectations below are what 0.18.0 without the patch answers), whatever columns the statement has now.
import { createClient, type Client } from "@libsql/client";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";

let dir: string;
let client: Client;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "roadies-statements-"));
  client = createClient({ url: `file:${join(dir, "db.sqlite")}` });
  await client.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  await client.execute({ sql: "INSERT INTO items (body) VALUES (?), (?), (?)", args: ['"one"', '"two"', "{not json"] });
});

afterEach(() => {
  client.close();
  rmSync(dir, { recursive: true, force: true });
});

const bodyOf = async (id: number) =>
  (await client.execute({ sql: "SELECT body FROM items WHERE id = ?", args: [id] })).rows[0]?.["body"];

describe("statements run again", () => {
  test("the same query answers each call with its own arguments, alone, in read batches and in transactions", async () => {
    for (let round = 0; round < 3; round++) {
      expect(await bodyOf(1)).toBe('"one"');
      expect(await bodyOf(2)).toBe('"two"');
      expect(await bodyOf(4)).toBeUndefined();
    }
    const select = "SELECT body FROM items WHERE id = ?";
    const results = await client.batch(
      [
        { sql: select, args: [2] },
        { sql: select, args: [1] },
      ],
      "read",
    );
    expect(results.map((r) => r.rows[0]?.["body"])).toEqual(['"two"', '"one"']);
    const tx = await client.transaction("write");
    await tx.execute({ sql: "INSERT INTO items (body) VALUES (?)", args: ['"four"'] });
    expect((await tx.execute({ sql: select, args: [4] })).rows[0]?.["body"]).toBe('"four"');
    await tx.commit();
    expect(await bodyOf(4)).toBe('"four"');
  });

  test("a statement that failed part-way neither fails again for good data nor blocks a later commit", async () => {
    const parse = "SELECT json_extract(body, '$') AS value FROM items ORDER BY id";
    await expect(client.execute(parse)).rejects.toThrow(/malformed JSON/);
    await client.batch(
      [
        { sql: "UPDATE items SET body = ? WHERE id = 3", args: ['"three"'] },
        "INSERT INTO items (body) VALUES ('\"five\"')",
      ],
      "write",
    );
    expect((await client.execute(parse)).rows.map((r) => r["value"])).toEqual(["one", "two", "three", "five"]);
  });

  test("a query names the columns of the table as it is now, after the schema changed", async () => {
    const all = "SELECT * FROM items WHERE id = 1";
    expect((await client.execute(all)).columns).toEqual(["id", "body"]);
    await client.execute("ALTER TABLE items ADD COLUMN label TEXT NOT NULL DEFAULT 'new'");
    const after = await client.execute(all);
    expect(after.columns).toEqual(["id", "body", "label"]);
    expect(after.rows[0]?.["label"]).toBe("new");
  });
});

// What the unpatched client gives for a row: positions and `length` own, read-only, not enumerable;
// each name (the first of duplicates, never `length`) own, writable and enumerable.
const position = (value: unknown) => ({ value, writable: false, enumerable: false, configurable: false });
const named = (value: unknown) => ({ value, writable: true, enumerable: true, configurable: true });
const described = (row: object) => Reflect.ownKeys(row).map((key) => [key, Object.getOwnPropertyDescriptor(row, key)]);

describe("rows of a kept statement", () => {
  test("a row reads the same by position and by name, with the unpatched client's keys, on every run and after its columns changed", async () => {
    const one = "SELECT * FROM items WHERE id = ?";
    for (const [id, body] of [
      [1, '"one"'],
      [2, '"two"'],
      [1, '"one"'],
    ] as const) {
      const row = (await client.execute({ sql: one, args: [id] })).rows[0]!;
      expect(described(row)).toEqual([
        ["0", position(id)],
        ["1", position(body)],
        ["length", position(2)],
        ["id", named(id)],
        ["body", named(body)],
      ]);
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      expect(Array.prototype.slice.call(row)).toEqual([id, body]);
      expect({ ...row }).toEqual({ id, body });
    }
    await client.execute("ALTER TABLE items ADD COLUMN label TEXT NOT NULL DEFAULT 'new'");
    const after = (await client.execute({ sql: one, args: [2] })).rows[0]!;
    expect(described(after)).toEqual([
      ["0", position(2)],
      ["1", position('"two"')],
      ["2", position("new")],
      ["length", position(3)],
      ["id", named(2)],
      ["body", named('"two"')],
      ["label", named("new")],
    ]);
  });

  test("rows keep their shape after another connection changes the schema, alone, in batches and in transactions", async () => {
    // The kept shape is trusted while the schema version is the one it was read under: a change
    // made on another connection (another process, a migration) must be seen on the next run, even
    // one that keeps the number of columns (a rename).
    const other = createClient({ url: `file:${join(dir, "db.sqlite")}` });
    try {
      const one = "SELECT * FROM items WHERE id = ?";
      const alone = async () => (await client.execute({ sql: one, args: [1] })).rows[0]!;
      const batched = async () => (await client.batch([{ sql: one, args: [1] }, "SELECT 1"], "read"))[0]!.rows[0]!;
      const inTransaction = async () => {
        const tx = await client.transaction("read");
        try {
          return (await tx.execute({ sql: one, args: [1] })).rows[0]!;
        } finally {
          tx.close();
        }
      };
      for (const read of [alone, batched, inTransaction]) {
        for (let round = 0; round < 3; round++) expect({ ...(await read()) }).toEqual({ id: 1, body: '"one"' });
        await other.execute("ALTER TABLE items RENAME COLUMN body TO text");
        expect(described(await read())).toEqual([
          ["0", position(1)],
          ["1", position('"one"')],
          ["length", position(2)],
          ["id", named(1)],
          ["text", named('"one"')],
        ]);
        await other.execute("ALTER TABLE items ADD COLUMN label TEXT NOT NULL DEFAULT 'new'");
        expect({ ...(await read()) }).toEqual({ id: 1, text: '"one"', label: "new" });
        await other.batch(
          ["ALTER TABLE items DROP COLUMN label", "ALTER TABLE items RENAME COLUMN text TO body"],
          "write",
        );
      }
    } finally {
      other.close();
    }
  });

  test("a batch that changes the schema names the new columns in its later statements", async () => {
    const one = "SELECT * FROM items WHERE id = 2";
    const [before, , after] = await client.batch(
      [one, "ALTER TABLE items ADD COLUMN label TEXT NOT NULL DEFAULT 'new'", one],
      "write",
    );
    expect(before!.columns).toEqual(["id", "body"]);
    expect(after!.columns).toEqual(["id", "body", "label"]);
    expect({ ...after!.rows[0]! }).toEqual({ id: 2, body: '"two"', label: "new" });
  });

  test("repeated names and a column named length keep the first value by name and every value by position", async () => {
    const odd = "SELECT id, body AS id, body AS length, body FROM items WHERE id = ?";
    for (const id of [1, 2]) {
      const body = await bodyOf(id);
      const row = (await client.execute({ sql: odd, args: [id] })).rows[0]!;
      expect(described(row)).toEqual([
        ["0", position(id)],
        ["1", position(body)],
        ["2", position(body)],
        ["3", position(body)],
        ["length", position(4)],
        ["id", named(id)],
        ["body", named(body)],
      ]);
    }
  });

  test("names that are positions or __proto__ are made as upstream makes them", async () => {
    const row = (await client.execute("SELECT 'a' AS \"3\", 'b' AS \"0\", 'c' AS __proto__, 'd' AS z")).rows[0]!;
    expect(described(row)).toEqual([
      ["0", position("a")],
      ["1", position("b")],
      ["2", position("c")],
      ["3", named("d")],
      ["length", position(4)],
      ["__proto__", named("c")],
      ["z", named("d")],
    ]);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });
});
