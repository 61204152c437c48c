// Conversations: who is in each kind of thread (and that a power ends the moment its source does),
// the page and every write checking membership, editing for 15 minutes, deleting with a trace,
// the per-person rate limit, blocks, suspended accounts, muting, the notifications of a new message,
// and accepting an offer of help opening the thread with the maintainer's note.
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { cookieFor, makeAdmin, makeCall, makePackage, makeUser } from "#tests/support/factories.ts";
import { useFreshDatabase } from "#tests/support/database.ts";
import { startResendStandIn } from "#tests/fakes/resend.ts";

const API_KEY = "re_test_conversations_0123456789";
const standIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
process.env.RESEND_API_KEY = API_KEY;
process.env.RESEND_BASE_URL = standIn.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
process.env.APP_URL = APP;
delete process.env.DEMO_MODE;
afterAll(() => standIn.close());

const { and, eq } = await import("drizzle-orm");
const { db, schema } = await import("#app/utils/db.server.ts");
const threadRoute = await import("#app/routes/threads.$id.tsx");
const versionRoute = await import("#app/routes/threads.$id_.version.ts");
const manageRoute = await import("#app/routes/calls.$id_.manage.tsx");
const personRoute = await import("#app/routes/people.$login.tsx");
const { ensureThread } = await import("#app/models/conversations/threads.server.ts");
const { loadSubject } = await import("#app/models/conversations/membership.server.ts");
const { EDIT_WINDOW_MS, MESSAGE_RATE_RULE, messageRecipients } =
  await import("#app/models/conversations/messages.server.ts");
const { blockUser } = await import("#app/models/conversations/blocks.server.ts");
const { hitRateLimit } = await import("#app/utils/rate-limit.server.ts");
const { hideContent } = await import("#app/models/moderation/hides.server.ts");
const { findReportTarget } = await import("#app/models/moderation/reports.server.ts");
const { unreadCount } = await import("#app/models/inbox/notifications.server.ts");

const DAY = 86_400_000;

type Page = {
  member: boolean;
  canJoin: boolean;
  subject: { title: string; open: boolean };
  members: { id: number; login: string | null; name: string | null; role: string }[];
  messages: {
    id: number;
    html: string;
    authorLogin: string | null;
    authorName: string | null;
    deletedAt: number | null;
    hidden: boolean;
    editable: boolean;
  }[];
};

const path = (id: number) => `/threads/${id}`;

async function view(threadId: number, cookie: string | undefined, query = "") {
  return run(() =>
    threadRoute.loader({
      request: request(`${path(threadId)}${query}`, { cookie }),
      params: { id: String(threadId) },
      context,
    }),
  );
}
async function page(threadId: number, cookie: string) {
  const result = await view(threadId, cookie);
  expect(result.status).toBe(200);
  return result.value as Page;
}
function act(threadId: number, cookie: string | undefined, form: Record<string, string>) {
  return run(() =>
    threadRoute.action({
      request: request(path(threadId), { cookie, form }),
      params: { id: String(threadId) },
      context,
    }),
  );
}
const say = (threadId: number, cookie: string, body: string) => act(threadId, cookie, { intent: "post", body });
const errorsOf = (value: unknown) => JSON.stringify(value);

