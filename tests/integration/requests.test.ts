// Special requests: routing over the pools, deadlines and reassignment, the sweeper, confidentiality
// (404 for outsiders, audit of every view) and the emails, through the models and the routes.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { APP, context } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";
import { startResendStandIn, type ResendStandIn } from "#tests/fakes/resend.ts";

const API_KEY = "re_test_requests_0123456789";
const standIn: ResendStandIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
process.env.RESEND_API_KEY = API_KEY;
process.env.RESEND_BASE_URL = standIn.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
process.env.APP_URL = APP;
delete process.env.DEMO_MODE;

const { db, schema } = await import("#app/utils/db.server.ts");
const requests = {
  ...(await import("#app/models/requests/requests.server.ts")),
  ...(await import("#app/models/requests/pools.server.ts")),
  ...(await import("#app/models/requests/routing.server.ts")),
};
const { createSession, sessionSetCookie } = await import("#app/models/people/sessions.server.ts");
const requestRoute = await import("#app/routes/requests.$id.tsx");
const newRoute = await import("#app/routes/requests.new.tsx");
const poolsRoute = await import("#app/routes/requests.pools.tsx");
const { emailRetryPolicy } = await import("#app/utils/email.server.ts");
const { and, eq } = await import("drizzle-orm");
emailRetryPolicy.baseDelayMs = 5;

afterAll(() => standIn.close());
beforeEach(() => standIn.reset());

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse("2026-03-02T10:00:00Z");
let seq = 0;

async function user(
  login: string,
  { isAdmin = false, ...extra }: Partial<typeof schema.users.$inferInsert> & { isAdmin?: boolean } = {},
) {
  seq += 1;
  const [row] = await db()
    .insert(schema.users)
    .values({
      githubId: 90_000 + seq,
      login,
      email: `${login}@example.org`,
      createdAt: T0,
      updatedAt: T0,
      adminFlag: isAdmin,
      ...extra,
    })
    .returning();
  // Admin rights come from a current working-group stint: from before T0 to a year after the real clock.
  if (isAdmin)
    await db()
      .insert(schema.memberships)
      .values({
        userId: row!.id,
        role: "working_group",
        status: "active",
        startedAt: T0 - DAY,
        termEndsAt: Date.now() + 365 * DAY,
      });
  return { ...row!, isAdmin };
}

async function pkg(
  name: string,
  maintainers: { id: number; login: string }[],
  invited: { id: number; login: string }[] = [],
) {
  const [row] = await db()
    .insert(schema.packages)
    .values({ name, normalizedName: name.toLowerCase(), createdAt: T0, updatedAt: T0 })
    .returning();
  for (const m of maintainers) {
    await db()
      .insert(schema.packageMaintainers)
      .values({ packageId: row!.id, userId: m.id, githubLogin: m.login, verifiedAt: T0, createdAt: T0 });
  }
  for (const m of invited) {
    await db()
      .insert(schema.packageMaintainers)
      .values({ packageId: row!.id, userId: m.id, githubLogin: m.login, createdAt: T0 });
  }
  return row!;
}

async function poolMember(kind: (typeof schema.requestKinds)[number], userId: number) {
  await db()
    .insert(schema.expertPoolMembers)
    .values({ kind, userId, status: "active", evidence: "Handled many of these over the years.", appliedAt: T0 });
}

async function cookieFor(userId: number) {
  const { token } = await createSession(userId, "vitest");
  return sessionSetCookie(token).split(";")[0]!;
}

