// A conversation is made by the write that begins its subject (an offer of help accepted, the
// handover that starts with it, a request filed or reopened), never by a page; the demo's open
// subjects have theirs, and the migration that gave the older subjects theirs picks the same ones.
import { readFileSync, readdirSync } from "node:fs";
import { expect, test } from "vitest";
import { APP } from "#tests/support/routes.ts";
import { makeCall, makePackage, makeUser } from "#tests/support/factories.ts";
import type { ThreadSubjectType } from "#db/schema.ts";

process.env.APP_URL = APP;
process.env.DEMO_MODE = "true";
const { and, eq, sql } = await import("drizzle-orm");
const { db, schema } = await import("#app/utils/db.server.ts");
const { decideInterest, listInterests } = await import("#app/models/calls/interests.server.ts");
const { getCall } = await import("#app/models/calls/calls.server.ts");
const { changeState } = await import("#app/models/requests/events.server.ts");
const { openSubjectSql } = await import("#app/models/conversations/membership.server.ts");
const { seedDemo } = await import("#db/demo.ts");

const th = schema.threads;
const threadOf = (type: ThreadSubjectType, id: number) =>
  db()
    .select()
    .from(th)
    .where(and(eq(th.subjectType, type), eq(th.subjectId, id)))
    .get();

const subjects = [
  ["interest", "call_interests"],
  ["transfer", "transfers"],
  ["request", "special_requests"],
  ["application", "applications"],
] as const;

/** Every subject, whether it is open now (openSubjectSql) and whether it has its thread. */
async function subjectsAndThreads() {
  const rows: { type: string; id: number; open: number; thread: number }[] = [];
  for (const [type, table] of subjects) {
    const all = await db().all<{ id: number; open: number; thread: number }>(
      sql`SELECT s.id AS id, ${openSubjectSql(type, sql`s.id`)} AS open,
        EXISTS (SELECT 1 FROM threads t WHERE t.subject_type = ${type} AND t.subject_id = s.id) AS thread
        FROM ${sql.raw(table)} s`,
    );
    rows.push(...all.map((r) => ({ type, id: r.id, open: Number(r.open), thread: Number(r.thread) })));
  }
  return rows;
}

test("every open subject of the demo has its conversation", async () => {
  expect((await seedDemo(db())).seeded).toBe(true);
  const rows = await subjectsAndThreads();
  for (const [type] of subjects) expect(rows.some((r) => r.type === type && r.open)).toBe(true);
  expect(rows.filter((r) => r.open && !r.thread)).toEqual([]);
});

test("accepting an offer of help makes its conversation, and the handover's when the call asks for a new maintainer, in the same write", async () => {
  const maintainer = await makeUser("begin-maintainer");
  const volunteer = await makeUser("begin-volunteer");
  const pkg = await makePackage("django-begin", [maintainer]);
  const call = await makeCall(pkg.id, maintainer, { kind: "new-maintainer", title: "Take over django-begin" });
  const now = Date.now();
  await db()
    .insert(schema.callInterests)
    .values({ callId: call.id, userId: volunteer.id, message: "I can take it.", createdAt: now, updatedAt: now });
  const [interest] = await listInterests(call.id);
  expect(await threadOf("interest", interest!.id)).toBeUndefined();

  expect(
    await decideInterest(
      { id: maintainer.id, isAdmin: false },
      (await getCall(call.id))!,
      interest!.id,
      "accepted",
      null,
      now,
    ),
  ).toBe(true);
  expect(await threadOf("interest", interest!.id)).toBeDefined();
  const transfer = (await db().select().from(schema.transfers).where(eq(schema.transfers.callId, call.id)).get())!;
  expect(await threadOf("transfer", transfer.id)).toBeDefined();
});

test("a declined offer has no conversation", async () => {
  const maintainer = await makeUser("decline-maintainer");
  const volunteer = await makeUser("decline-volunteer");
  const pkg = await makePackage("django-declined", [maintainer]);
  const call = await makeCall(pkg.id, maintainer, { title: "Review pull requests" });
  const now = Date.now();
  await db()
    .insert(schema.callInterests)
    .values({ callId: call.id, userId: volunteer.id, message: "Maybe me?", createdAt: now, updatedAt: now });
  const [interest] = await listInterests(call.id);
  expect(
    await decideInterest(
      { id: maintainer.id, isAdmin: false },
      (await getCall(call.id))!,
      interest!.id,
      "declined",
      null,
      now,
    ),
  ).toBe(true);
  expect(await threadOf("interest", interest!.id)).toBeUndefined();
});

test("reopening a request closed before conversations were made with requests makes its conversation", async () => {
  const maintainer = await makeUser("reopen-maintainer");
  const pkg = await makePackage("django-reopened", [maintainer]);
  const now = Date.now();
  const [request] = await db()
    .insert(schema.specialRequests)
    .values({
      packageId: pkg.id,
      kind: "funding",
      confidential: false,
      title: "Closed long ago",
      details: "Closed before it had a conversation.",
      state: "closed",
      filedByUserId: maintainer.id,
      acknowledgedAt: now - 1000,
      createdAt: now - 2000,
      updatedAt: now - 1000,
    })
    .returning();
  expect(await threadOf("request", request!.id)).toBeUndefined();
  const access = { admin: false, maintainer: true, assignee: false, pastAssignee: false, participant: true };
  expect(await changeState(request!, access, "reopen", maintainer.id, now)).toBe(true);
  expect(await threadOf("request", request!.id)).toBeDefined();
});

test("the migration that gave older subjects their conversation picks exactly the open ones without one", async () => {
  // Subjects written around the app, in every state, without threads.
  const owner = await makeUser("migration-owner");
  const pkg = await makePackage("django-migrated", [owner]);
  const now = Date.now();
  for (const state of ["new", "in_progress", "resolved", "closed"] as const) {
    await db()
      .insert(schema.specialRequests)
      .values({
        packageId: pkg.id,
        kind: "funding",
        confidential: false,
        title: `A ${state} request`,
        details: "Written before threads were made with their subjects.",
        state,
        filedByUserId: owner.id,
        createdAt: now,
        updatedAt: now,
      });
  }
  for (const [i, status] of (["pending", "accepted", "declined", "withdrawn"] as const).entries()) {
    const volunteer = await makeUser(`migration-volunteer-${i}`);
    const call = await makeCall(pkg.id, owner, { title: `Call ${i}` });
    await db()
      .insert(schema.callInterests)
      .values({ callId: call.id, userId: volunteer.id, message: "Hello", status, createdAt: now, updatedAt: now });
  }
  const before = await subjectsAndThreads();
  expect(before.some((r) => r.open && !r.thread)).toBe(true);

  const file = readdirSync("db/migrations").find((f) => f.endsWith("_threads_of_open_subjects.sql"))!;
  for (const statement of readFileSync(`db/migrations/${file}`, "utf8").split("--> statement-breakpoint"))
    await db().run(sql.raw(statement));
  const after = await subjectsAndThreads();
  expect(after.filter((r) => r.open && !r.thread)).toEqual([]);
  // No subject that is not open got one.
  const had = new Set(before.filter((r) => r.thread).map((r) => `${r.type}:${r.id}`));
  expect(after.filter((r) => !r.open && r.thread && !had.has(`${r.type}:${r.id}`))).toEqual([]);
});