/** A call, a volunteer's accepted interest in it, and its thread. */
async function acceptedInterest(tag: string) {
  const maintainer = await makeUser(`${tag}-maint`);
  const volunteer = await makeUser(`${tag}-vol`);
  const pkg = await makePackage(`django-${tag}`, [maintainer]);
  const call = await makeCall(pkg.id, maintainer, { title: `Help with ${tag}` });
  const now = Date.now();
  const [interest] = await db()
    .insert(schema.callInterests)
    .values({
      callId: call.id,
      userId: volunteer.id,
      message: "I can help with this.",
      status: "accepted",
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const thread = (await ensureThread("interest", interest!.id))!;
  return { maintainer, volunteer, pkg, call, interest: interest!, thread };
}

async function stint(userId: number, role: "roadie" | "working_group", termEndsAt = Date.now() + 365 * DAY) {
  await db().insert(schema.memberships).values({ userId, role, status: "active", startedAt: 0, termEndsAt });
}

const membersOf = async (threadId: number) => {
  const thread = (await db().select().from(schema.threads).where(eq(schema.threads.id, threadId)).get())!;
  const subject = await loadSubject(thread.subjectType, thread.subjectId, thread.id);
  return subject!.members.map((m) => m.userId).sort((a, b) => a - b);
};
const ids = (...people: { id: number }[]) => people.map((p) => p.id).sort((a, b) => a - b);

describe("who is in a thread, derived from its subject every time", () => {
  useFreshDatabase();

  test("an accepted interest: the package's verified maintainers and the volunteer; a maintainer no longer verified is out at once", async () => {
    const { maintainer, volunteer, pkg, thread } = await acceptedInterest("ivy");
    const second = await makeUser("ivy-second");
    await db().insert(schema.packageMaintainers).values({
      packageId: pkg.id,
      userId: second.id,
      githubLogin: second.login,
      verifiedAt: Date.now(),
      createdAt: Date.now(),
    });
    const outsider = await makeUser("ivy-outsider");
    expect(await membersOf(thread.id)).toEqual(ids(maintainer, volunteer, second));

    const secondCookie = await cookieFor(second.id);
    expect((await say(thread.id, secondCookie, "Hello from the second maintainer.")).status).toBe(302);
    // The link to the package is no longer verified: out of the thread for reads and writes alike.
    await db()
      .update(schema.packageMaintainers)
      .set({ verifiedAt: null })
      .where(eq(schema.packageMaintainers.userId, second.id));
    expect((await view(thread.id, secondCookie)).status).toBe(404);
    expect((await say(thread.id, secondCookie, "Still here?")).status).toBe(404);
    expect((await view(thread.id, await cookieFor(outsider.id))).status).toBe(404);
    // Signed out: sign in and come back.
    const anonymous = await view(thread.id, undefined);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?next=${encodeURIComponent(path(thread.id))}`);
    // A missing id answers exactly like a thread one is not in.
    expect((await view(thread.id + 1000, await cookieFor(outsider.id))).status).toBe(404);
  });

  test("the inbox stops counting a thread's notifications the moment the person is out of it", async () => {
    const { volunteer, pkg, thread } = await acceptedInterest("gone");
    const second = await makeUser("gone-second");
    await db().insert(schema.packageMaintainers).values({
      packageId: pkg.id,
      userId: second.id,
      githubLogin: second.login,
      verifiedAt: Date.now(),
      createdAt: Date.now(),
    });
    expect((await say(thread.id, await cookieFor(volunteer.id), "Hello maintainers!")).status).toBe(302);
    expect(await unreadCount(second.id)).toBe(1);
    await db()
      .update(schema.packageMaintainers)
      .set({ verifiedAt: null })
      .where(eq(schema.packageMaintainers.userId, second.id));
    expect(await unreadCount(second.id)).toBe(0);
  });

  test("a pending interest has no conversation; a withdrawn one keeps its history, read-only", async () => {
    const maintainer = await makeUser("pend-maint");
    const volunteer = await makeUser("pend-vol");
    const pkg = await makePackage("django-pend", [maintainer]);
    const call = await makeCall(pkg.id, maintainer);
    const now = Date.now();
    const [interest] = await db()
      .insert(schema.callInterests)
      .values({ callId: call.id, userId: volunteer.id, message: "Me please.", createdAt: now, updatedAt: now })
      .returning();
    expect(await ensureThread("interest", interest!.id)).toBeNull();
    await db()
      .update(schema.callInterests)
      .set({ status: "accepted" })
      .where(eq(schema.callInterests.id, interest!.id));
    const thread = (await ensureThread("interest", interest!.id))!;
    const cookie = await cookieFor(volunteer.id);
    expect((await say(thread.id, cookie, "Thanks for accepting!")).status).toBe(302);
    await db()
      .update(schema.callInterests)
      .set({ status: "withdrawn" })
      .where(eq(schema.callInterests.id, interest!.id));
    const shown = await page(thread.id, cookie);
    expect(shown.subject.open).toBe(false);
    expect(shown.messages).toHaveLength(1);
    const refused = await say(thread.id, cookie, "One more thing");
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.value)).toContain("withdrew");
  });

  test("a transfer: maintainer, successor, shepherd roadie and working-group members who join; a lapsed role is out at once", async () => {
    const maintainer = await makeUser("tr-maint");
    const successor = await makeUser("tr-succ");
    const roadie = await makeUser("tr-roadie");
    const wg = await makeUser("tr-wg");
    const plain = await makeUser("tr-plain");
    await stint(roadie.id, "roadie");
    await stint(wg.id, "working_group");
    const pkg = await makePackage("django-handover", [maintainer]);
    const call = await makeCall(pkg.id, maintainer, { kind: "new-maintainer" });
    const now = Date.now();
    const [transfer] = await db()
      .insert(schema.transfers)
      .values({
        callId: call.id,
        successorUserId: successor.id,
        roadieUserId: roadie.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const thread = (await ensureThread("transfer", transfer!.id))!;
    expect(await membersOf(thread.id)).toEqual(ids(maintainer, successor, roadie));

    // A working-group member sees only the join form until they join; nobody else sees anything.
    const wgCookie = await cookieFor(wg.id);
    const before = await page(thread.id, wgCookie);
    expect(before).toMatchObject({ member: false, canJoin: true, messages: [] });
    expect((await say(thread.id, wgCookie, "Hi")).status).toBe(403);
    expect((await act(thread.id, await cookieFor(plain.id), { intent: "join" })).status).toBe(404);
    expect((await act(thread.id, wgCookie, { intent: "join" })).status).toBe(302);
    expect(await membersOf(thread.id)).toEqual(ids(maintainer, successor, roadie, wg));
    expect((await page(thread.id, wgCookie)).members.find((m) => m.id === wg.id)?.role).toBe("working group");

    // The roadie's term and the working-group stint end: both are out, before any job runs.
    await db()
      .update(schema.memberships)
      .set({ termEndsAt: now - 1 })
      .where(eq(schema.memberships.userId, roadie.id));
    await db()
      .update(schema.memberships)
      .set({ termEndsAt: now - 1 })
      .where(eq(schema.memberships.userId, wg.id));
    expect(await membersOf(thread.id)).toEqual(ids(maintainer, successor));
    expect((await view(thread.id, await cookieFor(roadie.id))).status).toBe(404);
    expect((await view(thread.id, wgCookie)).status).toBe(404);
  });

  test("a special request: the filer and the assigned expert; reassigning or losing the pool seat ends the expert's access", async () => {
    const filer = await makeUser("rq-filer");
    const expert = await makeUser("rq-expert");
    const next = await makeUser("rq-next");
    const pkg = await makePackage("django-request", [filer]);
    const now = Date.now();
    for (const person of [expert, next])
      await db()
        .insert(schema.expertPoolMembers)
        .values({ kind: "funding", userId: person.id, status: "active", evidence: "Grants.", appliedAt: now });
    const [req] = await db()
      .insert(schema.specialRequests)
      .values({
        packageId: pkg.id,
        kind: "funding",
        title: "Funding for CI",
        details: "We need CI minutes.",
        confidential: false,
        state: "acknowledged",
        filedByUserId: filer.id,
        assigneeUserId: expert.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const thread = (await ensureThread("request", req!.id))!;
    expect(await membersOf(thread.id)).toEqual(ids(filer, expert));
    await db()
      .update(schema.specialRequests)
      .set({ assigneeUserId: next.id })
      .where(eq(schema.specialRequests.id, req!.id));
    expect(await membersOf(thread.id)).toEqual(ids(filer, next));
    await db()
      .update(schema.expertPoolMembers)
      .set({ status: "rejected" })
      .where(eq(schema.expertPoolMembers.userId, next.id));
    expect(await membersOf(thread.id)).toEqual(ids(filer));
  });

  test("a programme application: its organisers and the applicant (not a draft); under anonymised review organisers see “The applicant”", async () => {
    const organiser = await makeUser("pg-org");
    const applicant = await makeUser("pg-applicant");
    const now = Date.now();
    const [program] = await db()
      .insert(schema.programs)
      .values({
        slug: "conv-programme",
        name: "Conversation programme",
        organisation: "Test",
        seasonStart: "2027-01-01",
        seasonEnd: "2027-03-01",
        opensOn: "2026-01-01",
        closesOn: "2027-12-31",
        opensAt: now - DAY,
        closesAt: now + DAY,
        anonymisedReview: true,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await db()
      .insert(schema.programOrganisers)
      .values({ programId: program!.id, userId: organiser.id, createdAt: now });
    const [role] = await db()
      .insert(schema.programRoles)
      .values({ programId: program!.id, name: "Mentee", capacity: 5 })
      .returning();
    const [application] = await db()
      .insert(schema.applications)
      .values({ programId: program!.id, roleId: role!.id, userId: applicant.id, createdAt: now, updatedAt: now })
      .returning();
    expect(await ensureThread("application", application!.id)).toBeNull();
    await db()
      .update(schema.applications)
      .set({ status: "submitted", submittedAt: now })
      .where(eq(schema.applications.id, application!.id));
    const thread = (await ensureThread("application", application!.id))!;
    expect(await membersOf(thread.id)).toEqual(ids(organiser, applicant));
    expect((await say(thread.id, await cookieFor(applicant.id), "When will we hear back?")).status).toBe(302);
    const seen = await page(thread.id, await cookieFor(organiser.id));
    expect(seen.messages[0]).toMatchObject({ authorLogin: null, authorName: "The applicant" });
    expect(JSON.stringify(seen)).not.toContain(applicant.login);
    // The organiser leaves the programme: out at once.
    await db().delete(schema.programOrganisers).where(eq(schema.programOrganisers.userId, organiser.id));
    expect(await membersOf(thread.id)).toEqual(ids(applicant));
  });

  test("a suspended account is never a member: it cannot read or post, and is not notified", async () => {
    const { maintainer, volunteer, thread } = await acceptedInterest("sus");
    const cookie = await cookieFor(volunteer.id);
    await db()
      .insert(schema.accountSuspensions)
      .values({ userId: volunteer.id, reason: "test", createdAt: Date.now() });
    expect(await membersOf(thread.id)).toEqual(ids(maintainer));
    // The old cookie is worth nothing (sessions of suspended accounts are refused).
    expect((await view(thread.id, cookie)).location).toMatch(/^\/login/);
    expect((await say(thread.id, await cookieFor(maintainer.id), "Anyone there?")).status).toBe(302);
    expect(await unreadCount(volunteer.id)).toBe(0);
  });
});

describe("messages: posting, notifications, editing, deleting, limits", () => {
  useFreshDatabase();
  beforeEach(() => standIn.reset());

  test("a new message notifies every member but the author and those who muted, with the thread as its link; opening the thread marks it read", async () => {
    const { maintainer, volunteer, pkg, thread } = await acceptedInterest("note");
    const second = await makeUser("note-second");
    await db().insert(schema.packageMaintainers).values({
      packageId: pkg.id,
      userId: second.id,
      githubLogin: second.login,
      verifiedAt: Date.now(),
      createdAt: Date.now(),
    });
    const secondCookie = await cookieFor(second.id);
    expect((await act(thread.id, secondCookie, { intent: "mute" })).status).toBe(302);
    const posted = await say(
      thread.id,
      await cookieFor(maintainer.id),
      "Welcome! Let us start with **the release blockers**.",
    );
    expect(posted.status).toBe(302);
    const rows = await db().select().from(schema.notifications).where(eq(schema.notifications.kind, "message")).all();
    expect(rows.map((r) => r.userId)).toEqual([volunteer.id]);
    const messageId = Number(posted.location!.split("#message-")[1]);
    expect(rows[0]).toMatchObject({
      threadId: thread.id,
      key: `message:${messageId}`,
      href: `${path(thread.id)}#message-${messageId}`,
    });
    expect(rows[0]!.title).toContain("Help with note");
    // The page renders the Markdown safely, and reading it clears the unread notification.
    const volunteerCookie = await cookieFor(volunteer.id);
    expect(await unreadCount(volunteer.id)).toBe(1);
    const shown = await page(thread.id, volunteerCookie);
    expect(shown.messages[0]!.html).toContain("<strong>the release blockers</strong>");
    expect(await unreadCount(volunteer.id)).toBe(0);
    // Unmuted, the second maintainer hears of the next one.
    expect((await act(thread.id, secondCookie, { intent: "unmute" })).status).toBe(302);
    await say(thread.id, volunteerCookie, "Sounds good to me.");
    expect(await unreadCount(second.id)).toBe(1);
  });

  test("the author can edit a message for 15 minutes, nobody else ever", async () => {
    const { maintainer, volunteer, thread } = await acceptedInterest("edit");
    const cookie = await cookieFor(volunteer.id);
    const posted = await say(thread.id, cookie, "Frist message");
    const messageId = posted.location!.split("#message-")[1]!;
    expect(
      (await act(thread.id, await cookieFor(maintainer.id), { intent: "edit", messageId, body: "Hijacked" })).status,
    ).toBe(409);
    expect((await act(thread.id, cookie, { intent: "edit", messageId, body: "First message" })).status).toBe(302);
    const shown = await page(thread.id, cookie);
    expect(shown.messages[0]).toMatchObject({ editable: true });
    expect(shown.messages[0]!.html).toContain("First message");
    // Sixteen minutes later the window has closed.
    await db()
      .update(schema.messages)
      .set({ createdAt: Date.now() - EDIT_WINDOW_MS - 60_000 })
      .where(eq(schema.messages.id, Number(messageId)));
    const late = await act(thread.id, cookie, { intent: "edit", messageId, body: "Too late" });
    expect(late.status).toBe(409);
    expect(errorsOf(late.value)).toContain("15 minutes");
    expect((await page(thread.id, cookie)).messages[0]).toMatchObject({ editable: false });
  });

  test("deleting asks first, then leaves a visible “message deleted” trace without the text", async () => {
    const { maintainer, volunteer, thread } = await acceptedInterest("del");
    const cookie = await cookieFor(volunteer.id);
    const posted = await say(thread.id, cookie, "Oops, my phone number is 555-0100");
    const messageId = posted.location!.split("#message-")[1]!;
    // Without the confirmation's own button: the confirm step.
    const ask = await act(thread.id, cookie, { intent: "delete", messageId });
    expect(ask.location).toBe(`${path(thread.id)}?delete=${messageId}#confirm-delete`);
    const confirmPage = await view(thread.id, cookie, `?delete=${messageId}`);
    expect((confirmPage.value as { deleting: { id: number } | null }).deleting?.id).toBe(Number(messageId));
    // Someone else's message cannot be deleted.
    expect(
      (await act(thread.id, await cookieFor(maintainer.id), { intent: "delete", messageId, confirm: "yes" })).status,
    ).toBe(409);
    expect((await act(thread.id, cookie, { intent: "delete", messageId, confirm: "yes" })).status).toBe(302);
    const seen = await page(thread.id, await cookieFor(maintainer.id));
    expect(seen.messages).toHaveLength(1);
    expect(seen.messages[0]!.deletedAt).not.toBeNull();
    expect(seen.messages[0]!.html).toBe("");
    const stored = await db()
      .select()
      .from(schema.messages)
      .where(eq(schema.messages.id, Number(messageId)))
      .get();
    expect(stored!.body).not.toContain("555");
  });

  test("a hidden message shows as hidden to everyone; a member can report a message, an outsider cannot", async () => {
    const { maintainer, volunteer, thread } = await acceptedInterest("hide");
    const admin = await makeAdmin("hide-admin");
    const posted = await say(thread.id, await cookieFor(volunteer.id), "Buy cheap watches at example.com");
    const messageId = posted.location!.split("#message-")[1]!;
    expect(await findReportTarget({ id: maintainer.id, isAdmin: false }, "message", messageId)).toMatchObject({
      type: "message",
      href: `${path(thread.id)}#message-${messageId}`,
    });
    expect(await findReportTarget({ id: admin.id, isAdmin: true }, "message", messageId)).toBeNull();
    await hideContent("message", messageId, "spam", admin.id);
    const seen = await page(thread.id, await cookieFor(maintainer.id));
    expect(seen.messages[0]).toMatchObject({ hidden: true, html: "" });
  });

  test("each person has a message rate limit, counted in the database across every thread", async () => {
    const { volunteer, thread } = await acceptedInterest("rate");
    const cookie = await cookieFor(volunteer.id);
    for (let i = 0; i < MESSAGE_RATE_RULE.limit; i++) await hitRateLimit(MESSAGE_RATE_RULE, String(volunteer.id));
    const refused = await say(thread.id, cookie, "One message too many");
    expect(refused.status).toBe(429);
    expect(errorsOf(refused.value)).toContain("You can write again in");
    expect(await db().select().from(schema.messages).where(eq(schema.messages.threadId, thread.id)).all()).toHaveLength(
      0,
    );
  });

  test("someone blocked by a member cannot post into that thread (and is told why); a blocker is never notified of the blocked person's messages", async () => {
    const { maintainer, volunteer, thread } = await acceptedInterest("block");
    const volunteerCookie = await cookieFor(volunteer.id);
    const maintainerCookie = await cookieFor(maintainer.id);
    // Blocking from the thread page.
    expect((await act(thread.id, volunteerCookie, { intent: "block", userId: String(maintainer.id) })).status).toBe(
      302,
    );
    const refused = await say(thread.id, maintainerCookie, "Hello?");
    expect(refused.status).toBe(403);
    expect(errorsOf(refused.value)).toContain("has blocked you");
    // Only members of the thread can be blocked from it.
    const stranger = await makeUser("block-stranger");
    expect((await act(thread.id, volunteerCookie, { intent: "block", userId: String(stranger.id) })).status).toBe(400);
    // The volunteer still writes, and is in the list of who hears of it; the maintainer never hears of a blocked author.
    const subject = (await loadSubject("interest", thread.subjectId, thread.id))!;
    expect(await messageRecipients(thread.id, subject, maintainer.id)).toEqual([]);
    expect(await messageRecipients(thread.id, subject, volunteer.id)).toEqual([maintainer.id]);
    // Unblocking from the profile page lets them write again.
    const unblock = await run(() =>
      personRoute.action({
        request: request(`/people/${maintainer.login}`, { cookie: volunteerCookie, form: { intent: "unblock" } }),
        params: { login: maintainer.login },
        context,
      }),
    );
    expect(unblock.status).toBe(302);
    expect((await say(thread.id, maintainerCookie, "Hello again")).status).toBe(302);
    // And blocking from the profile page works the same way.
    await run(() =>
      personRoute.action({
        request: request(`/people/${maintainer.login}`, { cookie: volunteerCookie, form: { intent: "block" } }),
        params: { login: maintainer.login },
        context,
      }),
    );
    expect((await say(thread.id, maintainerCookie, "And again")).status).toBe(403);
    await blockUser(volunteer.id, volunteer.id); // blocking oneself is a no-op
    expect((await say(thread.id, volunteerCookie, "I can still write")).status).toBe(302);
  });

  test("the live version answers 304 until the thread changes, and only to members", async () => {
    const { maintainer, volunteer, thread } = await acceptedInterest("live");
    const cookie = await cookieFor(volunteer.id);
    const poll = (etag?: string, who = cookie) =>
      run(async () => {
        const req = request(`${path(thread.id)}/version`, { cookie: who });
        if (etag) req.headers.set("If-None-Match", etag);
        return versionRoute.loader({ request: req, params: { id: String(thread.id) }, context });
      });
    const first = await poll();
    const etag = (first.value as Response).headers.get("ETag")!;
    expect(first.status).toBe(200);
    expect((await poll(etag)).status).toBe(304);
    await say(thread.id, await cookieFor(maintainer.id), "A new message");
    const changed = await poll(etag);
    expect(changed.status).toBe(200);
    expect((changed.value as Response).headers.get("ETag")).not.toBe(etag);
    expect((await poll(undefined, await cookieFor((await makeUser("live-outsider")).id))).status).toBe(404);
    expect((await poll(undefined, "")).status).toBe(401);
  });
});

