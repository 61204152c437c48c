// What a page costs the database, as an operator reads it in `Server-Timing`: every page a signed-in
// person opens makes at most three round trips to the database, however many packages, calls,
// interests and notifications there are (an N+1 pattern would show as a count that grows with them).
// The pages are requested through Remix's own request handler, on the demo's dataset plus a
// maintainer with many packages, calls, interests and notifications.
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { APP } from "#tests/support/routes.ts";

process.env.APP_URL = APP;
process.env.DEMO_MODE = "true";
const { db, schema } = await import("#app/utils/db.server.ts");
const { and, eq, isNull, sql } = await import("drizzle-orm");
const { seedDemo } = await import("#db/demo.ts");
const { cookieFor, makeCall, makePackage, makeUser } = await import("#tests/support/factories.ts");
const { appRequestHandler, databaseTiming } = await import("#tests/support/request-handler.ts");
const { currentDatabaseUse, withRequestId } = await import("#app/utils/request-context.server.ts");
const { ensureThread } = await import("#app/models/conversations/threads.server.ts");
const { fileRequest } = await import("#app/models/requests/requests.server.ts");
const { saveApplication, flushApplicationEmails } = await import("#app/models/programs/applications.server.ts");
const { getProgramBySlug, listRoles } = await import("#app/models/programs/programs.server.ts");
const { listQuestions } = await import("#app/models/programs/questions.server.ts");
const { inboxVersion, listInbox } = await import("#app/models/inbox/notifications.server.ts");
const { listMyInterests } = await import("#app/models/calls/interests.server.ts");
const { bumpPublicContent } = await import("#app/utils/page-cache.server.ts");