async function statusOf(run: () => Promise<unknown>) {
  try {
    const result = await run();
    if (result instanceof Response) return result.status;
    const init = (result as { init?: { status?: number } })?.init;
    return init?.status ?? 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

function get(path: string, cookie?: string) {
  return new Request(`${APP}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}
function post(path: string, form: Record<string, string>, cookie?: string) {
  return new Request(`${APP}${path}`, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: cookie ? { Cookie: cookie } : {},
  });
}

const file = (
  userId: number,
  packageId: number,
  input: Partial<Parameters<typeof requests.fileRequest>[1]> = {},
  now = T0,
) =>
  requests.fileRequest(
    userId,
    {
      packageId,
      kind: "funding",
      title: "Help us find money",
      details: "We need funding to keep releasing on time.",
      ...input,
    },
    now,
  );

describe("routing", () => {
  useFreshDatabase();
  test("10 requests spread over a pool of 3 as evenly as possible, and never to the package's maintainers", async () => {
    const maintainer = await user("spread-maint");
    const invited = await user("spread-invited");
    const experts = [await user("spread-a"), await user("spread-b"), await user("spread-c")];
    const p = await pkg("spread-pkg", [maintainer], [invited]);
    for (const e of experts) await poolMember("licensing", e.id);
    // Maintainers of the package, verified or only invited, are in the pool too: never chosen.
    await poolMember("licensing", maintainer.id);
    await poolMember("licensing", invited.id);
    const assignees: number[] = [];
    for (let i = 0; i < 10; i++) {
      // Ten different requests: identical ones within minutes would be one intent (one request).
      const result = await file(
        maintainer.id,
        p.id,
        { kind: "licensing", title: `Licence question ${i}` },
        T0 + i * 1000,
      );
      expect(result.ok).toBe(true);
      if (result.ok) assignees.push(result.assigneeUserId!);
    }
    const counts = experts.map((e) => assignees.filter((id) => id === e.id).length).sort();
    expect(counts).toEqual([3, 3, 4]);
    expect(assignees).not.toContain(maintainer.id);
    expect(assignees).not.toContain(invited.id);
  });

  test("among equally loaded experts, one whose working day overlaps the maintainers' is preferred", async () => {
    const maintainer = await user("tz-maint", { timezone: "Europe/Berlin" });
    const far = await user("tz-far", { timezone: "Pacific/Auckland" });
    const near = await user("tz-near", { timezone: "Europe/Paris" });
    const p = await pkg("tz-pkg", [maintainer]);
    // `far` joined first and would win a plain round-robin.
    await poolMember("infrastructure", far.id);
    await poolMember("infrastructure", near.id);
    const result = await file(maintainer.id, p.id, { kind: "infrastructure" });
    expect(result.ok && result.assigneeUserId).toBe(near.id);
  });

  test("paused members get nothing; only verified maintainers may file", async () => {
    const maintainer = await user("pause-maint");
    const outsider = await user("pause-outsider");
    const paused = await user("pause-expert");
    const p = await pkg("pause-pkg", [maintainer]);
    await poolMember("transfer", paused.id);
    await requests.setPoolPaused(paused.id, "transfer", true, T0);
    const result = await file(maintainer.id, p.id, { kind: "transfer" });
    expect(result.ok && result.assigneeUserId).toBeNull();
    expect((await file(outsider.id, p.id, { kind: "transfer" })).ok).toBe(false);
    // Resuming picks up the waiting request.
    await requests.setPoolPaused(paused.id, "transfer", false, T0 + 1000);
    const row = await db()
      .select()
      .from(schema.specialRequests)
      .where(eq(schema.specialRequests.id, result.ok ? result.id : 0))
      .get();
    expect(row?.assigneeUserId).toBe(paused.id);
  });
});

describe("deadlines and the sweeper", () => {
  useFreshDatabase();
  test("an unacknowledged request is reassigned when its deadline passes, and the admins are told", async () => {
    const admin = await user("dl-admin", { isAdmin: true });
    const maintainer = await user("dl-maint");
    const first = await user("dl-first");
    const second = await user("dl-second");
    const p = await pkg("dl-pkg", [maintainer]);
    await poolMember("security", first.id);
    await poolMember("security", second.id);
    const filed = await file(
      maintainer.id,
      p.id,
      { kind: "security", severity: "critical", title: "XSS in the admin widget MARK-DL" },
      T0,
    );
    if (!filed.ok) throw new Error("not filed");
    const initial = filed.assigneeUserId!;
    const other = initial === first.id ? second.id : first.id;
    // The assignee got an email at once, saying only that something confidential waits.
    const assignedMail = standIn
      .sent()
      .find((m) => m.to.includes(initial === first.id ? "dl-first@example.org" : "dl-second@example.org"));
    expect(assignedMail?.subject).toBe("New confidential request on Roadies");
    expect(assignedMail?.html).toContain(`${APP}/requests/${filed.id}`);
    expect(assignedMail?.html).not.toContain("MARK-DL");
    expect(assignedMail?.html).not.toContain("dl-pkg");
    standIn.reset();

    // Critical: one week. A minute before, nothing happens.
    expect(await requests.sweepRequests(T0 + 7 * DAY - 60_000)).toEqual({ reassigned: 0, assigned: 0 });
    const swept = await requests.sweepRequests(T0 + 7 * DAY);
    expect(swept.reassigned).toBe(1);
    const row = await db().select().from(schema.specialRequests).where(eq(schema.specialRequests.id, filed.id)).get();
    expect(row?.assigneeUserId).toBe(other);
    expect(row?.ackDueAt).toBe(T0 + 14 * DAY);
    const toAdmin = standIn.sent().filter((m) => m.to.includes(admin.email!));
    expect(toAdmin).toHaveLength(1);
    expect(toAdmin[0]!.subject).toBe(`Request #${filed.id} was not acknowledged in time`);
    expect(toAdmin[0]!.html).not.toContain("MARK-DL");
    expect(standIn.sent().some((m) => m.subject === "New confidential request on Roadies")).toBe(true);

    // The first expert keeps access as a past assignee; the timeline shows the reassignment.
    const found = await requests.findVisibleRequest({ id: initial, isAdmin: false }, String(filed.id));
    expect(found?.access.pastAssignee).toBe(true);
    const events = await db()
      .select()
      .from(schema.requestEvents)
      .where(eq(schema.requestEvents.requestId, filed.id))
      .all();
    expect(events.map((e) => e.type)).toEqual(["filed", "assigned", "reassigned"]);
  });

  test("running the sweeper twice in the same minute changes nothing the second time", async () => {
    const maintainer = await user("idem-maint");
    const a1 = await user("idem-a");
    const a2 = await user("idem-b");
    const p = await pkg("idem-pkg", [maintainer]);
    await poolMember("licensing", a1.id);
    await poolMember("licensing", a2.id);
    const filed = await file(maintainer.id, p.id, { kind: "licensing" }, T0);
    const at = T0 + 30 * DAY;
    await requests.sweepRequests(at);
    const snapshot = async () => ({
      requests: await db().select().from(schema.specialRequests).all(),
      events: await db().select().from(schema.requestEvents).all(),
      assignments: await db().select().from(schema.requestAssignments).all(),
      deliveries: (await db().select().from(schema.emailDeliveries).all()).length,
      sent: standIn.sent().length,
    });
    const before = await snapshot();
    expect(await requests.sweepRequests(at + 30_000)).toEqual({ reassigned: 0, assigned: 0 });
    expect(await snapshot()).toEqual(before);
    expect(filed.ok).toBe(true);
  });

  test("deadlines are configurable by admins", async () => {
    const admin = await user("cfg-admin", { isAdmin: true });
    await requests.saveDeadlineDays({ critical: 2, high: 14, medium: 28, low: 56, none: 112, other: 10 }, admin.id, T0);
    const maintainer = await user("cfg-maint");
    const expert = await user("cfg-expert");
    const p = await pkg("cfg-pkg", [maintainer]);
    await poolMember("security", expert.id);
    const filed = await file(maintainer.id, p.id, { kind: "security", severity: "critical" }, T0);
    const row = await db()
      .select()
      .from(schema.specialRequests)
      .where(eq(schema.specialRequests.id, filed.ok ? filed.id : 0))
      .get();
    expect(row?.ackDueAt).toBe(T0 + 2 * DAY);
    await requests.saveDeadlineDays((await import("#app/models/requests/forms.ts")).defaultDeadlineDays, admin.id, T0);
  });
});