describe("accepting an offer of help opens the conversation", () => {
  useFreshDatabase();
  beforeEach(() => standIn.reset());

  test("the note becomes the first message, by the accepting maintainer; the email links to the thread with no address and no Reply-To", async () => {
    const maintainer = await makeUser("acc-maint");
    const volunteer = await makeUser("acc-vol");
    const pkg = await makePackage("django-accept", [maintainer]);
    const call = await makeCall(pkg.id, maintainer, { title: "Release helper" });
    const now = Date.now();
    const [interest] = await db()
      .insert(schema.callInterests)
      .values({
        callId: call.id,
        userId: volunteer.id,
        message: "Happy to help with releases.",
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const cookie = await cookieFor(maintainer.id);
    const accepted = await run(() =>
      manageRoute.action({
        request: request(`/calls/${call.id}/manage`, {
          cookie,
          form: {
            intent: "accept",
            interestId: String(interest!.id),
            note: "Welcome! Shall we start with the changelog?",
          },
        }),
        params: { id: String(call.id) },
        context,
      }),
    );
    expect(accepted.status).toBe(302);
    const thread = (await db()
      .select()
      .from(schema.threads)
      .where(and(eq(schema.threads.subjectType, "interest"), eq(schema.threads.subjectId, interest!.id)))
      .get())!;
    const seen = await page(thread.id, await cookieFor(volunteer.id));
    expect(seen.messages).toHaveLength(1);
    expect(seen.messages[0]).toMatchObject({ authorLogin: maintainer.login });
    expect(seen.messages[0]!.html).toContain("Shall we start with the changelog?");
    // The maintainers' page offers the conversation, not an address.
    const manage = await run(() =>
      manageRoute.loader({
        request: request(`/calls/${call.id}/manage`, { cookie }),
        params: { id: String(call.id) },
        context,
      }),
    );
    expect((manage.value as { interests: { threadHref: string | null }[] }).interests[0]!.threadHref).toBe(
      path(thread.id),
    );

    const email = standIn.sent().find((e) => e.to.includes(volunteer.email!))!;
    expect(email.subject).toContain("accepted");
    expect(email.html).toContain(`${APP}${path(thread.id)}`);
    expect(email.html).not.toContain("will get in touch");
    expect(email.html).not.toContain(maintainer.email!);
    expect(email.replyTo).toEqual([]);
  });
});