/** The pages, each with its route file; `:call`, `:package`, `:person`, `:thread`, `:message` and `:comment` are filled in below. */
const PAGES: [path: string, routeFile: string][] = [
  ["/calls", "calls._index.tsx"],
  ["/calls?q=review&sort=newest", "calls._index.tsx"],
  ["/calls/:call", "calls.$id.tsx"],
  ["/me/interests", "me.interests.tsx"],
  ["/packages/:package", "packages.$name.tsx"],
  ["/inbox", "inbox.tsx"],
  ["/", "_index.tsx"],
  ["/packages", "packages._index.tsx"],
  ["/people", "people._index.tsx"],
  ["/people/ada-demo", "people.$login.tsx"],
  ["/people/:person", "people.$login.tsx"],
  ["/programs", "programs._index.tsx"],
  ["/requests", "requests._index.tsx"],
  ["/me/applications", "me.applications.tsx"],
  ["/settings/profile", "settings.profile.tsx"],
  // Every other kind of page a signed-in person reaches (the accessibility crawl's), as the admin.
  ["/admin", "admin._index.tsx"],
  ["/admin/transfers", "admin.transfers.tsx"],
  ["/admin/nominations", "admin.nominations._index.tsx"],
  ["/admin/nominations/1", "admin.nominations.$id.tsx"],
  ["/threads/:thread", "threads.$id.tsx"],
  ["/transfers/1", "transfers.$id.tsx"],
  ["/requests/1", "requests.$id.tsx"],
  ["/requests/3", "requests.$id.tsx"],
  ["/programs/gsoc-django-demo-round/review", "programs.$slug.review._index.tsx"],
  ["/programs/gsoc-django-demo-round/review/8", "programs.$slug.review.$id.tsx"],
  ["/programs/gsoc-django-demo-round/decisions", "programs.$slug.decisions.tsx"],
  ["/programs/gsoc-django-demo-round/questions", "programs.$slug.questions.tsx"],
  ["/programs/gsoc-django-demo-round/groups", "programs.$slug.groups.tsx"],
  ["/programs/gsoc-django-demo-round/edit", "programs.$slug.edit.tsx"],
  ["/programs/gsoc-django-demo-round/alumni", "programs.$slug.alumni.tsx"],
  ["/programs/djangonaut-space-demo-session/apply", "programs.$slug.apply.tsx"],
  ["/surveys", "surveys._index.tsx"],
  ["/surveys/1", "surveys.$id._index.tsx"],
  ["/roadies", "roadies._index.tsx"],
  ["/roadies/apply", "roadies.apply.tsx"],
  ["/ecosystem", "ecosystem.tsx"],
  ["/reports/:month", "reports.$month.tsx"],
  ["/report/profile/dev-demo", "report.$type.$id.tsx"],
  ["/report/message/:message", "report.$type.$id.tsx"],
  ["/report/comment/:comment", "report.$type.$id.tsx"],
  ["/packages/compare", "packages.compare.tsx"],
  ["/calendar", "calendar.tsx"],
  ["/settings/notifications", "settings.notifications.tsx"],
  ["/guides/suggestions/1", "guides_.suggestions.$id.tsx"],
  ["/guides/funding/history", "guides_.$slug_.history.tsx"],
  ["/calls/:call/manage", "calls.$id_.manage.tsx"],
  ["/calls/:call/edit", "calls.$id_.edit.tsx"],
  ["/admin/announcements", "admin.announcements.tsx"],
  ["/admin/audit", "admin.audit.tsx"],
  ["/admin/jobs", "admin.jobs.tsx"],
  ["/admin/moderation", "admin.moderation.tsx"],
  ["/admin/roadies", "admin.roadies.tsx"],
  ["/admin/working-group", "admin.working-group.tsx"],
  ["/calendar/edit", "calendar_.edit.tsx"],
  ["/calls/new", "calls.new.tsx"],
  ["/compat/5.2", "compat.$version.tsx"],
  ["/guides", "guides.tsx"],
  ["/guides/funding", "guides_.$slug.tsx"],
  ["/guides/funding/suggest", "guides_.$slug_.suggest.tsx"],
  ["/guides/suggestions", "guides_.suggestions._index.tsx"],
  ["/meetings", "meetings._index.tsx"],
  ["/meetings/1", "meetings.$id.tsx"],
  ["/meetings/1/edit", "meetings.$id_.edit.tsx"],
  ["/meetings/new", "meetings.new.tsx"],
  ["/nominate", "nominate.tsx"],
  ["/packages/:package/maintainers", "packages.$name_.maintainers.tsx"],
  ["/packages/new", "packages.new.tsx"],
  ["/programs/gsoc-django-demo-round", "programs.$slug._index.tsx"],
  ["/programs/gsoc-django-demo-round/projects/new", "programs.$slug.projects.new.tsx"],
  ["/programs/new", "programs.new.tsx"],
  ["/reports", "reports._index.tsx"],
  ["/requests/new", "requests.new.tsx"],
  ["/requests/pools", "requests.pools.tsx"],
  ["/search?q=django", "search.tsx"],
  ["/settings/account", "settings.account.tsx"],
  ["/settings/email", "settings.email.tsx"],
  ["/settings/sessions", "settings.sessions.tsx"],
  ["/surveys/1/edit", "surveys.$id.edit.tsx"],
  ["/surveys/1/results", "surveys.$id.results.tsx"],
  ["/surveys/new", "surveys.new.tsx"],
];
const MAX_ROUND_TRIPS = 3;

/** Page routes that are no signed-in person's page to measure here, each with why. */
const NOT_MEASURED: Record<string, string> = {
  "login.tsx": "the signed-out sign-in page",
  "auth.github.tsx": "an action only (starts the sign-in)",
  "logout.tsx": "an action only",
  "auth.github_.callback.tsx": "GitHub's redirect back, which signs in",
  "dev.outbox.tsx": "the demo's email outbox, a tool",
  "dev.outbox.$id.tsx": "one email of the demo's outbox, a tool",
  "checkin.$token.tsx": "opened from an email by its token, signed in or not",
  "unsubscribe.$token.tsx": "opened from an email by its token, signed in or not",
  "verify-email.$token.tsx": "opened from an email by its token",
  "terms.renew.tsx": "opened from an email by its token",
  "calls.$id_.renew.tsx": "opened from an email by its token",
  "calls.$id_.not-for-me.tsx": "a form's action; its loader only redirects to the call",
  "packages.$name_.compatibility.tsx": "a form's action; its loader only redirects to the package",
  "nominations.$id.tsx": "answers only the nominated package's maintainers (404 for the admin)",
};

