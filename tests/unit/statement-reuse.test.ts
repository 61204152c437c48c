// patches/@libsql+client: the local SQLite client keeps each connection's prepared statements and
// runs them again instead of preparing the same SQL on every call. What it must never change: what a
// query answers (each call with its own arguments), what a failed statement leaves behind (nothing that
// blocks a later commit), and the columns a query names after the schema changed.
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