describe("pools", () => {
  useFreshDatabase();
  test("security needs an admin; roadies join other pools at once; others wait for approval", async () => {
    const roadie = await user("pool-roadie");
    await db()
      .insert(schema.memberships)
      // Still a roadie by the real clock too: the seat it takes in the funding pool lasts as long.
      .values({
        userId: roadie.id,
        role: "roadie",
        status: "active",
        startedAt: T0,
        termEndsAt: Date.now() + 365 * DAY,
      });
    const plain = await user("pool-plain");
    const admin = await user("pool-admin", { isAdmin: true });
    const evidence = "I co-ran three GitHub advisories for Django packages.";
    expect(await requests.applyToPool(roadie.id, { kind: "funding", evidence }, T0)).toEqual({
      ok: true,
      status: "active",
    });
    expect(await requests.applyToPool(roadie.id, { kind: "security", evidence }, T0)).toEqual({
      ok: true,
      status: "pending",
    });
    expect(await requests.applyToPool(plain.id, { kind: "funding", evidence }, T0)).toEqual({
      ok: true,
      status: "pending",
    });
    const pending = await db()
      .select()
      .from(schema.expertPoolMembers)
      .where(and(eq(schema.expertPoolMembers.userId, roadie.id), eq(schema.expertPoolMembers.kind, "security")))
      .get();
    // Only admins decide, through the route; anyone else gets 404.
    const plainCookie = await cookieFor(plain.id);
    expect(
      await statusOf(() =>
        poolsRoute.action({
          request: post("/requests/pools", { intent: "approve", memberId: String(pending!.id) }, plainCookie),
          params: {},
          context,
        }),
      ),
    ).toBe(404);
    const adminCookie = await cookieFor(admin.id);
    expect(
      await statusOf(() =>
        poolsRoute.action({
          request: post("/requests/pools", { intent: "approve", memberId: String(pending!.id) }, adminCookie),
          params: {},
          context,
        }),
      ),
    ).toBe(302);
    const after = await db()
      .select()
      .from(schema.expertPoolMembers)
      .where(eq(schema.expertPoolMembers.id, pending!.id))
      .get();
    expect(after?.status).toBe("active");
  });

  test("a short evidence comes back with a message next to the field", async () => {
    const someone = await user("pool-short");
    const result = (await poolsRoute.action({
      request: post(
        "/requests/pools",
        { intent: "apply", kind: "funding", evidence: "short" },
        await cookieFor(someone.id),
      ),
      params: {},
      context,
    })) as unknown as { init: { status: number }; data: { error: Record<string, string[]> } };
    expect(result.init.status).toBe(400);
    expect(result.data.error.evidence?.[0]).toMatch(/at least 20 characters/);
  });
});