let handle: (request: Request) => Promise<Response>;
let adaId: number;
let cookie: string;
let fill: (path: string) => string;

beforeAll(async () => {
  expect((await seedDemo(db())).seeded).toBe(true);
  const ada = (await db().select().from(schema.users).where(eq(schema.users.login, "ada-demo")).get())!;
  const now = Date.now();
  // Enough of everything that a query per row would show: 12 packages of hers, 2 calls each,
  // her interest in 10 of them (some accepted, with conversations), 30 notifications (half unread).
  const calls: number[] = [];
  let firstPackage = "";
  for (let i = 0; i < 12; i++) {
    const pkg = await makePackage(`django-round-trip-${i}`, [ada]);
    firstPackage ||= pkg.normalizedName;
    for (const title of ["Review pull requests", "Cut releases"])
      calls.push((await makeCall(pkg.id, ada, { title })).id);
  }
  const someone = (await db().select().from(schema.users).where(eq(schema.users.login, "kofi-demo")).get())!;
  await db()
    .insert(schema.callInterests)
    .values(
      calls
        .slice(0, 10)
        .map((callId) => ({ callId, userId: ada.id, message: "I can help.", createdAt: now, updatedAt: now })),
    );
  // Six of them accepted (each with its conversation, made when accepted), two of those withdrawn
  // since, two declined: /me/interests links each conversation.
  const mine = await db().select().from(schema.callInterests).where(eq(schema.callInterests.userId, ada.id)).all();
  let firstThread = 0;
  for (const [i, interest] of mine.entries()) {
    const status = i < 6 ? "accepted" : i < 8 ? "declined" : "pending";
    await db().update(schema.callInterests).set({ status }).where(eq(schema.callInterests.id, interest.id));
    if (status === "accepted") {
      const thread = await ensureThread("interest", interest.id, now);
      expect(thread).not.toBeNull();
      firstThread ||= thread!.id;
    }
    if (i >= 4 && i < 6) {
      await db()
        .update(schema.callInterests)
        .set({ status: "withdrawn" })
        .where(eq(schema.callInterests.id, interest.id));
    }
  }
  await db()
    .insert(schema.notifications)
    .values(
      Array.from({ length: 30 }, (_, i) => ({
        userId: ada.id,
        kind: "interest-new",
        title: `Someone offered help (${i})`,
        href: `/calls/${calls[i % calls.length]}`,
        key: `round-trips-${i}`,
        createdAt: now - i * 60_000,
        readAt: i % 2 ? now : null,
      })),
    );
  // Someone else's message in her conversation, and a comment on a confidential request (she is an
  // admin), for the report pages.
  const [message] = await db()
    .insert(schema.messages)
    .values({ threadId: firstThread, authorId: someone.id, body: "Hello", createdAt: now })
    .returning();
  const comment = (await db()
    .select({ id: schema.requestEvents.id })
    .from(schema.requestEvents)
    .innerJoin(schema.specialRequests, eq(schema.specialRequests.id, schema.requestEvents.requestId))
    .where(and(eq(schema.requestEvents.type, "comment"), eq(schema.specialRequests.confidential, true)))
    .get())!;
  adaId = ada.id;
  cookie = await cookieFor(ada.id);
  fill = (path) =>
    path
      .replace(":call", String(calls[0]))
      .replace(":package", firstPackage)
      .replace(":person", someone.login)
      .replace(":thread", String(firstThread))
      .replace(":message", String(message!.id))
      .replace(":comment", String(comment.id))
      .replace(":month", new Date(now).toISOString().slice(0, 7));
  handle = await appRequestHandler([...new Set(PAGES.map(([, file]) => file))]);
});

const get = (path: string) => handle(new Request(`${APP}${fill(path)}`, { headers: { Cookie: cookie } }));

