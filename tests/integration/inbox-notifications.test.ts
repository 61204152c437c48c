// The inbox: notify() names each event once per person (a retry notifies no one twice), a suspended
// person gets nothing new, a person reads and marks only their own notifications, the live version
// answers 304 while nothing changed, and what a person can no longer see (a conversation they left,
// a vote after their working-group stint) is not shown: powers end when their source ends.
import { describe, expect, test } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

process.env.APP_URL = APP;
delete process.env.DEMO_MODE;
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const inbox = await import("#app/models/inbox/notifications.server.ts");
const { notificationCatalogue, notificationKinds } = await import("#app/models/inbox/catalogue.ts");
const { emailCatalogue } = await import("#db/schema/notifications.ts");
const { ensureThread, setMuted } = await import("#app/models/conversations/threads.server.ts");
const { suspendAccount } = await import("#app/models/people/suspension.server.ts");
const { makeAdmin, makeUser, makePackage, makeCall, cookieFor } = await import("#tests/support/factories.ts");
const inboxRoute = await import("#app/routes/inbox.tsx");
const openRoute = await import("#app/routes/inbox_.$id.ts");
const versionRoute = await import("#app/routes/inbox_.version.ts");
const root = await import("#app/root.tsx");

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}`;

function item(userId: number, key: string, extra: Partial<Parameters<typeof inbox.notify>[0][number]> = {}) {
  return { userId, kind: "interest-new" as const, title: `Event ${key}`, href: "/calls/1", key, ...extra };
}

describe("notify", () => {
  useFreshDatabase();

  test("the same event notifies a person once, however often it is told", async () => {
    const ada = await makeUser(unique("nt-ada"));
    await inbox.notify([item(ada.id, "interest-new:1"), item(ada.id, "interest-new:1")]);
    await inbox.notify([item(ada.id, "interest-new:1", { title: "Told again" })]);
    const { entries } = await inbox.listInbox(ada.id);
    expect(entries.map((e) => e.title)).toEqual(["Event interest-new:1"]);
    expect(await inbox.unreadCount(ada.id)).toBe(1);
  });

  test("a suspended person gets nothing new; others in the same batch still do", async () => {
    const kept = await makeUser(unique("nt-kept"));
    const gone = await makeUser(unique("nt-gone"));
    const admin = await makeAdmin(unique("nt-admin"));
    await suspendAccount(gone.id, "spam", admin.id);
    await inbox.notify([item(kept.id, "k:1"), item(gone.id, "k:1")]);
    expect(await inbox.unreadCount(kept.id)).toBe(1);
    const rows = await db().select().from(schema.notifications).where(eq(schema.notifications.userId, gone.id)).all();
    expect(rows).toEqual([]);
  });

  test("a link elsewhere than this site is never stored: it becomes the inbox", async () => {
    const bo = await makeUser(unique("nt-bo"));
    await inbox.notify([
      item(bo.id, "h:1", { href: "https://evil.example/x" }),
      item(bo.id, "h:2", { href: "//evil.example/x" }),
      item(bo.id, "h:3", { href: "/\\evil.example" }),
    ]);
    const { entries } = await inbox.listInbox(bo.id);
    expect(entries.map((e) => e.href)).toEqual(["/inbox", "/inbox", "/inbox"]);
  });

  test("every kind of notification names an email kind of the catalogue", () => {
    for (const kind of notificationKinds) expect(emailCatalogue).toHaveProperty(notificationCatalogue[kind].emailKind);
    // Messages and votes had no email before the inbox: they are switchable kinds now.
    expect(emailCatalogue["conversations-messages"].switchable).toBe(true);
    expect(emailCatalogue["people-votes"].switchable).toBe(true);
  });
});

describe("reading and marking", () => {
  useFreshDatabase();

  test("mark one read, mark all read up to what the page showed, and a person marks only their own", async () => {
    const cy = await makeUser(unique("mr-cy"));
    const other = await makeUser(unique("mr-other"));
    await inbox.notify([item(cy.id, "a"), item(cy.id, "b"), item(cy.id, "c"), item(other.id, "a")]);
    const [c, b, a] = (await inbox.listInbox(cy.id)).entries;
    const theirs = (await inbox.listInbox(other.id)).entries[0]!;

    expect(await inbox.markRead(cy.id, [a!.id, theirs.id])).toBe(1);
    expect(await inbox.unreadCount(other.id)).toBe(1);
    expect(await inbox.unreadCount(cy.id)).toBe(2);

    // "Mark all read" from a page that showed up to b: c arrived later... here c is newer than b.
    expect(await inbox.markAllRead(cy.id, Date.now(), b!.id)).toBe(1);
    expect((await inbox.listInbox(cy.id, { unreadOnly: true })).entries.map((e) => e.id)).toEqual([c!.id]);
    expect(await inbox.markAllRead(cy.id)).toBe(1);
    expect(await inbox.unreadCount(cy.id)).toBe(0);
  });

  test("opening a thread marks its notifications read, and only that thread's", async () => {
    const maint = await makeUser(unique("th-maint"));
    const vol = await makeUser(unique("th-vol"));
    const pkg = await makePackage(unique("th-pkg"), [maint]);
    const call = await makeCall(pkg.id, maint);
    const [interest] = await db()
      .insert(schema.callInterests)
      .values({ callId: call.id, userId: vol.id, message: "Hi", status: "accepted", createdAt: 1, updatedAt: 1 })
      .returning();
    const thread = (await ensureThread("interest", interest!.id))!;
    await inbox.notify([
      item(vol.id, "m:1", { kind: "message", threadId: thread.id }),
      item(vol.id, "m:2", { kind: "message", threadId: thread.id }),
      item(vol.id, "other"),
    ]);
    // The inbox shows the thread muted once the person muted it (its Mute button becomes Unmute).
    await setMuted(thread.id, vol.id, true);
    expect((await inbox.listInbox(vol.id)).entries.map((e) => [e.title, e.muted])).toEqual([
      ["Event other", false],
      ["Event m:2", true],
      ["Event m:1", true],
    ]);
    expect(await inbox.markThreadRead(vol.id, thread.id)).toBe(2);
    expect((await inbox.listInbox(vol.id, { unreadOnly: true })).entries.map((e) => e.title)).toEqual(["Event other"]);
  });

  test("the inbox pages by id, newest first, and a notification arriving meanwhile does not shift the next page", async () => {
    const dee = await makeUser(unique("pg-dee"));
    await inbox.notify(Array.from({ length: 5 }, (_, i) => item(dee.id, `p:${i}`, { title: `N${i}` })));
    const first = await inbox.listInbox(dee.id, { limit: 2 });
    expect(first.entries.map((e) => e.title)).toEqual(["N4", "N3"]);
    await inbox.notify([item(dee.id, "p:new", { title: "Newer" })]);
    const second = await inbox.listInbox(dee.id, { limit: 2, before: first.nextBefore });
    expect(second.entries.map((e) => e.title)).toEqual(["N2", "N1"]);
    const third = await inbox.listInbox(dee.id, { limit: 2, before: second.nextBefore });
    expect(third.entries.map((e) => e.title)).toEqual(["N0"]);
    expect(third.nextBefore).toBeNull();
  });
});

describe("powers end when their source ends", () => {
  useFreshDatabase();

  test("a thread's notifications are not shown once the person is no longer in the thread", async () => {
    const maint = await makeUser(unique("pw-maint"));
    const vol = await makeUser(unique("pw-vol"));
    const pkg = await makePackage(unique("pw-pkg"), [maint]);
    const call = await makeCall(pkg.id, maint);
    const [interest] = await db()
      .insert(schema.callInterests)
      .values({ callId: call.id, userId: vol.id, message: "Hi", status: "accepted", createdAt: 1, updatedAt: 1 })
      .returning();
    const thread = (await ensureThread("interest", interest!.id))!;
    await inbox.notify([item(maint.id, "msg:1", { kind: "message", threadId: thread.id, title: "New message" })]);
    expect(await inbox.unreadCount(maint.id)).toBe(1);
    // No longer a verified maintainer of the package: out of the thread, and out of its notifications.
    await db()
      .update(schema.packageMaintainers)
      .set({ verifiedAt: null })
      .where(eq(schema.packageMaintainers.userId, maint.id));
    expect(await inbox.unreadCount(maint.id)).toBe(0);
    expect((await inbox.listInbox(maint.id)).entries).toEqual([]);
    expect(
      await inbox.openNotification(maint.id, (await db().select().from(schema.notifications).all()).at(-1)!.id),
    ).toBeNull();
  });

  test("a vote to cast is not shown once the person's working-group stint ended", async () => {
    const member = await makeAdmin(unique("pw-wg"));
    await inbox.notify([item(member.id, "vote-needed:1", { kind: "vote-needed", href: "/admin/roadies" })]);
    expect(await inbox.unreadCount(member.id)).toBe(1);
    await db()
      .update(schema.memberships)
      .set({ status: "lapsed", termEndsAt: Date.now() - 1 })
      .where(eq(schema.memberships.userId, member.id));
    expect(await inbox.unreadCount(member.id)).toBe(0);
  });
});

describe("the inbox's pages", () => {
  useFreshDatabase();

  test("the version answers 304 while nothing changed, and a new ETag after a notification or a read", async () => {
    const eve = await makeUser(unique("v-eve"));
    const cookie = await cookieFor(eve.id);
    const get = (etag?: string) => {
      const req = request("/inbox/version", { cookie });
      if (etag) req.headers.set("If-None-Match", etag);
      return versionRoute.loader({ request: req, params: {}, context });
    };
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get("Cache-Control")).toBe("private, no-store");
    const etag = first.headers.get("ETag")!;
    expect((await get(etag)).status).toBe(304);

    await inbox.notify([item(eve.id, "v:1")]);
    const changed = await get(etag);
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ unread: 1 });
    const etag2 = changed.headers.get("ETag")!;
    expect(etag2).not.toBe(etag);

    await inbox.markAllRead(eve.id);
    const read = await get(etag2);
    expect(read.status).toBe(200);
    expect(read.headers.get("ETag")).not.toBe(etag2);
  });

  test("a signed-out visitor gets 401 from the version, not a page", async () => {
    const res = await versionRoute.loader({ request: request("/inbox/version"), params: {}, context });
    expect(res.status).toBe(401);
  });

  test("the header counts what is unread, the inbox lists it, and its forms mark it read", async () => {
    const fay = await makeUser(unique("r-fay"));
    const cookie = await cookieFor(fay.id);
    await inbox.notify([item(fay.id, "r:1", { title: "First" }), item(fay.id, "r:2", { title: "Second" })]);

    const header = await run(() => root.loader({ request: request("/", { cookie }), params: {}, context }));
    expect((header.value as { inbox: { unread: number } }).inbox.unread).toBe(2);

    const page = await run(() => inboxRoute.loader({ request: request("/inbox", { cookie }), params: {}, context }));
    const data = page.value as Awaited<ReturnType<typeof inboxRoute.loader>>;
    expect(data.entries.map((e) => [e.title, e.readAt])).toEqual([
      ["Second", null],
      ["First", null],
    ]);

    const one = await run(() =>
      inboxRoute.action({
        request: request("/inbox?show=unread", { cookie, form: { intent: "read", id: String(data.entries[1]!.id) } }),
        params: {},
        context,
      }),
    );
    expect(one.location).toBe("/inbox?show=unread");
    const unread = await run(() =>
      inboxRoute.loader({ request: request("/inbox?show=unread", { cookie }), params: {}, context }),
    );
    expect((unread.value as typeof data).entries.map((e) => e.title)).toEqual(["Second"]);

    await run(() =>
      inboxRoute.action({
        request: request("/inbox", { cookie, form: { intent: "read-all", upTo: String(data.newestId) } }),
        params: {},
        context,
      }),
    );
    expect(await inbox.unreadCount(fay.id)).toBe(0);
  });

  test("opening a notification marks it read and goes to its page; someone else's is a 404", async () => {
    const gil = await makeUser(unique("o-gil"));
    const hal = await makeUser(unique("o-hal"));
    await inbox.notify([item(gil.id, "o:1", { href: "/calls/7/manage" })]);
    const id = (await inbox.listInbox(gil.id)).entries[0]!.id;
    const halCookie = await cookieFor(hal.id);
    const theirs = await run(() =>
      openRoute.loader({
        request: request(`/inbox/${id}`, { cookie: halCookie }),
        params: { id: String(id) },
        context,
      }),
    );
    expect(theirs.status).toBe(404);
    expect(await inbox.unreadCount(gil.id)).toBe(1);
    const gilCookie = await cookieFor(gil.id);
    const mine = await run(() =>
      openRoute.loader({
        request: request(`/inbox/${id}`, { cookie: gilCookie }),
        params: { id: String(id) },
        context,
      }),
    );
    expect(mine.location).toBe("/calls/7/manage");
    expect(await inbox.unreadCount(gil.id)).toBe(0);
  });
});
