// Reads stay cheap and indistinguishable: probing confidential request ids costs no more than a
// read, fills no audit log, and a confidential id answers byte for byte like a missing one.
import { describe, expect, test } from "vitest";
import { APP, context, world } from "./world.ts";

const { db, schema } = await import("#app/utils/db.server.ts");
const { count, eq } = await import("drizzle-orm");
const route = await import("#app/routes/requests.$id.tsx");

const CONFIDENTIAL = "1"; // demo request 1 is a confidential security report (tests/security/route-matrix.ts)
const MISSING = "987654";

const auditRows = async () => (await db().select({ n: count() }).from(schema.auditLog).get())!.n;

/** What the person gets: status, headers and body of the loader's or action's answer. */
async function answer(kind: "loader" | "action", id: string, cookie: string | undefined) {
  const request = new Request(`${APP}/requests/${id}`, {
    method: kind === "loader" ? "GET" : "POST",
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...(kind === "action" ? { Origin: APP } : {}) },
    body: kind === "action" ? new URLSearchParams({ intent: "comment", body: "hello" }) : undefined,
  });
  let result: unknown;
  try {
    result = await route[kind]({ request, params: { id }, context });
  } catch (thrown) {
    result = thrown;
  }
  if (!(result instanceof Response)) return { status: 200, headers: "", body: JSON.stringify(result) };
  return { status: result.status, headers: JSON.stringify([...result.headers]), body: await result.text() };
}

describe("reads stay cheap and indistinguishable", () => {
  test("reads stay cheap: 2,000 anonymous probes of a confidential id add no audit rows", async () => {
    await world();
    const confidential = await db()
      .select()
      .from(schema.specialRequests)
      .where(eq(schema.specialRequests.id, Number(CONFIDENTIAL)))
      .get();
    expect(confidential?.confidential).toBe(true);
    const before = await auditRows();
    // A signed-out visitor is sent to sign in (the request may be theirs), exactly as for a missing id.
    for (let i = 0; i < 2000; i++) expect((await answer("loader", CONFIDENTIAL, undefined)).status).toBe(302);
    expect(await auditRows()).toBe(before);
  });

  test("reads stay cheap: a signed-in person's refused looks are counted in one row per request and hour", async () => {
    const w = await world();
    const cookie = await w.cookie("volunteer");
    const before = await auditRows();
    for (let i = 0; i < 200; i++) expect((await answer("loader", CONFIDENTIAL, cookie)).status).toBe(404);
    expect(await auditRows()).toBe(before + 1);
    const row = await db()
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "request.view_refused"))
      .all()
      .then((rows) => rows.find((r) => r.actorUserId === w.users.volunteer.id && r.objectId === CONFIDENTIAL));
    // Audit entries are never updated: the count is kept beside the entry.
    const repeats = await db().select().from(schema.auditRepeats).where(eq(schema.auditRepeats.auditId, row!.id)).get();
    expect(repeats?.count).toBe(200);
  });

  test("a confidential id and a missing id answer byte for byte the same (but the id asked for), anonymous or signed in", async () => {
    const w = await world();
    // "maintainer" maintains another package: request 1 is none of their business either.
    for (const role of ["anonymous", "volunteer", "maintainer", "roadie"] as const) {
      const cookie = await w.cookie(role);
      for (const kind of ["loader", "action"] as const) {
        const confidential = await answer(kind, CONFIDENTIAL, cookie);
        const missing = await answer(kind, MISSING, cookie);
        // A signed-out visitor's look is sent to sign in and back to the address it asked for: the
        // same answer for both but the id it already knows.
        const signIn = role === "anonymous" && kind === "loader";
        expect(confidential.status, `${role} ${kind}`).toBe(signIn ? 302 : 404);
        expect(confidential, `${role} ${kind}`).toEqual(
          signIn ? JSON.parse(JSON.stringify(missing).replaceAll(MISSING, CONFIDENTIAL)) : missing,
        );
      }
    }
  });

  test("a confidential id and a missing id take the same path: the same audit effect for a signed-in prober", async () => {
    const w = await world();
    const cookie = await w.cookie("roadie");
    const rowsFor = async (id: string) =>
      (await db().select().from(schema.auditLog).where(eq(schema.auditLog.objectId, id)).all())
        .filter((r) => r.actorUserId === w.users.roadie.id)
        .map((r) => [r.action, r.objectType, JSON.parse(r.detail) as unknown]);
    await answer("loader", CONFIDENTIAL, cookie);
    await answer("loader", MISSING, cookie);
    const confidential = await rowsFor(CONFIDENTIAL);
    expect(confidential).toHaveLength(1);
    expect(confidential[0]!.slice(0, 2)).toEqual(["request.view_refused", "special_request"]);
    expect(await rowsFor(MISSING)).toEqual(confidential);
  });

  test("every allowed look at a confidential request is still audited, one row per look", async () => {
    const w = await world();
    const cookie = await w.cookie("admin");
    const views = async () =>
      (await db().select().from(schema.auditLog).where(eq(schema.auditLog.objectId, CONFIDENTIAL)).all()).filter(
        (r) => r.action === "request.view" && r.actorUserId === w.users.admin.id,
      ).length;
    const before = await views();
    for (let i = 0; i < 3; i++) expect((await answer("loader", CONFIDENTIAL, cookie)).status).toBe(200);
    expect(await views()).toBe(before + 3);
  });
});

