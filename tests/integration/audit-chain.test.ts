// The audit log is evidence: the database refuses to change or remove an entry, deleting an
// account leaves its entries with a pseudonymous actor, and the hash chain shows any tampering to
// the admin page and to `npm run audit:verify`, however many instances write at once.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { cookieFor, makeAdmin, makeUser } from "#tests/support/factories.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

process.env.APP_URL = APP;
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq, sql } = await import("drizzle-orm");
const audit = await import("#app/models/moderation/audit.server.ts");
const { deleteAccount } = await import("#app/models/people/account.server.ts");
const auditPage = await import("#app/routes/admin.audit.tsx");

const exec = promisify(execFile);

/** `npm run audit:verify` against this file's database: its exit code and what it printed. */
async function verifyCommand() {
  try {
    const { stdout } = await exec("npx", ["tsx", "scripts/audit-verify.ts"], { env: { ...process.env } });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** The database's own refusal, under drizzle's "Failed query" wrapper. */
async function refusal(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (error) {
    return String((error as { cause?: { message?: string } }).cause?.message ?? error);
  }
  return "accepted";
}

type Chain = { ok: true; count: number } | { ok: false; count: number; brokenAt: { id: number } };

async function pageChain(): Promise<Chain> {
  const admin = await makeAdmin(`audit-viewer-${Math.random().toString(36).slice(2, 8)}`);
  const cookie = await cookieFor(admin.id);
  const result = await run(() =>
    auditPage.loader({ request: request("/admin/audit", { cookie }), params: {}, context }),
  );
  expect(result.status).toBe(200);
  return (result.value as { chain: Chain }).chain;
}

describe("the audit log is append-only and its actors outlive their accounts", () => {
  useFreshDatabase();

  test("the database refuses to change or delete an audit entry, even by raw SQL", async () => {
    const actor = await makeUser("audit-raw");
    await audit.recordAudit({ actorUserId: actor.id, action: "test.raw", objectType: "user", objectId: actor.id });
    const row = (await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, "test.raw")).get())!;
    expect(await refusal(db().run(sql`UPDATE audit_log SET detail = '{"forged":true}' WHERE id = ${row.id}`))).toMatch(
      /append-only: entries cannot be changed/,
    );
    expect(await refusal(db().run(sql`DELETE FROM audit_log WHERE id = ${row.id}`))).toMatch(
      /append-only: entries cannot be deleted/,
    );
    expect(await refusal(db().run(sql`DELETE FROM audit_log`))).toMatch(/append-only/);
    expect(await db().select().from(schema.auditLog).where(eq(schema.auditLog.id, row.id)).get()).toEqual(row);
  });

  test("the database refuses an entry that does not continue the hash chain", async () => {
    const forged = db()
      .run(sql`INSERT INTO audit_log (actor_user_id, action, object_type, object_id, detail, created_at, hash)
      VALUES (NULL, 'test.forged', 'user', '1', '{}', 1, ${"0".repeat(64)})`);
    expect(await refusal(forged)).toMatch(/does not continue the hash chain/);
  });

  test("deleting an account keeps its audit entries, with its id as a pseudonymous actor", async () => {
    const person = await makeUser("audit-leaver");
    const admin = await makeAdmin("audit-deletion-admin");
    await audit.recordAudit({ actorUserId: person.id, action: "test.did", objectType: "call", objectId: 1 });
    await audit.recordAudit({ actorUserId: admin.id, action: "test.about", objectType: "user", objectId: person.id });
    await deleteAccount(person.id);

    expect(await db().select().from(schema.users).where(eq(schema.users.id, person.id)).get()).toBeUndefined();
    const did = await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, "test.did")).get();
    expect(did?.actorUserId).toBe(person.id);
    expect(
      await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, "test.about")).get(),
    ).toBeTruthy();
    expect(
      await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, "account.delete")).get(),
    ).toMatchObject({ objectType: "user", objectId: String(person.id) });

    const cookie = await cookieFor(admin.id);
    const page = await run(() =>
      auditPage.loader({ request: request("/admin/audit", { cookie }), params: {}, context }),
    );
    const entries = (
      page.value as { entries: { action: string; actorUserId: number | null; actorLogin: string | null }[] }
    ).entries;
    // The page names no one: the id is all that is left.
    expect(entries.find((e) => e.action === "test.did")).toMatchObject({ actorUserId: person.id, actorLogin: null });
    expect((page.value as { chain: Chain }).chain.ok).toBe(true);
  });
});

describe("the hash chain shows tampering", () => {
  useFreshDatabase();

  test("concurrent writers from four processes keep one chain", async () => {
    const before = await audit.verifyAuditChain();
    expect(before.ok).toBe(true);
    await Promise.all(
      ["a", "b", "c", "d"].map((tag) =>
        exec("npx", ["tsx", "tests/support/audit-writer.ts", `writer-${tag}`, "15"], { env: { ...process.env } }),
      ),
    );
    const after = await audit.verifyAuditChain();
    expect(after).toMatchObject({ ok: true, count: before.count + 4 * 15 * 2 });
    // One chain: no two entries continue the same predecessor.
    const hashes = (await db().select({ hash: schema.auditLog.hash }).from(schema.auditLog).all()).map((r) => r.hash);
    expect(new Set(hashes).size).toBe(hashes.length);
  }, 60_000);

  test("the chain verifies on the page and by the command, and a changed entry breaks it at that entry", async () => {
    for (let i = 0; i < 3; i++)
      await audit.recordAudit({
        actorUserId: null,
        action: "test.chain",
        objectType: "call",
        objectId: i,
        detail: { i },
      });
    const page = await pageChain();
    expect(page.ok).toBe(true);
    const clean = await verifyCommand();
    expect(clean.code).toBe(0);
    expect(clean.out).toContain(`chain verified: ${page.count} entries`);

    // Someone with the database file drops the triggers and edits an entry.
    const target = (
      await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, "test.chain")).all()
    )[1]!;
    await db().run(sql`DROP TRIGGER audit_log_no_update`);
    await db().run(sql`UPDATE audit_log SET detail = '{"i":99}' WHERE id = ${target.id}`);

    const broken = await pageChain();
    expect(broken).toMatchObject({ ok: false, brokenAt: { id: target.id } });
    const command = await verifyCommand();
    expect(command.code).toBe(1);
    expect(command.out).toContain(`chain broken at entry #${target.id}`);
  }, 60_000);
});

describe("the hash chain shows a removed entry", () => {
  useFreshDatabase();

  test("removing an entry breaks the chain at the entry after it", async () => {
    for (let i = 0; i < 3; i++)
      await audit.recordAudit({ actorUserId: null, action: "test.remove", objectType: "call", objectId: i });
    const rows = await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, "test.remove")).all();
    await db().run(sql`DROP TRIGGER audit_log_no_delete`);
    await db().run(sql`DELETE FROM audit_log WHERE id = ${rows[1]!.id}`);
    expect(await audit.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: { id: rows[2]!.id } });
  });
});