describe("confidentiality", () => {
  useFreshDatabase();
  let id = 0;
  let cookies: Record<"maintainer" | "assignee" | "admin" | "outsider" | "otherMaintainer", string>;
  let outsiderId = 0;

  beforeAll(async () => {
    const maintainer = await user("conf-maint");
    const assignee = await user("conf-expert");
    const admin = await user("conf-admin", { isAdmin: true });
    const outsider = await user("conf-outsider");
    const otherMaintainer = await user("conf-other");
    outsiderId = outsider.id;
    const p = await pkg("conf-pkg", [maintainer]);
    await pkg("conf-other-pkg", [otherMaintainer]);
    await poolMember("funding", assignee.id);
    const filed = await file(maintainer.id, p.id, {
      kind: "funding",
      confidential: true,
      title: "Secret sponsor talks",
    });
    if (!filed.ok) throw new Error("not filed");
    // On a fresh database the funding pool holds this one expert, so routing must pick them.
    expect(filed.assigneeUserId).toBe(assignee.id);
    id = filed.id;
    cookies = {
      maintainer: await cookieFor(maintainer.id),
      assignee: await cookieFor(assignee.id),
      admin: await cookieFor(admin.id),
      outsider: await cookieFor(outsider.id),
      otherMaintainer: await cookieFor(otherMaintainer.id),
    };
  });

  test("outsiders get the same 404 as for an id that does not exist; signed-out visitors are sent to sign in for both", async () => {
    const view = (path: string, cookie?: string, idParam = String(id)) =>
      statusOf(() => requestRoute.loader({ request: get(path, cookie), params: { id: idParam }, context }));
    expect(await view(`/requests/${id}`)).toBe(302);
    expect(await view(`/requests/999999`, undefined, "999999")).toBe(302);
    expect(await view(`/requests/${id}`, cookies.outsider)).toBe(404);
    expect(await view(`/requests/${id}`, cookies.otherMaintainer)).toBe(404);
    expect(await view(`/requests/999999`, cookies.outsider, "999999")).toBe(404);
    expect(await view(`/requests/abc`, cookies.outsider, "abc")).toBe(404);
    expect(await view(`/requests/${id}`, cookies.maintainer)).toBe(200);
    expect(await view(`/requests/${id}`, cookies.assignee)).toBe(200);
    expect(await view(`/requests/${id}`, cookies.admin)).toBe(200);
  });

  test("every action refuses outsiders with 404 and changes nothing", async () => {
    const forms: Record<string, string>[] = [
      { intent: "comment", body: "let me in" },
      { intent: "acknowledge" },
      { intent: "close" },
    ];
    for (const form of forms) {
      for (const cookie of [undefined, cookies.outsider, cookies.otherMaintainer]) {
        expect(
          await statusOf(() =>
            requestRoute.action({
              request: post(`/requests/${id}`, form, cookie),
              params: { id: String(id) },
              context,
            }),
          ),
        ).toBe(404);
      }
    }
    const events = await db().select().from(schema.requestEvents).where(eq(schema.requestEvents.requestId, id)).all();
    expect(events.map((e) => e.type)).toEqual(["filed", "assigned"]);
  });

  test("the assignee acknowledges and comments; the maintainer sees the timeline; views are audited", async () => {
    expect(
      await statusOf(() =>
        requestRoute.action({
          request: post(`/requests/${id}`, { intent: "acknowledge" }, cookies.maintainer),
          params: { id: String(id) },
          context,
        }),
      ),
    ).toBe(409);
    expect(
      await statusOf(() =>
        requestRoute.action({
          request: post(`/requests/${id}`, { intent: "acknowledge" }, cookies.assignee),
          params: { id: String(id) },
          context,
        }),
      ),
    ).toBe(302);
    expect(
      await statusOf(() =>
        requestRoute.action({
          request: post(`/requests/${id}`, { intent: "comment", body: "Looking at sponsors now." }, cookies.assignee),
          params: { id: String(id) },
          context,
        }),
      ),
    ).toBe(302);
    const page = (await requestRoute.loader({
      request: get(`/requests/${id}`, cookies.maintainer),
      params: { id: String(id) },
      context,
    })) as Awaited<ReturnType<typeof requestRoute.loader>>;
    expect(page.request.state).toBe("acknowledged");
    expect(page.events.map((e) => e.type)).toEqual(["filed", "assigned", "state", "comment"]);
    expect(page.events[3]!.bodyHtml).toContain("Looking at sponsors now.");
    // The maintainer heard about the comment, without its words.
    const mail = standIn.sent().find((m) => m.to.includes("conf-maint@example.org") && m.subject.includes("activity"));
    expect(mail?.subject).toBe("New activity on a confidential request");
    expect(mail?.html).not.toContain("Looking at sponsors");
    const audit = await db()
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.objectType, "special_request"), eq(schema.auditLog.objectId, String(id))))
      .all();
    expect(audit.filter((e) => e.action === "request.view").length).toBeGreaterThanOrEqual(4);
    expect(audit.some((e) => e.action === "request.view_refused" && e.actorUserId === outsiderId)).toBe(true);
  });

  test("never in the public list", async () => {
    const open = await requests.listPublicRequests();
    expect(open.map((r) => r.id)).not.toContain(id);
  });

  test("filing for a package you do not maintain is refused next to the field, and the input is kept", async () => {
    const p = await db().select().from(schema.packages).where(eq(schema.packages.normalizedName, "conf-pkg")).get();
    const result = (await newRoute.action({
      request: post(
        "/requests/new",
        {
          packageId: String(p!.id),
          kind: "funding",
          title: "Not mine at all",
          details: "Trying to file for someone else's package.",
        },
        cookies.outsider,
      ),
      params: {},
      context,
    })) as unknown as {
      init: { status: number };
      data: { error: Record<string, string[]>; initialValue: Record<string, string> };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.error.packageId?.[0]).toMatch(/verified maintainer/);
    expect(result.data.initialValue.title).toBe("Not mine at all");
  });

  test("a security request without a severity is refused with a message on the severity field", async () => {
    const p = await db().select().from(schema.packages).where(eq(schema.packages.normalizedName, "conf-pkg")).get();
    const result = (await newRoute.action({
      request: post(
        "/requests/new",
        {
          packageId: String(p!.id),
          kind: "security",
          title: "A vulnerability",
          details: "Details of the vulnerability go here.",
        },
        cookies.maintainer,
      ),
      params: {},
      context,
    })) as unknown as { init: { status: number }; data: { error: Record<string, string[]> } };
    expect(result.init.status).toBe(400);
    expect(result.data.error.severity?.[0]).toMatch(/severe/);
  });
});