// [conversations] A confidential request's thread follows the request's confidentiality exactly.
describe("a confidential request's conversation is as confidential as the request", () => {
  const threadRoute = () => import("#app/routes/threads.$id.tsx");
  const versionRoute = () => import("#app/routes/threads.$id_.version.ts");
  const MISSING_THREAD = "876543";

  async function confidentialThread() {
    const { ensureThread } = await import("#app/models/conversations/threads.server.ts");
    const { loadSubject } = await import("#app/models/conversations/membership.server.ts");
    const thread = (await ensureThread("request", Number(CONFIDENTIAL)))!;
    const subject = (await loadSubject("request", Number(CONFIDENTIAL), thread.id))!;
    return { thread, subject };
  }

  async function cookieOf(userId: number) {
    const { createSession, sessionSetCookie } = await import("#app/models/people/sessions.server.ts");
    const { token } = await createSession(userId, "security-suite");
    return sessionSetCookie(token).split(";")[0]!;
  }

  async function threadAnswer(kind: "loader" | "action", id: string, cookie: string | undefined) {
    const mod = await threadRoute();
    const request = new Request(`${APP}/threads/${id}`, {
      method: kind === "loader" ? "GET" : "POST",
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...(kind === "action" ? { Origin: APP } : {}) },
      body: kind === "action" ? new URLSearchParams({ intent: "post", body: "hello" }) : undefined,
    });
    let result: unknown;
    try {
      result = await mod[kind]({ request, params: { id }, context });
    } catch (thrown) {
      result = thrown;
    }
    if (!(result instanceof Response)) return { status: 200, headers: "", body: JSON.stringify(result) };
    return { status: result.status, headers: JSON.stringify([...result.headers]), body: await result.text() };
  }

  test("its members are the filer and the assigned expert; everyone else, admins included, gets exactly what a missing thread answers", async () => {
    const w = await world();
    const { thread, subject } = await confidentialThread();
    expect(subject.confidential).toBe(true);
    expect(subject.members.length).toBeGreaterThan(0);
    const id = String(thread.id);
    for (const role of ["anonymous", "volunteer", "maintainer", "roadie", "admin", "suspended"] as const) {
      const cookie = await w.cookie(role);
      for (const kind of ["loader", "action"] as const) {
        const secret = await threadAnswer(kind, id, cookie);
        const missing = await threadAnswer(kind, MISSING_THREAD, cookie);
        expect(secret.status, `${role} ${kind}`).not.toBe(200);
        expect(secret, `${role} ${kind}`).toEqual(JSON.parse(JSON.stringify(missing).replaceAll(MISSING_THREAD, id)));
      }
      // The live version tells an outsider nothing either.
      const version = await versionRoute();
      const poll = async (threadId: string) => {
        const request = new Request(`${APP}/threads/${threadId}/version`, {
          headers: cookie ? { Cookie: cookie } : {},
        });
        try {
          const r = await version.loader({ request, params: { id: threadId }, context });
          return [r.status, await r.text()];
        } catch (thrown) {
          const r = thrown as Response;
          return [r.status, await r.text()];
        }
      };
      expect(await poll(id), role).toEqual(await poll(MISSING_THREAD));
    }
  });

  test("every look by a member is audited as a look at the request; anonymous probes write nothing", async () => {
    await world();
    const { thread, subject } = await confidentialThread();
    const member = subject.members[0]!.userId;
    const cookie = await cookieOf(member);
    const looks = async () =>
      (await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, "request.thread_view")).all()).filter(
        (r) => r.actorUserId === member && r.objectId === CONFIDENTIAL,
      ).length;
    const before = await looks();
    for (let i = 0; i < 3; i++) expect((await threadAnswer("loader", String(thread.id), cookie)).status).toBe(200);
    expect(await looks()).toBe(before + 3);
    const rows = await auditRows();
    for (let i = 0; i < 200; i++) expect((await threadAnswer("loader", String(thread.id), undefined)).status).toBe(302);
    expect(await auditRows()).toBe(rows);
  });

  test("a message's notification and the inbox never carry the request's title", async () => {
    const { thread, subject } = await confidentialThread();
    const request = (await db()
      .select()
      .from(schema.specialRequests)
      .where(eq(schema.specialRequests.id, Number(CONFIDENTIAL)))
      .get())!;
    const author = subject.members[0]!.userId;
    const { postMessage } = await import("#app/models/conversations/messages.server.ts");
    const posted = await postMessage({ id: author }, thread, subject, "The patch is ready for review.");
    expect(posted.ok).toBe(true);
    const notes = await db()
      .select()
      .from(schema.notifications)
      .where(eq(schema.notifications.threadId, thread.id))
      .all();
    expect(notes.length).toBe(subject.members.length - 1);
    for (const note of notes) {
      expect(note.title).not.toContain(request.title);
      expect(note.title).toBe("New message on a confidential conversation");
      expect(note.href).toMatch(new RegExp(`^/threads/${thread.id}#message-\\d+$`));
    }
  });
});