describe("database round trips", () => {
  test("every page route is measured below, or named as no signed-in person's page", () => {
    const measured = new Set(PAGES.map(([, file]) => file));
    const pages = readdirSync("app/routes").filter((file) => file.endsWith(".tsx"));
    expect(pages.filter((file) => !measured.has(file) && !(file in NOT_MEASURED))).toEqual([]);
    // And the list names only route files that exist.
    expect(Object.keys(NOT_MEASURED).filter((file) => !pages.includes(file))).toEqual([]);
  });

  test("signed-in pages make at most three database round trips, also right after a change to what visitors see", async () => {
    const counts: Record<string, number | string> = {};
    const measure = async (when: string) => {
      for (const [path] of PAGES) {
        const response = await get(path);
        await response.text();
        counts[`${path} (${when})`] =
          response.status === 200 ? (databaseTiming(response)?.roundTrips ?? "no Server-Timing") : response.status;
      }
    };
    // First views, then the same pages once a write has made every remembered list stale
    // (public-memo.server.ts): a stale list is read again after the page's other reads.
    await measure("first view");
    await bumpPublicContent();
    await measure("after a change");
    // The pages over the limit (or not answered 200), each with what it made: none.
    const over = Object.entries(counts).filter(([, n]) => !(typeof n === "number" && n >= 1 && n <= MAX_ROUND_TRIPS));
    expect(over).toEqual([]);
  });

  test("a conversation is made by the write that begins its subject, so its members' first visit reads it within three round trips", async () => {
    const threadCount = async () =>
      (await db()
        .select({ n: sql<number>`count(*)` })
        .from(schema.threads)
        .get())!.n;
    // As people would through the app: a maintainer files a request (public, and a confidential
    // security report), which goes to an expert of the pool; someone applies to a programme.
    const filer = await makeUser("round-trip-filer");
    const pkg = await makePackage("django-round-trip-filed", [filer]);
    const visits: [who: string, userId: number, path: string, thread: number][] = [];
    for (const kind of ["funding", "security"] as const) {
      const filed = await fileRequest(filer.id, {
        packageId: pkg.id,
        kind,
        title: `Fresh ${kind} request`,
        details: "Filed a moment ago; nobody has opened it yet.",
        severity: kind === "security" ? "high" : undefined,
        confidential: kind === "security",
      });
      expect(filed.ok && filed.assigneeUserId).toBeTruthy();
      if (!filed.ok || !filed.assigneeUserId) return;
      const thread = (await db()
        .select()
        .from(schema.threads)
        .where(and(eq(schema.threads.subjectType, "request"), eq(schema.threads.subjectId, filed.id)))
        .get())!;
      visits.push([`the filer of a ${kind} request`, filer.id, `/requests/${filed.id}`, thread.id]);
      visits.push([`the expert of a ${kind} request`, filed.assigneeUserId, `/requests/${filed.id}`, thread.id]);
    }
    const program = (await getProgramBySlug("djangonaut-space-demo-session"))!;
    const [role] = await listRoles(program.id);
    const answers = Object.fromEntries(
      (await listQuestions(program.id)).map((q) => [
        q.id,
        q.kind === "single_choice"
          ? q.options[0]!
          : q.kind === "multiple_choice"
            ? [q.options[0]!]
            : q.kind === "yes_no"
              ? "yes"
              : q.kind === "url"
                ? "https://example.org/me"
                : "An answer.",
      ]),
    );
    const applicant = await makeUser("round-trip-applicant");
    const saved = await saveApplication(
      program,
      role!.id,
      applicant.id,
      { answers, projectRanking: [], timezone: null, availableFrom: null, availableTo: null },
      { submit: true },
    );
    await flushApplicationEmails();
    expect(saved.ok && saved.application.status).toBe("submitted");
    if (!saved.ok) return;
    const thread = (await db()
      .select()
      .from(schema.threads)
      .where(and(eq(schema.threads.subjectType, "application"), eq(schema.threads.subjectId, saved.application.id)))
      .get())!;
    const organiser = (await db()
      .select()
      .from(schema.programOrganisers)
      .where(eq(schema.programOrganisers.programId, program.id))
      .get())!;
    visits.push([
      "an organiser",
      organiser.userId,
      `/programs/${program.slug}/review/${saved.application.id}`,
      thread.id,
    ]);
    visits.push(["the applicant", applicant.id, "/me/applications", thread.id]);

    const before = await threadCount();
    const seen: Record<string, number | string> = {};
    for (const [who, userId, path, threadId] of visits) {
      const response = await handle(new Request(`${APP}${path}`, { headers: { Cookie: await cookieFor(userId) } }));
      const html = await response.text();
      // The member's first look links the conversation, read with the page.
      seen[who] =
        response.status !== 200
          ? response.status
          : !html.includes(`/threads/${threadId}`)
            ? "no link to the conversation"
            : (databaseTiming(response)?.roundTrips ?? "no Server-Timing");
    }
    expect(Object.entries(seen).filter(([, n]) => !(typeof n === "number" && n <= MAX_ROUND_TRIPS))).toEqual([]);
    // A page only reads: no visit made a thread.
    expect(await threadCount()).toBe(before);
  });

  test('documents and data requests carry the round trips as Server-Timing: db;dur=<ms>;desc="<n> round trips"', async () => {
    for (const path of ["/calls", "/calls.data", "/packages/:package.data"]) {
      const response = await get(path);
      await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get("server-timing")).toMatch(/^db;dur=\d+\.\d;desc="[1-9]\d* round trips"$/);
    }
  });

  test("a request's reads asked side by side are one round trip, each with its own answer or error, in the order asked", async () => {
    const u = schema.users;
    const [maker] = await db()
      .insert(u)
      .values({ githubId: 990_001, login: "order-of-asking", name: "old", createdAt: 0, updatedAt: 0 })
      .returning();
    await withRequestId("side-by-side", async () => {
      const nameNow = () => db().select({ name: u.name }).from(u).where(eq(u.id, maker!.id)).get();
      const [skills, person, missing] = await Promise.allSettled([
        db().select().from(schema.skills).all(),
        nameNow(),
        db().run(sql`SELECT * FROM no_such_table`),
      ]);
      expect(currentDatabaseUse()!.roundTrips).toBe(4); // the batch failed, then each read was asked again alone
      expect(skills.status === "fulfilled" && skills.value.length).toBeGreaterThan(0);
      expect(person).toEqual({ status: "fulfilled", value: { name: "old" } });
      expect(missing.status === "rejected" && String((missing.reason as Error).cause)).toMatch(/no such table/);

      // A read asked before a write, in the same turn, still reads what was there before the write.
      const [before] = await Promise.all([nameNow(), db().update(u).set({ name: "new" }).where(eq(u.id, maker!.id))]);
      expect(before).toEqual({ name: "old" });
      const roundTrips = currentDatabaseUse()!.roundTrips;
      const [again, skillsAgain] = await Promise.all([nameNow(), db().select().from(schema.skills).all()]);
      expect(again).toEqual({ name: "new" });
      expect(skillsAgain).toEqual(skills.status === "fulfilled" ? skills.value : []);
      expect(currentDatabaseUse()!.roundTrips - roundTrips).toBe(1);
    });
  });

  test("prepared queries (built once, with placeholders) go in the same batch as the reads beside them and are counted", async () => {
    await withRequestId("prepared", async () => {
      const [version, page, interests, skills] = await Promise.all([
        inboxVersion(adaId),
        listInbox(adaId),
        listMyInterests(adaId),
        db().select().from(schema.skills).all(),
      ]);
      expect(currentDatabaseUse()!.roundTrips).toBe(1);
      // Each with its own answer: her notifications (30 of them here, half unread), every one hers to see; 10 interests, six of them with
      // the conversation she is in (accepted, or withdrawn after it was accepted).
      const n = schema.notifications;
      const unread = await db()
        .select({ id: n.id })
        .from(n)
        .where(and(eq(n.userId, adaId), isNull(n.readAt)))
        .all();
      expect(version.unread).toBe(unread.length);
      expect(page.entries).toHaveLength(25);
      expect(page.entries[0]!.id).toBe(version.newestId);
      expect(interests).toHaveLength(10);
      expect(
        interests
          .filter((i) => i.threadId !== null)
          .map((i) => i.status)
          .sort(),
      ).toEqual([...Array<string>(4).fill("accepted"), "withdrawn", "withdrawn"]);
      expect(skills.length).toBeGreaterThan(0);
    });
  });
});
